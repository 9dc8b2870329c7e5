import { spawn } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { operatorEnvironment } from "./operator";
import { standalone } from "./groups";
import { diagnose, type Workloads } from "./readiness";
import type { Rendered } from "./rendered";
import { secondsSince } from "./wait";

// Runs a rendered deploy.sh as an operator does (`CASCADE_SECRETS_DIR=... ./deploy.sh`, with
// CASCADE_RESOLVE_IMAGE=never because the images exist only on the node) and times it from its own
// output: each `Phase N: ...` line starts a phase, which ends at the next one or at `Stack ... deployed.`
// (deploy.sh waits for every service and container of a phase to be healthy before it goes on).
// The script is bounded: past the limit it is killed and the error says what was not ready. Its whole
// output, time-stamped, goes to a log file beside the rendered directory.

export interface PhaseTime {
    readonly label: string;
    readonly seconds: number;
    /** The program's phase the time belongs to (one-by-one steps). */
    readonly phase?: number;
}

export interface ScriptRun {
    /** From start to exit, volumes, networks and secrets included. */
    readonly wallSeconds: number;
    readonly phases: readonly PhaseTime[];
}

function workloadsOf(rendered: Rendered): Workloads {
    return {
        services: rendered.stackFiles.flatMap((f) => f.services.map((s) => s.name)),
        containers: rendered.containers.map(standalone),
    };
}

export async function runDeployScript(rendered: Rendered, secretsDir: string, timeoutMs: number, env: Readonly<Record<string, string>> = {}): Promise<ScriptRun> {
    const log = `${rendered.dir}.deploy.log`;
    const started = performance.now();
    const output: string[] = [];
    const marks: { label: string; at: number }[] = [];
    // In the suite's process group, so that an interrupt of the suite stops it too. Past the limit
    // Node kills it (spawn's timeout): the script stops at once; the one docker command it was waiting
    // on ends on its own.
    const child = spawn("bash", [path.join(rendered.dir, "deploy.sh")], {
        env: { ...process.env, ...operatorEnvironment(secretsDir), ...env },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: timeoutMs,
        killSignal: "SIGKILL",
    });
    for (const stream of [child.stdout, child.stderr]) {
        readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
            const at = secondsSince(started);
            output.push(`[${at.toFixed(1).padStart(6)} s] ${line}`);
            if (/^Phase \d+: /.test(line) || /^Stack .* deployed\.$/.test(line)) {
                marks.push({ label: line, at });
            }
        });
    }
    const [code, signal] = await once(child, "close") as [number | null, NodeJS.Signals | null];
    const timedOut = signal === "SIGKILL";
    fs.writeFileSync(log, `${output.join("\n")}\n`);
    if (timedOut || code !== 0) {
        const why = timedOut ? `did not finish within ${timeoutMs / 1000} s` : `exited ${String(code)}`;
        throw new Error(`${path.relative(process.cwd(), path.join(rendered.dir, "deploy.sh"))} ${why} (all of its output in ${log}); its last lines:\n` +
            `${output.slice(-12).join("\n")}\n${await diagnose(workloadsOf(rendered))}`);
    }
    const phases = marks.slice(0, -1).map((mark, i) => ({ label: mark.label.replace(/^Phase (\d+): /, "phase $1: "), seconds: marks[i + 1].at - mark.at }));
    return { wallSeconds: secondsSince(started), phases };
}
