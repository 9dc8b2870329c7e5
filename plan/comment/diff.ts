import { isDeepStrictEqual } from "util";
import type { PlanDocument, PlannedResource } from "./document";

// What a pull request changes in a stack's plan: resources added, removed and changed (which inputs
// and options), and policies whose verdict moved. Resources are matched by type and name, the part of
// the URN the program chooses; a different parent shows as a changed `parent`.

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    /** Top-level inputs and resource options whose value differs, sorted. */
    readonly fields: readonly string[];
}

export type PolicyStatus = "pass" | "warn" | "fail" | "off";

export interface PolicyMove {
    readonly policy: string;
    /** undefined: the policy did not exist in the base. */
    readonly before?: PolicyStatus;
    readonly after: PolicyStatus;
}

export interface PlanDiff {
    readonly added: readonly PlannedResource[];
    readonly removed: readonly PlannedResource[];
    readonly changed: readonly ResourceChange[];
    readonly policies: readonly PolicyMove[];
}

const OPTIONS = ["parent", "dependsOn", "protect", "retainOnDelete", "deleteBeforeReplace", "provider"] as const;

const keyOf = (r: PlannedResource) => `${r.type}\u0000${r.name}`;

function changedFields(before: PlannedResource, after: PlannedResource): string[] {
    const inputs = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])]
        .filter((key) => !isDeepStrictEqual(before.inputs[key], after.inputs[key]));
    const options = OPTIONS.filter((option) => !isDeepStrictEqual(before[option], after[option]));
    return [...inputs, ...options].sort();
}

export function policyStatus(policy: PlanDocument["policies"][number]): PolicyStatus {
    if (policy.enforcementLevel === "disabled") {
        return "off";
    }
    if (policy.passed) {
        return "pass";
    }
    return policy.enforcementLevel === "mandatory" ? "fail" : "warn";
}

export function diffPlans(base: PlanDocument, head: PlanDocument): PlanDiff {
    const before = new Map(base.resources.map((r) => [keyOf(r), r]));
    const after = new Map(head.resources.map((r) => [keyOf(r), r]));
    const changed = head.resources.flatMap((r) => {
        const old = before.get(keyOf(r));
        const fields = old ? changedFields(old, r) : [];
        return fields.length > 0 ? [{ type: r.type, name: r.name, fields }] : [];
    });
    const basePolicies = new Map(base.policies.map((p) => [p.policy, policyStatus(p)]));
    const policies = head.policies
        .map((p) => ({ policy: p.policy, before: basePolicies.get(p.policy), after: policyStatus(p) }))
        .filter((move) => move.before !== move.after);
    return {
        added: head.resources.filter((r) => !before.has(keyOf(r))),
        removed: base.resources.filter((r) => !after.has(keyOf(r))),
        changed,
        policies,
    };
}

export function isEmpty(diff: PlanDiff): boolean {
    return diff.added.length + diff.removed.length + diff.changed.length + diff.policies.length === 0;
}
