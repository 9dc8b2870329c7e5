import { allowance, timesReplicas } from "../../model/budget";
import { agentMemorySum, formatMemory } from "../../config/units";
import type { MachineFacts, PolicyFacts } from "../facts";
import { workloadsOf } from "../readers";
import { describe, manifestOf, type Workload } from "../workload";
import { cpus, defineRule, type Finding } from "./types";

// Budgets per machine (S6): what the workloads reserve and may use, times replicas, against the
// machine's capacity from its stack config.

type Dimension = "cpus" | "memoryBytes" | "gpus";

const UNIT: Readonly<Record<Dimension, { readonly name: string; readonly format: (n: number) => string; readonly key: string }>> = {
    cpus: { name: "CPUs", format: cpus, key: "cpus" },
    memoryBytes: { name: "memory", format: formatMemory, key: "memory" },
    gpus: { name: "GPUs", format: String, key: "gpus" },
};

interface Share {
    readonly workload: Workload;
    /** Per replica. */
    readonly each: number;
    readonly total: number;
    /** The workload has no limit, so the whole machine is counted. */
    readonly unlimited?: boolean;
}

function byMachine(workloads: readonly Workload[]): Map<string, Workload[]> {
    const machines = new Map<string, Workload[]>();
    for (const workload of workloads) {
        if (workload.machine !== undefined) {
            const list = machines.get(workload.machine);
            if (list) {
                list.push(workload);
            } else {
                machines.set(workload.machine, [workload]);
            }
        }
    }
    return machines;
}

function listShares(shares: readonly Share[], format: (n: number) => string): string {
    return shares
        .filter((s) => s.total > 0)
        .sort((a, b) => b.total - a.total)
        .map((s) => `${s.workload.resource.name} ${s.unlimited ? "unlimited (counted as the whole machine)" : `${format(s.each)} x ${s.workload.replicas}`}`)
        .join(", ");
}

/** Workloads that carry no machine label, or whose machine no stack config describes. */
function unplacedFindings(workloads: readonly Workload[], facts: PolicyFacts): Finding[] {
    return workloads.flatMap((w): Finding[] => {
        if (w.machine === undefined) {
            return [{ resource: w.resource.name, urn: w.resource.urn, message: `${describe(w)} has no cascade.machine label, so no machine budget covers it. Label it with the machine it runs on.` }];
        }
        if (!facts.machines.has(w.machine)) {
            return [{ resource: w.resource.name, urn: w.resource.urn, message: `${describe(w)} runs on machine "${w.machine}", which no stack config describes, so its capacity is unknown. Add a Pulumi.<stack>.yaml with cascade:machine: ${w.machine} and its cascade:capacity.` }];
        }
        return [];
    });
}

/**
 * A finding when the shares add up to more than capacity x ratio, naming the machine, the largest
 * contributor (the resource the pack reports against) and every share.
 */
function overFinding(machine: MachineFacts, dimension: Dimension, shares: readonly Share[], ratio: number, what: string, fix: string): Finding | undefined {
    const total = shares.reduce((sum, s) => sum + s.total, 0);
    const capacity = machine.capacity[dimension];
    const { allowed, over, percent: share } = allowance(total, capacity, ratio);
    if (!over) {
        return undefined;
    }
    const unit = UNIT[dimension];
    const largest = [...shares].sort((a, b) => b.total - a.total)[0];
    const percent = share === undefined ? "" : `${share}% of `;
    const limit = ratio === 1 ? `the ${unit.format(capacity)} it has` : `the ${unit.format(allowed)} allowed (${unit.format(capacity)} x overcommit ratio ${ratio})`;
    return {
        resource: largest.workload.resource.name,
        urn: largest.workload.resource.urn,
        message: `${machine.name}: ${what} add up to ${unit.format(total)} ${unit.name} (${percent}its ${unit.format(capacity)}), ${unit.format(total - allowed)} over ${limit}: ${listShares(shares, unit.format)}. ${fix}`,
    };
}

