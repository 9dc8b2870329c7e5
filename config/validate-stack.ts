import { chooseFrom, closest, type ConfigProblem } from "./errors";
import type { StackConfig } from "./schema/stack";
import type { Topology, TopologyGroup } from "./schema/topology";
import { observabilityHub } from "./hub";
import type { Sources } from "./validate";
import { checkStandaloneReplicas, labelConstraints, type Report } from "./validate-group";
import { networkSizeProblems } from "./validate-network";

// Rules of the stack config read against the topology it deploys: names it refers to, bounds the
// topology sets, settings that would be silently ignored. Each problem names the stack file's key.

/** Problems in the stack config, read against the topology it deploys. */
export function validateStack(topology: Topology, stack: StackConfig, sources: Sources): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const file = sources.stackFile;
    const problem: Report = (path, message, fix) => problems.push({ file, path, message, fix });

    const machine = topology.machines[stack.machine];
    if (!machine) {
        problem("cascade:machine", `unknown machine "${stack.machine}"`, chooseFrom(stack.machine, Object.keys(topology.machines)));
        return problems;
    }
    checkGroupOverrides(topology, stack, machine.nodeLabels, problem);
    checkHostGroupIds(topology, stack, problem);
    checkHubEndpoint(topology, stack, problem);
    networkSizeProblems(topology, stack, sources).forEach((p) => problems.push(p));
    checkEnabledGroups(topology, stack, problem);
    checkNodePublishedReplicas(topology, stack, problem);
    if (stack.secureZmq && Object.keys(stack.zmqCertificates).length === 0) {
        problem("cascade:zmqCertificates", "secureZmq is on but no CurveZMQ certificates are configured",
            "pulumi config set --secret --path 'cascade:zmqCertificates[\"server.key_secret\"]' \"$(cat server.key_secret)\" (one per certificate file), or set cascade:secureZmq false");
    }
    return problems;
}

/** The groups this stack deploys: its machine's, less those it disables. */
function enabledGroups(topology: Topology, stack: StackConfig): TopologyGroup[] {
    return topology.groups.filter((g) => g.machine === stack.machine && stack.groups[g.name]?.enabled !== false);
}

/** Each `cascade:groups.<name>` entry: a group of this machine, within its bounds, on its machine's pin. */
function checkGroupOverrides(topology: Topology, stack: StackConfig, machineLabels: Readonly<Record<string, string>>, problem: Report): void {
    const groups = new Map(topology.groups.map((g) => [g.name, g]));
    for (const [name, override] of Object.entries(stack.groups)) {
        const group = groups.get(name);
        const path = `cascade:groups.${name}`;
        if (!group) {
            problem(path, `unknown group "${name}"`, chooseFrom(name, topology.groups.filter((g) => g.machine === stack.machine).map((g) => g.name), `the groups of ${stack.machine} are`));
            continue;
        }
        if (override.enabled === false && name === topology.redis.group) {
            problem(`${path}.enabled`, `${name} runs Redis, which every group on both machines uses (REDIS_HOST)`,
                `keep ${name} enabled, or move Redis to another group (redis.group in the topology)`);
        }
        if (group.machine !== stack.machine) {
            problem(path, `${name} runs on ${group.machine}, not on ${stack.machine}`, `set it in the ${group.machine} stack's config instead`);
            continue;
        }
        if (override.replicas !== undefined) {
            checkReplicaOverride(group, override.replicas, path, problem);
        }
        const pin = stack.nodeLabels ?? machineLabels;
        for (const [index, [key, value]] of labelConstraints(override.placement ?? []).entries()) {
            if (key in pin && pin[key] !== value) {
                problem(`${path}.placement[${index}]`, `node.labels.${key} == ${value} contradicts ${stack.machine}'s pin ${key}: ${pin[key]}, so no node could run ${name}`,
                    "remove it: the machine pin is added to every group");
            }
        }
        if (override.placement !== undefined && stack.platform === "kubernetes") {
            problem(`${path}.placement`, "placement constraints are Swarm's: on Kubernetes they would be ignored",
                `remove it; Kubernetes pins ${name} with its node labels (topology nodeLabels, cascade:kubernetes.nodeSelector)`);
        }
    }
}

