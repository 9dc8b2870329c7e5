import { setTimeout as sleep } from "timers/promises";
import type { SwarmService } from "./engine-types";
import { ask, connect, EngineError, type Engine } from "./hosts";
import { serviceOf } from "./match";
import { takeSnapshot } from "./observe";
import type { PlannedStack, PlannedWorkload } from "./planned";
import { judge, type WorkloadStatus } from "./status";

// `npm run stop` / `npm run start`: groups down and up again by direct engine actions, never through
// Pulumi and never touching volumes, secrets or networks. A service is scaled to 0 replicas and back
// to the replicas the stack plans; a standalone container is stopped and started (it keeps its
// uploaded secret files). What this does to Pulumi's state is in the README ("Day 2"): the state
// still says the planned replicas, so run `npm run start` before any `pulumi refresh` or `pulumi up`.

export class ScaleError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ScaleError";
    }
}

/** The workloads of the chosen groups (Redis with its group), in phase order; an unknown group is a ScaleError. */
export function selectWorkloads(stack: PlannedStack, groups: readonly string[]): PlannedWorkload[] {
    const known = [...new Set(stack.workloads.map((w) => w.group))];
    const unknown = groups.filter((g) => !known.includes(g));
    if (unknown.length > 0) {
        throw new ScaleError(`stack ${stack.stack} has no group ${unknown.join(", ")} (its groups: ${known.join(", ")})`);
    }
    return stack.workloads.filter((w) => groups.length === 0 || groups.includes(w.group));
}

/** Phases in order, each with its workloads. */
export function byPhase(workloads: readonly PlannedWorkload[]): PlannedWorkload[][] {
    const phases = [...new Set(workloads.map((w) => w.phase))].sort((a, b) => a - b);
    return phases.map((p) => workloads.filter((w) => w.phase === p));
}

async function setReplicas(manager: Engine, workload: PlannedWorkload, replicas: number): Promise<string> {
    const services = await ask(manager, "listing services", (d) => d.listServices()) as unknown as SwarmService[];
    const found = serviceOf(services, workload);
    if (!found) {
        throw new EngineError(manager.machine, manager.host, `has no service ${workload.name}: ${workload.group} is not deployed (pulumi up -s ${workload.stack})`);
    }
    const service = manager.docker.getService(found.ID);
    const current = await ask(manager, `inspecting ${found.Spec.Name}`, () => service.inspect()) as { Version: { Index: number }; Spec: SwarmService["Spec"] };
    if (current.Spec.Mode.Replicated?.Replicas === replicas) {
        return `${found.Spec.Name} already at ${replicas} replicas`;
    }
    // The whole spec goes back with only the replica count changed; `version` guards against a concurrent update.
    const spec = { ...current.Spec, Mode: { Replicated: { Replicas: replicas } } };
    await ask(manager, `scaling ${found.Spec.Name} to ${replicas}`, () => service.update({ _query: { version: current.Version.Index }, _body: spec } as never));
    return `${found.Spec.Name}: ${current.Spec.Mode.Replicated?.Replicas ?? "?"} → ${replicas} replicas`;
}

async function setRunning(engine: Engine, workload: PlannedWorkload, running: boolean): Promise<string> {
    const container = engine.docker.getContainer(workload.name);
    const state = await ask(engine, `inspecting container ${workload.name}`, () => container.inspect());
    if (state.State.Running === running) {
        return `${workload.name} already ${running ? "running" : "stopped"}`;
    }
    await ask(engine, `${running ? "starting" : "stopping"} container ${workload.name}`, () => running ? container.start() : container.stop());
    return `${workload.name}: ${running ? "started" : "stopped"}`;
}

function engines(stack: PlannedStack): { manager: Engine; machine: Engine } {
    return {
        manager: connect(stack.managerHost, `the Swarm manager (cascade:docker.managerHost of ${stack.stack})`),
        machine: connect(stack.machine.engineHost, stack.machine.name),
    };
}

/** Polls the status of the given workloads until `done` holds for all of them, or the time is up. */
async function waitFor(stack: PlannedStack, workloads: readonly PlannedWorkload[], done: (w: WorkloadStatus) => boolean, timeoutMs: number, log: (line: string) => void): Promise<WorkloadStatus[]> {
    const scoped: PlannedStack = { ...stack, workloads };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const report = judge([scoped], await takeSnapshot([scoped]));
        const engineTrouble = report.engines.filter((e) => e.machine === stack.machine.name || e.machine === "manager");
        if (engineTrouble.length > 0) {
            throw new ScaleError(engineTrouble.map((e) => `${e.machine}: ${e.error}`).join("\n"));
        }
        const waiting = report.workloads.filter((w) => !done(w));
        if (waiting.length === 0 || Date.now() > deadline) {
            return waiting;
        }
        log(`  waiting for ${waiting.map((w) => `${w.name} (${w.healthy}/${w.desired} healthy)`).join(", ")}`);
        await sleep(3000);
    }
}

const isDown = (w: WorkloadStatus) => w.healthy === 0 && w.pending.length === 0 && w.runningImages.length === 0;

/** Scales the stack's chosen groups to 0 (dependents first) and waits until no task of theirs runs. */
export async function stopGroups(stack: PlannedStack, groups: readonly string[], timeoutMs: number, log: (line: string) => void): Promise<void> {
    const { manager, machine } = engines(stack);
    for (const phase of byPhase(selectWorkloads(stack, groups)).reverse()) {
        for (const workload of phase) {
            log(workload.kind === "service" ? await setReplicas(manager, workload, 0) : await setRunning(machine, workload, false));
        }
        const left = await waitFor(stack, phase, isDown, timeoutMs, log);
        if (left.length > 0) {
            throw new ScaleError(`still running after ${timeoutMs / 1000} s: ${left.map((w) => `${w.name} (${w.problems.join("; ") || `${w.healthy} healthy`})`).join(", ")}`);
        }
    }
}

/** Brings the chosen groups back to their planned replicas, phase by phase, each phase healthy before the next. */
export async function startGroups(stack: PlannedStack, groups: readonly string[], timeoutMs: number, log: (line: string) => void): Promise<void> {
    const { manager, machine } = engines(stack);
    for (const phase of byPhase(selectWorkloads(stack, groups))) {
        for (const workload of phase) {
            log(workload.kind === "service" ? await setReplicas(manager, workload, workload.replicas) : await setRunning(machine, workload, true));
        }
        const left = await waitFor(stack, phase, (w) => w.ok, timeoutMs, log);
        if (left.length > 0) {
            throw new ScaleError(`not healthy after ${timeoutMs / 1000} s: ${left.map((w) => `${w.name} on ${w.machine}: ${w.problems.join("; ")}`).join("\n  ")}\n(npm run status -- --stack ${stack.stack} shows the rest)`);
        }
    }
}
