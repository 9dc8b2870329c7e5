import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { readStackFile } from "../plan/stack-file";

// `npm run plan` as an operator runs it: a child process, its output and its exit status. 0 when no
// mandatory policy fails, 1 when one does (naming machine, resource and numbers), 2 when the config or
// the arguments are invalid (the message alone, no stack trace). The runs start together in `before`.

interface Result {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function run(command: string, args: readonly string[]): Promise<Result> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

const plan = (...args: string[]) => run(process.execPath, ["--require", "tsx/cjs", "plan/cli.ts", ...args]);

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-plan-cli-"));

/** The committed mainpc config with changes, written to a temporary file. */
function draft(name: string, changes: Record<string, unknown>): string {
    const { config, placeholders } = readStackFile("Pulumi.mainpc.yaml");
    const entries = Object.entries(config)
        .filter(([key]) => !placeholders.includes(key))
        .map(([key, value]) => [key, value.startsWith("{") ? JSON.parse(value) as unknown : value]);
    const file = path.join(directory, name);
    fs.writeFileSync(file, stringify({ config: { ...Object.fromEntries(entries), ...changes } }));
    return file;
}

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe("npm run plan (child process)", function () {
    this.timeout(180000);
    const results: Record<string, Result> = {};
    const overBudget = draft("over-budget.yaml", { "cascade:capacity": { cpus: 8, memory: "80G", gpus: 1 } });
    const typo = draft("typo.yaml", { "cascade:capacity": { cpus: 32, memory: "80G", gpu: 1 } });
    const policyConfig = path.join(directory, "policy.json");
    fs.writeFileSync(policyConfig, JSON.stringify({ "budget-limits-overcommit": "mandatory" }));
    const rendered = path.join(directory, "rendered");

    before(async () => {
        const runs: Record<string, Promise<Result>> = {
            seed: plan("--stack", "mainpc", "--render", rendered),
            json: run("npm", ["run", "--silent", "plan", "--", "--stack", "pc2", "--json"]),
            overBudget: plan("--stack", "mainpc", "--config", overBudget),
            typo: plan("--stack", "mainpc", "--config", typo),
            strict: plan("--stack", "mainpc", "--policy-config", policyConfig),
            unknown: plan("--stack", "mainpc", "--verbose"),
        };
        for (const [name, result] of Object.entries(runs)) {
            results[name] = await result;
        }
    });

    it("plans the seed's mainpc, exits 0 and renders its files", () => {
        const { status, stdout, stderr } = results.seed;
        expect(status, stderr).to.equal(0);
        expect(stdout).to.contain("Cascade plan: stack mainpc");
        expect(stdout).to.contain("WARN  budget-limits-overcommit (advisory)");
        expect(stdout).to.contain("Plan OK: no mandatory policy failed (2 advisory findings).");
        expect(stdout).to.match(/Rendered \d+ files into /);
        expect(fs.readdirSync(rendered)).to.include.members(["deploy.sh", "README.md", "networks.yml", "compose.yml"]);
    });

    it("prints one JSON document for pc2 through npm run plan, without any mainpc state", () => {
        const { status, stdout, stderr } = results.json;
        expect(status, stderr).to.equal(0);
        const document = JSON.parse(stdout) as { stack: string; stackReference: { plannedFrom: string }; result: { ok: boolean } };
        expect(document).to.deep.include({ stack: "pc2", result: { ok: true, mandatoryViolations: 0 } });
        expect(document.stackReference.plannedFrom).to.equal("Pulumi.mainpc.yaml");
    });

    it("exits 1 on a config that breaks a mandatory budget, naming the machine, the resource and the numbers", () => {
        const { status, stdout } = results.overBudget;
        expect(status).to.equal(1);
        expect(stdout).to.contain("FAIL  budget-reservations (mandatory)");
        expect(stdout).to.match(/mainpc: reservations x replicas add up to [\d.]+ CPUs \(\d+% of its 8\), [\d.]+ over the 8 it has: cascade-request-handler-service 2 x 3/);
        expect(stdout).to.contain("Plan FAILED: 1 mandatory policy violation");
    });

    it("exits 2 on an invalid config with the validation message alone, no stack trace", () => {
        const { status, stdout, stderr } = results.typo;
        expect(status).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.contain("Invalid Cascade configuration (1 problem):");
        expect(stderr).to.contain(`${typo}: cascade:capacity.gpu: unknown key "gpu"`);
        expect(stderr).to.contain(`Fix: did you mean "gpus"?`);
        expect(stderr).to.not.match(STACK_TRACE);
    });

    it("applies the pack config given with --policy-config", () => {
        const { status, stdout } = results.strict;
        expect(status).to.equal(1);
        expect(stdout).to.contain("FAIL  budget-limits-overcommit (mandatory)");
    });

    it("exits 2 on an unknown argument, with the usage", () => {
        const { status, stderr } = results.unknown;
        expect(status).to.equal(2);
        expect(stderr).to.contain('unknown argument "--verbose"');
        expect(stderr).to.contain("Usage: npm run plan -- --stack <stack>");
        expect(stderr).to.not.match(STACK_TRACE);
    });
});
