import { assemblePlan, type Plan } from "../../plan/assemble";

// The plan of a committed stack file, assembled once per test process (plan/assemble.ts runs the whole
// program under mocks, and pc2's plan runs mainpc's first) and shared by the test files that read it,
// as support/program.ts shares runs of the program. Each caller gets its own copy, so a test that
// changes what it got cannot change what another test reads. A failed plan is not kept.

const plans = new Map<string, Promise<Plan>>();

/** assemblePlan({ stack }) for a committed Pulumi.<stack>.yaml, once per process. */
export function committedPlan(stack: "mainpc" | "pc2"): Promise<Plan> {
    let plan = plans.get(stack);
    if (!plan) {
        plan = assemblePlan({ stack });
        plans.set(stack, plan);
        plan.catch(() => plans.delete(stack));
    }
    return plan.then((done) => structuredClone(done));
}