/** A stack's replicas stay within the group's scaling bounds, and at one for a standalone group. */
function checkReplicaOverride(group: TopologyGroup, replicas: number, path: string, problem: Report): void {
    const min = group.scaling?.min ?? 1;
    const max = group.scaling?.max;
    if (replicas < min || (max !== undefined && replicas > max)) {
        const bounds = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
        const allowed = min === max ? `${min} replica${min === 1 ? "" : "s"}` : `${bounds} replicas`;
        problem(`${path}.replicas`, `${replicas} replicas is outside ${group.name}'s scaling bounds (${bounds}${group.scaling ? `: ${group.scaling.reason}` : ""})`,
            `use ${allowed}, or set enabled: false to leave the group out`);
    }
    checkStandaloneReplicas(group, { count: replicas, path: `${path}.replicas`, fix: "use 1 replica" }, problem);
}

/** What the deployed groups need of the machine: its GPUs, and the ids of the host groups they join. */
function checkEnabledGroups(topology: Topology, stack: StackConfig, problem: Report): void {
    for (const group of enabledGroups(topology, stack)) {
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
}

/** Under endpointMode dnsrr a port is published on the node itself, so only one replica can take it. */
function checkNodePublishedReplicas(topology: Topology, stack: StackConfig, problem: Report): void {
    if (stack.platform !== "swarm" || stack.swarm.endpointMode !== "dnsrr") {
        return;
    }
    for (const group of enabledGroups(topology, stack)) {
        const replicas = stack.groups[group.name]?.replicas ?? group.replicas;
        if (replicas > 1 && group.agents.some((a) => a.loadBalanced)) {
            problem(`cascade:groups.${group.name}.replicas`,
                `${group.name} publishes a port and runs ${replicas} replicas, but with endpointMode dnsrr a port is published on the node itself, once: the other replicas could never be placed on ${stack.machine}`,
                `set cascade:groups.${group.name}.replicas to 1, or use cascade:swarm.endpointMode vip`);
        }
    }
}

/** A host group id nobody asks for is most often a misspelling of one that is needed. */
function checkHostGroupIds(topology: Topology, stack: StackConfig, problem: Report): void {
    const joined = new Set(topology.groups.flatMap((g) => g.supplementaryGroups));
    for (const name of Object.keys(stack.hostGroupIds).filter((n) => !joined.has(n))) {
        const suggestion = closest(name, [...joined]);
        if (suggestion !== undefined && !(suggestion in stack.hostGroupIds)) {
            problem(`cascade:hostGroupIds.${name}`, `no group joins a host group "${name}"`, `did you mean "${suggestion}"?`);
        }
    }
}

/** Agents that ask for MainPC's hub get MAINPC_HUB_ENDPOINT only when there is one to give them. */
function checkHubEndpoint(topology: Topology, stack: StackConfig, problem: Report): void {
    const owner = topology.groups.find((g) => g.name === topology.redis.group)?.machine;
    if (stack.mainpc.hubEndpoint !== undefined || owner === undefined || observabilityHub(topology, owner) !== undefined) {
        return;
    }
    const asking = enabledGroups(topology, stack)
        .flatMap((g) => g.agents.filter((a) => a.mainpcHubEndpoint).map((a) => `${g.name}/${a.name}`));
    if (asking.length > 0) {
        problem("cascade:mainpc.hubEndpoint", `is needed: ${asking.join(", ")} ask${asking.length === 1 ? "s" : ""} for MainPC's hub, but ${owner} runs no ObservabilityHub to derive it from`,
            "set it to the hub's URL, e.g. http://observabilityhub.cascade-core.cascade:9000");
    }
}
