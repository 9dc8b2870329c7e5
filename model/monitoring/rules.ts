import { stringify } from "yaml";
import { formatMemory } from "../../config/units";
import { NODE_JOB } from "./prometheus";
import type { WatchedGroup, WatchedMachine } from "./types";

// Alert rules generated from the watched machines. Each group's rules wait its own healthcheck start
// period, so an agent that is still starting never alerts, and one that stays down alerts naming its
// machine, group, agent and task (the labels of its probe).

export interface AlertRule {
    readonly alert: string;
    readonly expr: string;
    /** Seconds the condition must hold before the alert fires. */
    readonly forSeconds: number;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
    readonly name: string;
    readonly rules: readonly AlertRule[];
}

export const ALERTS = {
    agentDown: "CascadeAgentDown",
    optionalAgentDown: "CascadeOptionalAgentDown",
    groupDegraded: "CascadeGroupDegraded",
    memoryOverBudget: "CascadeMachineMemoryOverBudget",
    cpuOverBudget: "CascadeMachineCpuOverBudget",
    targetDown: "CascadeTargetDown",
} as const;

/** How long a machine may use more than its budget before it alerts: a spike is not an overrun. */
export const BUDGET_FOR_SECONDS = 300;
/** How long a target may fail to answer Prometheus at all. */
export const TARGET_DOWN_FOR_SECONDS = 120;
/** The window CPU use is averaged over. */
export const CPU_RATE_WINDOW = "5m";

const selector = (labels: Readonly<Record<string, string>>) =>
    `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;

function groupRules(group: WatchedGroup): AlertRule[] {
    const where = { machine: group.machine, group: group.name };
    const hasOptional = group.agents.some((a) => a.optional);
    const hasRequired = group.agents.some((a) => !a.optional);
    const down = (optional: boolean) => `probe_success${selector({ ...where, optional: String(optional) })} == 0`;
    // A task is healthy when every non-optional agent in it answers (the group's own healthcheck rule);
    // a group of optional agents only is healthy when all of them answer.
    const gating = selector(hasRequired ? { ...where, optional: "false" } : where);
    return [
        ...(hasRequired ? [{
            alert: ALERTS.agentDown,
            expr: down(false),
            forSeconds: group.startPeriodSeconds,
            labels: { severity: "critical", ...where },
            annotations: {
                summary: "{{ $labels.agent }} ({{ $labels.group }} on {{ $labels.machine }}) is down",
                description: `The health endpoint of {{ $labels.agent }} in task {{ $labels.task }} has failed for longer than the group's start period (${group.startPeriodSeconds}s).`,
            },
        }] : []),
        ...(hasOptional ? [{
            alert: ALERTS.optionalAgentDown,
            expr: down(true),
            forSeconds: group.startPeriodSeconds,
            labels: { severity: "warning", ...where },
            annotations: {
                summary: "optional agent {{ $labels.agent }} ({{ $labels.group }} on {{ $labels.machine }}) is down",
                description: "The health endpoint of {{ $labels.agent }} in task {{ $labels.task }} fails; the group stays healthy without it.",
            },
        }] : []),
        {
            alert: ALERTS.groupDegraded,
            // `or vector(0)`: a group with no task left at all has no series, and must alert too.
            expr: `(count(min by (task) (probe_success${gating}) == 1) or vector(0)) < ${group.probedTasks}`,
            forSeconds: group.startPeriodSeconds,
            labels: { severity: "critical", ...where, replicas: String(group.replicas) },
            annotations: {
                summary: `${group.name} on ${group.machine} has fewer than ${group.probedTasks} healthy task${group.probedTasks === 1 ? "" : "s"} (replicas: ${group.replicas})`,
                description: "Fewer tasks answer on every health endpoint than the group's replicas.",
            },
        },
    ];
}

function machineRules(machine: WatchedMachine): AlertRule[] {
    if (!machine.budget) {
        return [];
    }
    const where = selector({ job: NODE_JOB, machine: machine.name });
    return [
        {
            alert: ALERTS.memoryOverBudget,
            expr: `node_memory_MemTotal_bytes${where} - node_memory_MemAvailable_bytes${where} > ${machine.budget.memoryBytes}`,
            forSeconds: BUDGET_FOR_SECONDS,
            labels: { severity: "warning", machine: machine.name },
            annotations: { summary: `${machine.name} uses more memory than its budget of ${formatMemory(machine.budget.memoryBytes)}` },
        },
        {
            alert: ALERTS.cpuOverBudget,
            expr: `sum by (machine) (rate(node_cpu_seconds_total${selector({ job: NODE_JOB, machine: machine.name })}[${CPU_RATE_WINDOW}])) - sum by (machine) (rate(node_cpu_seconds_total${selector({ job: NODE_JOB, machine: machine.name, mode: "idle" })}[${CPU_RATE_WINDOW}])) > ${machine.budget.cpus}`,
            forSeconds: BUDGET_FOR_SECONDS,
            labels: { severity: "warning", machine: machine.name },
            annotations: { summary: `${machine.name} uses more CPUs than its budget of ${machine.budget.cpus}` },
        },
    ];
}

export function ruleGroups(machines: readonly WatchedMachine[]): RuleGroup[] {
    return [
        ...machines.flatMap((m) => m.groups.map((g) => ({ name: `${m.name}/${g.name}`, rules: groupRules(g) }))),
        { name: "machines", rules: machines.flatMap(machineRules) },
        {
            name: "scrape",
            rules: [{
                alert: ALERTS.targetDown,
                expr: "up == 0",
                forSeconds: TARGET_DOWN_FOR_SECONDS,
                labels: { severity: "critical" },
                annotations: { summary: "Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }})" },
            }],
        },
    ];
}

/** The rule groups as Prometheus (and the operator's PrometheusRule spec) spell them. */
export function rulesDocument(groups: readonly RuleGroup[]) {
    return {
        groups: groups.map((g) => ({
            name: g.name,
            rules: g.rules.map((r) => ({ alert: r.alert, expr: r.expr, for: `${r.forSeconds}s`, labels: { ...r.labels }, annotations: { ...r.annotations } })),
        })),
    };
}

/** The rule file as Prometheus reads it. */
export function rulesFile(groups: readonly RuleGroup[]): string {
    return stringify(rulesDocument(groups), { lineWidth: 0 });
}
