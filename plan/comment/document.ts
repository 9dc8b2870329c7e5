import { z } from "zod";

// The part of `npm run plan -- --json` (plan/json.ts) that the PR comment reads. The base branch's plan
// comes from another revision of the program, so its document is validated rather than trusted: a
// base whose JSON lacks these fields is reported as unreadable, never half-compared.

const amounts = z.object({ cpus: z.number(), memoryBytes: z.number(), gpus: z.number() });

const budget = z.object({
    capacity: amounts,
    overcommitRatio: z.number(),
    reserved: amounts,
    limited: amounts,
    lines: z.array(z.object({ name: z.string(), replicas: z.number(), autoscaled: z.boolean(), reserved: amounts, limited: amounts })),
});

export const planDocument = z.object({
    stack: z.string(),
    machine: z.string(),
    platform: z.string(),
    resources: z.array(z.object({
        type: z.string(),
        name: z.string(),
        parent: z.string().nullable(),
        inputs: z.record(z.string(), z.unknown()),
        dependsOn: z.unknown(),
        protect: z.unknown(),
        retainOnDelete: z.unknown(),
        deleteBeforeReplace: z.unknown(),
        provider: z.unknown(),
    })),
    policies: z.array(z.object({ policy: z.string(), enforcementLevel: z.string(), passed: z.boolean(), violations: z.number() })),
    violations: z.array(z.object({ policy: z.string(), enforcementLevel: z.string(), resource: z.string(), message: z.string() })),
    budgets: z.record(z.string(), budget),
    result: z.object({ ok: z.boolean(), mandatoryViolations: z.number() }),
});

export type PlanDocument = z.infer<typeof planDocument>;
export type Budget = z.infer<typeof budget>;
export type Amounts = z.infer<typeof amounts>;
export type PlannedResource = PlanDocument["resources"][number];

/** Parses a plan JSON document; the error says which field is missing or of the wrong kind. */
export function readPlanDocument(text: string): PlanDocument {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new Error(`not JSON: ${(error as Error).message}`);
    }
    const result = planDocument.safeParse(parsed);
    if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(`not a plan document this comment can read: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    return result.data;
}
