import type { ConfigProblem } from "../config/errors";
import type { StackConfig } from "../config/schema/stack";
import type { Topology, TopologyGroup } from "../config/schema/topology";
import { formatMemory } from "./units";

// Rules that span fields, and the topology and the stack config together. zod checked each field;
// these find what no single field shows. Every problem names the file, the key path and the fix.

export interface Sources {
    /** The topology file as the operator names it, e.g. config/topology.yaml. */
    readonly topologyFile: string;
    /** The stack config file, e.g. Pulumi.mainpc.yaml. */
    readonly stackFile: string;
}

const groupPath = (g: TopologyGroup) => `groups[${g.name}]`;
const agentPath = (g: TopologyGroup, agent: string) => `${groupPath(g)}.agents[${agent}]`;

/** Problems in the topology alone. */
export function validateTopology(topology: Topology, file: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const problem = (path: string, message: string, fix: string) => problems.push({ file, path, message, fix });

    const groupNames = new Set<string>();
    for (const group of topology.groups) {
        if (groupNames.has(group.name)) {
            problem(groupPath(group), `group "${group.name}" is defined twice`, "rename one of them or merge their agents");
        }
        groupNames.add(group.name);
        if (!(group.machine in topology.machines)) {
            problem(`${groupPath(group)}.machine`, `unknown machine "${group.machine}"`,
                `use one of: ${Object.keys(topology.machines).join(", ")} (or add it under machines)`);
        }
        checkAgentsOfGroup(group, problem);
        checkResources(group.resources, groupPath(group), problem);
        checkAgentMemory(group, problem);
        checkScaling(group, problem);
        checkMounts(topology, group, problem);
        if (isStandalone(group) && group.gpus > 0) {
            problem(`${groupPath(group)}.gpus`,
                "a group with host devices, ulimits or host groups runs as a standalone container (S1), which cannot take a GPU from Swarm's generic resources",
                "split the GPU work into a group of its own, or remove devices/ulimits/supplementaryGroups");
        }
        if (isStandalone(group) && group.replicas !== 1) {
            problem(`${groupPath(group)}.replicas`,
                `${group.replicas} replicas, but a group with host devices, ulimits or host groups runs as one standalone container (S1)`,
                "set replicas: 1, or remove devices/ulimits/supplementaryGroups to run it as a Swarm service");
        }
    }
    checkMachineWideUniqueness(topology, problem);

    if (!topology.groups.some((g) => g.name === topology.redis.group)) {
        problem("redis.group", `unknown group "${topology.redis.group}"`, `name one of: ${[...groupNames].join(", ")}`);
    }
    if (!(topology.redis.volume.volume in topology.volumes)) {
        problem("redis.volume.volume", `unknown volume "${topology.redis.volume.volume}"`, "declare it under volumes");
    }
    checkResources(topology.redis.resources, "redis", problem);
    for (const [index, mount] of topology.defaults.volumes.entries()) {
        if (!(mount.volume in topology.volumes)) {
            problem(`defaults.volumes[${index}].volume`, `unknown volume "${mount.volume}"`, "declare it under volumes");
        }
    }
    if (topology.networks.internal.name === topology.networks.external.name) {
        problem("networks.external.name", "the internal and external networks have the same name", "give them different names");
    }
    if (!topology.networks.internal.internal) {
        problem("networks.internal.internal", "the internal network is not internal", "set internal: true (S7)");
    }
    return problems;
}

/** True when the group needs what only a standalone container can have (S1). */
export function isStandalone(group: Pick<TopologyGroup, "devices" | "ulimits" | "supplementaryGroups">): boolean {
    return group.devices.length > 0 || group.ulimits.length > 0 || group.supplementaryGroups.length > 0;
}

type Report = (path: string, message: string, fix: string) => void;

function checkAgentsOfGroup(group: TopologyGroup, problem: Report): void {
    const names = new Map<string, number>();
    for (const agent of group.agents) {
        names.set(agent.name, (names.get(agent.name) ?? 0) + 1);
    }
    for (const [name, count] of names) {
        if (count > 1) {
            problem(agentPath(group, name), `agent "${name}" appears ${count} times in ${group.name}`,
                "remove the duplicate or rename it");
        }
    }
    const byName = new Map(group.agents.map((a) => [a.name, a]));
    for (const agent of group.agents) {
        for (const dependency of agent.dependsOn) {
            const target = byName.get(dependency);
            if (!target) {
                problem(`${agentPath(group, agent.name)}.dependsOn`,
                    `"${dependency}" is not an agent of ${group.name}`,
                    `name an agent of this group (${[...byName.keys()].join(", ")}); groups are ordered by their phase, not by dependsOn`);
            } else if (dependency === agent.name) {
                problem(`${agentPath(group, agent.name)}.dependsOn`, `${agent.name} depends on itself`, "remove it from its own dependsOn");
            } else if (agent.startupOrder !== undefined && target.startupOrder !== undefined && target.startupOrder >= agent.startupOrder) {
                problem(`${agentPath(group, agent.name)}.startupOrder`,
                    `${agent.name} starts at ${agent.startupOrder} but depends on ${dependency}, which starts at ${target.startupOrder}`,
                    `give ${agent.name} a startupOrder above ${target.startupOrder}`);
            }
        }
    }
    const cycle = findCycle(group.agents.map((a) => ({ name: a.name, dependsOn: a.dependsOn.filter((d) => byName.has(d) && d !== a.name) })));
    if (cycle) {
        problem(`${agentPath(group, cycle[0])}.dependsOn`, `dependency cycle: ${cycle.join(" -> ")}`,
            "remove one of these dependsOn entries so the agents can start in some order");
    }
}

