import { docker, currentTasks } from "./docker";
import { allContainers, allServices, machineOfGroup, machineOfService, service } from "./lookup";
import type { Sample } from "./prometheus-api";
import type { Acceptance } from "./setup";
import { readSourceTopology } from "./topology";

// What Prometheus should see on the two-node swarm, from the rendered files and the engine (never
// from the program's monitoring model, which is what is under test): one probe per agent per running
// task, labelled with the agent's machine, group, name and optionality and the task's address on
// the overlay; a metrics scrape per task of each agent with a metricsPath.

export interface ExpectedTarget {
    readonly machine: string;
    readonly group: string;
    readonly agent: string;
    readonly optional: string;
    /** The task's IP on the overlay Prometheus is on, or the standalone container's DNS name. */
    readonly task: string;
    /** The topology's metricsPath, for the agents Prometheus also scrapes. */
    readonly metricsPath?: string;
}

interface TaskNetworks {
    readonly Status: { readonly State: string };
    readonly NetworksAttachments?: readonly { readonly Network: { readonly Spec: { readonly Name: string } }; readonly Addresses: readonly string[] }[];
}

/** The running tasks' IPs on a network, from the engine. */
async function taskAddresses(serviceName: string, network: string): Promise<string[]> {
    const ids = (await currentTasks(serviceName)).filter((t) => t.Status.State === "running").map((t) => t.ID);
    if (ids.length === 0) {
        return [];
    }
    const tasks = JSON.parse(await docker(["inspect", "--type", "task", ...ids])) as TaskNetworks[];
    return tasks.flatMap((t) => (t.NetworksAttachments ?? []).filter((n) => n.Network.Spec.Name === network).flatMap((n) => n.Addresses.map((a) => a.replace(/\/\d+$/, ""))));
}

/** The network Prometheus runs on (its rendered service's only one). */
export function prometheusNetwork(a: Acceptance): string {
    const networks = [...service(a, "prometheus").networks.keys()];
    if (networks.length !== 1) {
        throw new Error(`the rendered Prometheus is on ${networks.join(", ") || "no network"}, not on one internal network`);
    }
    return networks[0];
}

/** Every agent of the source topology, by `<group>/<agent>`: its optionality and metricsPath. */
function topologyAgents(): Map<string, { optional: boolean; metricsPath?: string }> {
    return new Map(readSourceTopology().groups.flatMap((g) => g.agents.map((agent) => [`${g.name}/${agent.name}`, { optional: agent.optional === true, metricsPath: agent.metricsPath }])));
}

export const topologyAgentCount = (): number => topologyAgents().size;

/** One expected target per agent per running task of every rendered workload of both machines. */
export async function expectedTargets(a: Acceptance): Promise<ExpectedTarget[]> {
    const network = prometheusNetwork(a);
    const agents = topologyAgents();
    const target = (machine: string, group: string, agent: string, task: string): ExpectedTarget => {
        const known = agents.get(`${group}/${agent}`);
        if (!known) {
            throw new Error(`${group}/${agent} was rendered but is not in the topology`);
        }
        return { machine, group, agent, optional: String(known.optional), task, ...(known.metricsPath ? { metricsPath: known.metricsPath } : {}) };
    };
    const fromServices = await Promise.all(allServices(a).filter((s) => s.agents.length > 0).map(async (s) => {
        const addresses = await taskAddresses(s.name, network);
        return addresses.flatMap((ip) => s.agents.map((agent) => target(machineOfService(a, s.name), s.group, agent.name, ip)));
    }));
    const fromContainers = allContainers(a).flatMap((c) => c.agents.map((agent) => target(machineOfGroup(c.group), c.group, agent.name, agent.dnsName)));
    return [...fromServices.flat(), ...fromContainers];
}

/** The labels a probe, a scrape or an alert names its target by. */
export type TargetLabels = Readonly<Partial<Record<"machine" | "group" | "agent" | "optional" | "task", string>>>;

/** A target as a line, for comparing what Prometheus sees with what is expected. */
export const targetKey = (t: TargetLabels): string =>
    `${t.machine ?? "?"} ${t.group ?? "?"} ${t.agent ?? "?"} optional=${t.optional ?? "?"} task=${t.task ?? "?"}`;

/** The samples' targets that differ from the expected ones: missing, unexpected, or not 1. */
export function targetDifferences(samples: readonly Sample[], expected: readonly string[], keyOf: (labels: Readonly<Record<string, string>>) => string): string[] {
    const seen = new Map(samples.map((s) => [keyOf(s.metric), s.value[1]]));
    return [
        ...expected.filter((k) => !seen.has(k)).map((k) => `missing: ${k}`),
        ...[...seen].filter(([k]) => !expected.includes(k)).map(([k]) => `unexpected: ${k}`),
        ...[...seen].filter(([k, v]) => expected.includes(k) && v !== "1").map(([k, v]) => `${k} is ${v}`),
    ];
}
