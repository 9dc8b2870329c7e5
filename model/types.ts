// The derived model of one machine stack: everything the components, the policies and the plan need,
// computed once from the validated topology and stack config. Pure data, no Pulumi imports.
// Units: bytes for memory, cores for CPUs, seconds for durations.

import type { MonitoringModel } from "./monitoring/types";
import type { HealthModel, MountModel, ResourceAmounts, Resources, RestartPolicyModel, UpdatePolicyModel } from "./workload";

export type { HealthModel, MountModel, ResourceAmounts, Resources, RestartPolicyModel, UpdatePolicyModel };

export type Platform = "swarm" | "kubernetes";

export interface MachineModel {
    readonly name: string;
    readonly description: string;
    /** Per-machine environment from the second seed (MACHINE_TYPE, FORCE_LOCAL_SDT). */
    readonly environment: Readonly<Record<string, string>>;
    /** Node labels that identify this machine (Swarm constraints, Kubernetes node selector). */
    readonly nodeLabels: Readonly<Record<string, string>>;
    readonly capacity: {
        readonly cpus: number;
        readonly memoryBytes: number;
        readonly gpus: number;
    };
}

export interface AgentModel {
    readonly name: string;
    readonly group: string;
    readonly machine: string;
    /** `<agent>.<group>.<suffix>`, lower-cased: the seed's service discovery name. */
    readonly dnsName: string;
    readonly port: number;
    readonly healthPort: number;
    /** The seed's startup_order, or the position in a dependency-respecting order when absent. */
    readonly startupOrder: number;
    readonly dependsOn: readonly string[];
    readonly environment: Readonly<Record<string, string>>;
    readonly memoryLimitBytes?: number;
    readonly optional: boolean;
    readonly realtimePriority: boolean;
    /** Published outside the cluster: the topology's loadBalanced agents. */
    readonly published: boolean;
    readonly config: Readonly<Record<string, string>>;
    /** Prometheus scrapes this path on the agent port. */
    readonly metricsPath?: string;
}

export interface UlimitModel {
    readonly name: string;
    readonly soft: number;
    readonly hard: number;
}

/** A secret file mounted into containers; its value comes from a Pulumi secret, never from the model. */
export interface SecretFileModel {
    /** Stable key: `redis-password` or `zmq-<file>`. */
    readonly key: string;
    /** The stack config key that holds the value. */
    readonly configKey: "redisPassword" | "zmqCertificates";
    /** For zmqCertificates: the file name inside that map. */
    readonly entry?: string;
    /** Absolute path inside the container. */
    readonly target: string;
}

export interface GroupModel {
    readonly name: string;
    /** The group name without the `cascade-` prefix: `core`, `ai-engine`. */
    readonly shortName: string;
    readonly machine: string;
    readonly phase: number;
    /** Groups of the previous phase on this stack: this group waits for them to be healthy. */
    readonly dependsOnGroups: readonly string[];
    readonly image: string;
    readonly replicas: number;
    readonly scaling: { readonly min: number; readonly max?: number; readonly reason?: string };
    /**
     * Kubernetes only: an autoscaler, not Pulumi, owns the replica count (scaling max above min).
     * Swarm has no autoscaler, so there the configured replicas are what runs.
     */
    readonly autoscaled: boolean;
    /** The most replicas the platform may run: the autoscaler's maximum, or the replicas. Budgets count it. */
    readonly maxReplicas: number;
    /**
     * `service`: a Swarm service. `standalone`: a container on the machine's own engine, because the
     * group needs host devices, ulimits or host groups that Swarm services cannot have (S1).
     */
    readonly runAs: "service" | "standalone";
    /** Per replica. */
    readonly resources: Resources;
    /** Every constraint, the machine pin first (S5). */
    readonly placement: readonly string[];
    /** Machine labels plus the group's own (Kubernetes node selector). */
    readonly nodeLabels: Readonly<Record<string, string>>;
    /** Full environment: machine, group, volume paths, service endpoints, secret file paths, manifest. */
    readonly environment: Readonly<Record<string, string>>;
    readonly agents: readonly AgentModel[];
    /** JSON of the agents for the process supervisor in the image (also in CASCADE_AGENTS). */
    readonly manifest: string;
    readonly health: HealthModel;
    readonly mounts: readonly MountModel[];
    readonly secrets: readonly SecretFileModel[];
    /** Joins the external network because it publishes a port or needs egress (S7). */
    readonly external: boolean;
    readonly egress: boolean;
    /** Aliases on the internal network: every agent's DNS name. */
    readonly aliases: readonly string[];
    readonly publishedPorts: readonly number[];
    /** Swarm: `vip` publishes ports on the routing mesh (ingress), `dnsrr` on the node (host). */
    readonly endpointMode: "vip" | "dnsrr";
    readonly restartPolicy: RestartPolicyModel;
    readonly updatePolicy: UpdatePolicyModel;
    readonly devices: readonly string[];
    /** Added capabilities; every other one is dropped. */
    readonly capabilities: readonly string[];
    readonly ulimits: readonly UlimitModel[];
    /** Numeric host group ids (for example audio = 29). */
    readonly groupIds: readonly number[];
    /** Sum of the agents' memory limits, when any agent declares one. */
    readonly agentMemoryBytes?: number;
}

