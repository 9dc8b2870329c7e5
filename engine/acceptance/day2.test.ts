import { expect } from "chai";
import * as path from "path";
import { setTimeout as sleep } from "timers/promises";
import { PROJECT_ROOT } from "../../config/load";
import type { StatusReport } from "../../ops/status";
import { apiOf, managerApi, read } from "./api";
import { docker as dockerCli } from "./docker";
import { engineOf } from "./engines";
import { run } from "./exec";

// The Day-2 commands (npm run status / logs / stop / start) against the two-node acceptance swarm, as
// an operator runs them: through their npm scripts, with the stack configs the suite generated (their
// Docker hosts are the run's MainPC and PC2 engines). Every check reads the commands' own output and
// exit status; the Docker CLI only stages the faults (an agent told to fail, PC2's engine stopped).
// Needs: the root hook's deployment of both stacks, CASCADE_ENGINE_PC2 (engine/engines.sh), and
// DOCKER_HOST set to the manager, as engine/run-acceptance.sh exports them.

const CONFIG_DIR = path.join(PROJECT_ROOT, ".engine-work", "config");
const STACKS = ["--config-dir", CONFIG_DIR, "--stack", "mainpc", "--stack", "pc2"];
const COMMAND_MS = 120_000;
const CHANGE_MS = 180_000;
const POLL_MS = 3_000;

const exec = (command: string, args: readonly string[], timeoutMs = COMMAND_MS) => run(command, args, { cwd: PROJECT_ROOT, timeoutMs });
const npm = (script: string, ...args: string[]) => exec("npm", ["run", "-s", script, "--", ...args]);
const docker = (...args: string[]) => dockerCli(args, { timeoutMs: COMMAND_MS });
const pc2Engine = () => engineOf("pc2");

async function status(): Promise<{ code: number; report: StatusReport; stderr: string }> {
    const result = await npm("status", ...STACKS, "--json");
    expect(result.code, `status --json: ${result.stderr}`).to.be.oneOf([0, 1]);
    return { code: result.code ?? -1, report: JSON.parse(result.stdout) as StatusReport, stderr: result.stderr };
}

/** Polls `status --json` until `until` holds; fails with the last report's problems. */
async function statusUntil(what: string, until: (report: StatusReport, code: number) => boolean): Promise<StatusReport> {
    const deadline = Date.now() + CHANGE_MS;
    let last = "";
    while (Date.now() < deadline) {
        const { code, report } = await status();
        if (until(report, code)) {
            return report;
        }
        last = [...report.engines.map((e) => e.error), ...report.workloads.flatMap((w) => w.problems.map((p) => `${w.name}: ${p}`))].join("; ");
        await sleep(POLL_MS);
    }
    throw new Error(`status never showed ${what} in ${CHANGE_MS / 1000} s; last: ${last}`);
}

/** The service Docker runs for a workload, by the same rule status uses (the stack `cascade`). */
async function dockerService(name: string): Promise<string> {
    const names = (await read("listing the services", () => managerApi().listServices())).map((s) => String(s.Spec?.Name));
    const stacked = `cascade_${name.replace(/^cascade-/, "")}`;
    const found = names.find((n) => n === name || n === stacked);
    if (!found) {
        throw new Error(`no service for ${name} among ${names.join(", ")}`);
    }
    return found;
}

