import type { Topology, TopologyGroup } from "./schema/topology";
import { agentPath, groupPath } from "./paths";
import { formatMemory } from "./units";
import { PROGRAM_VARIABLE_NAMES } from "./program-environment";

// Rules of one group's settings: what a container can be given, what real-time scheduling needs,
// and the machine pin (S5) that a group's own labels and constraints must not contradict.

export type Report = (path: string, message: string, fix: string) => void;

/** True when the group needs what only a standalone container can have (S1). */
export function isStandalone(group: Pick<TopologyGroup, "devices" | "ulimits" | "supplementaryGroups">): boolean {
    return group.devices.length > 0 || group.ulimits.length > 0 || group.supplementaryGroups.length > 0;
}

const ONE_CONTAINER = "a group with host devices, ulimits or host groups runs as one standalone container (S1)";

/**
 * S1: a standalone group is one container, so it runs exactly one replica: the one rule for the
 * topology's replicas and a stack's override of them (checkGroupSettings holds its scaling to it).
 */
export function checkStandaloneReplicas(group: TopologyGroup, replicas: { readonly count: number; readonly path: string; readonly fix: string }, problem: Report): void {
    if (isStandalone(group) && replicas.count !== 1) {
        problem(replicas.path, `${replicas.count} replicas, but ${ONE_CONTAINER}`, replicas.fix);
    }
}

/** The least memory and CPU a container may be limited to (Docker: "Minimum memory limit allowed is 6MB"; --cpus 0.01). */
const MIN_MEMORY = 6 * 1024 ** 2;
const MIN_CPUS = 0.01;

export function checkGroupSettings(group: TopologyGroup, problem: Report): void {
    for (const [kind, amounts] of Object.entries(group.resources)) {
        if (amounts.memory < MIN_MEMORY) {
            problem(`${groupPath(group)}.resources.${kind}.memory`, `${formatMemory(amounts.memory)} is below the 6M a container needs at least`, "write at least 6M, e.g. 64M");
        }
        if (amounts.cpus < MIN_CPUS) {
            problem(`${groupPath(group)}.resources.${kind}.cpus`, `${amounts.cpus} CPUs is below the 0.01 Docker can limit a container to`, "write at least 0.01, e.g. 0.1");
        }
    }
    const ulimits = new Set<string>();
    for (const ulimit of group.ulimits) {
        const path = `${groupPath(group)}.ulimits[${ulimit.name}]`;
        if (ulimits.has(ulimit.name)) {
            problem(path, `ulimit ${ulimit.name} is set twice`, "keep one of them");
        }
        ulimits.add(ulimit.name);
        if (ulimit.hard !== -1 && (ulimit.soft === -1 || ulimit.soft > ulimit.hard)) {
            problem(`${path}.soft`, `the soft limit ${ulimit.soft} is above the hard limit ${ulimit.hard}`, `lower soft to at most ${ulimit.hard}, or raise hard (-1 is unlimited)`);
        }
    }
    for (const agent of group.agents.filter((a) => a.gpuAccess === "required" && group.gpus === 0)) {
        problem(`${agentPath(group, agent.name)}.gpuAccess`, `${agent.name} requires a GPU, but ${group.name} reserves none`,
            `set gpus: 1 on ${group.name}, or gpuAccess: optional`);
    }
    if (group.agents.some((a) => a.realtimePriority) && !group.capabilities.includes("SYS_NICE")) {
        problem(`${groupPath(group)}.capabilities`, `${group.name} runs real-time agents but has no SYS_NICE, which real-time scheduling needs (sched(7), S3)`,
            "add SYS_NICE to capabilities (and an rtprio ulimit), or set realtimePriority: false");
    }
    if (isStandalone(group) && group.scaling !== undefined && group.scaling.max > 1) {
        problem(`${groupPath(group)}.scaling.max`, `${group.scaling.max}, but ${ONE_CONTAINER}`, "set scaling to { min: 1, max: 1 }");
    }
}

/** `node.labels.<key> == <value>` constraints, as pairs. */
export function labelConstraints(constraints: readonly string[]): [string, string][] {
    return constraints.flatMap((c) => {
        const match = /^node\.labels\.(\S+?)\s*==\s*(\S+)$/.exec(c.trim());
        return match ? [[match[1], match[2]] as [string, string]] : [];
    });
}

/**
 * A group's own labels and constraints add to its machine's pin (S5); one that names a pin label with
 * another value would move the group off its machine (Kubernetes) or make it unschedulable (Swarm).
 */
export function checkPin(topology: Topology, group: TopologyGroup, problem: Report): void {
    const pin = topology.machines[group.machine]?.nodeLabels ?? {};
    for (const [key, value] of Object.entries(group.nodeLabels)) {
        if (key in pin && pin[key] !== value) {
            problem(`${groupPath(group)}.nodeLabels.${key}`, `${key}: ${value} contradicts ${group.machine}'s pin ${key}: ${pin[key]} (S5)`,
                `remove it, or use a label of its own: the machine's labels are added to every group`);
        }
    }
    for (const [index, [key, value]] of labelConstraints(group.placement).entries()) {
        if (key in pin && pin[key] !== value) {
            problem(`${groupPath(group)}.placement[${index}]`, `node.labels.${key} == ${value} contradicts ${group.machine}'s pin ${key}: ${pin[key]}, so no node could run ${group.name}`,
                "remove it: the machine pin is added to every group");
        }
    }
}

/** Groups on Redis's machine start no earlier than Redis, which starts with its group's phase. */
export function checkPhasesAfterRedis(topology: Topology, problem: Report): void {
    const redisGroup = topology.groups.find((g) => g.name === topology.redis.group);
    for (const group of topology.groups.filter((g) => redisGroup !== undefined && g.machine === redisGroup.machine && g.phase < redisGroup.phase)) {
        problem(`${groupPath(group)}.phase`, `phase ${group.phase} starts before Redis, which starts in phase ${redisGroup?.phase ?? "?"} with ${topology.redis.group}`,
            `use phase ${redisGroup?.phase ?? "?"} or later, or move Redis to an earlier group (redis.group)`);
    }
}

/**
 * Variables the program sets itself (model/build.ts): a topology value for one of them would be
 * overridden, or, for SECURE_ZMQ, would override the stack's secureZmq, without a word.
 */
export function checkEnvironment(topology: Topology, problem: Report): void {
    const volumeVariables = new Map(Object.entries(topology.volumes).flatMap(([key, volume]) => Object.keys(volume.env).map((name): [string, string] => [name, key])));
    const check = (path: string, environment: Readonly<Record<string, string>>) => {
        for (const name of Object.keys(environment)) {
            const volume = volumeVariables.get(name);
            if (PROGRAM_VARIABLE_NAMES.includes(name)) {
                problem(`${path}.${name}`, `${name} is set by the program itself, so this value would be ignored or would undo a stack setting`, "remove it, or use a name of your own");
            } else if (volume !== undefined) {
                problem(`${path}.${name}`, `${name} is set from the mount of volume ${volume} (volumes.${volume}.env), which replaces this value`, "remove it, or rename one of the two");
            }
        }
    };
    for (const [machine, settings] of Object.entries(topology.machines)) {
        check(`machines.${machine}.environment`, settings.environment);
    }
    for (const group of topology.groups) {
        check(`${groupPath(group)}.environment`, group.environment);
        for (const agent of group.agents) {
            check(`${agentPath(group, agent.name)}.environment`, agent.environment);
        }
    }
}
