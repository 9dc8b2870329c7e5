import type { Acceptance } from "./setup";
import type { RenderedContainer, RenderedService } from "./rendered";
import { runningContainers } from "./docker";
import type { ContainerRef } from "./engines";

// What the tests look up in the rendered files. The tests are generated from the topology's groups
// (known when mocha loads the files, before anything is rendered), and each test finds its group's
// services and containers in what the plan rendered for both machines.

export { machineOfGroup, standalone, TOPOLOGY_GROUPS } from "./groups";

export interface GroupWorkloads {
    readonly services: readonly RenderedService[];
    readonly containers: readonly RenderedContainer[];
}

export function renders(a: Acceptance) {
    return [a.mainpc, a.pc2];
}

export function allServices(a: Acceptance): RenderedService[] {
    return renders(a).flatMap((r) => r.stackFiles.flatMap((f) => f.services));
}

/** The machine whose stack rendered the service (Redis has no group of its own: it is mainpc's). */
export function machineOfService(a: Acceptance, name: string): string {
    return a.pc2.stackFiles.some((f) => f.services.some((s) => s.name === name)) ? "pc2" : "mainpc";
}

export function allContainers(a: Acceptance): RenderedContainer[] {
    return renders(a).flatMap((r) => r.containers);
}

export function groupWorkloads(a: Acceptance, group: string): GroupWorkloads {
    const workloads = {
        // A group's stack file holds its services (the core group's holds Redis too).
        services: renders(a).flatMap((r) => r.stackFiles.filter((f) => f.group === group).flatMap((f) => f.services)),
        containers: allContainers(a).filter((c) => c.group === group),
    };
    if (workloads.services.length === 0 && workloads.containers.length === 0) {
        throw new Error(`nothing was rendered for ${group}`);
    }
    return workloads;
}

export function service(a: Acceptance, key: string): RenderedService {
    const found = allServices(a).find((s) => s.key === key);
    if (!found) {
        throw new Error(`no rendered service ${key}`);
    }
    return found;
}

/** A running container of the service, to `docker exec` into. */
export async function containerOf(serviceName: string): Promise<ContainerRef> {
    const [container] = await runningContainers(serviceName);
    if (!container) {
        throw new Error(`${serviceName} has no running task to enter`);
    }
    return container;
}
