import type { PhaseTime } from "./deploy-script";

// The timing report the suite prints: the program's phases (deploy.sh) against the seed's manual
// procedure taken literally (one group at a time), and the critical-path bound of the phase graph: the
// slowest group of each phase, measured alone (its one-by-one time), summed along the phases; no
// phased deploy can beat it while each phase waits for the previous one's health. Printed, never
// asserted: times depend on the machine.

const total = (times: readonly PhaseTime[]) => times.reduce((sum, t) => sum + t.seconds, 0);

function rows(times: readonly PhaseTime[]): string[] {
    const width = Math.max(...times.map((t) => t.label.length));
    return times.map((t) => `      ${t.label.padEnd(width)}  ${t.seconds.toFixed(1).padStart(6)} s`);
}

/** The slowest group of each phase, measured alone, summed along the phases. */
export function criticalPath(oneByOne: readonly PhaseTime[]): number {
    const slowest = new Map<number, number>();
    for (const t of oneByOne) {
        slowest.set(t.phase ?? 0, Math.max(slowest.get(t.phase ?? 0) ?? 0, t.seconds));
    }
    return [...slowest.values()].reduce((sum, s) => sum + s, 0);
}

export function timingReport(phased: readonly PhaseTime[], oneByOne: readonly PhaseTime[]): string {
    const bound = criticalPath(oneByOne);
    return [
        "Deploy time, from the first `docker stack deploy` until every group is healthy (both machines):",
        `  phased, deploy.sh (the groups of a phase together, waiting for health between phases): ${total(phased).toFixed(1)} s`,
        ...rows(phased),
        `  one group after another, waiting for each (the seed's manual procedure): ${total(oneByOne).toFixed(1)} s`,
        ...rows(oneByOne),
        `  critical-path bound (the slowest group of each phase alone, summed along the phases): ${bound.toFixed(1)} s`,
        `  ratios: one-by-one / phased ${(total(oneByOne) / total(phased)).toFixed(2)}, phased / bound ${(total(phased) / bound).toFixed(2)}, one-by-one / bound ${(total(oneByOne) / bound).toFixed(2)}`,
    ].join("\n");
}
