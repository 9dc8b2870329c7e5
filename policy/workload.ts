import { PROGRAM_VARIABLES } from "../config/program-environment";
import type { PolicyResourceView } from "./resource";

// The platform-neutral views the rules reason about. A reader (policy/readers/) turns one resource of
// its platform into one of these; a rule written against a view covers every platform that has a
// reader, so Kubernetes workloads join the same budget and safety rules by adding readers.

export interface EnvVar {
    readonly name: string;
    readonly value: string;
    /** Where it is set, for messages: `env` or `CASCADE_AGENTS[ObservabilityHub].env`. */
    readonly where: string;
}

export interface PublishedPort {
    readonly port: number;
    readonly protocol: string;
    /**
     * `swarm`: published through the routing mesh, so it is taken on every node of the swarm.
     * `host`: taken on the workload's machine only.
     */
    readonly scope: "swarm" | "host";
}

/** Something that runs: a Swarm service, a standalone container (later a Kubernetes workload). */
export interface Workload {
    readonly resource: PolicyResourceView;
    /** What it is, in words, for messages: `Swarm service`, `container`. */
    readonly kind: string;
    readonly machine?: string;
    readonly group?: string;
    /** Labelled as running real-time agents (the only ones allowed SYS_NICE). */
    readonly realtime: boolean;
    readonly replicas: number;
    /** Per replica. */
    readonly reserved: { readonly cpus: number; readonly memoryBytes: number };
    /** Per replica; undefined means unlimited. */
    readonly limits: { readonly cpus?: number; readonly memoryBytes?: number };
    /** GPUs reserved per replica, of the machine's GPU kind. */
    readonly gpus: number;
    readonly images: readonly string[];
    readonly privileged: boolean;
    readonly capAdds: readonly string[];
    /** Host paths mounted into it (bind mounts, hostPath volumes). */
    readonly hostPaths: readonly string[];
    /** Those of hostPaths that are mounted read-only everywhere in the workload. */
    readonly readOnlyHostPaths: readonly string[];
    readonly env: readonly EnvVar[];
    readonly healthcheck: boolean;
    /** Restarted when it fails (a restart policy other than none/no). */
    readonly restartPolicy: boolean;
    readonly publishedPorts: readonly PublishedPort[];
}

/** A volume that holds data (labelled cascade.data=true). */
export interface DataVolume {
    readonly resource: PolicyResourceView;
    readonly name: string;
    readonly machine?: string;
}

export interface NetworkView {
    readonly resource: PolicyResourceView;
    readonly name: string;
    readonly internal: boolean;
}

/** The agents manifest (CASCADE_AGENTS) as far as the rules read it. */
export interface ManifestAgent {
    readonly name: string;
    readonly memoryLimitBytes?: number;
    readonly env: Readonly<Record<string, string>>;
}

const MANIFEST_ENV = PROGRAM_VARIABLES.agents;

/** The agents of a workload's manifest, or undefined when it has none (or it is not JSON). */
export function manifestOf(workload: Workload): ManifestAgent[] | undefined {
    const text = workload.env.find((e) => e.name === MANIFEST_ENV && e.where === "env")?.value;
    if (text === undefined) {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return undefined;
    }
    if (!Array.isArray(parsed)) {
        return undefined;
    }
    return parsed.flatMap((entry: unknown): ManifestAgent[] => {
        if (typeof entry !== "object" || entry === null) {
            return [];
        }
        const agent = entry as { name?: unknown; memoryLimitBytes?: unknown; env?: unknown };
        const env = typeof agent.env === "object" && agent.env !== null
            ? Object.fromEntries(Object.entries(agent.env).filter((e): e is [string, string] => typeof e[1] === "string"))
            : {};
        return [{
            name: String(agent.name),
            memoryLimitBytes: typeof agent.memoryLimitBytes === "number" ? agent.memoryLimitBytes : undefined,
            env,
        }];
    });
}

/** The workload as named in messages: `cascade-core-service (Swarm service, group cascade-core)`. */
export function describe(workload: Workload): string {
    const group = workload.group ? `, group ${workload.group}` : "";
    return `${workload.resource.name} (${workload.kind}${group})`;
}
