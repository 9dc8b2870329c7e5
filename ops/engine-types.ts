// The fields of the Docker Engine API responses that the Day-2 commands read (API v1.41, the one
// Debian's Docker 20.10 speaks; later versions only add fields). dockerode returns the engine's JSON
// as it comes, and the unit tests feed recorded responses of a real engine through the same types.

export interface SwarmNode {
    readonly ID: string;
    readonly Spec: { readonly Labels?: Readonly<Record<string, string>>; readonly Availability?: string };
    readonly Description?: { readonly Hostname?: string };
    /** `ready`, `down`, `disconnected`, `unknown`. */
    readonly Status: { readonly State: string; readonly Message?: string; readonly Addr?: string };
}

export interface SwarmService {
    readonly ID: string;
    readonly Spec: {
        readonly Name: string;
        readonly Labels?: Readonly<Record<string, string>>;
        readonly TaskTemplate: { readonly ContainerSpec?: { readonly Image?: string } };
        readonly Mode: { readonly Replicated?: { readonly Replicas?: number }; readonly Global?: object };
    };
    /** Absent until the service is first updated. `updating`, `paused`, `completed`, `rollback_started`, `rollback_paused`, `rollback_completed`. */
    readonly UpdateStatus?: { readonly State?: string; readonly Message?: string; readonly CompletedAt?: string; readonly StartedAt?: string };
}

export interface SwarmTask {
    readonly ID: string;
    readonly ServiceID: string;
    readonly NodeID?: string;
    readonly Slot?: number;
    readonly CreatedAt: string;
    readonly UpdatedAt?: string;
    readonly DesiredState: string;
    readonly Spec: { readonly ContainerSpec?: { readonly Image?: string } };
    readonly Status: {
        readonly Timestamp: string;
        /** `new` … `pending`, `assigned`, … `starting`, `running`, `complete`, `shutdown`, `failed`, `rejected`, `orphaned`. */
        readonly State: string;
        readonly Message?: string;
        readonly Err?: string;
        readonly ContainerStatus?: { readonly ContainerID?: string; readonly ExitCode?: number };
    };
}

export interface HealthLogEntry {
    readonly Start: string;
    readonly End: string;
    readonly ExitCode: number;
    readonly Output: string;
}

export interface ContainerInspect {
    readonly Id: string;
    readonly Name: string;
    readonly RestartCount: number;
    readonly Created: string;
    readonly Config: { readonly Image: string; readonly Labels?: Readonly<Record<string, string>> };
    readonly State: {
        /** `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`. */
        readonly Status: string;
        readonly Running: boolean;
        readonly StartedAt: string;
        readonly FinishedAt?: string;
        readonly ExitCode?: number;
        readonly Health?: { readonly Status: string; readonly FailingStreak?: number; readonly Log?: readonly HealthLogEntry[] };
    };
}

export interface VolumeInspect {
    readonly Name: string;
    readonly Labels?: Readonly<Record<string, string>> | null;
}
