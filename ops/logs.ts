import { PassThrough, Readable } from "stream";
import * as readline from "readline";
import type { SwarmNode, SwarmService, SwarmTask } from "./engine-types";
import { namesAgent } from "./health-output";
import { ask, connect, EngineError, type Engine } from "./hosts";
import { machineOfNode, nodeName, serviceOf } from "./match";
import type { PlannedStack, PlannedWorkload } from "./planned";

// `npm run logs`: a group's logs from its service (through the Swarm manager, as `docker service logs`)
// or its container (on its machine's engine), each line prefixed with machine and task. For an agent,
// only the lines that name it: every agent of a group logs into the group's one container, and the
// stand-in (like the real agents' supervisor) names the agent in its lines.

export interface LogTarget {
    readonly workload: PlannedWorkload;
    readonly stack: PlannedStack;
    /** Set when the target is an agent: only its lines are shown. */
    readonly agent?: string;
}

export class TargetError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TargetError";
    }
}

/** Finds a group (or Redis) or an agent by name across the selected stacks; agent names repeat across machines. */
export function findTarget(stacks: readonly PlannedStack[], name: string): LogTarget {
    const found: LogTarget[] = [];
    for (const stack of stacks) {
        for (const workload of stack.workloads) {
            if (workload.name === name || (!workload.redis && workload.group === name)) {
                found.push({ workload, stack });
            } else if (workload.agents.some((a) => a.name === name)) {
                found.push({ workload, stack, agent: name });
            }
        }
    }
    if (found.length === 1) {
        return found[0];
    }
    if (found.length > 1) {
        throw new TargetError(`${name} runs on several stacks: ${found.map((t) => `${t.stack.stack} (${t.workload.group})`).join(", ")}; choose one with --stack`);
    }
    const groups = stacks.flatMap((s) => s.workloads.map((w) => w.name));
    throw new TargetError(`${name} is neither a group nor an agent of stack ${stacks.map((s) => s.stack).join(", ")} (groups: ${groups.join(", ")})`);
}

export interface LogOptions {
    readonly since?: string;
    readonly follow: boolean;
    readonly tail?: number;
}

/** Docker's `since` is a Unix time; durations (10m) count back from now, as the CLI's --since does. */
export function sinceSeconds(since: string | undefined, now: number = Date.now()): number | undefined {
    if (since === undefined) {
        return undefined;
    }
    const duration = /^(\d+(?:\.\d+)?)([smhd])$/.exec(since);
    if (duration) {
        const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration[2] as "s" | "m" | "h" | "d"];
        return Math.floor(now / 1000 - Number(duration[1]) * unit);
    }
    return /^\d+$/.test(since) ? Number(since) : Math.floor(Date.parse(since) / 1000);
}

/** `docker service logs --details` prefixes each line with its node, service and task ids. */
export function splitDetails(line: string): { attributes: Record<string, string>; text: string } {
    const match = /^((?:com\.docker\.[\w.]+=[^,\s]*,?)+) (.*)$/.exec(line);
    if (!match) {
        return { attributes: {}, text: line };
    }
    const attributes = Object.fromEntries(match[1].split(",").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    return { attributes, text: match[2] };
}

async function lines(engine: Engine, raw: NodeJS.ReadableStream | Buffer, onLine: (line: string) => void): Promise<void> {
    const source = Buffer.isBuffer(raw) ? Readable.from([raw]) : raw;
    const merged = new PassThrough();
    engine.docker.modem.demuxStream(source, merged, merged);
    source.on("end", () => merged.end());
    source.on("error", (error: Error) => merged.destroy(error));
    for await (const line of readline.createInterface({ input: merged, crlfDelay: Infinity })) {
        onLine(line);
    }
}

function keep(target: LogTarget, text: string): boolean {
    return target.agent === undefined || namesAgent(text, target.agent);
}

async function serviceLogs(target: LogTarget, options: LogOptions, write: (line: string) => void): Promise<void> {
    const manager = connect(target.stack.managerHost, `the Swarm manager (cascade:docker.managerHost of ${target.stack.stack})`);
    const services = await ask(manager, "listing services", (d) => d.listServices()) as unknown as SwarmService[];
    const service = serviceOf(services, target.workload);
    if (!service) {
        throw new EngineError(manager.machine, manager.host, `has no service ${target.workload.name}: ${target.workload.group} is not deployed (pulumi up -s ${target.stack.stack})`);
    }
    const nodes = await ask(manager, "listing nodes", (d) => d.listNodes()) as SwarmNode[];
    const tasks = await ask(manager, "listing tasks", (d) => d.listTasks({ filters: { service: [service.ID] } })) as SwarmTask[];
    const machines = [target.stack.machine];
    const label = (nodeId: string | undefined, taskId: string | undefined): string => {
        const node = nodes.find((n) => n.ID === nodeId);
        const task = tasks.find((t) => t.ID === taskId);
        const machine = machineOfNode(node, machines) ?? nodeName(node, nodeId);
        return `${machine} ${target.workload.name}.${task?.Slot ?? "?"}.${(taskId ?? "").slice(0, 12)}`;
    };
    // dockerode resolves a stream when following, else the whole body as a Buffer (lib/service.js, isStream: follow).
    const raw = await ask(manager, `reading the logs of ${service.Spec.Name}`, (d): Promise<unknown> => d.getService(service.ID).logs({
        stdout: true, stderr: true, details: true, follow: options.follow, since: sinceSeconds(options.since), tail: options.tail,
    })) as NodeJS.ReadableStream | Buffer;
    await lines(manager, raw, (line) => {
        const { attributes, text } = splitDetails(line);
        if (keep(target, text)) {
            write(`${label(attributes["com.docker.swarm.node.id"], attributes["com.docker.swarm.task.id"])} | ${text}`);
        }
    });
}

async function containerLogs(target: LogTarget, options: LogOptions, write: (line: string) => void): Promise<void> {
    const engine = connect(target.stack.machine.engineHost, target.stack.machine.name);
    const container = engine.docker.getContainer(target.workload.name);
    const settings = { stdout: true, stderr: true, since: sinceSeconds(options.since), tail: options.tail };
    const raw: NodeJS.ReadableStream | Buffer = await ask(engine, `reading the logs of container ${target.workload.name}`,
        (): Promise<NodeJS.ReadableStream | Buffer> => options.follow ? container.logs({ ...settings, follow: true }) : container.logs({ ...settings, follow: false }));
    await lines(engine, raw, (text) => {
        if (keep(target, text)) {
            write(`${target.stack.machine.name} ${target.workload.name} | ${text}`);
        }
    });
}

export async function printLogs(target: LogTarget, options: LogOptions, write: (line: string) => void): Promise<void> {
    await (target.workload.kind === "service" ? serviceLogs(target, options, write) : containerLogs(target, options, write));
}
