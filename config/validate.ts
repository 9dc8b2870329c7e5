import { chooseFrom, type ConfigProblem } from "./errors";
import type { Topology, TopologyGroup } from "./schema/topology";
import { findCycle } from "./startup";
import { agentMemorySum, cidrsOverlap, formatMemory } from "./units";
import { agentPath, groupPath } from "./paths";
import { checkEnvironment, checkGroupSettings, checkPhasesAfterRedis, checkPin, checkStandaloneReplicas, isStandalone, type Report } from "./validate-group";
import { checkNamesAndPorts } from "./validate-machine";

// Rules that span fields, and the topology and the stack config together. zod checked each field;
// these find what no single field shows. Every problem names the file, the key path and the fix.

export interface Sources {
    /** The topology file as the operator names it, e.g. config/topology.yaml. */
    readonly topologyFile: string;
    /** The stack config file, e.g. Pulumi.mainpc.yaml. */
    readonly stackFile: string;
}


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
                `${chooseFrom(group.machine, Object.keys(topology.machines))} (or add it under machines)`);
        }
        checkAgentsOfGroup(group, problem);
        checkResources(group.resources, groupPath(group), problem);
        checkAgentMemory(group, problem);
        checkScaling(group, problem);
        checkMounts(topology, group, problem);
        checkGroupSettings(group, problem);
        checkPin(topology, group, problem);
        if (isStandalone(group) && group.gpus > 0) {
            problem(`${groupPath(group)}.gpus`,
                "a group with host devices, ulimits or host groups runs as a standalone container (S1), which cannot take a GPU from Swarm's generic resources",
                "split the GPU work into a group of its own, or remove devices/ulimits/supplementaryGroups");
        }
        checkStandaloneReplicas(group, {
            count: group.replicas,
            path: `${groupPath(group)}.replicas`,
            fix: "set replicas: 1, or remove devices/ulimits/supplementaryGroups to run it as a Swarm service",
        }, problem);
    }
    checkNamesAndPorts(topology, problem);
    checkPhasesAfterRedis(topology, problem);
    checkEnvironment(topology, problem);

    if (!topology.groups.some((g) => g.name === topology.redis.group)) {
        problem("redis.group", `unknown group "${topology.redis.group}"`, chooseFrom(topology.redis.group, [...groupNames], "name one of"));
    }
    if (!(topology.redis.volume.volume in topology.volumes)) {
        problem("redis.volume.volume", `unknown volume "${topology.redis.volume.volume}"`, `${chooseFrom(topology.redis.volume.volume, Object.keys(topology.volumes))} (or declare it under volumes)`);
    }
    checkResources(topology.redis.resources, "redis", problem);
    for (const [index, mount] of topology.defaults.volumes.entries()) {
        if (!(mount.volume in topology.volumes)) {
            problem(`defaults.volumes[${index}].volume`, `unknown volume "${mount.volume}"`, `${chooseFrom(mount.volume, Object.keys(topology.volumes))} (or declare it under volumes)`);
        }
    }
    if (topology.networks.internal.name === topology.networks.external.name) {
        problem("networks.external.name", "the internal and external networks have the same name", "give them different names");
    }
    if (!topology.networks.internal.internal) {
        problem("networks.internal.internal", "the internal network is not internal", "set internal: true (S7)");
    }
    if (topology.networks.external.internal) {
        problem("networks.external.internal", "the external network is internal, so no group could reach outside hosts or publish a port (S7)", "set internal: false");
    }
    const { internal, external } = topology.networks;
    if (internal.subnet !== undefined && external.subnet !== undefined && cidrsOverlap(internal.subnet, external.subnet)) {
        problem("networks.external.subnet", `${external.subnet} overlaps the internal network's ${internal.subnet}`, "give the two networks separate ranges, e.g. 172.20.0.0/16 and 172.21.0.0/16");
    }
    return problems;
}



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
    const total = agentMemorySum(group.agents.map((a) => a.memoryLimit)) ?? 0;
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
            problem(`${path}.volume`, `unknown volume "${mount.volume}"`, `${chooseFrom(mount.volume, Object.keys(topology.volumes))} (or declare it under volumes)`);
        }
        const other = targets.get(mount.target);
        if (other) {
            problem(`${path}.target`, `${mount.target} is already a mount target (${other})`, "mount each volume on its own directory");
        }
        targets.set(mount.target, path);
    }
}
