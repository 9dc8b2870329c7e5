import { roundAmount } from "../../model/budget";
import { formatMemory } from "../../config/units";
import { cpu } from "../tables";
import { diffPlans, isEmpty, policyStatus, type PlanDiff, type PolicyStatus } from "./diff";
import type { Amounts, Budget, PlanDocument } from "./document";

// The PR comment: one markdown document for every stack, headed by a hidden marker so that the
// workflow updates its own comment instead of adding one per push.

/** The first line of the comment; the workflow finds its previous comment by it. */
export const COMMENT_MARKER = "<!-- cascade-offline-plan -->";

/** A plan, or why there is none (the plan's own message). */
export type Outcome = { readonly plan: PlanDocument } | { readonly error: string };

export interface StackOutcome {
    readonly stack: string;
    readonly head: Outcome;
    /** undefined: no base was asked for; "absent": the base has no config file for this stack. */
    readonly base?: Outcome | "absent";
}

export interface CommentRequest {
    /** What was planned, e.g. "HEAD (1a2b3c4)". */
    readonly head: string;
    /** What it is compared with, e.g. "HEAD^1 (5d6e7f8)"; undefined: no comparison. */
    readonly base?: string;
    readonly stacks: readonly StackOutcome[];
}

/** Each list of changed resources stops here, so that a large change still fits one comment. */
const LIST_LIMIT = 30;

const LABEL: Record<PolicyStatus, string> = { pass: "✅ pass", warn: "⚠️ warn", fail: "❌ FAIL", off: "off" };

const cell = (text: string) => text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");

function signed(delta: number, format: (n: number) => string): string {
    return delta === 0 ? "" : ` (${delta > 0 ? "+" : "-"}${format(Math.abs(delta))})`;
}

/** A budget row: each amount, with its change against the base when there is one. */
function amounts(now: Amounts, before: Amounts | undefined): string[] {
    const delta = (key: keyof Amounts, format: (n: number) => string) =>
        `${format(now[key])}${before ? signed(roundAmount(now[key] - before[key]), format) : ""}`;
    return [delta("cpus", cpu), delta("memoryBytes", formatMemory), delta("gpus", String)];
}

/** What the limits may add up to: capacity x the overcommit ratio. */
const scaled = (capacity: Amounts, ratio: number): Amounts => ({ cpus: capacity.cpus * ratio, memoryBytes: capacity.memoryBytes * ratio, gpus: capacity.gpus });

function budgetTable(budget: Budget, base: Budget | undefined): string[] {
    const baseLines = new Map(base?.lines.map((l) => [l.name, l]));
    const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    const twin = (a: string[], b: string[]) => [a[0], a[1], a[2], b[0], b[1]];
    const lines = budget.lines.map((l) => {
        const old = baseLines.get(l.name);
        const [rCpu, rMem, gpu] = amounts(l.reserved, base ? old?.reserved ?? { cpus: 0, memoryBytes: 0, gpus: 0 } : undefined);
        const [lCpu, lMem] = amounts(l.limited, base ? old?.limited ?? { cpus: 0, memoryBytes: 0, gpus: 0 } : undefined);
        const name = base && !old ? `${l.name} (new)` : l.name;
        const replicas = `${l.replicas}${l.autoscaled ? " (max)" : ""}${old ? signed(l.replicas - old.replicas, String) : ""}`;
        return row([name, replicas, ...twin([rCpu, rMem, gpu], [lCpu, lMem])]);
    });
    const { capacity, overcommitRatio: ratio } = budget;
    return [
        row(["group", "replicas", "reserved CPU", "reserved mem", "GPU", "limit CPU", "limit mem"]),
        "|---|--:|--:|--:|--:|--:|--:|",
        ...lines,
        row(["**total**", "", ...twin(amounts(budget.reserved, base?.reserved), amounts(budget.limited, base?.limited))]),
        row(["capacity", "", ...twin(amounts(capacity, base?.capacity), amounts(scaled(capacity, ratio), base ? scaled(base.capacity, base.overcommitRatio) : undefined))]),
    ];
}

function limited<T>(items: readonly T[], line: (item: T) => string): string[] {
    const shown = items.slice(0, LIST_LIMIT).map(line);
    return items.length > LIST_LIMIT ? [...shown, `- … and ${items.length - LIST_LIMIT} more (run the command below locally for the full list)`] : shown;
}

function changeLines(diff: PlanDiff): string[] {
    if (isEmpty(diff)) {
        return ["No change against the base: the same resources with the same inputs, and the same policy verdicts."];
    }
    return [
        `Against the base: **${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed**.`,
        "",
        ...limited(diff.added, (r) => `- added \`${r.name}\` (${r.type})`),
        ...limited(diff.removed, (r) => `- removed \`${r.name}\` (${r.type})`),
        ...limited(diff.changed, (c) => `- changed \`${c.name}\` (${c.type}): ${c.fields.join(", ")}`),
        ...diff.policies.map((m) => `- policy \`${m.policy}\`: ${m.before ? LABEL[m.before] : "new"} → ${LABEL[m.after]}`),
    ];
}

