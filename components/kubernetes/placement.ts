import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, MachineModel, RedisModel } from "../../model/types";

/**
 * The node selector that pins a group to its machine (S5). The stack's `kubernetes.nodeSelector`
 * replaces the machine's labels (a cluster names its nodes its own way, e.g. kubernetes.io/hostname);
 * the group's own labels, such as the AI engine's gpu=rtx4090, stay.
 */
export function groupNodeSelector(machine: MachineModel, group: GroupModel, settings: KubernetesSettings): Record<string, string> {
    const own = Object.entries(group.nodeLabels).filter(([key, value]) => machine.nodeLabels[key] !== value);
    return { ...(settings.nodeSelector ?? machine.nodeLabels), ...Object.fromEntries(own) };
}

/** Redis is pinned to its machine only. */
export function redisNodeSelector(redis: RedisModel, settings: KubernetesSettings): Record<string, string> {
    return { ...(settings.nodeSelector ?? redis.nodeLabels) };
}
