import type { BudgetLine, BudgetModel, GroupModel, MachineModel, RedisModel, Resources } from "./types";

// A machine's budget: what its groups reserve and may use, times replicas, against its capacity
// (S6: the seed's own MainPC limits add up to 38 CPUs and 106 GB against 32 cores and 80 GB).
// The arithmetic lives here once: the model's lines and totals, the plan's tables and the policy
// pack's verdicts on the recorded resources all count, round and compare with these.

/** A sum of amounts rounded to three decimals, to avoid 0.1 + 0.2 artefacts in tables and messages. */
export function roundAmount(n: number): number {
    return Math.round(n * 1000) / 1000;
}

/** CPUs as plans and messages print them: at most three decimals. */
export const formatCpus = (n: number) => String(roundAmount(n));

/** What `used` may reach against a capacity: capacity x ratio (the overcommit ratio, 1 for reservations). */
export function allowance(used: number, capacity: number, ratio: number): { readonly allowed: number; readonly over: boolean; readonly percent?: number } {
    const allowed = capacity * ratio;
    // Sums of decimals may land a hair above an exact fit.
    return { allowed, over: used > allowed + 1e-9, percent: capacity > 0 ? Math.round((used / capacity) * 100) : undefined };
}

/** Per-replica amounts times replicas. */
export function timesReplicas(each: number, replicas: number): number {
    return each * replicas;
}

function lineOf(name: string, replicas: number, autoscaled: boolean, resources: Resources): BudgetLine {
    return {
        name,
        replicas,
        autoscaled,
        reserved: {
            cpus: timesReplicas(resources.reservations.cpus, replicas),
            memoryBytes: timesReplicas(resources.reservations.memoryBytes, replicas),
            gpus: timesReplicas(resources.gpus, replicas),
        },
        limited: {
            cpus: timesReplicas(resources.limits.cpus, replicas),
            memoryBytes: timesReplicas(resources.limits.memoryBytes, replicas),
            gpus: timesReplicas(resources.gpus, replicas),
        },
    };
}

type Amounts = BudgetLine["reserved"];

function sum(amounts: readonly Amounts[]): Amounts {
    return amounts.reduce(
        (total, a) => ({
            cpus: roundAmount(total.cpus + a.cpus),
            memoryBytes: total.memoryBytes + a.memoryBytes,
            gpus: total.gpus + a.gpus,
        }),
        { cpus: 0, memoryBytes: 0, gpus: 0 },
    );
}

export function budgetOf(
    machine: MachineModel,
    groups: readonly GroupModel[],
    redis: RedisModel | undefined,
    overcommitRatio: number,
    /** Other services the stack runs on the machine (monitoring), one replica each. */
    others: readonly { readonly name: string; readonly resources: Resources }[] = [],
): BudgetModel {
    const lines = [
        ...groups.map((g) => lineOf(g.name, g.maxReplicas, g.autoscaled, g.resources)),
        ...(redis ? [lineOf(redis.name, 1, false, redis.resources)] : []),
        ...others.map((o) => lineOf(o.name, 1, false, o.resources)),
    ];
    return {
        machine: machine.name,
        capacity: machine.capacity,
        overcommitRatio,
        lines,
        reserved: sum(lines.map((l) => l.reserved)),
        limited: sum(lines.map((l) => l.limited)),
    };
}
