import type { BudgetLine, BudgetModel, GroupModel, MachineModel, RedisModel, Resources } from "./types";

// A machine's budget: what its groups reserve and may use, times replicas, against its capacity
// (S6: the seed's own MainPC limits add up to 38 CPUs and 106 GB against 32 cores and 80 GB).

function lineOf(name: string, replicas: number, autoscaled: boolean, resources: Resources): BudgetLine {
    return {
        name,
        replicas,
        autoscaled,
        reserved: {
            cpus: resources.reservations.cpus * replicas,
            memoryBytes: resources.reservations.memoryBytes * replicas,
            gpus: resources.gpus * replicas,
        },
        limited: {
            cpus: resources.limits.cpus * replicas,
            memoryBytes: resources.limits.memoryBytes * replicas,
            gpus: resources.gpus * replicas,
        },
    };
}

type Amounts = BudgetLine["reserved"];

function sum(amounts: readonly Amounts[]): Amounts {
    return amounts.reduce(
        (total, a) => ({
            // Rounded to avoid 0.1 + 0.2 artefacts in tables and policy messages.
            cpus: Math.round((total.cpus + a.cpus) * 1000) / 1000,
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
