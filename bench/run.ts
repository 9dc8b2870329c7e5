import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import type { Measurement } from "./measurement";
import { writeSyntheticStack } from "./synthetic";

// `npm run bench`: the offline plan of each stack and of synthetic topologies (the seed copied 1, 10
// and 100 times onto one machine) against the SDK floor measured in the same run: a trivial program
// registering as many component and custom resources under the same mock runtime. Every measurement
// runs in a fresh process; each is repeated BENCH_RUNS times (default 3) and the median is shown.
// It reports; it asserts nothing (timings belong in no test).

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const GOAL = 1.3;

interface Scenario {
    readonly label: string;
    readonly stack: string;
    readonly configFile?: string;
    readonly groups?: number;
    readonly agents?: number;
}

function child(script: string, args: readonly string[]): Measurement {
    const result = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join("bench", script), ...args], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) {
        throw new Error(`${script} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
    }
    return JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as Measurement;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function repeated(script: string, args: readonly string[]): Measurement {
    const runs = Array.from({ length: RUNS }, () => child(script, args));
    return {
        wallMs: median(runs.map((r) => r.wallMs)),
        workMs: median(runs.map((r) => r.workMs)),
        peakRssMb: median(runs.map((r) => r.peakRssMb)),
        components: runs[0].components,
        customs: runs[0].customs,
    };
}

interface Row {
    readonly scenario: Scenario;
    readonly plan: Measurement;
    readonly floor: Measurement;
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

function table(rows: readonly Row[]): string {
    const header = ["scenario", "groups", "agents", "resources", "plan wall", "floor wall", "ratio", "plan work", "floor work", "plan RSS", "floor RSS"];
    const widths = [14, 7, 7, 10, 10, 11, 6, 10, 11, 9, 10];
    const lines = [header.map((h, i) => (i === 0 ? h.padEnd(widths[i]) : pad(h, widths[i]))).join(" ")];
    for (const { scenario, plan, floor } of rows) {
        lines.push([
            scenario.label.padEnd(widths[0]),
            pad(scenario.groups ?? "-", widths[1]),
            pad(scenario.agents ?? "-", widths[2]),
            pad(plan.components + plan.customs, widths[3]),
            pad(`${plan.wallMs} ms`, widths[4]),
            pad(`${floor.wallMs} ms`, widths[5]),
            pad((plan.wallMs / floor.wallMs).toFixed(2), widths[6]),
            pad(`${plan.workMs} ms`, widths[7]),
            pad(`${floor.workMs} ms`, widths[8]),
            pad(`${plan.peakRssMb} MB`, widths[9]),
            pad(`${floor.peakRssMb} MB`, widths[10]),
        ].join(" "));
    }
    return lines.join("\n");
}

/** Work per added resource between consecutive synthetic scales: flat means linear growth. */
function growth(rows: readonly Row[]): string[] {
    const synthetic = rows.filter((r) => r.scenario.label.startsWith("synthetic"));
    const lines: string[] = [];
    for (let i = 1; i < synthetic.length; i++) {
        const [a, b] = [synthetic[i - 1], synthetic[i]];
        const added = b.plan.components + b.plan.customs - (a.plan.components + a.plan.customs);
        const per = (m: (r: Row) => number) => ((m(b) - m(a)) / added).toFixed(2);
        lines.push(`${a.scenario.label} -> ${b.scenario.label}: +${added} resources; per added resource: plan ${per((r) => r.plan.workMs)} ms, floor ${per((r) => r.floor.workMs)} ms of work; plan ${per((r) => r.plan.peakRssMb * 1024)} KB, floor ${per((r) => r.floor.peakRssMb * 1024)} KB of peak RSS`);
    }
    return lines;
}

function main(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-bench-"));
    try {
        const scenarios: Scenario[] = [
            { label: "mainpc", stack: "mainpc" },
            { label: "pc2", stack: "pc2" },
            ...[1, 10, 100].map((scale) => {
                const synthetic = writeSyntheticStack(dir, scale);
                return { label: `synthetic x${scale}`, stack: synthetic.stack, configFile: synthetic.configFile, groups: synthetic.groups, agents: synthetic.agents };
            }),
        ];
        process.stdout.write(`Offline plan vs SDK floor, median of ${RUNS} fresh processes each (Node ${process.version}, ${os.cpus().length} CPUs).\n`);
        process.stdout.write("wall: process start to end of work (node, tsx and module loading included); work: after loading; RSS: peak resident set.\n");
        process.stdout.write("Both run the program with Error.stackTraceLimit = 0, as npm run plan does (plan/stack-traces.ts).\n");
        process.stdout.write("Synthetic topologies: the seed's 9 groups and 69 agents copied onto one machine (13,800 ports at x100: one machine's port space holds them).\n\n");
        const rows: Row[] = [];
        for (const scenario of scenarios) {
            const plan = repeated("measure-plan.ts", [scenario.stack, ...(scenario.configFile ? [scenario.configFile] : [])]);
            const floor = repeated("measure-floor.ts", [String(plan.components), String(plan.customs)]);
            rows.push({ scenario, plan, floor });
            process.stderr.write(`measured ${scenario.label}\n`);
        }
        process.stdout.write(`${table(rows)}\n\n`);
        process.stdout.write(`Linear growth check:\n${growth(rows).map((l) => `  ${l}`).join("\n")}\n\n`);
        const missed = rows.filter((r) => r.plan.wallMs / r.floor.wallMs > GOAL);
        process.stdout.write(missed.length === 0
            ? `Goal met: every plan within ${GOAL}x its floor.\n`
            : `Goal of ${GOAL}x the floor missed by: ${missed.map((r) => `${r.scenario.label} (${(r.plan.wallMs / r.floor.wallMs).toFixed(2)}x)`).join(", ")}.\n`);
        const results = path.join(PROJECT_ROOT, "bench", "results");
        fs.mkdirSync(results, { recursive: true });
        fs.writeFileSync(path.join(results, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), `${JSON.stringify(rows, null, 2)}\n`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
