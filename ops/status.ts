import type { ContainerInspect, SwarmNode, SwarmTask } from "./engine-types";
import { failingAgents, lastFailure } from "./health-output";
import { canonicalImage, containerNamed, currentTasks, failedTask, machineOfNode, nodeName, serviceOf, tasksToExplain, withoutDigest } from "./match";
import type { MachineSnapshot, ManagerSnapshot, Snapshot } from "./observe";
import type { PlannedMachine, PlannedStack, PlannedWorkload } from "./planned";

// The status of every planned workload, judged from one engine snapshot. Pure: the table, the JSON
// and the exit code all read this, and the unit tests feed it recorded engine responses.

export interface AgentStatus {
    readonly name: string;
    readonly healthPort: number;
    /** Named by the last failed health output. */
    readonly failing: boolean;
}

export interface PendingTask {
    readonly task: string;
    readonly state: string;
    /** The scheduler's reason (`no suitable node (1 node not available for new tasks)`), or why it is stuck. */
    readonly reason: string;
}

export interface WorkloadStatus {
    readonly stack: string;
    readonly machine: string;
    readonly group: string;
    readonly name: string;
    readonly kind: "service" | "container";
    readonly redis: boolean;
    /** The Swarm nodes (hostnames) its current tasks are on; the machine for a container. */
    readonly nodes: readonly string[];
    readonly healthy: number;
    readonly desired: number;
    readonly plannedImage: string;
    /** The images its running tasks or container run. */
    readonly runningImages: readonly string[];
    /** `completed`, `rolled back`, `paused`, `in progress`, `rolling back`, `rollback paused`, or `none`. */
    readonly update: string;
    readonly updateMessage?: string;
    readonly restarts: number;
    /** Services count failed tasks in the last hour; Docker keeps only a total for a container. */
    readonly restartsWindow: "last hour" | "since created";
    readonly agents: readonly AgentStatus[];
    readonly failingAgents: readonly string[];
    /** The last failed health output, when it is not healthy. */
    readonly healthOutput?: string;
    readonly pending: readonly PendingTask[];
    /** Why it is not fine; empty when it is healthy and at the planned version. */
    readonly problems: readonly string[];
    readonly ok: boolean;
}

export interface NodeStatus {
    readonly id: string;
    readonly hostname: string;
    readonly machine?: string;
    readonly state: string;
    readonly availability: string;
}

export interface EngineProblem {
    readonly machine: string;
    readonly host: string;
    readonly error: string;
}

export interface VolumeStatus {
    readonly machine: string;
    readonly name: string;
    /** False: the volume this stack plans is not on the machine's engine (its data is not where the groups look). */
    readonly present: boolean;
}

export interface StatusReport {
    readonly at: string;
    readonly volumes: readonly VolumeStatus[];
    readonly workloads: readonly WorkloadStatus[];
    readonly nodes: readonly NodeStatus[];
    readonly engines: readonly EngineProblem[];
    /** Every workload healthy at its planned version, every engine answered. */
    readonly ok: boolean;
}

const HOUR_MS = 3_600_000;
const NOT_YET_STARTED = new Set(["new", "allocated", "pending", "assigned", "accepted", "preparing", "ready"]);

const UPDATE_STATES: Readonly<Record<string, string>> = {
    updating: "in progress",
    paused: "paused",
    completed: "completed",
    rollback_started: "rolling back",
    rollback_paused: "rollback paused",
    rollback_completed: "rolled back",
};


function healthOf(container: ContainerInspect | undefined): "healthy" | "unhealthy" | "starting" | "none" | "stopped" {
    if (!container || !container.State.Running) {
        return "stopped";
    }
    const status = container.State.Health?.Status;
    return status === "healthy" || status === "unhealthy" || status === "starting" ? status : "none";
}

interface Judged {
    readonly healthy: number;
    readonly failing: readonly string[];
    readonly output?: string;
}

/** Health from the containers, newest first: the first one with a failed probe names the agents. */
function judgeHealth(workload: PlannedWorkload, containers: readonly (ContainerInspect | undefined)[], healthyCount: number): Judged {
    if (healthyCount >= workload.replicas) {
        return { healthy: healthyCount, failing: [] };
    }
    for (const container of containers) {
        const failure = lastFailure(container?.State.Health?.Log);
        if (failure && failure.ExitCode !== 0) {
            const output = failure.Output.trim();
            return { healthy: healthyCount, failing: failingAgents(output, workload.agents), output };
        }
    }
    return { healthy: healthyCount, failing: [] };
}

function engineOfMachine(snapshot: Snapshot, machine: string): MachineSnapshot | undefined {
    return snapshot.machines.find((m) => m.machine === machine);
}

function base(workload: PlannedWorkload) {
    return { stack: workload.stack, machine: workload.machine, group: workload.group, name: workload.name, kind: workload.kind, redis: workload.redis, desired: workload.replicas, plannedImage: workload.image };
}

