import { overlaps } from "./cidr";
import { docker, genericResourceText, inspectNetwork, inspectNode } from "./docker";
import { updateState, type RunState } from "./state";
import type { NodeSize } from "./topology";

// Puts the engine in the state the rendered stacks expect of a machine: a Swarm manager whose node
// carries the labels that pin the groups and advertises the GPU, and the group images present under
// the names the stack configs give them. Every change is recorded (state.ts) before the next one.

interface EngineInfo {
    readonly NCPU: number;
    readonly MemTotal: number;
    readonly Swarm: { readonly LocalNodeState: string; readonly NodeID: string; readonly ControlAvailable: boolean };
}

export async function engineInfo(): Promise<EngineInfo> {
    return JSON.parse(await docker(["info", "--format", "{{json .}}"])) as EngineInfo;
}

export function nodeSize(info: EngineInfo): NodeSize {
    return { cpus: info.NCPU, memoryBytes: info.MemTotal };
}

/** Joins a swarm of its own when the engine is in none; refuses a node that cannot manage one. */
export async function ensureSwarmManager(): Promise<string> {
    const info = await engineInfo();
    if (info.Swarm.LocalNodeState === "inactive") {
        // The loopback address: a one-node swarm whose traffic never leaves the machine.
        await docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
        updateState((s) => ({ ...s, swarmCreated: true }));
    } else if (!info.Swarm.ControlAvailable) {
        throw new Error(`the engine is in a swarm (${info.Swarm.LocalNodeState}) but is not a manager: the stacks must be deployed on a manager`);
    }
    const nodeId = (await engineInfo()).Swarm.NodeID;
    updateState((s) => ({ ...s, nodeId }));
    return nodeId;
}

/** Adds the labels; refuses one that the node already has with another value (it is somebody's). */
export async function labelNode(nodeId: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const current = (await inspectNode(nodeId)).Spec.Labels ?? {};
    for (const [key, value] of Object.entries(labels)) {
        if (current[key] === value) {
            continue;
        }
        if (key in current) {
            throw new Error(`node label ${key} is already set to "${current[key]}"; the acceptance run needs "${value}". Run it on another engine, or remove the label`);
        }
        await docker(["node", "update", "--label-add", `${key}=${value}`, nodeId]);
        updateState((s) => ({ ...s, labelsAdded: [...s.labelsAdded, `${key}=${value}`] }));
    }
}

/** The generic resources the node advertises, as `kind=value`. */
export async function advertisedResources(nodeId: string): Promise<string[]> {
    return ((await inspectNode(nodeId)).Description.Resources.GenericResources ?? []).map(genericResourceText);
}

/** Gives a local image the names the stacks use (no registry: the tags are the images). */
export async function tagImages(source: string, tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
        updateState((s): RunState => ({ ...s, imageTags: [...new Set([...s.imageTags, tag])] }));
        await docker(["tag", source, tag]);
    }
}

/**
 * Local networks whose subnet overlaps one the overlays need. Swarm rejects every task on such an
 * overlay with "Pool overlaps with other one on this address space". docker_gwbridge, which a swarm
 * node creates and which outlives the swarm, takes the first free /16 of 172.17-172.31; a dockerd
 * that has had bridges removed (docker_gwbridge among them) does not reuse their /16 until it
 * restarts, so on a well-used engine it can land on 172.20.
 */
export async function localSubnetConflicts(subnets: readonly string[]): Promise<string[]> {
    const names = (await docker(["network", "ls", "--filter", "scope=local", "--format", "{{.Name}}"])).split("\n").filter(Boolean);
    const conflicts: string[] = [];
    for (const name of names) {
        for (const used of ((await inspectNetwork(name)).IPAM.Config ?? []).flatMap((c) => (c.Subnet ? [c.Subnet] : []))) {
            conflicts.push(...subnets.filter((s) => overlaps(s, used)).map((s) => `${name} (${used}) overlaps ${s}`));
        }
    }
    return conflicts;
}
