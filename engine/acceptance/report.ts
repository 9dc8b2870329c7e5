import type { PhaseTime } from "./deploy-script";

// The timing report the suite prints: the program's phases (deploy.sh) against the seed's manual
// procedure taken literally (one group at a time). Printed, never asserted: times depend on the machine.

const total = (times: readonly PhaseTime[]) => times.reduce((sum, t) => sum + t.seconds, 0);

function rows(times: readonly PhaseTime[]): string[] {
    const width = Math.max(...times.map((t) => t.label.length));
    return times.map((t) => `      ${t.label.padEnd(width)}  ${t.seconds.toFixed(1).padStart(6)} s`);
}

export function timingReport(phased: readonly PhaseTime[], oneByOne: readonly PhaseTime[]): string {
    return [
        "Deploy time, from the first `docker stack deploy` until every group is healthy (both machines):",
        `  phased, deploy.sh (the groups of a phase together, waiting for health between phases): ${total(phased).toFixed(1)} s`,
        ...rows(phased),
        `  one group after another, waiting for each (the seed's manual procedure): ${total(oneByOne).toFixed(1)} s`,
        ...rows(oneByOne),
        `  ratio one-by-one / phased: ${(total(oneByOne) / total(phased)).toFixed(2)}`,
    ].join("\n");
}
