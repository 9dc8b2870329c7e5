import { stringify } from "yaml";
import { agentJob, NODE_JOB } from "../../../model/monitoring/prometheus";
import { ALERTS, BUDGET_FOR_SECONDS, ruleGroups, TARGET_DOWN_FOR_SECONDS, type AlertRule } from "../../../model/monitoring/rules";
import type { WatchedAgent, WatchedGroup, WatchedMachine } from "../../../model/monitoring/types";

// `promtool test rules` cases generated from the watched machines: for every agent, its probe goes
// down at DOWN_AT and its alert must not fire one evaluation before the group's start period has
// passed, and must fire, naming it, when it has. The same for a group losing a task, a machine over
// its budget, and a target Prometheus cannot scrape. One file, so promtool runs once per stack.

/** Seconds of health before the failure starts. */
const DOWN_AT = 10;

interface ExpectedAlert {
    readonly exp_labels: Record<string, string>;
    readonly exp_annotations: Record<string, string>;
}

interface TestCase {
    readonly interval: string;
    readonly input_series: { readonly series: string; readonly values: string }[];
    readonly alert_rule_test: { readonly eval_time: string; readonly alertname: string; readonly exp_alerts: ExpectedAlert[] }[];
}

const series = (name: string, labels: Readonly<Record<string, string>>) =>
    `${name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;

/** The labels a probe of this agent in this task carries (prometheus.ts's relabelling). */
export function probeLabels(agent: WatchedAgent, task: string): Record<string, string> {
    return {
        job: agentJob(agent),
        instance: `${task}:${agent.healthPort}`,
        task,
        machine: agent.machine,
        group: agent.group,
        agent: agent.agent,
        optional: String(agent.optional),
    };
}

/** Prometheus expands `{{ $labels.x }}` in annotations; the generated rules use nothing else. */
function expand(text: string, labels: Readonly<Record<string, string>>): string {
    return text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, key: string) => labels[key] ?? "");
}

function expected(rule: AlertRule, seriesLabels: Readonly<Record<string, string>>): ExpectedAlert {
    const labels = { ...seriesLabels, ...rule.labels };
    return {
        exp_labels: labels,
        exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v, labels)])),
    };
}

function ruleFor(rules: readonly AlertRule[], alert: string, labels: Readonly<Record<string, string>>): AlertRule {
    const found = rules.find((r) => r.alert === alert && Object.entries(r.labels).every(([k, v]) => k === "severity" || k === "replicas" || labels[k] === v));
    if (!found) {
        throw new Error(`no ${alert} rule for ${JSON.stringify(labels)}`);
    }
    return found;
}

/**
 * The evaluation step: the greatest common divisor of every `for` and DOWN_AT, so that the last
 * evaluation before an alert may fire and the first at which it must are both evaluated, with as few
 * evaluations as that allows (promtool evaluates every rule at every step of every case).
 */
function stepOf(forSeconds: readonly number[]): number {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    return forSeconds.every(Number.isInteger) ? forSeconds.reduce(gcd, DOWN_AT) : 1;
}

interface Timing {
    readonly step: number;
}

/** Up until DOWN_AT, then down until well past `forSeconds`, one sample per step. */
const upThenDown = (t: Timing, forSeconds: number) => `1x${DOWN_AT / t.step - 1} 0x${forSeconds / t.step + 2}`;

/** Not yet at the last evaluation before the `for` has passed; firing at the first one after. */
function beforeAndAfter(t: Timing, alertname: string, forSeconds: number, alert: ExpectedAlert, others: (time: number) => ExpectedAlert[] = () => []): TestCase["alert_rule_test"] {
    const before = DOWN_AT + forSeconds - t.step;
    const after = DOWN_AT + forSeconds;
    return [
        { eval_time: `${before}s`, alertname, exp_alerts: others(before) },
        { eval_time: `${after}s`, alertname, exp_alerts: [alert, ...others(after)] },
    ];
}

function agentCase(t: Timing, group: WatchedGroup, agent: WatchedAgent, rules: readonly AlertRule[]): TestCase {
    const labels = probeLabels(agent, "10.0.9.1");
    const alertname = agent.optional ? ALERTS.optionalAgentDown : ALERTS.agentDown;
    const rule = ruleFor(rules, alertname, labels);
    return {
        interval: `${t.step}s`,
        input_series: [{ series: series("probe_success", labels), values: upThenDown(t, group.startPeriodSeconds) }],
        alert_rule_test: beforeAndAfter(t, alertname, group.startPeriodSeconds, expected(rule, labels)),
    };
}

/**
 * Every task healthy, then the last one's agents all fail: one task fewer than the replicas. The
 * other groups have no series in this case, so their own rule sees no task at all and fires once
 * their start period has passed (that is the rule working): they are expected too.
 */
function groupCase(t: Timing, group: WatchedGroup, all: readonly WatchedGroup[], rules: readonly AlertRule[]): TestCase {
    const rule = ruleFor(rules, ALERTS.groupDegraded, { machine: group.machine, group: group.name });
    const tasks = Array.from({ length: group.probedTasks }, (_, i) => `10.0.8.${i + 1}`);
    const others = (time: number) => all
        .filter((g) => g !== group && time >= g.startPeriodSeconds)
        .map((g) => expected(ruleFor(rules, ALERTS.groupDegraded, { machine: g.machine, group: g.name }), {}));
    return {
        interval: `${t.step}s`,
        input_series: tasks.flatMap((task, i) => group.agents.map((agent) => ({
            series: series("probe_success", probeLabels(agent, task)),
            values: i === tasks.length - 1 ? upThenDown(t, group.startPeriodSeconds) : `1x${(DOWN_AT + group.startPeriodSeconds) / t.step + 2}`,
        }))),
        alert_rule_test: beforeAndAfter(t, ALERTS.groupDegraded, group.startPeriodSeconds, expected(rule, {}), others),
    };
}

function memoryCase(t: Timing, machine: WatchedMachine & { budget: { memoryBytes: number } }, rules: readonly AlertRule[]): TestCase {
    const labels = { job: NODE_JOB, instance: `node-exporter-${machine.name}:9100`, machine: machine.name };
    const rule = ruleFor(rules, ALERTS.memoryOverBudget, labels);
    const total = machine.budget.memoryBytes * 2;
    const over = total - machine.budget.memoryBytes - 1024 ** 3;
    const samples = (BUDGET_FOR_SECONDS + DOWN_AT) / t.step + 2;
    return {
        interval: `${t.step}s`,
        input_series: [
            { series: series("node_memory_MemTotal_bytes", labels), values: `${total}x${samples}` },
            { series: series("node_memory_MemAvailable_bytes", labels), values: `${total}x${DOWN_AT / t.step - 1} ${over}x${samples}` },
        ],
        alert_rule_test: beforeAndAfter(t, ALERTS.memoryOverBudget, BUDGET_FOR_SECONDS, expected(rule, labels)),
    };
}

/**
 * CPU use is a rate over a window, so it crosses the budget gradually: the case proves the alert
 * waits its `for` after the load starts and fires once the window is full of overload.
 */
function cpuCase(t: Timing, machine: WatchedMachine & { budget: { cpus: number } }, rules: readonly AlertRule[]): TestCase {
    const labels = { job: NODE_JOB, instance: `node-exporter-${machine.name}:9100`, machine: machine.name };
    const rule = ruleFor(rules, ALERTS.cpuOverBudget, labels);
    const busyPerStep = machine.budget.cpus * 2 * t.step;
    const samples = (2 * BUDGET_FOR_SECONDS + 60) / t.step;
    return {
        interval: `${t.step}s`,
        input_series: [
            { series: series("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "user" }), values: `0+${busyPerStep}x${samples}` },
            { series: series("node_cpu_seconds_total", { ...labels, cpu: "0", mode: "idle" }), values: `0+0x${samples}` },
        ],
        alert_rule_test: [
            { eval_time: `${BUDGET_FOR_SECONDS}s`, alertname: ALERTS.cpuOverBudget, exp_alerts: [] },
            { eval_time: `${2 * BUDGET_FOR_SECONDS + 30}s`, alertname: ALERTS.cpuOverBudget, exp_alerts: [expected(rule, { machine: machine.name })] },
        ],
    };
}

function targetCase(t: Timing, rules: readonly AlertRule[]): TestCase {
    const labels = { job: NODE_JOB, instance: "node-exporter-mainpc:9100", machine: "any" };
    return {
        interval: `${t.step}s`,
        input_series: [{ series: series("up", labels), values: upThenDown(t, TARGET_DOWN_FOR_SECONDS) }],
        alert_rule_test: beforeAndAfter(t, ALERTS.targetDown, TARGET_DOWN_FOR_SECONDS, expected(ruleFor(rules, ALERTS.targetDown, {}), labels)),
    };
}

export interface RuleTests {
    readonly file: string;
    /** What the file proves, one line per case, for the test's report. */
    readonly cases: readonly string[];
}

/** The unit-test file for `promtool test rules`, with the rule file named `cascade.rules.yml`. */
export function ruleTests(machines: readonly WatchedMachine[]): RuleTests {
    const rules = ruleGroups(machines).flatMap((g) => g.rules);
    const t: Timing = { step: stepOf(rules.map((r) => r.forSeconds)) };
    const groups = machines.flatMap((m) => m.groups);
    const cases: string[] = [];
    const tests: TestCase[] = [];
    for (const machine of machines) {
        for (const group of machine.groups) {
            for (const agent of group.agents) {
                tests.push(agentCase(t, group, agent, rules));
                cases.push(`${agent.optional ? ALERTS.optionalAgentDown : ALERTS.agentDown} ${machine.name}/${group.name}/${agent.agent} after ${group.startPeriodSeconds}s`);
            }
            tests.push(groupCase(t, group, groups, rules));
            cases.push(`${ALERTS.groupDegraded} ${machine.name}/${group.name} below ${group.probedTasks}`);
        }
        const { budget } = machine;
        if (budget) {
            tests.push(memoryCase(t, { ...machine, budget }, rules), cpuCase(t, { ...machine, budget }, rules));
            cases.push(`${ALERTS.memoryOverBudget} ${machine.name}`, `${ALERTS.cpuOverBudget} ${machine.name}`);
        }
    }
    tests.push(targetCase(t, rules));
    cases.push(ALERTS.targetDown);
    const file = stringify({ rule_files: ["cascade.rules.yml"], evaluation_interval: `${t.step}s`, tests }, { lineWidth: 0 });
    return { file, cases };
}
