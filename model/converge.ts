import type { HealthModel, UpdatePolicyModel } from "./types";

// How long a workload may take to turn healthy, derived from its own health and update settings
// instead of one fixed limit: `pulumi up` (the service's convergeConfig, the container's waitTimeout)
// and the rendered deploy.sh wait this long, and no longer, before they report the group failed.

/**
 * One task, from start to the last chance of its healthcheck: the start period (failures do not
 * count), then `retries` failed probes, each at most interval + timeout apart, and one more probe.
 */
export function taskHealthySeconds(health: HealthModel): number {
    const { startPeriodSeconds, intervalSeconds, timeoutSeconds, retries } = health;
    return Math.ceil(startPeriodSeconds + (retries + 1) * (intervalSeconds + timeoutSeconds));
}

/**
 * A service of `replicas` tasks: Swarm replaces them `parallelism` at a time (0: all at once), waiting
 * the update delay between batches, and watches the last batch for the monitor period before the
 * update counts as completed.
 */
export function convergeSeconds(health: HealthModel, replicas: number, update: UpdatePolicyModel): number {
    const batch = update.parallelism > 0 ? update.parallelism : replicas;
    const batches = Math.max(1, Math.ceil(replicas / Math.max(1, batch)));
    return batches * (taskHealthySeconds(health) + update.delaySeconds) + update.monitorSeconds;
}

/**
 * How long `pulumi up` waits on a service (its convergeConfig timeout). The provider reports a failed
 * update only once Swarm has finished rolling it back, so the wait covers the update and then the
 * rollback of every batch. Never less than ten minutes: pulling a release's image onto a node is not
 * part of the health settings, and a timeout while Swarm is still at work tells the operator nothing.
 */
export function convergeWithRollbackSeconds(health: HealthModel, replicas: number, update: UpdatePolicyModel): number {
    return Math.max(600, 2 * convergeSeconds(health, replicas, update));
}
