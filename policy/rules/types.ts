import { z } from "zod";
import type { PolicyFacts } from "../facts";
import type { PolicyResourceView } from "../resource";

// The shape of a policy rule: a plain function over neutral resources and facts, with its name,
// documented default enforcement level and (optionally) a config schema. policy/index.ts turns each
// rule into a @pulumi/policy policy; the plan and the tests call `evaluate` directly.

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

export interface Finding {
    /** The resource's Pulumi name (or the machine, for a finding about a whole machine). */
    readonly resource: string;
    /** The resource's URN where the source has one (the pack reports against it). */
    readonly urn?: string;
    readonly message: string;
}

export interface RuleInput<C> {
    /** Every resource of the stack, or the one resource being validated (resource scope). */
    readonly resources: readonly PolicyResourceView[];
    readonly facts: PolicyFacts;
    readonly config: C;
}

export interface RuleDefinition<S extends z.ZodObject> {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    /**
     * `resource`: a finding depends on one resource alone, so the pack validates each resource as it
     * is planned. `stack`: it needs every resource at once (sums, collisions).
     */
    readonly scope: "resource" | "stack";
    /** Settings an operator may change through the pack's config; every one has a default. */
    readonly config?: S;
    check(input: RuleInput<z.output<S>>): Finding[];
}

/** A rule with its config type erased, so rules of different configs sit in one list. */
export interface Rule {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly scope: "resource" | "stack";
    /** The config's zod schema, for the pack's JSON schema and for validating a config file. */
    readonly configSchema?: z.ZodObject;
    /** Validates `rawConfig` (the policy's entry of the pack config, without enforcementLevel) and checks. */
    evaluate(resources: readonly PolicyResourceView[], facts: PolicyFacts, rawConfig?: Readonly<Record<string, unknown>>): Finding[];
}

const NO_CONFIG = z.strictObject({});

export function defineRule<S extends z.ZodObject = typeof NO_CONFIG>(definition: RuleDefinition<S>): Rule {
    const schema = definition.config;
    return {
        name: definition.name,
        description: definition.description,
        enforcementLevel: definition.enforcementLevel,
        scope: definition.scope,
        configSchema: schema,
        evaluate(resources, facts, rawConfig = {}) {
            const config = (schema ?? NO_CONFIG).parse(rawConfig) as z.output<S>;
            return definition.check({ resources, facts, config });
        },
    };
}

/** Rounds CPU sums for messages (0.1 + 0.2 artefacts). */
export { formatCpus as cpus } from "../../model/budget";
