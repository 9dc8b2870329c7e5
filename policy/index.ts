import { PolicyPack, type PolicyConfigSchema, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { stackOfUrn, viewOfPolicyResource } from "./adapter";
import type { PolicyFacts } from "./facts";
import { RULES } from "./rules";
import type { Rule } from "./rules/types";
import { factsFromEngineConfig } from "./stack-facts";

// The pack's entry file: `pulumi preview --policy-pack policy` runs it. Constructing the PolicyPack
// starts a gRPC server (@pulumi/policy server.ts serve), so this file only adapts the rules in policy/rules/
// to @pulumi/policy; nothing else, and no test, imports it.

const factsByStack = new Map<string, PolicyFacts>();

/** The previewed stack's facts, from the config the engine gave the pack, read once; the URN must be of that stack. */
function factsFor(urn: string): PolicyFacts {
    const stack = stackOfUrn(urn) ?? "";
    let facts = factsByStack.get(stack);
    if (!facts) {
        facts = factsFromEngineConfig(stack === "" ? undefined : stack);
        factsByStack.set(stack, facts);
    }
    return facts;
}

function configSchemaOf(rule: Rule): PolicyConfigSchema | undefined {
    if (!rule.configSchema) {
        return undefined;
    }
    const schema = z.toJSONSchema(rule.configSchema, { io: "input" }) as { properties?: PolicyConfigSchema["properties"] };
    return { properties: schema.properties ?? {} };
}

function policyOf(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const common = {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        configSchema: configSchemaOf(rule),
    };
    if (rule.scope === "resource") {
        return {
            ...common,
            validateResource: (args, reportViolation) => {
                const config = args.getConfig<Record<string, unknown>>();
                for (const finding of rule.evaluate([viewOfPolicyResource(args)], factsFor(args.urn), config)) {
                    reportViolation(finding.message);
                }
            },
        };
    }
    return {
        ...common,
        validateStack: (args, reportViolation) => {
            const resources = args.resources.map(viewOfPolicyResource);
            if (resources.length === 0) {
                return;
            }
            const config = args.getConfig<Record<string, unknown>>();
            for (const finding of rule.evaluate(resources, factsFor(args.resources[0].urn), config)) {
                reportViolation(finding.message, finding.urn);
            }
        },
    };
}

new PolicyPack("cascade", {
    description: "Cascade budgets per machine, GPU placement, least privilege, secrets, networks, health and data safety.",
    policies: RULES.map(policyOf),
});