/** The first dependency cycle found, as a path that starts and ends on the same name. */
export function findCycle(nodes: readonly { name: string; dependsOn: readonly string[] }[]): string[] | undefined {
    const edges = new Map(nodes.map((n) => [n.name, n.dependsOn]));
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (name: string): string[] | undefined => {
        if (state.get(name) === "done") {
            return undefined;
        }
        if (state.get(name) === "visiting") {
            return [...stack.slice(stack.indexOf(name)), name];
        }
        state.set(name, "visiting");
        stack.push(name);
        for (const next of edges.get(name) ?? []) {
            const cycle = visit(next);
            if (cycle) {
                return cycle;
            }
        }
        stack.pop();
        state.set(name, "done");
        return undefined;
    };
    for (const node of nodes) {
        const cycle = visit(node.name);
        if (cycle) {
            return cycle;
        }
    }
    return undefined;
}

function checkResources(
    resources: { limits: { cpus: number; memory: number }; reservations: { cpus: number; memory: number } },
    path: string,
    problem: Report,
): void {
    if (resources.reservations.cpus > resources.limits.cpus) {
        problem(`${path}.resources.reservations.cpus`,
            `reserves ${resources.reservations.cpus} CPUs but is limited to ${resources.limits.cpus}`,
            `lower the reservation to at most ${resources.limits.cpus} or raise the limit`);
    }
    if (resources.reservations.memory > resources.limits.memory) {
        problem(`${path}.resources.reservations.memory`,
            `reserves ${formatMemory(resources.reservations.memory)} but is limited to ${formatMemory(resources.limits.memory)}`,
            `lower the reservation to at most ${formatMemory(resources.limits.memory)} or raise the limit`);
    }
}

function checkAgentMemory(group: TopologyGroup, problem: Report): void {
    const total = group.agents.reduce((sum, a) => sum + (a.memoryLimit ?? 0), 0);
    if (total > group.resources.limits.memory) {
        problem(`${groupPath(group)}.agents`,
            `the agents' memory limits add up to ${formatMemory(total)}, more than the group's limit of ${formatMemory(group.resources.limits.memory)}`,
            `raise resources.limits.memory to at least ${formatMemory(total)} or lower the agents' memoryLimit`);
    }
}

function checkScaling(group: TopologyGroup, problem: Report): void {
    const scaling = group.scaling;
    if (!scaling) {
        return;
    }
    if (scaling.min > scaling.max) {
        problem(`${groupPath(group)}.scaling`, `min ${scaling.min} is above max ${scaling.max}`, "swap them");
    } else if (group.replicas < scaling.min || group.replicas > scaling.max) {
        problem(`${groupPath(group)}.replicas`, `${group.replicas} replicas is outside the scaling bounds ${scaling.min} to ${scaling.max} (${scaling.reason})`,
            `use ${scaling.min === scaling.max ? `${scaling.min} replica${scaling.min === 1 ? "" : "s"}` : `${scaling.min} to ${scaling.max} replicas`}`);
    }
}

function checkMounts(topology: Topology, group: TopologyGroup, problem: Report): void {
    const mounts = [
        ...group.volumes.map((m, i) => ({ mount: m, path: `${groupPath(group)}.volumes[${i}]` })),
        ...group.agents.flatMap((a) => a.volumes.map((m, i) => ({ mount: m, path: `${agentPath(group, a.name)}.volumes[${i}]` }))),
    ];
    const targets = new Map<string, string>(topology.defaults.volumes.map((m) => [m.target, "defaults.volumes"]));
    for (const { mount, path } of mounts) {
        if (!(mount.volume in topology.volumes)) {
            problem(`${path}.volume`, `unknown volume "${mount.volume}"`, `declare it under volumes or use one of: ${Object.keys(topology.volumes).join(", ")}`);
        }
        const other = targets.get(mount.target);
        if (other) {
            problem(`${path}.target`, `${mount.target} is already a mount target (${other})`, "mount each volume on its own directory");
        }
        targets.set(mount.target, path);
    }
}

