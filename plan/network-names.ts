import { z } from "zod";
import { sharedNetworksSchema } from "../config/schema/shared-networks";
import { DOCKER_TYPES } from "../components/resource-types";
import type { Capture } from "../captured/resource";

// Services and containers name their networks by id (@pulumi/docker's ServiceTaskSpecNetworksAdvanced:
// "Using the name attribute of the docker network will lead to constant replacements"). The plan shows names:
// ids of the networks this stack creates come from the capture, and ids of networks read from
// another stack come from this stack's `networks` output, which echoes what it read.


export function networkNamesById(capture: Capture): Map<string, string> {
    const names = new Map<string, string>();
    for (const resource of capture.resources) {
        const name = resource.inputs.name;
        if (resource.type === DOCKER_TYPES.network && resource.id !== undefined && typeof name === "string") {
            names.set(resource.id, name);
        }
    }
    const shared = sharedNetworksSchema.safeParse(capture.outputs.networks);
    if (shared.success) {
        for (const network of Object.values(shared.data)) {
            names.set(network.id, network.name);
        }
    }
    return names;
}

/** The name of a network id, or the id itself when the plan does not know it. */
export function networkName(names: ReadonlyMap<string, string>, id: unknown): string {
    const text = z.string().safeParse(id);
    return text.success ? names.get(text.data) ?? text.data : String(id);
}
