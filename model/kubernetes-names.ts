import type { AgentModel, GroupModel } from "./types";

// The names Cascade's Kubernetes objects carry. They are stable on purpose: Services are what agents
// resolve, claims hold data, and renaming either is an outage or a data migration.

/** A DNS-1123 label: namespaces, container and volume names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1035 label: Service names (they become DNS names, so they start with a letter). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_LABEL_LENGTH = 63;

/** `<prefix>-<group short name>`: with the default prefix, the group's own name (`cascade-core`). */
export function namespaceName(prefix: string, group: Pick<GroupModel, "shortName">): string {
    return `${prefix}-${group.shortName}`;
}

/**
 * `<prefix>-monitoring-<machine>`, where the monitoring services run without the Prometheus operator:
 * each machine stack's own, so the two stacks never share an object.
 */
export function monitoringNamespaceName(prefix: string, machine: string): string {
    return `${prefix}-monitoring-${machine}`;
}

/** The agent's Service, resolvable as `<agent>.<namespace>` from any pod of the cluster. */
export function serviceName(agent: Pick<AgentModel, "name">): string {
    return agent.name.toLowerCase();
}

/** The LoadBalancer Service of a published agent: its agent port only, never its health port. */
export function publicServiceName(agent: Pick<AgentModel, "name">): string {
    return `${serviceName(agent)}-public`;
}

/** A claim's name: the topology's volume key in DNS form (`model_cache` -> `model-cache`). */
export function claimName(volumeKey: string): string {
    return volumeKey.replace(/_/g, "-");
}

/**
 * Container port names must be IANA service names (at most 15 characters), too short for agent
 * names; the number keeps them unique and lets a reader find the agent in the Service that targets it.
 */
export function agentPortName(port: number): string {
    return `port-${port}`;
}

export function healthPortName(port: number): string {
    return `health-${port}`;
}

/** The one Secret per namespace that holds the Redis password and the CurveZMQ certificates. */
export const SECRETS_NAME = "cascade-secrets";
/** The one ResourceQuota per namespace: the group's share of its machine's budget. */
export const QUOTA_NAME = "cascade-budget";
/** Redis's Service (headless, governing its StatefulSet) and StatefulSet. */
export const REDIS_NAME = "redis";

/** The extended resource the NVIDIA device plugin (or GPU operator) advertises. */
export const GPU_RESOURCE = "nvidia.com/gpu";

/**
 * On an autoscaled Deployment, which sets no replica count: the most pods its autoscaler may run.
 * Budgets (the quota, the policy pack) count that many.
 */
export const MAX_REPLICAS_ANNOTATION = "cascade.max-replicas";