function finish(workload: PlannedWorkload, partial: Omit<WorkloadStatus, "ok" | "agents" | "stack" | "machine" | "group" | "name" | "kind" | "redis" | "desired" | "plannedImage">): WorkloadStatus {
    const agents = workload.agents.map((a) => ({ name: a.name, healthPort: a.healthPort, failing: partial.failingAgents.includes(a.name) }));
    return { ...base(workload), ...partial, agents, ok: partial.problems.length === 0 };
}

function unreadable(workload: PlannedWorkload, error: string): WorkloadStatus {
    return finish(workload, { nodes: [], healthy: 0, runningImages: [], update: "unknown", restarts: 0, restartsWindow: workload.kind === "service" ? "last hour" : "since created", failingAgents: [], pending: [], problems: [`cannot be read: ${error}`] });
}

function imageProblems(workload: PlannedWorkload, running: readonly string[]): string[] {
    const other = running.filter((i) => canonicalImage(i) !== canonicalImage(workload.image));
    return other.length > 0 ? [`runs ${[...new Set(other)].join(", ")}, planned ${workload.image}`] : [];
}

function serviceStatus(workload: PlannedWorkload, manager: ManagerSnapshot, snapshot: Snapshot, machines: readonly PlannedMachine[]): WorkloadStatus {
    if (manager.error) {
        return unreadable(workload, manager.error);
    }
    const service = serviceOf(manager.services, workload);
    if (!service) {
        return finish(workload, { nodes: [], healthy: 0, runningImages: [], update: "none", restarts: 0, restartsWindow: "last hour", failingAgents: [], pending: [], problems: [`no service ${workload.name} on the Swarm manager ${manager.host}: not deployed (pulumi up -s ${workload.stack})`] });
    }
    const nodes = new Map(manager.nodes.map((n) => [n.ID, n]));
    const engine = engineOfMachine(snapshot, workload.machine);
    const containers = engine?.containers ?? [];
    const containerOf = (task: SwarmTask) => containers.find((c) => c.Id === task.Status.ContainerStatus?.ContainerID);
    const current = currentTasks(manager.tasks, service.ID);
    const problems: string[] = [];
    const pending: PendingTask[] = [];
    let healthy = 0;
    for (const task of current) {
        const node = nodes.get(task.NodeID ?? "");
        const onMachine = machineOfNode(node, machines);
        const id = task.ID.slice(0, 12);
        if (node && node.Status.State !== "ready") {
            // Swarm keeps counting a down node's tasks as running until the node returns (moby/moby#53722).
            pending.push({ task: id, state: task.Status.State, reason: `on node ${nodeName(node, task.NodeID)}, which is ${node.Status.State}` });
        } else if (NOT_YET_STARTED.has(task.Status.State)) {
            pending.push({ task: id, state: task.Status.State, reason: task.Status.Err || task.Status.Message || task.Status.State });
        } else if (task.Status.State === "running") {
            const health = healthOf(containerOf(task));
            // Without the machine's engine the health is not known; the engine's error is reported below.
            if (health === "healthy" || health === "none" || (health === "stopped" && engine?.error)) {
                healthy += 1;
            }
        }
        if (onMachine !== undefined && onMachine !== workload.machine) {
            problems.push(`task ${id} runs on ${nodeName(node, task.NodeID)} (${onMachine}), planned on ${workload.machine}`);
        }
    }
    const specReplicas = service.Spec.Mode.Replicated?.Replicas;
    if (specReplicas === 0) {
        problems.push(`scaled to 0 replicas (stopped: npm run start -- --stack ${workload.stack} --group ${workload.group})`);
    } else if (specReplicas !== undefined && specReplicas !== workload.replicas) {
        problems.push(`the service asks for ${specReplicas} replicas, the stack plans ${workload.replicas}`);
    }
    const taskContainers = tasksToExplain(manager.tasks, service.ID).map(containerOf);
    // A stopped group has nothing to explain: its old tasks' failures are history.
    const judged = specReplicas === 0 ? { healthy, failing: [] } : judgeHealth(workload, taskContainers, healthy);
    if (judged.healthy < workload.replicas && specReplicas !== 0) {
        problems.push(`${judged.healthy}/${workload.replicas} tasks healthy${judged.failing.length > 0 ? `: failing ${judged.failing.join(", ")}` : ""}`);
    }
    for (const p of pending) {
        problems.push(`task ${p.task} ${p.state}: ${p.reason}`);
    }
    const runningImages = [...new Set(current.filter((t) => t.Status.State === "running").map((t) => withoutDigest(t.Spec.ContainerSpec?.Image)))];
    problems.push(...imageProblems(workload, runningImages));
    const update = UPDATE_STATES[service.UpdateStatus?.State ?? ""] ?? "none";
    if (update !== "completed" && update !== "none") {
        problems.push(`last update ${update}${service.UpdateStatus?.Message ? `: ${service.UpdateStatus.Message}` : ""}`);
    }
    if (engine?.error) {
        problems.push(`health not read: ${engine.error}`);
    }
    const since = Date.parse(snapshot.at) - HOUR_MS;
    const restarts = manager.tasks.filter((t) => t.ServiceID === service.ID && failedTask(t) && Date.parse(t.Status.Timestamp) >= since).length;
    return finish(workload, {
        nodes: [...new Set(current.map((t) => nodeName(nodes.get(t.NodeID ?? ""), t.NodeID)).filter((n) => n !== "-"))],
        healthy: judged.healthy,
        runningImages,
        update,
        updateMessage: service.UpdateStatus?.Message,
        restarts,
        restartsWindow: "last hour",
        failingAgents: judged.failing,
        healthOutput: judged.output,
        pending,
        problems,
    });
}

