import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { goDuration } from "../../model/units";
import type { GroupModel } from "../../model/types";

// Mappings from the model to the Docker provider's Container inputs, for groups that run as
// standalone containers (S1). Container units differ from Service units: memory is in MB and CPUs
// are a decimal string (DESIGN-NOTES section 2).

const MB = 1024 * 1024;

export function containerResourceArgs(group: GroupModel): Pick<docker.ContainerArgs, "memory" | "memoryReservation" | "cpus"> {
    return {
        memory: Math.ceil(group.resources.limits.memoryBytes / MB),
        memoryReservation: Math.ceil(group.resources.reservations.memoryBytes / MB),
        cpus: String(group.resources.limits.cpus),
    };
}

export function containerHealthcheckArgs(group: GroupModel): docker.types.input.ContainerHealthcheck {
    return {
        tests: ["CMD-SHELL", group.health.command],
        interval: goDuration(group.health.intervalSeconds),
        timeout: goDuration(group.health.timeoutSeconds),
        retries: group.health.retries,
        startPeriod: goDuration(group.health.startPeriodSeconds),
    };
}

/**
 * How long `pulumi up` waits for the container to turn healthy: the start period plus every retry,
 * with one interval of slack.
 */
export function waitTimeoutSeconds(group: GroupModel): number {
    const { startPeriodSeconds, intervalSeconds, timeoutSeconds, retries } = group.health;
    return Math.ceil(startPeriodSeconds + (retries + 1) * (intervalSeconds + timeoutSeconds));
}

/**
 * The seed's restart policy (condition any, 10 attempts) as a container restart policy: "any" maps
 * to unless-stopped, since a container has no attempt-counting "any"; on-failure keeps the count.
 */
export function containerRestartArgs(group: GroupModel): Pick<docker.ContainerArgs, "restart" | "maxRetryCount"> {
    const { condition, maxAttempts } = group.restartPolicy;
    if (condition === "on-failure") {
        return { restart: "on-failure", maxRetryCount: maxAttempts };
    }
    return { restart: condition === "any" ? "unless-stopped" : "no" };
}

/** The internal network with the agents' aliases, and the external one when the group needs it. */
export function containerNetworkArgs(
    group: GroupModel,
    internalId: pulumi.Input<string>,
    externalId: pulumi.Input<string> | undefined,
): docker.types.input.ContainerNetworksAdvanced[] {
    return [{ name: internalId, aliases: [...group.aliases] }, ...(externalId && group.external ? [{ name: externalId }] : [])];
}
