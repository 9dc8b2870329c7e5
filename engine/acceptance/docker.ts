import { check, run, type ExecOptions } from "./exec";

// The Docker CLI as the suite uses it: the same commands an operator types, with their JSON read into
// the few fields the assertions look at. Typed views only: the engine's documents are much larger.

const DOCKER_TIMEOUT_MS = 60_000;

export function docker(args: readonly string[], options: ExecOptions = {}): Promise<string> {
    return check("docker", args, { timeoutMs: DOCKER_TIMEOUT_MS, ...options });
}

/** Runs docker and returns the result whatever the exit code (for commands expected to fail). */
export function dockerResult(args: readonly string[], options: ExecOptions = {}) {
    return run("docker", args, { timeoutMs: DOCKER_TIMEOUT_MS, ...options });
}

export interface TaskView {
    readonly DesiredState: string;
    readonly Status: {
        readonly State: string;
        readonly Message?: string;
        readonly Err?: string;
        readonly ContainerStatus?: { readonly ContainerID?: string };
    };
}

export interface ContainerView {
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

async function inspect<T>(args: readonly string[]): Promise<T[]> {
    return JSON.parse(await docker(["inspect", ...args])) as T[];
}

export async function inspectService(name: string): Promise<ServiceView> {
    const [service] = await inspect<ServiceView>(["--type", "service", name]);
    return service;
}

export function inspectContainers(ids: readonly string[]): Promise<ContainerView[]> {
    return ids.length === 0 ? Promise.resolve([]) : inspect<ContainerView>(["--type", "container", ...ids]);
}

export async function inspectContainer(id: string): Promise<ContainerView> {
    const [container] = await inspectContainers([id]);
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

/** The container of a running task, which `docker exec` enters. */
export async function runningContainers(service: string): Promise<string[]> {
    return (await currentTasks(service))
        .filter((t) => t.Status.State === "running" && t.Status.ContainerStatus?.ContainerID)
        .map((t) => t.Status.ContainerStatus?.ContainerID ?? "");
}

/** Runs a shell command inside a container (busybox sh in the stand-ins and the Redis image). */
export function execIn(container: string, script: string, env: Readonly<Record<string, string>> = {}) {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    return dockerResult(["exec", ...envArgs, container, "sh", "-c", script]);
}

export function genericResourceText(resource: GenericResource): string {
    if (resource.DiscreteResourceSpec) {
        return `${resource.DiscreteResourceSpec.Kind}=${resource.DiscreteResourceSpec.Value}`;
    }
    return `${resource.NamedResourceSpec?.Kind ?? "?"}=${resource.NamedResourceSpec?.Value ?? "?"}`;
}
