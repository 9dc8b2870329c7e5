import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { readStackFile } from "../config/stack-file";
import { FIXTURE_PASSPHRASE, fixtureFile, fixturePlaintexts } from "./support/cli-fixtures";

// `npm run plan` as an operator runs it: a child process, its output and its exit status. 0 when no
// mandatory policy fails, 1 when one does (naming machine, resource and numbers), 2 when the config or
// the arguments are invalid (the message alone, no stack trace). The runs start together in `before`.

interface Result {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** The environment without the CI's passphrase, or with the one given. */
function environment(passphrase?: string): NodeJS.ProcessEnv {
    const { PULUMI_CONFIG_PASSPHRASE: _ignored, PULUMI_CONFIG_PASSPHRASE_FILE: _file, ...rest } = process.env;
    return { ...rest, NO_COLOR: "1", ...(passphrase === undefined ? {} : { PULUMI_CONFIG_PASSPHRASE: passphrase }) };
}

function run(command: string, args: readonly string[], env = environment()): Promise<Result> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: PROJECT_ROOT, env });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

const plan = (...args: string[]) => run(process.execPath, ["--require", "tsx/cjs", "plan/cli.ts", ...args]);
const planWithPassphrase = (...args: string[]) => run(process.execPath, ["--require", "tsx/cjs", "plan/cli.ts", ...args], environment(FIXTURE_PASSPHRASE));

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
    // Issue 11 through the real CLI: files that are not stack files, and several mistakes at once.
    const binary = path.join(directory, "binary.yaml");
    fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0xff, 0xfe, 0x00]));
    const topLevel = path.join(directory, "top-level.yaml");
    fs.writeFileSync(topLevel, "cascade:machine: mainpc\ncascade:capacity: { cpus: 32, memory: 80G, gpus: 1 }\ncascade:images: { tag: \"1.0\" }\n");
    const mistakes = draft("mistakes.yaml", {
        "cascde:budget": { overcommitRatio: 2 },
        "cascade:nodeLabels": {},
        "cascade:capacity": { cpus: 32, memory: 80, gpus: 1 },
        "cascade:platform": "kubernets",
    });

    before(async () => {
        const runs: Record<string, Promise<Result>> = {
            seed: plan("--stack", "mainpc", "--render", rendered),
            json: run("npm", ["run", "--silent", "plan", "--", "--stack", "pc2", "--json"]),
            overBudget: plan("--stack", "mainpc", "--config", overBudget),
            typo: plan("--stack", "mainpc", "--config", typo),
            strict: plan("--stack", "mainpc", "--policy-config", policyConfig),
            unknown: plan("--stack", "mainpc", "--verbose"),
            // The stack files as `pulumi config set --secret [--path]` writes them (README, "Run it").
            cliSecrets: plan("--stack", "mainpc", "--config", fixtureFile("mainpc")),
            cliSecretsDecrypted: planWithPassphrase("--config", fixtureFile("pc2"), "--json"),
            noStack: run("npm", ["run", "--silent", "plan", "--", "--stack", "mainpcc"]),
            binary: run("npm", ["run", "--silent", "plan", "--", "--stack", "mainpc", "--config", binary]),
            topLevel: plan("--stack", "mainpc", "--config", topLevel),
            mistakes: run("npm", ["run", "--silent", "plan", "--", "--stack", "mainpc", "--config", mistakes]),
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
        expect(stderr).to.contain("Unknown option '--verbose'");
        expect(stderr).to.contain("Usage: npm run plan -- --stack <stack>");
        expect(stderr).to.not.match(STACK_TRACE);
    });

    it("plans a stack file with the CLI's top-level and --path secrets, naming each placeholder", () => {
        const { status, stdout, stderr } = results.cliSecrets;
        expect(status, stderr).to.equal(0);
        expect(stdout).to.contain(`Secrets: cascade:redisPassword, cascade:zmqCertificates["server.key"], cascade:zmqCertificates["server.key_secret"], cascade:zmqCertificates["client.key"], cascade:zmqCertificates["client.key_secret"] are placeholders (not set in ${fixtureFile("mainpc")}, or encrypted there and not decrypted without PULUMI_CONFIG_PASSPHRASE)`);
        expect(stdout).to.not.contain("plain text");
        expect(stdout).to.not.contain("v1:");
    });

    it("decrypts the CLI's secrets with PULUMI_CONFIG_PASSPHRASE, and prints none of them", () => {
        const { status, stdout, stderr } = results.cliSecretsDecrypted;
        expect(status, stderr).to.equal(0);
        const document = JSON.parse(stdout) as { placeholderSecrets: string[]; result: { ok: boolean } };
        expect(document.placeholderSecrets).to.deep.equal([]);
        expect(document.result.ok).to.equal(true);
        for (const secret of Object.values(fixturePlaintexts())) {
            expect(stdout).to.not.contain(secret);
            expect(stdout).to.not.contain(Buffer.from(secret).toString("base64"));
        }
    });

    it("exits 2 naming the stacks that exist when a stack has no file", () => {
        const { status, stdout, stderr } = results.noStack;
        expect(status).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.contain("Pulumi.mainpcc.yaml: (file): does not exist");
        expect(stderr).to.contain("Fix: did you mean \"mainpc\"? (the stacks with a config file are: mainpc, pc2)");
        expect(stderr).to.not.contain("ENOENT");
        expect(stderr).to.not.match(STACK_TRACE);
    });

    it("exits 2 on a stack file that is binary, saying so", () => {
        const { status, stdout, stderr } = results.binary;
        expect(status).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.contain(`${binary}: (file): is not UTF-8 text: it holds binary data`);
        expect(stderr).to.not.contain("cascade:machine");
        expect(stderr).to.not.match(STACK_TRACE);
    });

    it("exits 2 on settings written at the top level instead of under config:", () => {
        const { status, stderr } = results.topLevel;
        expect(status).to.equal(2);
        expect(stderr).to.contain("Invalid Cascade configuration (3 problems):");
        expect(stderr).to.contain(`${topLevel}: cascade:machine: is at the top level of the file, where Pulumi does not read it`);
        expect(stderr).to.contain("Fix: indent it under config:");
        expect(stderr).to.not.match(STACK_TRACE);
    });

    it("exits 2 listing every mistake of a file at once, each with its key and fix", () => {
        const { status, stdout, stderr } = results.mistakes;
        expect(status).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr).to.contain("Invalid Cascade configuration (4 problems):");
        expect(stderr).to.contain(`${mistakes}: cascde:budget: unknown namespace "cascde"`);
        expect(stderr).to.contain(`${mistakes}: cascade:nodeLabels: is empty, which would remove the machine pin (S5)`);
        expect(stderr).to.contain(`${mistakes}: cascade:capacity.memory: 80 has no unit, so it would be read as 80 bytes`);
        expect(stderr).to.contain(`${mistakes}: cascade:platform: "kubernets" is not one of "swarm", "kubernetes"\n    Fix: did you mean "kubernetes"?`);
        expect(stderr).to.not.match(STACK_TRACE);
    });
});