describe("Day 2: status, logs, stop and start on the two-node swarm", function () {
    this.timeout(CHANGE_MS * 2);

    it("status exits 0 on the healthy deployment, every agent listed on its machine's node", async () => {
        const report = await statusUntil("every group healthy", (_, code) => code === 0);
        expect(report.ok).to.equal(true);
        for (const w of report.workloads) {
            // The acceptance nodes are named after their machines (engine/engines.sh sets the hostnames).
            expect(w.nodes, `${w.name} nodes`).to.deep.equal([w.machine]);
            expect(w.healthy, w.name).to.equal(w.desired);
        }
        const text = await npm("status", ...STACKS);
        expect(text.code).to.equal(0);
        for (const agent of report.workloads.flatMap((w) => w.agents)) {
            expect(text.stdout, agent.name).to.match(new RegExp(`^\\s+${agent.name}\\s+ok$`, "m"));
        }
    });

    it("logs shows a PC2 agent's lines, from PC2, with the task in front", async () => {
        const { report } = await status();
        const group = report.workloads.find((w) => w.machine === "pc2" && w.kind === "service" && w.agents.length > 0);
        if (!group) {
            throw new Error("pc2 has no service with agents");
        }
        const agent = group.agents[0].name;
        const result = await npm("logs", agent, "--config-dir", CONFIG_DIR, "--stack", "pc2");
        expect(result.code, result.stderr).to.equal(0);
        const lines = result.stdout.split("\n").filter(Boolean);
        expect(lines.length, "log lines").to.be.greaterThan(0);
        for (const line of lines) {
            expect(line).to.match(new RegExp(`^pc2 ${group.name}\\.\\d+\\.\\w{12} \\| .*\\b${agent}\\b`));
        }
    });

    it("with one agent told to fail, status exits 1 and names the agent and its machine", async () => {
        const { report } = await status();
        const group = report.workloads.find((w) => w.machine === "pc2" && w.kind === "service" && w.agents.length > 1) ?? report.workloads.find((w) => w.kind === "service" && w.agents.length > 1);
        if (!group) {
            throw new Error("no service with several agents");
        }
        const agent = group.agents[group.agents.length - 1].name;
        const service = await dockerService(group.name);
        // Paused instead of rolled back, so the failing task stays for status to read.
        await docker("service", "update", "--detach", "--update-failure-action", "pause", "--env-add", `CASCADE_FAIL_AGENTS=${agent}`, service);
        try {
            await statusUntil(`${agent} failing`, (r) => r.workloads.some((w) => w.name === group.name && w.failingAgents.includes(agent)));
            const text = await npm("status", ...STACKS);
            expect(text.code).to.equal(1);
            expect(text.stdout).to.include(`failing agents: ${agent} on ${group.machine}`);
            expect(text.stdout).to.match(new RegExp(`^\\s+${agent}\\s+FAILING$`, "m"));
        } finally {
            // Back to the planned spec by a forward update, not `service rollback`: a rollback leaves
            // UpdateStatus at rollback_completed, which status rightly reports as a problem.
            await docker("service", "update", "--detach", "--update-failure-action", "rollback", "--env-rm", "CASCADE_FAIL_AGENTS", service);
        }
        await statusUntil("every group healthy again", (_, code) => code === 0);
    });

    it("stop then start of PC2's groups leaves its volumes' data intact and ends healthy", async () => {
        const marker = `day2-${Date.now()}`;
        const volume = "cascade_logs";
        const [image] = (await read("listing pc2's stand-in images", () => apiOf(pc2Engine()).listImages({ filters: { reference: ["cascade-standin"] } }))).flatMap((i) => i.RepoTags ?? []);
        await docker("-H", pc2Engine(), "run", "--rm", "-v", `${volume}:/v`, image, "sh", "-c", `echo ${marker} > /v/day2-marker`);
        const stop = await npm("stop", "--config-dir", CONFIG_DIR, "--stack", "pc2");
        expect(stop.code, stop.stderr).to.equal(0);
        expect(stop.stdout).to.match(/^stopped: every group of pc2 \(volumes, secrets and networks untouched\)$/m);
        const stopped = await status();
        expect(stopped.code).to.equal(1);
        for (const w of stopped.report.workloads.filter((x) => x.machine === "pc2")) {
            expect(w.healthy, w.name).to.equal(0);
        }
        const start = await npm("start", "--config-dir", CONFIG_DIR, "--stack", "pc2");
        expect(start.code, start.stderr).to.equal(0);
        expect((await docker("-H", pc2Engine(), "run", "--rm", "-v", `${volume}:/v`, image, "cat", "/v/day2-marker")).trim()).to.equal(marker);
        await statusUntil("every group healthy after start", (_, code) => code === 0);
    });

    it("with PC2 down, status shows PC2's node down, its groups pending, and PC2's engine unreachable", async () => {
        const engines = (action: string) => exec("bash", ["engine/engines.sh", action, "pc2"], 90_000);
        expect((await engines("stop")).code).to.equal(0);
        try {
            const report = await statusUntil("pc2's node down", (r) => r.nodes.some((n) => n.machine === "pc2" && n.state === "down")
                && r.workloads.filter((w) => w.machine === "pc2" && w.kind === "service").every((w) => w.pending.length > 0));
            for (const w of report.workloads.filter((x) => x.machine === "pc2" && x.kind === "service")) {
                expect(w.pending.map((p) => p.reason).join("; "), w.name).to.match(/which is down|no suitable node|not available/);
            }
            expect(report.engines.map((e) => e.error).join("\n")).to.match(new RegExp(`^pc2: the Docker engine at ${pc2Engine().replace(/[/.]/g, "\\$&")} does not answer`, "m"));
            expect(report.workloads.filter((w) => w.machine === "mainpc").every((w) => w.ok), "mainpc unaffected").to.equal(true);
        } finally {
            expect((await engines("start")).code).to.equal(0);
        }
        await statusUntil("every group healthy after PC2 returns", (_, code) => code === 0);
    });
});
