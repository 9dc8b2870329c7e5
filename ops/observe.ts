import type { ContainerInspect, SwarmNode, SwarmService, SwarmTask, VolumeInspect } from "./engine-types";
import { ask, connect, EngineError, type Engine } from "./hosts";
import { machineOfNode, serviceOf, tasksToExplain } from "./match";
import type { PlannedStack } from "./planned";

// Reads the engines the stack configs name into one snapshot: from each Swarm manager its nodes,
// services and tasks; from each machine's own engine its standalone containers and the containers of
// the tasks it runs (their health log is on that engine only), and the volumes the stack plans there. An engine that cannot be reached is
// recorded with the reason, so status reports it against the groups it hides instead of stopping.

export interface ManagerSnapshot {
    readonly host: string;
    readonly error?: string;
    readonly nodes: readonly SwarmNode[];
    readonly services: readonly SwarmService[];
    readonly tasks: readonly SwarmTask[];
}

export interface MachineSnapshot {
    readonly machine: string;
    readonly host: string;
    readonly error?: string;
    /** Standalone containers by their planned name and the containers of this machine's tasks. */
    readonly containers: readonly ContainerInspect[];
    /** The planned volumes the engine has (`docker volume inspect`); a missing one is absent. */
    readonly volumes: readonly VolumeInspect[];
}

export interface Snapshot {
    /** When it was taken (ISO): restarts count back an hour from here. */
    readonly at: string;
    readonly managers: readonly ManagerSnapshot[];
    readonly machines: readonly MachineSnapshot[];
}

function errorText(error: unknown): string {
    return error instanceof EngineError ? error.message : String(error);
}

async function readManager(engine: Engine): Promise<ManagerSnapshot> {
    try {
        const nodes = await ask(engine, "listing the swarm's nodes", (d) => d.listNodes()) as SwarmNode[];
        const services = await ask(engine, "listing services", (d) => d.listServices()) as unknown as SwarmService[];
        const tasks = await ask(engine, "listing tasks", (d) => d.listTasks()) as SwarmTask[];
        return { host: engine.host, nodes, services, tasks };
    } catch (error) {
        return { host: engine.host, error: errorText(error), nodes: [], services: [], tasks: [] };
    }
}

/** Containers whose health log tells what fails: each current task's, and each service's newest ended one. */
function taskContainerIds(stacks: readonly PlannedStack[], manager: ManagerSnapshot, machine: string): string[] {
    const machines = stacks.map((s) => s.machine);
    const nodesOf = new Map(manager.nodes.map((n) => [n.ID, n]));
    const ids: string[] = [];
    for (const workload of stacks.flatMap((s) => s.workloads).filter((w) => w.kind === "service" && w.machine === machine)) {
        const service = serviceOf(manager.services, workload);
        if (!service) {
            continue;
        }
        for (const task of tasksToExplain(manager.tasks, service.ID)) {
            const id = task.Status.ContainerStatus?.ContainerID;
            if (id && machineOfNode(nodesOf.get(task.NodeID ?? ""), machines) === machine) {
                ids.push(id);
            }
        }
    }
    return ids;
}

async function inspectIfPresent<T>(engine: Engine, what: string, inspect: () => Promise<unknown>): Promise<T | undefined> {
    try {
        return await inspect() as T;
    } catch (error) {
        if ((error as { statusCode?: unknown }).statusCode === 404) {
            return undefined;
        }
        throw new EngineError(engine.machine, engine.host, `does not answer (inspecting ${what}): ${(error as Error).message}`);
    }
}

async function readMachine(stack: PlannedStack, stacks: readonly PlannedStack[], managers: readonly ManagerSnapshot[]): Promise<MachineSnapshot> {
    const host = stack.machine.engineHost;
    try {
        const engine = connect(host, stack.machine.name);
        await ask(engine, "ping", (d) => d.ping());
        const manager = managers.find((m) => m.host === stack.managerHost);
        const ids = [
            ...stack.workloads.filter((w) => w.kind === "container").map((w) => w.name),
            ...(manager ? taskContainerIds(stacks, manager, stack.machine.name) : []),
        ];
        const containers: ContainerInspect[] = [];
        for (const id of ids) {
            const found = await inspectIfPresent<ContainerInspect>(engine, `container ${id.slice(0, 12)}`, () => engine.docker.getContainer(id).inspect());
            if (found) {
                containers.push(found);
            }
        }
        const volumes: VolumeInspect[] = [];
        for (const name of stack.machine.volumes) {
            const found = await inspectIfPresent<VolumeInspect>(engine, `volume ${name}`, () => engine.docker.getVolume(name).inspect());
            if (found) {
                volumes.push(found);
            }
        }
        return { machine: stack.machine.name, host, containers, volumes };
    } catch (error) {
        return { machine: stack.machine.name, host, error: errorText(error), containers: [], volumes: [] };
    }
}

export async function takeSnapshot(stacks: readonly PlannedStack[], now: Date = new Date()): Promise<Snapshot> {
    const managerHosts = [...new Set(stacks.map((s) => s.managerHost))];
    const managers = await Promise.all(managerHosts.map(async (host) => {
        const naming = stacks.filter((s) => s.managerHost === host).map((s) => s.stack).join(", ");
        try {
            return await readManager(connect(host, `the Swarm manager (cascade:docker.managerHost of ${naming})`));
        } catch (error) {
            return { host, error: errorText(error), nodes: [], services: [], tasks: [] };
        }
    }));
    const machines = await Promise.all(stacks.map((stack) => readMachine(stack, stacks, managers)));
    return { at: now.toISOString(), managers, machines };
}
