import type { Topology, TopologyGroup } from "./schema/topology";
import { agentPath, groupPath } from "./paths";

// Names and ports per machine and across machines, on both platforms.
// - A group's name is its Swarm service (or container) name and a Kubernetes label value; an agent's
//   name, lower-cased, is a DNS label of its alias `<agent>.<group>.<suffix>` and its Kubernetes
//   Service name. DNS labels and Swarm names have at most 63 characters (swarmkit controlapi
//   validateAnnotations; RFC 1035), and DNS is case-blind, so two agents whose names differ only in
//   case collide.
// - Ports are unique per machine, Redis's included; health ports share the number space.
// - A published port is taken on every node: Swarm's routing mesh publishes it cluster-wide (swarmkit
//   checkPortConflicts) and k3s's ServiceLB binds it on each node, so it is unique across machines and
//   must not be a port the nodes themselves serve.

type Report = (path: string, message: string, fix: string) => void;

export const MAX_NAME = 63;

/** Ports the nodes' own daemons listen on: Swarm (2377 management, 7946 gossip), Kubernetes (6443 API, 10250 kubelet). */
const NODE_PORTS: Readonly<Record<number, string>> = { 2377: "Swarm's cluster management", 7946: "Swarm's node gossip", 6443: "the Kubernetes API server", 10250: "the kubelet" };

export function checkNamesAndPorts(topology: Topology, problem: Report): void {
    checkNameLengths(topology, problem);
    const redisGroup = topology.groups.find((g) => g.name === topology.redis.group);
    for (const machine of Object.keys(topology.machines)) {
        const names = new Map<string, { readonly group: string; readonly agent: string }>();
        const ports = new Map<number, string>();
        if (redisGroup?.machine === machine) {
            ports.set(topology.redis.port, `Redis (redis.port)`);
        }
        for (const group of topology.groups.filter((g) => g.machine === machine)) {
            for (const agent of group.agents) {
                const dns = agent.name.toLowerCase();
                const owner = names.get(dns);
                // The same name twice in one group is reported with the group's agents.
                if (owner && !(owner.group === group.name && owner.agent === agent.name)) {
                    problem(agentPath(group, agent.name),
                        owner.agent === agent.name ? `agent "${agent.name}" also exists in ${owner.group} on ${machine}` : `agent "${agent.name}" has the same DNS name as ${owner.group}/${owner.agent} on ${machine} (DNS is case-blind)`,
                        `rename one of them: agent names are unique on a machine`);
                }
                names.set(dns, { group: group.name, agent: agent.name });
                if (agent.port === agent.healthPort) {
                    problem(`${agentPath(group, agent.name)}.healthPort`, `is the same as the agent's port ${agent.port}`, "give the health endpoint a port of its own");
                }
                for (const [key, number] of [["port", agent.port], ["healthPort", agent.healthPort]] as const) {
                    const user = ports.get(number);
                    if (user && !(key === "healthPort" && agent.port === agent.healthPort)) {
                        problem(`${agentPath(group, agent.name)}.${key}`, `port ${number} is already used on ${machine} by ${user}`,
                            `choose a port that no other agent on ${machine} uses`);
                    } else if (!user) {
                        ports.set(number, `${group.name}/${agent.name} (${key})`);
                    }
                }
            }
        }
    }
    checkPublishedPorts(topology, problem);
}

function checkNameLengths(topology: Topology, problem: Report): void {
    const tooLong = (name: string) => name.length > MAX_NAME;
    for (const group of topology.groups) {
        if (tooLong(group.name)) {
            problem(`${groupPath(group)}.name`, `"${group.name}" has ${group.name.length} characters, more than the ${MAX_NAME} a Swarm service name, a DNS label and a Kubernetes label value allow`,
                `shorten it to at most ${MAX_NAME} characters`);
        }
        for (const agent of group.agents.filter((a) => tooLong(a.name))) {
            problem(`${agentPath(group, agent.name)}.name`, `"${agent.name}" has ${agent.name.length} characters, more than the ${MAX_NAME} of a DNS label (its alias ${agent.name.toLowerCase()}.${group.name}.${topology.networks.dnsSuffix})`,
                `shorten it to at most ${MAX_NAME} characters`);
        }
    }
    // Machine names are label values; volume keys name Kubernetes pod volumes (DNS labels).
    const named: [string, string][] = [
        ["networks.internal.name", topology.networks.internal.name],
        ["networks.external.name", topology.networks.external.name],
        ["networks.dnsSuffix", topology.networks.dnsSuffix],
        ...Object.keys(topology.machines).map((m): [string, string] => [`machines.${m}`, m]),
        ...Object.keys(topology.volumes).map((v): [string, string] => [`volumes.${v}`, v]),
    ];
    for (const [path, name] of named) {
        if (tooLong(name)) {
            problem(path, `"${name}" has ${name.length} characters, more than the ${MAX_NAME} Swarm and DNS allow`, `shorten it to at most ${MAX_NAME} characters`);
        }
    }
}

function checkPublishedPorts(topology: Topology, problem: Report): void {
    const published = new Map<number, TopologyGroup>();
    for (const group of topology.groups) {
        for (const agent of group.agents.filter((a) => a.loadBalanced)) {
            const path = `${agentPath(group, agent.name)}.port`;
            const node = NODE_PORTS[agent.port];
            if (node !== undefined) {
                problem(path, `port ${agent.port} is published on every node, where ${node} listens on it`, "publish the agent on another port");
            }
            const other = published.get(agent.port);
            if (other && other.machine !== group.machine) {
                problem(path, `port ${agent.port} is also published by ${other.name} on ${other.machine}: a published port is taken on every node of the cluster`,
                    "publish one of them on another port");
            }
            published.set(agent.port, group);
        }
    }
}
