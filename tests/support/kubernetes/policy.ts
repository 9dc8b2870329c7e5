import { loadStack } from "../../../model/load";
import { viewOfCaptured } from "../../../policy/captured";
import { evaluatePolicies, type Verdict } from "../../../policy/evaluate";
import { factsFromModel, type PolicyFacts } from "../../../policy/facts";
import type { PolicyResourceView } from "../../../policy/resource";
import { readStackFile } from "../../../config/stack-file";
import type { KubernetesRun } from "./run";

// The policy pack's rules over a Kubernetes run, with the facts of the run's own (edited) config, as
// `npm run plan` evaluates them.

export function viewsOf(run: KubernetesRun): PolicyResourceView[] {
    return run.resources.map(viewOfCaptured);
}

/** The policy facts of the run's own config, as the pack derives them from the stack's config. */
export function factsOf(run: KubernetesRun): PolicyFacts {
    const file = `Pulumi.${run.stack}.yaml`;
    const { model } = loadStack({
        config: run.config,
        secretKeys: new Set(readStackFile(file).secretKeys),
        stackFile: file,
        identity: { project: "cascade", stack: run.stack },
    });
    return factsFromModel(model, file);
}

export function verdictsOf(run: KubernetesRun, resources: readonly PolicyResourceView[] = viewsOf(run), packConfig: unknown = {}): Verdict[] {
    return evaluatePolicies(resources, factsOf(run), packConfig);
}

/** `policy: message` of every finding at the given level. */
export function findings(verdicts: readonly Verdict[], level: "mandatory" | "advisory"): string[] {
    return verdicts.flatMap((v) => v.violations).filter((v) => v.enforcementLevel === level).map((v) => `${v.policy} ${v.resource}: ${v.message}`);
}
