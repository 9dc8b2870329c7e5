import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import { textTable } from "../plan/text-table";
import type { Measurement } from "./measurement";
import { writeSyntheticStack } from "./synthetic";

// `npm run bench`: the offline plan of each stack and of synthetic topologies (the seed copied 1, 10
// and 100 times onto one machine) against two floors measured in the same run, under the same mock
// runtime: the empty-input floor (a trivial program registering as many component and custom
// resources, with trivial inputs: what any program of that size costs) and the payload floor (the
// plan's own resources, with their inputs, registered as bare SDK resources: what the SDK must pay
// for this payload). Every measurement runs in a fresh process (no module cache, JIT state or heap
// carries over), which an in-process benchmark library (tinybench) cannot give, and each child
// reports its work after loading and its peak RSS, which a command timer (hyperfine) does not see:
// hence node:child_process. Each is repeated BENCH_RUNS times (default 3) and the median is shown.
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
        referencedFile: runs[0].referencedFile,
    };
}

interface Row {
    readonly scenario: Scenario;
    readonly plan: Measurement;
    /** Trivial inputs, as many resources. */
    readonly empty: Measurement;
    /** The plan's own resources and inputs, bare. */
    readonly payload: Measurement;
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);
const size = (m: Measurement) => m.components + m.customs;

function wallTable(rows: readonly Row[]): string {
    return textTable(
        ["scenario", "groups", "agents", "resources", "plan ms", "empty floor ms", "payload floor ms", "plan/empty", "plan/payload"],
        rows.map(({ scenario, plan, empty, payload }) => [
            scenario.label, scenario.groups ?? "-", scenario.agents ?? "-", size(plan),
            plan.wallMs, empty.wallMs, payload.wallMs, ratio(plan.wallMs, empty.wallMs), ratio(plan.wallMs, payload.wallMs),
        ]),
    );
}

function workTable(rows: readonly Row[]): string {
    return textTable(
        ["scenario", "plan ms", "empty floor ms", "payload floor ms", "plan/empty", "plan/payload", "plan MB", "empty MB", "payload MB"],
        rows.map(({ scenario, plan, empty, payload }) => [
            scenario.label, plan.workMs, empty.workMs, payload.workMs, ratio(plan.workMs, empty.workMs), ratio(plan.workMs, payload.workMs),
            plan.peakRssMb, empty.peakRssMb, payload.peakRssMb,
        ]),
    );
}

/** Work per added resource between consecutive synthetic scales: flat means linear growth. */
function growth(rows: readonly Row[]): string[] {
    const synthetic = rows.filter((r) => r.scenario.label.startsWith("synthetic"));
    const lines: string[] = [];
    for (let i = 1; i < synthetic.length; i++) {
        const [a, b] = [synthetic[i - 1], synthetic[i]];
        const added = size(b.plan) - size(a.plan);
        const per = (m: (r: Row) => number) => ((m(b) - m(a)) / added).toFixed(2);
        lines.push(`${a.scenario.label} -> ${b.scenario.label}: +${added} resources; per added resource: plan ${per((r) => r.plan.workMs)} ms, empty floor ${per((r) => r.empty.workMs)} ms, payload floor ${per((r) => r.payload.workMs)} ms of work; plan ${per((r) => r.plan.peakRssMb * 1024)} KB, payload floor ${per((r) => r.payload.peakRssMb * 1024)} KB of peak RSS`);
    }
    return lines;
}

function goal(rows: readonly Row[], floor: "empty" | "payload"): string {
    const missed = rows.filter((r) => r.plan.wallMs / r[floor].wallMs > GOAL);
    return missed.length === 0
        ? `every plan within ${GOAL}x its ${floor} floor (wall).`
        : `${GOAL}x the ${floor} floor (wall) missed by: ${missed.map((r) => `${r.scenario.label} (${ratio(r.plan.wallMs, r[floor].wallMs)}x)`).join(", ")}.`;
}

/** The config file a scenario plans, as a plan names the stack it referenced (Pulumi.<stack>.yaml). */
const configOf = (scenario: Scenario) => scenario.configFile ?? `Pulumi.${scenario.stack}.yaml`;

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
        process.stdout.write(`Offline plan vs its two SDK floors, median of ${RUNS} fresh processes each (Node ${process.version}, ${os.cpus().length} CPUs).\n`);
        process.stdout.write("empty floor: as many resources with trivial inputs; payload floor: the plan's own resources and inputs, registered bare.\n");
        process.stdout.write("wall: process start to end of work (node, tsx and module loading included); work: after loading; MB: peak resident set.\n");
        process.stdout.write("All run the program with Error.stackTraceLimit = 0, as npm run plan does (plan/stack-traces.ts).\n");
        process.stdout.write("Synthetic topologies: the seed's 9 groups and 69 agents copied onto one machine (13,800 ports at x100: one machine's port space holds them).\n\n");
        const rows: Row[] = [];
        const payloads = new Map<string, string>();
        for (const scenario of scenarios) {
            const payloadFile = path.join(dir, `payload-${scenario.stack}.json`);
            const plan = repeated("measure-plan.ts", ["--stack", scenario.stack, ...(scenario.configFile ? ["--config", scenario.configFile] : []), "--payload", payloadFile]);
            payloads.set(configOf(scenario), payloadFile);
            const referenced = plan.referencedFile === undefined ? [] : [payloads.get(plan.referencedFile)];
            if (referenced.includes(undefined)) {
                throw new Error(`${scenario.label} plans ${plan.referencedFile ?? ""} first, which no earlier scenario planned: measure that stack before it`);
            }
            const empty = repeated("measure-floor.ts", ["--components", String(plan.components), "--customs", String(plan.customs)]);
            const payload = repeated("measure-payload.ts", [...referenced, payloadFile].flatMap((file) => ["--payload", String(file)]));
            if (size(payload) !== size(plan) || size(empty) !== size(plan)) {
                throw new Error(`${scenario.label}: the floors registered ${size(empty)} and ${size(payload)} resources, the plan ${size(plan)}`);
            }
            rows.push({ scenario, plan, empty, payload });
            process.stderr.write(`measured ${scenario.label}\n`);
        }
        process.stdout.write(`Wall time (ms) and ratios:\n${wallTable(rows)}\n\n`);
        process.stdout.write(`Work after loading (ms) and ratios, peak RSS (MB):\n${workTable(rows)}\n\n`);
        process.stdout.write(`Linear growth check:\n${growth(rows).map((l) => `  ${l}`).join("\n")}\n\n`);
        process.stdout.write(`Goal: ${goal(rows, "empty")}\n      ${goal(rows, "payload")}\n`);
        const results = path.join(PROJECT_ROOT, "bench", "results");
        fs.mkdirSync(results, { recursive: true });
        fs.writeFileSync(path.join(results, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`), `${JSON.stringify(rows, null, 2)}\n`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main();
