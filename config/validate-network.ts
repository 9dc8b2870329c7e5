import type { ConfigProblem } from "./errors";
import type { StackConfig } from "./schema/stack";
import type { Topology, TopologyGroup } from "./schema/topology";
import { cidrAddresses, cidrWithPrefix } from "./units";
import type { Sources } from "./validate";
import { isStandalone } from "./validate-group";

// Overlay subnets against what they must hold. On an overlay every task and standalone container
// takes an address, every service in vip mode one virtual IP per network, and every node one
// load-balancer address per network (Docker's "lb-<network>" endpoint); the network and broadcast
// addresses and the gateway are never handed out (libnetwork's IPAM). A subnet that is too small
// fails at deploy time, task by task, as "no available IP addresses on this network".

const RESERVED = 3;

/** Where a network's subnet comes from, for the message: the stack's override or the topology. */
interface SubnetSource {
    readonly subnet: string;
    readonly file: string;
    readonly path: string;
}

/** Addresses the network needs for every group that joins it, each at its most replicas plus its update surge. */
function addressesNeeded(topology: Topology, stack: StackConfig, joins: (group: TopologyGroup) => boolean): { total: number; tasks: number; vips: number } {
    let tasks = 1; // Redis
    let vips = stack.swarm.endpointMode === "vip" ? 1 : 0;
    for (const group of topology.groups.filter(joins)) {
        const override = group.machine === stack.machine ? stack.groups[group.name] : undefined;
        if (override?.enabled === false) {
            continue;
        }
        // A group with scaling bounds may run up to its max (an override outside them is reported on its own).
        const replicas = group.scaling ? Math.max(group.replicas, group.scaling.max) : override?.replicas ?? group.replicas;
        const update = group.updateConfig ?? topology.defaults.updateConfig;
        const surge = update.order === "start-first" ? (update.parallelism === 0 ? replicas : Math.min(update.parallelism, replicas)) : 0;
        tasks += replicas + surge;
        vips += !isStandalone(group) && stack.swarm.endpointMode === "vip" ? 1 : 0;
    }
    return { total: RESERVED + Object.keys(topology.machines).length + tasks + vips, tasks, vips };
}

/** The smallest prefix length whose network holds this many addresses. */
const prefixFor = (addresses: number) => Math.max(0, 32 - Math.ceil(Math.log2(addresses)));

export function networkSizeProblems(topology: Topology, stack: StackConfig, sources: Sources): ConfigProblem[] {
    const redisGroup = topology.groups.find((g) => g.name === topology.redis.group);
    const owner = redisGroup?.machine === stack.machine;
    const problems: ConfigProblem[] = [];
    const override = stack.network.internalSubnet;
    if (override !== undefined && (stack.platform === "kubernetes" || !owner)) {
        problems.push({
            file: sources.stackFile,
            path: "cascade:network.internalSubnet",
            message: stack.platform === "kubernetes"
                ? "has no effect on Kubernetes: the cluster's network plugin assigns the pods' addresses"
                : `has no effect here: the networks are created by the stack of ${redisGroup?.machine ?? "the Redis group's machine"}, which this stack only joins`,
            fix: stack.platform === "kubernetes" ? "remove it" : `remove it, and set it in the ${redisGroup?.machine ?? "owning"} stack's config instead`,
        });
    }
    if (!owner || stack.platform !== "swarm") {
        return problems;
    }
    const networks: readonly (readonly [string, SubnetSource | undefined, (g: TopologyGroup) => boolean])[] = [
        ["internal", override !== undefined
            ? { subnet: override, file: sources.stackFile, path: "cascade:network.internalSubnet" }
            : topology.networks.internal.subnet === undefined ? undefined : { subnet: topology.networks.internal.subnet, file: sources.topologyFile, path: "networks.internal.subnet" },
        () => true],
        ["external", topology.networks.external.subnet === undefined ? undefined : { subnet: topology.networks.external.subnet, file: sources.topologyFile, path: "networks.external.subnet" },
            (g) => g.egress || g.agents.some((a) => a.loadBalanced)],
    ];
    for (const [role, source, joins] of networks) {
        if (source === undefined) {
            continue;
        }
        const available = cidrAddresses(source.subnet);
        const needed = addressesNeeded(topology, stack, joins);
        if (available < needed.total) {
            problems.push({
                file: source.file,
                path: source.path,
                message: `${source.subnet} holds ${available} address${available === 1 ? "" : "es"}, but the ${role} network needs at least ${needed.total}: ${needed.tasks} tasks (each group at its most replicas, with Redis and update surges), ${needed.vips} virtual IPs, ${Object.keys(topology.machines).length} node load-balancer addresses and ${RESERVED} reserved`,
                fix: `use a /${prefixFor(needed.total)} or larger, e.g. ${cidrWithPrefix(source.subnet, Math.min(24, prefixFor(needed.total)))}`,
            });
        }
    }
    return problems;
}
