import { loadStack } from "../../model/load";
import type { CascadeModel } from "../../model/types";
import { viewOfCaptured } from "../../policy/captured";
import { evaluatePolicies, type Verdict, type Violation } from "../../policy/evaluate";
import { factsFromModel, type PolicyFacts } from "../../policy/facts";
import type { PolicyResourceView } from "../../policy/resource";
import { readStackFile } from "../../config/stack-file";
import { runStack, type ConfigEdits, type StackRun } from "./program";

// A Swarm stack run as the policy rules see it: the captured resources as neutral views, and the
// facts of the run's own (edited) config, exactly as `npm run plan` evaluates them.

export interface PolicyRun {
    readonly run: StackRun;
    readonly model: CascadeModel;
    readonly facts: PolicyFacts;
    readonly views: PolicyResourceView[];
}

export async function policyRun(stack: "mainpc" | "pc2", edits: ConfigEdits = {}): Promise<PolicyRun> {
    const run = await runStack(stack, edits);
    const file = `Pulumi.${stack}.yaml`;
    const { model } = loadStack({
        config: run.config,
        secretKeys: new Set(readStackFile(file).secretKeys),
        stackFile: file,
        identity: { project: "cascade", stack },
    });
    return { run, model, facts: factsFromModel(model, file), views: run.resources.map(viewOfCaptured) };
}

export function verdicts(run: PolicyRun, views: readonly PolicyResourceView[] = run.views, packConfig: unknown = {}, facts: PolicyFacts = run.facts): Verdict[] {
    return evaluatePolicies(views, facts, packConfig);
}

/** The violations of one policy. */
export function violations(all: readonly Verdict[], policy: string): readonly Violation[] {
    const verdict = all.find((v) => v.policy === policy);
    if (!verdict) {
        throw new Error(`no policy ${policy}`);
    }
    return verdict.violations;
}

/** Every violation of every policy, as `policy: message` lines (for readable failures). */
export function allViolations(all: readonly Verdict[]): string[] {
    return all.flatMap((v) => v.violations.map((x) => `${x.policy}: ${x.message}`));
}

/** The views with one resource's props changed (a deep copy: the run stays as captured). */
export function changed(views: readonly PolicyResourceView[], name: string, change: (props: Record<string, unknown>) => void): PolicyResourceView[] {
    if (!views.some((v) => v.name === name)) {
        throw new Error(`no resource ${name}`);
    }
    return views.map((view) => {
        if (view.name !== name) {
            return view;
        }
        const props = JSON.parse(JSON.stringify(view.props)) as Record<string, unknown>;
        change(props);
        return { ...view, props };
    });
}

/** A Swarm service's container spec within its props, for changes. */
export function containerSpec(props: Record<string, unknown>): Record<string, unknown> {
    return (props.taskSpec as { containerSpec: Record<string, unknown> }).containerSpec;
}

/** The name of the Pulumi resource a group runs as (its service or container). */
export function workloadName(model: CascadeModel, group: string): string {
    const found = model.groups.find((g) => g.name === group);
    if (!found) {
        throw new Error(`no group ${group}`);
    }
    return `${group}-${found.runAs === "service" ? "service" : "container"}`;
}
