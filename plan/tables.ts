import { allowance, formatCpus, roundAmount } from "../model/budget";
import type { BudgetModel, CascadeModel } from "../model/types";
import { formatMemory } from "../config/units";
import { textTable } from "./text-table";

// The budget and port tables, read from the model: the budget is the model's own sum of each group's
// (and Redis's) reservations and limits times replicas (model/budget.ts).

/** CPUs as the plan prints them: at most three decimals. */
export const cpu = formatCpus;

/** "12.75 free" or "7 over (122%)": headroom against capacity x ratio, overcommit as a share of capacity. */
function headroom(used: number, capacity: number, ratio: number, format: (n: number) => string): string {
    const { allowed, over, percent } = allowance(used, capacity, ratio);
    if (!over) {
        return `${format(roundAmount(allowed - used))} free`;
    }
    return `${format(roundAmount(used - allowed))} over${percent === undefined ? "" : ` (${percent}%)`}`;
}

export function budgetTable(budget: BudgetModel): string {
    const { capacity, overcommitRatio: ratio } = budget;
    const rows = budget.lines.map((l) => [
        l.name, l.autoscaled ? `${l.replicas} (max)` : l.replicas, cpu(l.reserved.cpus), formatMemory(l.reserved.memoryBytes), l.reserved.gpus, cpu(l.limited.cpus), formatMemory(l.limited.memoryBytes),
    ]);
    const table = textTable(
        ["group", "replicas", "reserved CPU", "reserved mem", "GPU", "limit CPU", "limit mem"],
        [
            ...rows,
            ["total", "-", cpu(budget.reserved.cpus), formatMemory(budget.reserved.memoryBytes), budget.reserved.gpus, cpu(budget.limited.cpus), formatMemory(budget.limited.memoryBytes)],
            ["capacity", "-", cpu(capacity.cpus), formatMemory(capacity.memoryBytes), capacity.gpus, cpu(capacity.cpus * ratio), formatMemory(capacity.memoryBytes * ratio)],
        ],
    );
    const summary = [
        `reserved: CPU ${headroom(budget.reserved.cpus, capacity.cpus, 1, cpu)}, memory ${headroom(budget.reserved.memoryBytes, capacity.memoryBytes, 1, formatMemory)}, GPU ${headroom(budget.reserved.gpus, capacity.gpus, 1, String)}`,
        `limits:   CPU ${headroom(budget.limited.cpus, capacity.cpus, ratio, cpu)}, memory ${headroom(budget.limited.memoryBytes, capacity.memoryBytes, ratio, formatMemory)}${ratio === 1 ? "" : ` (capacity x overcommit ratio ${ratio})`}`,
    ];
    return `${table}\n${summary.join("\n")}`;
}

/**
 * What the numbers above do not show: on Kubernetes, which counts are autoscaler maxima; on Swarm,
 * which groups are standalone containers, for which Docker reserves no CPU.
 */
export function budgetNotes(model: CascadeModel): string[] {
    if (model.platform === "kubernetes") {
        return model.groups.filter((g) => g.autoscaled)
            .map((g) => `note: ${g.name} is autoscaled from ${g.scaling.min} to ${g.maxReplicas} replicas; the budget counts the maximum.`);
    }
    return model.groups
        .filter((g) => g.runAs === "standalone" && g.resources.reservations.cpus > 0)
        .map((g) => `note: ${g.name} runs as a standalone container; Docker has no CPU reservation for containers, so its ${cpu(g.resources.reservations.cpus)} reserved CPU is counted here but not held by the engine.`);
}

export function portTable(model: CascadeModel): string {
    const rows = model.directory.map((d) => [d.group, d.agent, d.port, d.healthPort, d.published ? "published" : "internal"]);
    const redis = model.redis ? [[model.redis.group, `${model.redis.name} (Redis)`, model.redis.port, "-", "internal"]] : [];
    return textTable(["group", "agent", "port", "health port", "exposure"], [...rows, ...redis]);
}