export interface RedisModel {
    readonly name: string;
    readonly group: string;
    readonly machine: string;
    readonly phase: number;
    readonly image: string;
    readonly port: number;
    readonly dnsName: string;
    readonly mount: MountModel;
    readonly resources: Resources;
    readonly health: HealthModel;
    readonly restartPolicy: RestartPolicyModel;
    readonly updatePolicy: UpdatePolicyModel;
    readonly endpointMode: "vip" | "dnsrr";
    readonly placement: readonly string[];
    readonly nodeLabels: Readonly<Record<string, string>>;
    readonly secret: SecretFileModel;
}

export interface NetworkModel {
    readonly name: string;
    readonly subnet?: string;
    readonly internal: boolean;
    readonly attachable: true;
    readonly driver: "overlay";
}

export interface VolumeModel {
    readonly key: string;
    readonly name: string;
    readonly description: string;
    readonly machine: string;
}

export interface PhaseModel {
    readonly phase: number;
    readonly groups: readonly string[];
}

export interface BudgetLine {
    readonly name: string;
    /** The replicas counted: the most that may run (an autoscaler's maximum on Kubernetes). */
    readonly replicas: number;
    /** The count is an autoscaler's maximum, not a fixed replica count. */
    readonly autoscaled: boolean;
    readonly reserved: { readonly cpus: number; readonly memoryBytes: number; readonly gpus: number };
    readonly limited: { readonly cpus: number; readonly memoryBytes: number; readonly gpus: number };
}

export interface BudgetModel {
    readonly machine: string;
    readonly capacity: MachineModel["capacity"];
    readonly overcommitRatio: number;
    /** Each group's (and Redis's) totals: per-replica amounts x replicas. */
    readonly lines: readonly BudgetLine[];
    readonly reserved: { readonly cpus: number; readonly memoryBytes: number; readonly gpus: number };
    readonly limited: { readonly cpus: number; readonly memoryBytes: number; readonly gpus: number };
}

export interface DirectoryEntry {
    readonly agent: string;
    readonly group: string;
    readonly machine: string;
    readonly dnsName: string;
    readonly port: number;
    readonly healthPort: number;
    readonly published: boolean;
}

/** The cross-stack part: how a machine stack reaches the stack that owns the networks and Redis. */
export interface OwnerLink {
    /**
     * The owner's Pulumi stack, read through a StackReference for its networks ("" when this stack
     * is the owner, or when `cascade:mainpc.stack` is "" and the networks are looked up by name).
     */
    readonly stack: string;
    /** The owner's observability hub, as the seed's mainpc_hub_endpoint ("" when there is none). */
    readonly hubEndpoint: string;
}

export interface CascadeModel {
    readonly project: string;
    readonly stack: string;
    readonly platform: Platform;
    readonly machine: MachineModel;
    /** True for the stack that owns the shared pieces (networks, Redis): the machine with the lowest phase. */
    readonly ownsSharedResources: boolean;
    /** Groups this stack deploys, in phase order. */
    readonly groups: readonly GroupModel[];
    readonly redis?: RedisModel;
    readonly networks: { readonly internal: NetworkModel; readonly external: NetworkModel };
    readonly volumes: readonly VolumeModel[];
    readonly phases: readonly PhaseModel[];
    readonly budget: BudgetModel;
    readonly directory: readonly DirectoryEntry[];
    readonly secureZmq: boolean;
    readonly secretFiles: readonly SecretFileModel[];
    readonly gpuResourceKind: string;
    readonly allowSysAdmin: boolean;
    readonly data: { readonly protect: boolean; readonly retainOnDelete: boolean };
    readonly logging: LoggingModel;
    /** What this stack takes from the stack that owns the shared pieces (the seed's MainPC). */
    readonly owner: OwnerLink;
    readonly dnsSuffix: string;
    /** Prometheus, its exporters, alert rules and dashboards (model/monitoring/). */
    readonly monitoring: MonitoringModel;
}

/** Docker's json-file log rotation, from the stack's `cascade:logging`. */
export interface LoggingModel {
    readonly maxSize: string;
    readonly maxFile: number;
}
