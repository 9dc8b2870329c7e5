import { docker, dockerResult, inspectContainers, serviceTasks } from "./docker";
import { done, notYet, waitFor, type Probe } from "./wait";

// "Healthy" as deploy.sh and `pulumi up` judge it: a service has all its replicas running (a task with
// a healthcheck runs only once its container is healthy), a standalone container reports healthy. When
// a wait fails, `diagnose` says why in the engine's own words: task states and errors, and the last
// output of the failing health probe (which names the agent whose /health did not answer).

/** `docker service ls`'s REPLICAS column ("2/2"), as deploy.sh reads it. */
export async function replicasColumn(service: string): Promise<string | undefined> {
    const lines = (await docker(["service", "ls", "--filter", `name=${service}`, "--format", "{{.Name}} {{.Replicas}}"])).split("\n");
    return lines.map((l) => l.split(" ")).find(([name]) => name === service)?.[1];
}

export async function serviceReady(service: string): Promise<Probe<void>> {
    const replicas = await replicasColumn(service);
    const [running, desired] = (replicas ?? "").split("/");
    return replicas !== undefined && running === desired ? done(undefined) : notYet(`${service} ${replicas ?? "missing"}`);
}

export async function containerReady(container: string): Promise<Probe<void>> {
    const result = await dockerResult(["inspect", "-f", "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", container]);
    const status = result.code === 0 ? result.stdout.trim() : "missing";
    return status === "healthy" ? done(undefined) : notYet(`${container} ${status}`);
}

export interface Workloads {
    readonly services: readonly string[];
    readonly containers: readonly string[];
}

/** Polls every `intervalMs` until all are ready, like deploy.sh's wait loops. */
export async function waitReady(what: string, workloads: Workloads, timeoutMs: number, intervalMs: number): Promise<void> {
    try {
        await waitFor(what, { timeoutMs, intervalMs }, async () => {
            const probes = await Promise.all([...workloads.services.map(serviceReady), ...workloads.containers.map(containerReady)]);
            const waiting = probes.flatMap((p) => (p.done ? [] : [p.state]));
            return waiting.length === 0 ? done(undefined) : notYet(waiting.join(", "));
        });
    } catch (error) {
        throw new Error(`${(error as Error).message}\n${await diagnose(workloads)}`);
    }
}

function lastHealthOutput(logs: readonly { readonly Output: string }[] | undefined): string {
    const output = logs?.[logs.length - 1]?.Output.trim();
    return output ? `; last health probe: ${output.split("\n").slice(-3).join(" | ")}` : "";
}

/** One line per workload that is not ready: what the engine says about it. */
export async function diagnose(workloads: Workloads): Promise<string> {
    const lines: string[] = [];
    for (const service of workloads.services) {
        if ((await serviceReady(service)).done) {
            continue;
        }
        // The newest few tasks, whatever their desired state: a rejected task is no longer meant to run.
        const tasks = (await serviceTasks(service).catch(() => [])).slice(0, 3);
        const ids = tasks.flatMap((t) => (t.Status.ContainerStatus?.ContainerID ? [t.Status.ContainerStatus.ContainerID] : []));
        // Containers of failed tasks are kept a while, with the health probes that failed them.
        const containers = (await Promise.all(ids.map((id) => inspectContainers([id]).catch(() => [])))).flat().filter((c) => (c.State.Health?.Log ?? []).length > 0).slice(0, 1);
        const taskText = tasks.map((t) => `${t.Status.State}${t.Status.Err ? ` (${t.Status.Err})` : ""}`).join(", ") || "no task";
        lines.push(`  ${service}: ${await replicasColumn(service) ?? "missing"} running; tasks: ${taskText}${containers.map((c) => lastHealthOutput(c.State.Health?.Log)).join("")}`);
    }
    for (const container of workloads.containers) {
        if ((await containerReady(container)).done) {
            continue;
        }
        const [view] = await inspectContainers([container]).catch(() => []);
        lines.push(`  ${container}: ${view ? `${view.State.Status}, health ${view.State.Health?.Status ?? "none"}${lastHealthOutput(view.State.Health?.Log)}` : "missing"}`);
    }
    return lines.length > 0 ? `Not ready:\n${lines.join("\n")}` : "Everything is ready now.";
}