/** How one rule counts a machine's workloads in one dimension, and what it says when they do not fit. */
interface Count {
    readonly dimensions: readonly Dimension[];
    /** Each workload's share of the machine in one dimension. */
    readonly share: (workload: Workload, dimension: Dimension, machine: MachineFacts) => Share;
    readonly ratio: (machine: MachineFacts) => number;
    readonly what: string;
    readonly fix: (machine: MachineFacts, dimension: Dimension) => string;
}

/** Every machine's findings: per machine described by a stack config, per dimension, the shares against capacity. */
function machineFindings(workloads: readonly Workload[], facts: PolicyFacts, count: Count): Finding[] {
    const findings: Finding[] = [];
    for (const [name, machineWorkloads] of byMachine(workloads)) {
        const machine = facts.machines.get(name);
        if (!machine) {
            continue;
        }
        for (const dimension of count.dimensions) {
            const shares = machineWorkloads.map((w) => count.share(w, dimension, machine));
            const finding = overFinding(machine, dimension, shares, count.ratio(machine), count.what, count.fix(machine, dimension));
            if (finding) {
                findings.push(finding);
            }
        }
    }
    return findings;
}

export const budgetReservations = defineRule({
    name: "budget-reservations",
    description: "Reservations x replicas of every workload on a machine fit the machine's CPUs, memory and GPUs (from its stack config).",
    enforcementLevel: "mandatory",
    scope: "stack",
    check({ resources, facts }) {
        const workloads = workloadsOf(resources, facts);
        return [...unplacedFindings(workloads, facts), ...machineFindings(workloads, facts, {
            dimensions: ["cpus", "memoryBytes", "gpus"],
            share: (w, dimension) => {
                const each = dimension === "gpus" ? w.gpus : w.reserved[dimension];
                return { workload: w, each, total: timesReplicas(each, w.replicas) };
            },
            ratio: () => 1,
            what: "reservations x replicas",
            fix: (machine, dimension) =>
                `The scheduler cannot place them all: lower reservations or replicas, or set cascade:capacity.${UNIT[dimension].key} in ${machine.source} if ${machine.name} really has more.`,
        })];
    },
});

export const budgetLimitsOvercommit = defineRule({
    name: "budget-limits-overcommit",
    description: "Limits x replicas on a machine stay within its capacity x cascade:budget.overcommitRatio; above that, groups can starve each other under load.",
    enforcementLevel: "advisory",
    scope: "stack",
    check({ resources, facts }) {
        return machineFindings(workloadsOf(resources, facts), facts, {
            dimensions: ["cpus", "memoryBytes"],
            share: (w, dimension, machine) => {
                // A GPU is held whole: its reservation is its limit.
                const limit = dimension === "gpus" ? w.gpus : w.limits[dimension];
                const each = limit ?? machine.capacity[dimension];
                return { workload: w, each, total: timesReplicas(each, w.replicas), unlimited: limit === undefined };
            },
            ratio: (machine) => machine.overcommitRatio,
            what: "limits x replicas",
            fix: (machine, dimension) =>
                `Under full load the groups compete for ${UNIT[dimension].name}: lower limits or replicas, or accept it by raising cascade:budget.overcommitRatio in ${machine.source}.`,
        });
    },
});

export const agentMemoryWithinGroupLimit = defineRule({
    name: "agent-memory-within-group-limit",
    description: "The memory limits of a group's agents (its CASCADE_AGENTS manifest) add up to no more than the group's memory limit per replica.",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts).flatMap((w): Finding[] => {
            const agents = manifestOf(w)?.filter((a) => a.memoryLimitBytes !== undefined) ?? [];
            const limit = w.limits.memoryBytes;
            const total = agentMemorySum(agents.map((a) => a.memoryLimitBytes));
            if (limit === undefined || total === undefined || total <= limit) {
                return [];
            }
            const list = agents.map((a) => `${a.name} ${formatMemory(a.memoryLimitBytes ?? 0)}`).join(", ");
            return [{
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${describe(w)}${w.machine ? ` on ${w.machine}` : ""}: its agents' memory limits add up to ${formatMemory(total)}, more than the group's limit of ${formatMemory(limit)} per replica (${list}). Raise the group's resources.limits.memory or lower the agents' memoryLimit.`,
            }];
        });
    },
});