/** Agent names and ports are unique per machine: ports and health ports share one number space. */
function checkMachineWideUniqueness(topology: Topology, problem: Report): void {
    for (const machine of Object.keys(topology.machines)) {
        const names = new Map<string, string>();
        const ports = new Map<number, string>();
        for (const group of topology.groups.filter((g) => g.machine === machine)) {
            for (const agent of group.agents) {
                const owner = names.get(agent.name);
                if (owner && owner !== group.name) {
                    problem(agentPath(group, agent.name), `agent "${agent.name}" also exists in ${owner} on ${machine}`,
                        `rename one of them: agent names are unique on a machine`);
                }
                names.set(agent.name, group.name);
                for (const [key, number] of [["port", agent.port], ["healthPort", agent.healthPort]] as const) {
                    const user = ports.get(number);
                    if (user) {
                        problem(`${agentPath(group, agent.name)}.${key}`, `port ${number} is already used on ${machine} by ${user}`,
                            `choose a port that no other agent on ${machine} uses`);
                    } else {
                        ports.set(number, `${group.name}/${agent.name} (${key})`);
                    }
                }
            }
        }
    }
}

/** Problems in the stack config, read against the topology it deploys. */
export function validateStack(topology: Topology, stack: StackConfig, sources: Sources): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const file = sources.stackFile;
    const problem = (path: string, message: string, fix: string) => problems.push({ file, path, message, fix });

    const machine = topology.machines[stack.machine];
    if (!machine) {
        problem("cascade:machine", `unknown machine "${stack.machine}"`, `use one of: ${Object.keys(topology.machines).join(", ")}`);
        return problems;
    }
    const groups = new Map(topology.groups.map((g) => [g.name, g]));
    for (const [name, override] of Object.entries(stack.groups)) {
        const group = groups.get(name);
        const path = `cascade:groups.${name}`;
        if (!group) {
            problem(path, `unknown group "${name}"`, `use one of: ${topology.groups.map((g) => g.name).join(", ")}`);
            continue;
        }
        if (group.machine !== stack.machine) {
            problem(path, `${name} runs on ${group.machine}, not on ${stack.machine}`, `set it in the ${group.machine} stack's config instead`);
            continue;
        }
        if (override.replicas !== undefined) {
            const min = group.scaling?.min ?? 1;
            const max = group.scaling?.max;
            if (override.replicas < min || (max !== undefined && override.replicas > max)) {
                const bounds = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
                const allowed = min === max ? `${min} replica${min === 1 ? "" : "s"}` : `${bounds} replicas`;
                problem(`${path}.replicas`, `${override.replicas} replicas is outside ${name}'s scaling bounds (${bounds}${group.scaling ? `: ${group.scaling.reason}` : ""})`,
                    `use ${allowed}, or set enabled: false to leave the group out`);
            }
            if (isStandalone(group) && override.replicas !== 1) {
                problem(`${path}.replicas`, `${name} runs as one standalone container (S1)`, "use 1 replica");
            }
        }
    }
    for (const group of topology.groups.filter((g) => g.machine === stack.machine && stack.groups[g.name]?.enabled !== false)) {
        if (group.gpus > stack.capacity.gpus) {
            problem("cascade:capacity.gpus",
                `${group.name} reserves ${group.gpus} GPU${group.gpus === 1 ? "" : "s"} but ${stack.machine} has ${stack.capacity.gpus}`,
                `set cascade:capacity.gpus to the machine's GPU count, or disable the group with cascade:groups.${group.name}.enabled: false`);
        }
        for (const hostGroup of group.supplementaryGroups) {
            if (!(hostGroup in stack.hostGroupIds)) {
                problem(`cascade:hostGroupIds.${hostGroup}`, `${group.name} joins host group "${hostGroup}" but its id is not configured`,
                    `set it to the group's id on ${stack.machine} (getent group ${hostGroup})`);
            }
        }
    }
    if (stack.platform === "swarm" && stack.swarm.endpointMode === "dnsrr") {
        for (const group of topology.groups.filter((g) => g.machine === stack.machine && stack.groups[g.name]?.enabled !== false)) {
            const replicas = stack.groups[group.name]?.replicas ?? group.replicas;
            if (replicas > 1 && group.agents.some((a) => a.loadBalanced)) {
                problem(`cascade:groups.${group.name}.replicas`,
                    `${group.name} publishes a port and runs ${replicas} replicas, but with endpointMode dnsrr a port is published on the node itself, once: the other replicas could never be placed on ${stack.machine}`,
                    `set cascade:groups.${group.name}.replicas to 1, or use cascade:swarm.endpointMode vip`);
            }
        }
    }
    if (stack.secureZmq && Object.keys(stack.zmqCertificates).length === 0) {
        problem("cascade:zmqCertificates", "secureZmq is on but no CurveZMQ certificates are configured",
            "pulumi config set --secret --path 'cascade:zmqCertificates[\"server.key_secret\"]' \"$(cat server.key_secret)\" (one per certificate file), or set cascade:secureZmq false");
    }
    return problems;
}
