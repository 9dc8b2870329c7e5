import { apiOf, managerApi, read, readIfPresent } from "./api";
import { engineOf, machineOfNode, type ContainerRef } from "./engines";
import { check, run, type ExecOptions } from "./exec";

// What the suite asks of the engines. Actions are the Docker CLI commands an operator types (`docker`
// talks to DOCKER_HOST, the manager); reads go through the Engine API (api.ts), whose JSON is typed
// here into the few fields the assertions look at: the engine's documents are much larger. Container
// reads and commands go to the engine that runs the container (a ContainerRef names it).

const DOCKER_TIMEOUT_MS = 60_000;

export function docker(args: readonly string[], options: ExecOptions = {}): Promise<string> {
    return check("docker", args, { timeoutMs: DOCKER_TIMEOUT_MS, ...options });
}

/** Runs docker and returns the result whatever the exit code (for commands expected to fail). */
export function dockerResult(args: readonly string[], options: ExecOptions = {}) {
    return run("docker", args, { timeoutMs: DOCKER_TIMEOUT_MS, ...options });
}

export interface TaskView {
    readonly ID: string;
    readonly CreatedAt: string;
    readonly NodeID?: string;
    readonly DesiredState: string;
    readonly Status: {
        readonly State: string;
        readonly Message?: string;
        readonly Err?: string;
        readonly ContainerStatus?: { readonly ContainerID?: string };
    };
}

export interface ContainerView {
    readonly Id: string;
    readonly Config: { readonly Env: readonly string[] | null };
    readonly State: { readonly Status: string; readonly Running: boolean; readonly Health?: { readonly Status: string; readonly Log: readonly { readonly Output: string }[] } };
    readonly HostConfig: { readonly Devices: readonly { readonly PathOnHost: string; readonly PathInContainer: string }[] | null };
    readonly NetworkSettings: { readonly Networks: Readonly<Record<string, { readonly Aliases: readonly string[] | null }>> };
}

export interface ServiceView {
    readonly ID: string;
    readonly Spec: {
        readonly Mode: { readonly Replicated?: { readonly Replicas: number } };
        readonly TaskTemplate: {
            readonly ContainerSpec: { readonly Env?: readonly string[] };
            readonly Resources?: { readonly Reservations?: { readonly GenericResources?: readonly GenericResource[] } };
        };
    };
    readonly UpdateStatus?: { readonly State: string; readonly Message?: string };
}

export interface GenericResource {
    readonly DiscreteResourceSpec?: { readonly Kind: string; readonly Value: number };
    readonly NamedResourceSpec?: { readonly Kind: string; readonly Value: string };
}

export interface NetworkView {
    readonly Name: string;
    readonly Driver: string;
    readonly Scope: string;
    readonly Internal: boolean;
    readonly Attachable: boolean;
    readonly IPAM: { readonly Config: readonly { readonly Subnet?: string }[] | null };
}

export interface NodeView {
    /** `ready`, `down`, `disconnected`, `unknown`. */
    readonly Status: { readonly State: string };
    readonly Spec: { readonly Labels: Readonly<Record<string, string>> | null };
    readonly Description: { readonly Resources: { readonly GenericResources: readonly GenericResource[] | null } };
}

export async function inspectService(name: string): Promise<ServiceView> {
    return await read(`inspecting service ${name}`, () => managerApi().getService(name).inspect()) as ServiceView;
}

export async function inspectContainers(refs: readonly ContainerRef[]): Promise<ContainerView[]> {
    return Promise.all(refs.map((ref) => inspectContainer(ref)));
}

export async function inspectContainer(ref: ContainerRef): Promise<ContainerView> {
    return await read(`inspecting container ${ref.id} on ${ref.engine}`, () => apiOf(ref.engine).getContainer(ref.id).inspect()) as ContainerView;
}

/** The container, or undefined when its engine has none of that name or id. */
export async function findContainer(ref: ContainerRef): Promise<ContainerView | undefined> {
    return await readIfPresent(`inspecting container ${ref.id} on ${ref.engine}`, () => apiOf(ref.engine).getContainer(ref.id).inspect()) as ContainerView | undefined;
}

export async function inspectNetwork(name: string): Promise<NetworkView> {
    return await read(`inspecting network ${name}`, () => managerApi().getNetwork(name).inspect()) as NetworkView;
}

export async function inspectNode(id: string): Promise<NodeView> {
    return await read(`inspecting node ${id}`, () => managerApi().getNode(id).inspect()) as NodeView;
}

/** Every task of a service, current and past (the engine keeps a few per slot), newest first as `docker service ps` lists them. */
export async function serviceTasks(service: string): Promise<TaskView[]> {
    // By id, as `docker service ps` resolves the name first.
    const { ID } = await inspectService(service);
    const tasks = await read(`listing the tasks of ${service}`, () => managerApi().listTasks({ filters: { service: [ID] } })) as TaskView[];
    return tasks.sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt));
}

/** The tasks that are meant to run now. */
export async function currentTasks(service: string): Promise<TaskView[]> {
    return (await serviceTasks(service)).filter((t) => t.DesiredState === "running");
}

/** The container of a task, on the engine of the node that runs it; undefined before it has one. */
export async function containerOfTask(task: TaskView): Promise<ContainerRef | undefined> {
    const id = task.Status.ContainerStatus?.ContainerID;
    return id && task.NodeID ? { engine: engineOf(await machineOfNode(task.NodeID)), id } : undefined;
}

/** The containers of the running tasks, which `docker exec` enters. */
export async function runningContainers(service: string): Promise<ContainerRef[]> {
    const running = (await currentTasks(service)).filter((t) => t.Status.State === "running");
    return (await Promise.all(running.map(containerOfTask))).flatMap((ref) => (ref ? [ref] : []));
}

/** Runs a shell command inside a container (busybox sh in the stand-ins and the Redis image). */
export function execIn(container: ContainerRef, script: string, env: Readonly<Record<string, string>> = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    return dockerResult(["-H", container.engine, "exec", ...envArgs, container.id, "sh", "-c", script]);
}

export function genericResourceText(resource: GenericResource): string {
    if (resource.DiscreteResourceSpec) {
        return `${resource.DiscreteResourceSpec.Kind}=${resource.DiscreteResourceSpec.Value}`;
    }
    return `${resource.NamedResourceSpec?.Kind ?? "?"}=${resource.NamedResourceSpec?.Value ?? "?"}`;
}
