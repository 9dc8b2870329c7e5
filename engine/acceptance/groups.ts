import type { RenderedContainer } from "./rendered";
import { engineOf, type ContainerRef } from "./engines";
import { readSourceTopology } from "./topology";

// The topology's groups and where they run, known when mocha loads the files (before anything is
// rendered or deployed): the deploy script and the operator's commands read them as the tests do.

export const TOPOLOGY_GROUPS = readSourceTopology().groups.map((g) => ({ name: g.name, machine: g.machine }));

/** The machine a group runs on, from the topology. */
export function machineOfGroup(group: string): string {
    const found = TOPOLOGY_GROUPS.find((g) => g.name === group);
    if (!found) {
        throw new Error(`${group} is not a group of the topology`);
    }
    return found.machine;
}

/** A standalone container, on its machine's own engine. */
export function standalone(container: RenderedContainer): ContainerRef {
    return { engine: engineOf(machineOfGroup(container.group)), id: container.name };
}
