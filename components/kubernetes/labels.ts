import type { GroupModel, RedisModel } from "../../model/types";
import { labelsOf, groupLabels, LABEL } from "../labels";

// Which labels select what. Selectors are immutable on Deployments and StatefulSets, so they hold
// only what never changes for a workload: its name. Redis shares the core group's namespace and
// group label, so selecting by the group label would send agent traffic to Redis.

/** Selects a group's pods: Deployment selector, agent Services, PodDisruptionBudget. */
export function groupSelector(group: Pick<GroupModel, "name">): Record<string, string> {
    return { [LABEL.workload]: group.name };
}

/** Labels on a group's pods: the descriptive group labels plus the selector. */
export function groupPodLabels(group: GroupModel): Record<string, string> {
    return { ...groupLabels(group), ...groupSelector(group) };
}

/** Selects Redis's pod. */
export function redisSelector(redis: Pick<RedisModel, "name">): Record<string, string> {
    return { [LABEL.workload]: redis.name };
}

/** Redis's labels, as on Swarm (machine, group, phase), plus its selector. */
export function redisLabels(redis: RedisModel): Record<string, string> {
    return { ...labelsOf({ machine: redis.machine, group: redis.group, phase: redis.phase }), ...redisSelector(redis) };
}

/** Selects every Cascade namespace, this machine stack's and the other's. */
export function cascadeNamespaceSelector(prefix: string): Record<string, string> {
    return { [LABEL.namespacePrefix]: prefix, [LABEL.managedBy]: "pulumi" };
}
