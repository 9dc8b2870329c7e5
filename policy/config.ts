import { z } from "zod";
import type { EnforcementLevel, Rule } from "./rules/types";

// The pack's config, in the format `pulumi preview --policy-pack-config FILE` reads: each policy's
// name maps to an enforcement level, or to an object with `enforcementLevel` and the policy's own
// settings; `all` sets the level of every policy. The plan accepts the same file (--policy-config),
// so an operator sees in the plan exactly what the pack will enforce.

const level = z.enum(["advisory", "mandatory", "disabled"]);

const entry = z.union([level, z.looseObject({ enforcementLevel: level.optional() })]);

/** A pack config that names an unknown policy or holds a bad setting: the operator's to fix. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

export interface ResolvedPolicyConfig {
    readonly levels: ReadonlyMap<string, EnforcementLevel>;
    /** Each policy's settings, without enforcementLevel, validated against its schema. */
    readonly settings: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** Validates a pack config against the rules; throws a PolicyConfigError naming every bad entry. */
export function resolvePolicyConfig(raw: unknown, rules: readonly Rule[]): ResolvedPolicyConfig {
    const parsed = z.record(z.string(), entry).safeParse(raw ?? {});
    if (!parsed.success) {
        throw new PolicyConfigError(`invalid policy config: ${z.prettifyError(parsed.error)}`);
    }
    const byName = new Map(rules.map((r) => [r.name, r]));
    const problems: string[] = [];
    const levels = new Map<string, EnforcementLevel>(rules.map((r) => [r.name, r.enforcementLevel]));
    const settings = new Map<string, Record<string, unknown>>();
    const all = parsed.data.all;
    if (all !== undefined) {
        const allLevel = typeof all === "string" ? all : all.enforcementLevel;
        if (allLevel !== undefined) {
            rules.forEach((r) => levels.set(r.name, allLevel));
        }
    }
    for (const [name, value] of Object.entries(parsed.data)) {
        if (name === "all") {
            continue;
        }
        const rule = byName.get(name);
        if (!rule) {
            problems.push(`"${name}" is not a policy of this pack (policies: ${rules.map((r) => r.name).join(", ")})`);
            continue;
        }
        if (typeof value === "string") {
            levels.set(name, value);
            continue;
        }
        const { enforcementLevel, ...rest } = value;
        if (enforcementLevel !== undefined) {
            levels.set(name, enforcementLevel);
        }
        const checked = (rule.configSchema ?? z.strictObject({})).safeParse(rest);
        if (!checked.success) {
            problems.push(`${name}: ${z.prettifyError(checked.error).replace(/\n/g, " ")}`);
            continue;
        }
        settings.set(name, rest);
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(`invalid policy config:\n  - ${problems.join("\n  - ")}`);
    }
    return { levels, settings };
}
