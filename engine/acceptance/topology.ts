import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import type { z } from "zod";
import { PROJECT_ROOT } from "../../config/load";
import { topologySchema } from "../../config/schema/topology";
import { parseCpus, parseMemory } from "../../config/units";
import { grantableUlimit } from "./ulimits";

// The acceptance topology: config/topology.yaml itself, read at run time (never a copy kept by hand),
// with what cannot be had on this machine changed and nothing else:
//   - resources scaled down so that both machines' groups fit the one node: the scheduler checks
//     reservations against the node, so all of them together take a small share of it; memory limits
//     together stay within half of its memory; no CPU limit exceeds the node's CPUs;
//   - a host device that does not exist here replaced by one that does (the audio group's /dev/snd),
//     and a ulimit this machine cannot grant lowered to what it can (engine/acceptance/ulimits.ts);
//   - optionally a group's GPU count (the variant that asks for more GPUs than the node has).

export type TopologyInput = z.input<typeof topologySchema>;
type GroupInput = TopologyInput["groups"][number];
type Amounts = GroupInput["resources"]["limits"];

export interface NodeSize {
    readonly cpus: number;
    readonly memoryBytes: number;
}

export interface ScaledTopology {
    readonly text: string;
    /** What was changed, one line each, for the suite's output. */
    readonly notes: readonly string[];
}

export interface ScaleOptions {
    /** Groups whose GPU count is replaced. */
    readonly gpus?: Readonly<Record<string, number>>;
}

/** Share of the node that all reservations of both machines may take together. */
const RESERVED_SHARE = 0.25;
/** Share of the node's memory that all memory limits may take together. */
const MEMORY_LIMIT_SHARE = 0.5;
const MIB = 1024 ** 2;
/** The engine refuses memory limits and reservations under 6 MB. */
const MIN_MEMORY_MIB = 8;
/** Host devices tried in turn when one the topology names is missing: present on most Linux hosts, and inert. */
const SUBSTITUTE_DEVICES = ["/dev/net/tun", "/dev/fuse", "/dev/null"];

const SOURCE_TOPOLOGY = "config/topology.yaml";

export function readSourceTopology(): TopologyInput {
    const raw: unknown = parse(fs.readFileSync(path.join(PROJECT_ROOT, SOURCE_TOPOLOGY), "utf8"));
    // Validated as the program will validate it, so the scaling below reads fields that exist.
    topologySchema.parse(raw);
    return raw as TopologyInput;
}

const cpusOf = (value: string | number): number => parseCpus(value) ?? 0;
const bytesOf = (value: string | number): number => (typeof value === "number" ? value : parseMemory(value) ?? 0);

interface Factors {
    readonly reservations: number;
    readonly memoryLimits: number;
    readonly cpuLimits: number;
}

function factors(topology: TopologyInput, node: NodeSize): Factors {
    const counted = [
        ...topology.groups.map((g) => ({ resources: g.resources, times: g.replicas })),
        { resources: topology.redis.resources, times: 1 },
    ];
    const sum = (pick: (r: typeof counted[number]) => number) => counted.reduce((total, r) => total + pick(r) * r.times, 0);
    const reservedCpus = sum((r) => cpusOf(r.resources.reservations.cpus));
    const reservedMemory = sum((r) => bytesOf(r.resources.reservations.memory));
    const limitMemory = sum((r) => bytesOf(r.resources.limits.memory));
    const largestCpuLimit = Math.max(...counted.map((r) => cpusOf(r.resources.limits.cpus)));
    return {
        reservations: Math.min(1, (RESERVED_SHARE * node.cpus) / reservedCpus, (RESERVED_SHARE * node.memoryBytes) / reservedMemory),
        memoryLimits: Math.min(1, (MEMORY_LIMIT_SHARE * node.memoryBytes) / limitMemory),
        cpuLimits: Math.min(1, node.cpus / largestCpuLimit),
    };
}

const scaledMemory = (value: string | number, factor: number): string =>
    `${Math.max(MIN_MEMORY_MIB, Math.floor((bytesOf(value) * factor) / MIB))}M`;