function baseLines(outcome: StackOutcome["base"], head: PlanDocument): { lines: string[]; budget?: Budget } {
    if (outcome === undefined) {
        return { lines: [] };
    }
    if (outcome === "absent") {
        return { lines: ["New stack: the base has no config file for it, so every resource is added."] };
    }
    if ("error" in outcome) {
        return { lines: ["The base's plan failed, so there is nothing to compare with:", "", fenced(outcome.error)] };
    }
    return { lines: changeLines(diffPlans(outcome.plan, head)), budget: outcome.plan.budgets[head.machine] };
}

function fenced(text: string): string {
    return ["```", text.trim().replace(/```/g, "'''"), "```"].join("\n");
}

function policyLines(plan: PlanDocument): string[] {
    const counts = new Map<PolicyStatus, number>();
    plan.policies.forEach((p) => counts.set(policyStatus(p), (counts.get(policyStatus(p)) ?? 0) + 1));
    const summary = (["pass", "warn", "fail", "off"] as const).map((s) => `${counts.get(s) ?? 0} ${s}`).join(", ");
    const findings = plan.violations.map((v) => `- ${v.enforcementLevel === "mandatory" ? LABEL.fail : LABEL.warn} \`${v.policy}\` (${v.enforcementLevel}): ${cell(v.message)}`);
    return [
        `Policies (${plan.policies.length}): ${summary}.`,
        ...(findings.length > 0 ? ["", ...findings] : []),
        "",
        "<details><summary>Every policy verdict</summary>",
        "",
        "| policy | level | verdict | findings |",
        "|---|---|---|--:|",
        ...plan.policies.map((p) => `| \`${p.policy}\` | ${p.enforcementLevel} | ${LABEL[policyStatus(p)]} | ${p.violations} |`),
        "",
        "</details>",
    ];
}

function stackSection(outcome: StackOutcome): string[] {
    const heading = `#### ${outcome.stack}`;
    if ("error" in outcome.head) {
        return [heading, "", "❌ The plan failed:", "", fenced(outcome.head.error)];
    }
    const { plan } = outcome.head;
    const base = baseLines(outcome.base, plan);
    const budget = plan.budgets[plan.machine];
    return [
        heading,
        "",
        `Machine ${plan.machine}, platform ${plan.platform}, ${plan.resources.length} resources.`,
        ...(base.lines.length > 0 ? ["", ...base.lines] : []),
        "",
        `Budget of ${plan.machine} (reservations and limits × replicas${base.budget ? "; in brackets the change against the base" : ""}):`,
        "",
        ...(budget ? budgetTable(budget, base.budget) : ["(the plan has no budget for this machine)"]),
        "",
        ...policyLines(plan),
    ];
}

function summaryRow(outcome: StackOutcome): string {
    if ("error" in outcome.head) {
        return `| ${outcome.stack} | - | - | ❌ plan failed | - | - |`;
    }
    const { plan } = outcome.head;
    const advisory = plan.violations.length - plan.result.mandatoryViolations;
    const verdict = plan.result.ok ? "✅ 0" : `❌ ${plan.result.mandatoryViolations}`;
    let against = "-";
    if (outcome.base === "absent") {
        against = "new stack";
    } else if (outcome.base && "error" in outcome.base) {
        against = "base plan failed";
    } else if (outcome.base) {
        const diff = diffPlans(outcome.base.plan, plan);
        against = isEmpty(diff) ? "no change" : `+${diff.added.length} -${diff.removed.length} ~${diff.changed.length}`;
    }
    return `| ${outcome.stack} | ${plan.machine} (${plan.platform}) | ${plan.resources.length} | ${verdict} | ${advisory} | ${against} |`;
}

/** The stacks whose plan failed or fails a mandatory policy: the job fails on any of them. */
export function failingStacks(stacks: readonly StackOutcome[]): string[] {
    return stacks.filter((s) => "error" in s.head || !s.head.plan.result.ok).map((s) => s.stack);
}

export function commentMarkdown(request: CommentRequest): string {
    const failing = failingStacks(request.stacks);
    const result = failing.length === 0
        ? "**✅ No mandatory policy failed: `pulumi up` would not be blocked by policy.**"
        : `**❌ ${failing.join(", ")}: the plan failed or a mandatory policy failed; \`pulumi up\` would be blocked.**`;
    return [
        COMMENT_MARKER,
        "### Cascade offline plan",
        "",
        `Planned offline (\`npm run plan\`, under Pulumi's mock runtime): no Pulumi backend, secret or Docker engine was involved. Head: ${request.head}${request.base ? `; base: ${request.base}` : "; no base to compare with"}.`,
        "",
        "| stack | machine | resources | mandatory failures | advisory findings | against the base |",
        "|---|---|--:|--:|--:|---|",
        ...request.stacks.map(summaryRow),
        "",
        result,
        ...request.stacks.flatMap((s) => ["", ...stackSection(s)]),
        "",
    ].join("\n");
}
