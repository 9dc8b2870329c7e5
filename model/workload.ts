// The parts every workload of the model has, the agents' groups as the monitoring services: resources,
// mounts, health and the restart and update policies. Units as in types.ts. model/types.ts re-exports
// them; they live apart so that the monitoring's types can use them without importing the model that
// contains the monitoring.

export interface ResourceAmounts {
    readonly cpus: number;
    readonly memoryBytes: number;
}

export interface Resources {
    readonly limits: ResourceAmounts;
    readonly reservations: ResourceAmounts;
    /** GPUs reserved per replica. */
    readonly gpus: number;
}

export interface MountModel {
    readonly volume: string;
    /** The Docker volume's name: `cascade_<volume>`. */
    readonly volumeName: string;
    readonly target: string;
    readonly readOnly: boolean;
}

export interface HealthModel {
    /** Health ports of the non-optional agents, each probed on http://127.0.0.1:<port><path>. */
    readonly ports: readonly number[];
    readonly path: string;
    /** A POSIX shell command that exits 0 only when every probed endpoint answers 2xx. */
    readonly command: string;
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly retries: number;
    readonly startPeriodSeconds: number;
}

export interface RestartPolicyModel {
    readonly condition: "none" | "on-failure" | "any";
    readonly delaySeconds: number;
    readonly maxAttempts: number;
    readonly windowSeconds: number;
}

export interface UpdatePolicyModel {
    readonly parallelism: number;
    readonly delaySeconds: number;
    readonly failureAction: "pause" | "continue" | "rollback";
    readonly monitorSeconds: number;
    readonly maxFailureRatio: number;
    readonly order: "stop-first" | "start-first";
}