/** CPUs to the thousandth the engine's nano-CPUs can express, never zero. */
const scaledCpus = (value: string | number, factor: number): number => Math.max(0.001, Math.round(cpusOf(value) * factor * 1000) / 1000);

function scaledResources(resources: { limits: Amounts; reservations: Amounts }, f: Factors): { limits: Amounts; reservations: Amounts } {
    const reservations = { cpus: scaledCpus(resources.reservations.cpus, f.reservations), memory: scaledMemory(resources.reservations.memory, f.reservations) };
    const limits = { cpus: scaledCpus(resources.limits.cpus, f.cpuLimits), memory: scaledMemory(resources.limits.memory, f.memoryLimits) };
    // Rounding up to the engine's minimums must not leave a reservation above its limit.
    return {
        limits: { cpus: Math.max(limits.cpus, reservations.cpus), memory: bytesOf(limits.memory) >= bytesOf(reservations.memory) ? limits.memory : reservations.memory },
        reservations,
    };
}

/** The device to use for a host device path: itself when it exists here, else the first substitute that does. */
function deviceHere(device: string): string {
    if (fs.existsSync(device)) {
        return device;
    }
    const substitute = SUBSTITUTE_DEVICES.find((d) => fs.existsSync(d));
    if (!substitute) {
        throw new Error(`${device} does not exist on this machine, and neither does any of ${SUBSTITUTE_DEVICES.join(", ")} to stand in for it`);
    }
    return substitute;
}

export function scaledTopology(node: NodeSize, options: ScaleOptions = {}): ScaledTopology {
    const topology = readSourceTopology();
    const f = factors(topology, node);
    const notes = [
        `resources scaled for this node (${node.cpus} CPUs, ${(node.memoryBytes / 1024 ** 3).toFixed(1)} GiB): ` +
        `reservations x${f.reservations.toFixed(4)}, memory limits x${f.memoryLimits.toFixed(4)}, CPU limits x${f.cpuLimits.toFixed(4)}`,
    ];
    const groups = topology.groups.map((group): GroupInput => {
        const devices = (group.devices ?? []).map((device) => {
            const here = deviceHere(device);
            if (here !== device) {
                notes.push(`${group.name}: ${device} does not exist on this machine; ${here} is mapped in its place`);
            }
            return here;
        });
        const ulimits = (group.ulimits ?? []).map((ulimit) => {
            const soft = grantableUlimit(ulimit.name, ulimit.soft);
            const hard = grantableUlimit(ulimit.name, ulimit.hard);
            if (soft !== ulimit.soft || hard !== ulimit.hard) {
                notes.push(`${group.name}: ulimit ${ulimit.name} ${ulimit.soft}/${ulimit.hard} cannot be granted on this machine (no CAP_SYS_RESOURCE); ${soft}/${hard} instead`);
            }
            return { ...ulimit, soft, hard };
        });
        const gpus = options.gpus?.[group.name];
        if (gpus !== undefined) {
            notes.push(`${group.name}: reserves ${gpus} GPUs (topology: ${group.gpus ?? 0})`);
        }
        return {
            ...group,
            resources: scaledResources(group.resources, f),
            ...(group.devices ? { devices } : {}),
            ...(group.ulimits ? { ulimits } : {}),
            ...(gpus !== undefined ? { gpus } : {}),
            agents: group.agents.map((agent) => (agent.memoryLimit === undefined ? agent : { ...agent, memoryLimit: scaledMemory(agent.memoryLimit, f.memoryLimits) })),
        };
    });
    const scaled: TopologyInput = { ...topology, redis: { ...topology.redis, resources: scaledResources(topology.redis.resources, f) }, groups };
    const header = `# Generated by the engine acceptance suite from ${SOURCE_TOPOLOGY}; do not edit.\n# ${notes.join("\n# ")}\n`;
    return { text: header + stringify(scaled, { lineWidth: 0 }), notes };
}
