import { resolvePolicyConfig } from "./config";
import type { PolicyFacts } from "./facts";
import type { PolicyResourceView } from "./resource";
import { RULES } from "./rules";
import type { EnforcementLevel, Rule } from "./rules/types";

// Runs the rules outside Pulumi's policy engine: the offline plan and the tests use this, over the
// resources captured under mocks, with the same rules and the same config format as the pack.

export interface Violation {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly resource: string;
    readonly message: string;
}

export interface Verdict {
    readonly policy: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly violations: readonly Violation[];
}

export function evaluatePolicies(
    resources: readonly PolicyResourceView[],
    facts: PolicyFacts,
    packConfig: unknown = {},
    rules: readonly Rule[] = RULES,
): Verdict[] {
    const config = resolvePolicyConfig(packConfig, rules);
    return rules.map((rule) => {
        const enforcementLevel = config.levels.get(rule.name) ?? rule.enforcementLevel;
        const findings = enforcementLevel === "disabled" ? [] : rule.evaluate(resources, facts, config.settings.get(rule.name));
        return {
            policy: rule.name,
            description: rule.description,
            enforcementLevel,
            violations: findings.map((f) => ({ policy: rule.name, enforcementLevel, resource: f.resource, message: f.message })),
        };
    });
}

export function mandatoryViolations(verdicts: readonly Verdict[]): Violation[] {
    return verdicts.flatMap((v) => v.violations).filter((v) => v.enforcementLevel === "mandatory");
}