function containerStatus(workload: PlannedWorkload, engine: MachineSnapshot | undefined): WorkloadStatus {
    if (!engine || engine.error) {
        return unreadable(workload, engine?.error ?? `no engine for ${workload.machine}`);
    }
    const container = containerNamed(engine.containers, workload.name);
    if (!container) {
        return finish(workload, { nodes: [], healthy: 0, runningImages: [], update: "none", restarts: 0, restartsWindow: "since created", failingAgents: [], pending: [], problems: [`no container ${workload.name} on ${workload.machine}'s engine ${engine.host}: not deployed (pulumi up -s ${workload.stack})`] });
    }
    const health = healthOf(container);
    const healthy = health === "healthy" || health === "none" ? 1 : 0;
    const judged = judgeHealth(workload, [container], healthy);
    const problems: string[] = [];
    if (health === "stopped") {
        problems.push(`container ${container.State.Status}${container.State.ExitCode ? ` (exit ${container.State.ExitCode})` : ""}`);
    } else if (!healthy) {
        problems.push(`container ${health}${judged.failing.length > 0 ? `: failing ${judged.failing.join(", ")}` : ""}`);
    }
    const runningImages = container.State.Running ? [withoutDigest(container.Config.Image)] : [];
    problems.push(...imageProblems(workload, runningImages));
    return finish(workload, {
        nodes: [workload.machine],
        healthy: judged.healthy,
        runningImages,
        update: "none",
        restarts: container.RestartCount,
        restartsWindow: "since created",
        failingAgents: judged.failing,
        healthOutput: judged.output,
        pending: [],
        problems,
    });
}

function nodeStatus(node: SwarmNode, machines: readonly PlannedMachine[]): NodeStatus {
    return { id: node.ID, hostname: nodeName(node, node.ID), machine: machineOfNode(node, machines), state: node.Status.State, availability: node.Spec.Availability ?? "active" };
}

export function judge(stacks: readonly PlannedStack[], snapshot: Snapshot): StatusReport {
    const machines = stacks.map((s) => s.machine);
    const workloads = stacks.flatMap((stack) => stack.workloads.map((workload) => {
        const manager = snapshot.managers.find((m) => m.host === stack.managerHost);
        if (workload.kind === "container") {
            return containerStatus(workload, engineOfMachine(snapshot, workload.machine));
        }
        return manager ? serviceStatus(workload, manager, snapshot, machines) : unreadable(workload, `the manager ${stack.managerHost} was not read`);
    }));
    const nodes = [...new Map(snapshot.managers.flatMap((m) => m.nodes).map((n) => [n.ID, nodeStatus(n, machines)])).values()];
    const engines = [
        ...snapshot.managers.filter((m) => m.error).map((m) => ({ machine: "manager", host: m.host, error: m.error ?? "" })),
        ...snapshot.machines.filter((m) => m.error).map((m) => ({ machine: m.machine, host: m.host, error: m.error ?? "" })),
    ];
    const missingNodes = machines.filter((m) => snapshot.managers.every((s) => s.error) ? false : !nodes.some((n) => n.machine === m.name));
    const nodeProblems = missingNodes.map((m) => ({ machine: m.name, host: m.engineHost, error: `no Swarm node carries ${Object.entries(m.nodeLabels).map(([k, v]) => `${k}=${v}`).join(", ")}: label ${m.name}'s node (docker node update --label-add)` }));
    // Only engines that answered: an unreachable one is reported above, not as missing volumes.
    const volumes = stacks.flatMap((s) => {
        const engine = engineOfMachine(snapshot, s.machine.name);
        return engine && !engine.error ? s.machine.volumes.map((name) => ({ machine: s.machine.name, name, present: engine.volumes.some((v) => v.Name === name) })) : [];
    });
    return {
        at: snapshot.at,
        volumes,
        workloads,
        nodes,
        engines: [...engines, ...nodeProblems],
        ok: workloads.every((w) => w.ok) && volumes.every((v) => v.present) && engines.length === 0 && nodeProblems.length === 0 && nodes.every((n) => n.machine === undefined || n.state === "ready"),
    };
}

/** The status commands' exit code: 0 only when everything is healthy at its planned version. */
export function exitCodeOf(report: StatusReport): 0 | 1 {
    return report.ok ? 0 : 1;
}
