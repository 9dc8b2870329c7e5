import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { taskHealthySeconds } from "../../model/converge";
import type { GroupModel } from "../../model/types";
import { capabilityReadBack, containerCpus } from "./read-back";
import { networkAttachments } from "./workload-args";

// Mappings from the model to the Docker provider's Container inputs, for groups that run as
// standalone containers (S1). Container units differ from Service units: memory is in MB and CPUs
// are a decimal string; every value is written in the form the provider reads it back in (read-back.ts).

const MB = 1024 * 1024;

export function containerResourceArgs(group: GroupModel): Pick<docker.ContainerArgs, "memory" | "memoryReservation" | "memorySwap" | "cpus"> {
    const memory = Math.ceil(group.resources.limits.memoryBytes / MB);
    return {
        memory,
        memoryReservation: Math.ceil(group.resources.reservations.memoryBytes / MB),
        // No swap beyond the memory limit, as a Swarm service's limit has none. Left unset, the engine
        // sets twice the memory and every preview would show memorySwap changing back to unset.
        memorySwap: memory,
        cpus: containerCpus(group.resources.limits.cpus),
    };
}

/** Capabilities in their CAP_ form, as newer engines report them; a difference here replaces the container. */
export function containerCapabilityArgs(group: GroupModel): docker.types.input.ContainerCapabilities {
    return { adds: group.capabilities.map(capabilityReadBack), drops: ["ALL"] };
}

/** How long `pulumi up` waits for the container to turn healthy (model/converge.ts). */
export function waitTimeoutSeconds(group: GroupModel): number {
    return taskHealthySeconds(group.health);
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

/** A container names a network by `name`, which takes the network's id as well. */
export function containerNetworkArgs(
    internalId: pulumi.Input<string>,
    aliases: readonly string[],
    externalId: pulumi.Input<string> | undefined,
): docker.types.input.ContainerNetworksAdvanced[] {
    return networkAttachments(internalId, aliases, externalId).map(({ network, aliases: names }) => ({ name: network, ...(names ? { aliases: names } : {}) }));
}
