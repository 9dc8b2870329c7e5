import { apiOf, read } from "./api";
import { cidrsOverlap } from "../../config/units";
import { docker, genericResourceText, inspectNode, type NetworkView } from "./docker";
import { engineOf, MACHINES, nodeOf, type Machine } from "./engines";
import type { NodeSize } from "./topology";

// Puts the two-node swarm in the state production expects of MainPC and PC2 (README, "Deploy for
// real"): each node labelled as the topology pins its machine's groups, each advertising its GPU, and
// the group images present on both engines under the names the stack configs give them. The engines
// are the run's own (engine/engines.sh), thrown away after it, so nothing here needs undoing.

interface EngineInfo {
    readonly NCPU: number;
    readonly MemTotal: number;
}

export async function engineInfo(machine: Machine): Promise<EngineInfo> {
    return await read(`${machine}'s engine info`, () => apiOf(engineOf(machine)).info()) as EngineInfo;
}

export function nodeSize(info: EngineInfo): NodeSize {
    return { cpus: info.NCPU, memoryBytes: info.MemTotal };
}

/** Labels each machine's node, on the manager, with `docker node update --label-add`. */
export async function labelNodes(labels: Readonly<Record<Machine, Readonly<Record<string, string>>>>): Promise<void> {
    for (const machine of MACHINES) {
        const flags = Object.entries(labels[machine]).flatMap(([k, v]) => ["--label-add", `${k}=${v}`]);
        await docker(["node", "update", ...flags, await nodeOf(machine)]);
    }
}

/** The generic resources a machine's node advertises, as `kind=value`. */
export async function advertisedResources(machine: Machine): Promise<string[]> {
    return ((await inspectNode(await nodeOf(machine))).Description.Resources.GenericResources ?? []).map(genericResourceText);
}

/** Gives a local image the names the stacks use, on every engine (no registry: the tags are the images). */
export async function tagImages(source: string, tags: readonly string[]): Promise<void> {
    for (const machine of MACHINES) {
        for (const tag of tags) {
            await docker(["-H", engineOf(machine), "tag", source, tag]);
        }
    }
}

/**
 * Local networks of either engine whose subnet overlaps one the overlays need. Swarm rejects every
 * task on such an overlay with "Pool overlaps with other one on this address space" (docker_gwbridge
 * takes the first free /16 of 172.17-172.31 on each node).
 */
export async function localSubnetConflicts(subnets: readonly string[]): Promise<string[]> {
    const conflicts: string[] = [];
    for (const machine of MACHINES) {
        const networks = await read(`listing ${machine}'s local networks`, () => apiOf(engineOf(machine)).listNetworks({ filters: { scope: ["local"] } })) as NetworkView[];
        for (const network of networks) {
            for (const used of (network.IPAM.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : []))) {
                conflicts.push(...subnets.filter((s) => cidrsOverlap(s, used)).map((s) => `${machine}: ${network.Name} (${used}) overlaps ${s}`));
            }
        }
    }
    return conflicts;
}
