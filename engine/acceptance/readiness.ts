import { containerOfTask, currentTasks, findContainer, inspectContainers, inspectService, serviceTasks } from "./docker";
import type { ContainerRef } from "./engines";
import { done, notYet, waitFor, type Probe } from "./wait";

// "Healthy" as the suite judges it, from what Swarm says about each task, never from `docker service
// ls` counts (which keep counting a down node's tasks as running): a service has as many current
// tasks as its replicas, every one `running` (a task with a healthcheck runs only once its container
// is healthy); a standalone container reports healthy. When a wait fails, `diagnose` says why in the
// engine's own words: task states and errors, and the last output of the failing health probe.

export async function serviceReady(service: string): Promise<Probe<void>> {
    const replicas = (await inspectService(service)).Spec.Mode.Replicated?.Replicas ?? 1;
    const states = (await currentTasks(service)).map((t) => t.Status.State);
    const running = states.filter((s) => s === "running").length;
    return running === replicas && states.length === replicas ? done(undefined) : notYet(`${service} ${running}/${replicas} running (${states.join(", ") || "no task"})`);
}

export async function containerReady(container: ContainerRef): Promise<Probe<void>> {
    const view = await findContainer(container);
    const status = view ? view.State.Health?.Status ?? view.State.Status : "missing";
    return status === "healthy" ? done(undefined) : notYet(`${container.id} ${status}`);
}

export interface Workloads {
    readonly services: readonly string[];
    readonly containers: readonly ContainerRef[];
}

/** Polls every `intervalMs` until all are ready. */
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
        const ready = await serviceReady(service).catch((error: unknown) => notYet(String(error)));
        if (ready.done) {
            continue;
        }
        // The newest few tasks, whatever their desired state: a rejected task is no longer meant to run.
        const tasks = (await serviceTasks(service).catch(() => [])).slice(0, 3);
        const refs = (await Promise.all(tasks.map((t) => containerOfTask(t).catch(() => undefined)))).flatMap((r) => (r ? [r] : []));
        // Containers of failed tasks are kept a while, with the health probes that failed them.
        const containers = (await Promise.all(refs.map((ref) => inspectContainers([ref]).catch(() => [])))).flat().filter((c) => (c.State.Health?.Log ?? []).length > 0).slice(0, 1);
        const taskText = tasks.map((t) => `${t.Status.State}${t.Status.Err ? ` (${t.Status.Err})` : ""}`).join(", ") || "no task";
        lines.push(`  ${ready.state}; tasks: ${taskText}${containers.map((c) => lastHealthOutput(c.State.Health?.Log)).join("")}`);
    }
    for (const container of workloads.containers) {
        if ((await containerReady(container)).done) {
            continue;
        }
        const [view] = await inspectContainers([container]).catch(() => []);
        lines.push(`  ${container.id}: ${view ? `${view.State.Status}, health ${view.State.Health?.Status ?? "none"}${lastHealthOutput(view.State.Health?.Log)}` : "missing"}`);
    }
    return lines.length > 0 ? `Not ready:\n${lines.join("\n")}` : "Everything is ready now.";
}
