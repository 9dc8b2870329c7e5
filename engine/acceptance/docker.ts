import { engineOf, machineOfNode, type ContainerRef } from "./engines";
import { check, run, type ExecOptions } from "./exec";

// The Docker CLI as the suite uses it: the same commands an operator types, with their JSON read into
// the few fields the assertions look at. Typed views only: the engine's documents are much larger.
// `docker` talks to DOCKER_HOST, the manager; container commands go to the engine that runs the
// container (a ContainerRef names it).

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
    readonly Driver: string;
    readonly Scope: string;
    readonly Internal: boolean;
    readonly Attachable: boolean;
    readonly IPAM: { readonly Config: readonly { readonly Subnet?: string }[] | null };
}

export interface NodeView {
    readonly Spec: { readonly Labels: Readonly<Record<string, string>> | null };
    readonly Description: { readonly Resources: { readonly GenericResources: readonly GenericResource[] | null } };
}

async function inspect<T>(args: readonly string[], engine?: string): Promise<T[]> {
    return JSON.parse(await docker([...(engine ? ["-H", engine] : []), "inspect", ...args])) as T[];
}

export async function inspectService(name: string): Promise<ServiceView> {
    const [service] = await inspect<ServiceView>(["--type", "service", name]);
    return service;
}

export async function inspectContainers(refs: readonly ContainerRef[]): Promise<ContainerView[]> {
    return Promise.all(refs.map((ref) => inspectContainer(ref)));
}

export async function inspectContainer(ref: ContainerRef): Promise<ContainerView> {
    const [container] = await inspect<ContainerView>(["--type", "container", ref.id], ref.engine);
    return container;
}

export async function inspectNetwork(name: string): Promise<NetworkView> {
    const [network] = await inspect<NetworkView>(["--type", "network", name]);
    return network;
}

export async function inspectNode(id: string): Promise<NodeView> {
    const [node] = JSON.parse(await docker(["node", "inspect", id])) as NodeView[];
    return node;
}

/** Every task of a service, current and past (the engine keeps a few per slot). */
export async function serviceTasks(service: string): Promise<TaskView[]> {
    const ids = (await docker(["service", "ps", "-q", "--no-trunc", service])).split("\n").filter(Boolean);
    return ids.length === 0 ? [] : inspect<TaskView>(ids);
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
