import type { HealthModel, MountModel, Resources, RestartPolicyModel, UpdatePolicyModel } from "../workload";

// What the monitoring watches and runs, derived once from the topology and the stacks' config. The
// Prometheus config, the alert rules, the dashboards, the components and the plan all read this.

/** One agent's health endpoint, probed by the blackbox exporter on every task of its group. */
export interface WatchedAgent {
    readonly machine: string;
    readonly group: string;
    readonly agent: string;
    /** An optional agent does not gate its group's health: its alert is a warning. */
    readonly optional: boolean;
    readonly healthPort: number;
    readonly healthPath: string;
    /** Prometheus scrapes this path on the agent port (ObservabilityHubs). */
    readonly metricsPath?: string;
    readonly port: number;
    /** `<agent>.<group>.<suffix>`: the agent's own name on the overlay. */
    readonly dnsName: string;
}

/**
 * How Prometheus finds a group's tasks: `tasks` resolves `tasks.<agent dns name>` (Swarm's per-task
 * records, which libnetwork adds for every service alias as for the service name:
 * libnetwork/service_common.go, addEndpointNameResolution), so every replica is probed whatever the
 * service is called (`cascade-core` by Pulumi, `cascade_core` by the rendered stack files); `static`
 * probes the agent's DNS name (a standalone container, which is one task; a Kubernetes Service).
 */
export type TaskDiscovery = { readonly kind: "tasks" } | { readonly kind: "static" };

export interface WatchedGroup {
    readonly machine: string;
    readonly name: string;
    /** The replicas that should be healthy. */
    readonly replicas: number;
    /** The group's healthcheck start period: an agent may be down this long after a start without an alert. */
    readonly startPeriodSeconds: number;
    readonly discovery: TaskDiscovery;
    /**
     * The targets the probes see per agent when the group is healthy: every replica with `tasks`
     * discovery; one with `static` (a Service balances over its pods, a standalone container is one).
     */
    readonly probedTasks: number;
    readonly agents: readonly WatchedAgent[];
}

export interface WatchedMachine {
    readonly name: string;
    /** The capacity its stack config allots to Cascade; undefined when no stack file describes the machine. */
    readonly budget?: { readonly cpus: number; readonly memoryBytes: number };
    /** Where this machine's groups and budget were read: a stack file, or the topology's defaults. */
    readonly source: string;
    readonly groups: readonly WatchedGroup[];
    /** The node exporter's service on this machine. */
    readonly nodeExporter: string;
}

export type MonitoringRole = "prometheus" | "blackbox" | "node-exporter" | "alertmanager" | "grafana";

/** A file a monitoring service reads (a Docker config on Swarm, a ConfigMap on Kubernetes). */
export interface MonitoringFile {
    /** Stable key, part of the object's name. */
    readonly key: string;
    /** Absolute path in the container. */
    readonly target: string;
    readonly content: string;
}

/** A host path mounted read-only (the node exporter reads the host's /proc and /sys). */
export interface HostMount {
    readonly source: string;
    readonly target: string;
}

/** One monitoring service this stack runs; everything a Cascade group has, so budgets and policies count it. */
export interface MonitoringService {
    readonly role: MonitoringRole;
    /** The Swarm service (and Kubernetes Deployment) name: `cascade-prometheus`. */
    readonly name: string;
    /** Its name on the internal overlay: `prometheus.cascade-monitoring.cascade`. */
    readonly dnsName: string;
    readonly machine: string;
    readonly group: string;
    readonly image: string;
    readonly port: number;
    readonly args: readonly string[];
    /** Per replica. */
    readonly resources: Resources;
    readonly health: HealthModel;
    readonly mounts: readonly MountModel[];
    readonly hostMounts: readonly HostMount[];
    readonly files: readonly MonitoringFile[];
    readonly placement: readonly string[];
    readonly nodeLabels: Readonly<Record<string, string>>;
    readonly publishedPorts: readonly number[];
    /** Joins the external network: it publishes a port or sends alerts out. */
    readonly external: boolean;
    /** As the groups': `cascade:swarm.endpointMode`. */
    readonly endpointMode: "vip" | "dnsrr";
    readonly restartPolicy: RestartPolicyModel;
    readonly updatePolicy: UpdatePolicyModel;
}

export interface MonitoringUi {
    readonly name: string;
    /** Where to open it: a published port on the machine, or the overlay address. */
    readonly url: string;
    readonly published: boolean;
}

export interface MonitoringModel {
    /** cascade:monitoring.enabled. */
    readonly enabled: boolean;
    /** This stack runs Prometheus (it owns the shared resources); every stack runs its node exporter. */
    readonly owner: boolean;
    /** The Prometheus operator objects replace this stack's own Prometheus (Kubernetes). */
    readonly operator: boolean;
    /** Every machine Prometheus watches (only on the owner). */
    readonly machines: readonly WatchedMachine[];
    readonly services: readonly MonitoringService[];
    readonly ui: readonly MonitoringUi[];
    /** Rendered files: prometheus.yml, the rules, the dashboards (only on the owner). */
    readonly files: {
        readonly prometheus?: string;
        readonly rules?: string;
        readonly dashboards: Readonly<Record<string, string>>;
    };
}
