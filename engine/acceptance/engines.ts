import type { SwarmNode } from "../../ops/engine-types";
import { managerApi, read } from "./api";

// The two engines of the acceptance swarm (engine/engines.sh): MainPC's, the manager, and PC2's, a
// worker. engines.sh prints their sockets and run-acceptance.sh exports them, with DOCKER_HOST set to
// the manager's, so that every swarm-wide command goes to the manager as an operator's would, and
// commands about a machine's own containers and volumes go to that machine's engine.

export type Machine = "mainpc" | "pc2";
export const MACHINES: readonly Machine[] = ["mainpc", "pc2"];

/** The Docker host of a machine's engine, e.g. unix:///run/cas-docker-pc2.sock. */
export function engineOf(machine: string): string {
    const host = process.env[`CASCADE_ENGINE_${machine.toUpperCase()}`];
    if (!host) {
        throw new Error(`CASCADE_ENGINE_${machine.toUpperCase()} is not set: run the suite through engine/run-acceptance.sh (npm run test:engine), which starts the engines`);
    }
    return host;
}

/** The network namespace a machine's engine runs in, where its host-mode published ports listen. */
export function netnsOf(machine: string): string {
    const netns = process.env[`CASCADE_NETNS_${machine.toUpperCase()}`];
    if (!netns) {
        throw new Error(`CASCADE_NETNS_${machine.toUpperCase()} is not set: run the suite through engine/run-acceptance.sh`);
    }
    return netns;
}

/** A container on a given engine: `docker -H <engine> exec <id>` enters it. */
export interface ContainerRef {
    readonly engine: string;
    readonly id: string;
}

const nodeIds = new Map<string, Machine>();

/** The machine whose engine is the swarm node `nodeId` (node hostnames are the machine names). */
export async function machineOfNode(nodeId: string): Promise<Machine> {
    const known = nodeIds.get(nodeId);
    if (known) {
        return known;
    }
    const node = await read(`inspecting node ${nodeId}`, () => managerApi().getNode(nodeId).inspect()) as SwarmNode;
    const hostname = node.Description?.Hostname;
    const machine = MACHINES.find((m) => m === hostname);
    if (!machine) {
        throw new Error(`swarm node ${nodeId} is ${hostname}, not one of the acceptance machines (${MACHINES.join(", ")})`);
    }
    nodeIds.set(nodeId, machine);
    return machine;
}

/** The swarm node id of a machine (the engine resolves a node's hostname, as `docker node inspect` does). */
export async function nodeOf(machine: Machine): Promise<string> {
    return (await read(`inspecting node ${machine}`, () => managerApi().getNode(machine).inspect()) as SwarmNode).ID;
}
