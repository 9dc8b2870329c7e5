import { mandatoryViolations, type Verdict } from "../policy/evaluate";

// The policy verdicts as text: one line per policy, its findings under it, and the bottom line.

const STATUS = { pass: "PASS", advisory: "WARN", mandatory: "FAIL" } as const;

export function verdictsText(verdicts: readonly Verdict[]): string {
    const lines: string[] = [];
    for (const verdict of verdicts) {
        if (verdict.enforcementLevel === "disabled") {
            lines.push(`  OFF   ${verdict.policy} (disabled by the policy config)`);
            continue;
        }
        const status = verdict.violations.length === 0 ? STATUS.pass : STATUS[verdict.enforcementLevel];
        lines.push(`  ${status}  ${verdict.policy} (${verdict.enforcementLevel})`);
        for (const violation of verdict.violations) {
            lines.push(`        - ${violation.message}`);
        }
    }
    return lines.join("\n");
}

export function bottomLine(verdicts: readonly Verdict[]): string {
    const mandatory = mandatoryViolations(verdicts).length;
    const advisory = verdicts.flatMap((v) => v.violations).length - mandatory;
    const advice = `${advisory} advisory finding${advisory === 1 ? "" : "s"}`;
    return mandatory === 0
        ? `Plan OK: no mandatory policy failed (${advice}).`
        : `Plan FAILED: ${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"} (${advice}). pulumi up would be blocked.`;
}
