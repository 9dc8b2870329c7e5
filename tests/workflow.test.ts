import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { COMMENT_MARKER } from "../plan/comment/markdown";
import { stackNames } from "../config/stack-document";

// The CI workflows cannot run here (no GitHub, no Pulumi CLI). Every workflow and the composite action
// go through a real validator (@action-validator/cli: GitHub's schemas, plus unresolved `needs`), and
// their YAML is checked for what the schema cannot say: which layer runs when, in which order, and
// where a secret may appear (nowhere a fork's pull request runs; the passphrase only where Pulumi runs).

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly shell?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}

interface Job {
    readonly name?: string;
    readonly if?: string;
    readonly needs?: string | string[];
    readonly "runs-on": string;
    readonly environment?: string;
    readonly permissions?: Record<string, string>;
    readonly strategy?: { matrix: Record<string, unknown> };
    readonly steps: Step[];
}

interface Workflow {
    readonly name: string;
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

interface CompositeAction {
    readonly inputs: Record<string, { required?: boolean }>;
    readonly runs: { using: string; steps: Step[] };
}

const WORKFLOWS = ".github/workflows";
const ACTION = ".github/actions/pulumi-stack";
const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const workflowFiles = fs.readdirSync(path.join(PROJECT_ROOT, WORKFLOWS)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${WORKFLOWS}/${f}`);
const workflow = (file: string) => parse(read(`${WORKFLOWS}/${file}`)) as Workflow;
const offline = workflow("offline-plan.yml");
const commenter = workflow("offline-plan-comment.yml");
const pulumi = workflow("pulumi.yml");
const action = parse(read(`${ACTION}/action.yml`)) as CompositeAction;

function validate(file: string): { status: number | null; output: string } {
    const cli = path.join(PROJECT_ROOT, "node_modules/@action-validator/cli/cli.mjs");
    const result = spawnSync(process.execPath, [cli, file], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every `secrets.NAME` an expression in this YAML mentions. */
const secretsIn = (value: unknown) => [...JSON.stringify(value).matchAll(/secrets\.([A-Za-z_]+)/g)].map((m) => m[1]);

/** Each action's current major and what its action.yml at that tag runs on (read from the actions' repositories). */
const CURRENT_ACTIONS: Record<string, string> = {
    "actions/checkout": "v7", // runs.using: node24
    "actions/setup-node": "v7", // node24
    "actions/upload-artifact": "v7", // node24
    "actions/download-artifact": "v8", // node24
    "actions/github-script": "v8", // node24
    "pulumi/actions": "v7", // node24 (its 7.0.0 changelog: "update Action runtime to node 24")
};

const allSteps = [...[offline, commenter, pulumi].flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps)), ...action.runs.steps];

describe("CI workflows: validated by @action-validator/cli", function () {
    this.timeout(60000);
    for (const file of [...workflowFiles, `${ACTION}/action.yml`]) {
        it(`accepts ${file}`, () => {
            const { status, output } = validate(path.join(PROJECT_ROOT, file));
            expect(status, output).to.equal(0);
        });
    }

    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-workflow-"));
    // Each a copy of a real file with one mistake, and what the validator says about it.
    const broken: [string, string, string, string, string][] = [
        ["a job that needs a job that does not exist", `${WORKFLOWS}/pulumi.yml`, "needs: [ready, up-mainpc]", "needs: [ready, up-mainpc-typo]", "unresolved job up-mainpc-typo"],
        ["a job without runs-on", `${WORKFLOWS}/pulumi.yml`, "    runs-on: ${{ vars.PC2_RUNNER }}\n    environment", "    environment", "Additional property 'environment' is not allowed"],
        ["a permission that does not exist", `${WORKFLOWS}/offline-plan-comment.yml`, "pull-requests: write", "pull-requests: admin", "/jobs/comment/permissions"],
        ["a composite run step without a shell", `${ACTION}/action.yml`, "    - shell: bash\n      run: npm ci", "    - run: npm ci", "\"path\": \"/runs/steps/1/shell\""],
    ];
    for (const [name, file, from, to, message] of broken) {
        it(`rejects a copy of ${path.basename(file)} with ${name}`, () => {
            const text = read(file);
            expect(text, "the line the copy breaks").to.contain(from);
            // The validator tells an action from a workflow by the file's name: the copy keeps it.
            const copy = path.join(directory, name.replace(/\W+/g, "-"), path.basename(file));
            fs.mkdirSync(path.dirname(copy));
            fs.writeFileSync(copy, text.replace(from, to));
            const { status, output } = validate(copy);
            expect(status).to.equal(1);
            expect(output).to.contain(message);
        });
    }
});

describe("CI workflows: layers, order and conditions", () => {
    it("uses each action at its current major, none of them on Node 20", () => {
        const used = allSteps.flatMap((s) => (s.uses && !s.uses.startsWith("./") ? [s.uses] : []));
        expect(used.length).to.be.greaterThan(0);
        for (const uses of used) {
            const [name, version] = uses.split("@");
            expect(CURRENT_ACTIONS, uses).to.have.property(name, version);
        }
    });

    it("layer 1: tests on Node 22 and 24 and plans every pull request offline", () => {
        expect(Object.keys(offline.on).sort()).to.deep.equal(["pull_request", "push"]);
        expect(offline.permissions).to.deep.equal({ contents: "read" });
        const { test, plan } = offline.jobs;
        expect(test.strategy?.matrix.node).to.deep.equal([22, 24]);
        expect(test.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
        expect(plan.if).to.equal("github.event_name == 'pull_request'");
        // Not behind the tests: the comment comes even when a test fails.
        expect(plan.needs).to.equal(undefined);
        expect(plan.steps[0].with).to.deep.equal({ "persist-credentials": false, "fetch-depth": 2 });
        const script = plan.steps.find((s) => s.run?.includes("plan:comment"))?.run;
        expect(script).to.contain("npm run --silent plan:comment -- --base-ref HEAD^1 > plan-comment/comment.md");
        const later = plan.steps.slice(plan.steps.findIndex((s) => s.run === script) + 1);
        expect(later.map((s) => s.if)).to.deep.equal(["${{ !cancelled() }}", "${{ !cancelled() }}"]);
        expect(later[1].with).to.deep.include({ name: "plan-comment", path: "plan-comment/" });
    });

    it("posts the comment from a workflow_run that never runs the pull request's code", () => {
        expect(commenter.on).to.deep.equal({ workflow_run: { workflows: [offline.name], types: ["completed"] } });
        expect(commenter.permissions).to.deep.equal({});
        const { comment } = commenter.jobs;
        expect(comment.if).to.contain("github.event.workflow_run.event == 'pull_request'");
        expect(comment.permissions).to.deep.equal({ actions: "read", "pull-requests": "write" });
        expect(comment.steps.map((s) => s.uses?.split("@")[0])).to.deep.equal(["actions/download-artifact", "actions/github-script"]);
        expect(comment.steps[0].with).to.deep.include({ name: "plan-comment", "run-id": "${{ github.event.workflow_run.id }}" });
        const script = String(comment.steps[1].with?.script);
        expect(script).to.contain(`const marker = "${COMMENT_MARKER}";`);
        expect(script).to.contain("pr.head.sha !== run.head_sha");
        expect(script).to.contain("github.rest.issues.updateComment");
    });

    it("layers 2 and 3: says why it skips, previews each stack on pull requests, up mainpc then pc2 after approval", () => {
        const { jobs } = pulumi;
        expect(Object.keys(jobs)).to.deep.equal(["ready", "preview-mainpc", "preview-pc2", "up-mainpc", "up-pc2"]);
        expect(jobs.ready.needs).to.equal(undefined);
        const check = jobs.ready.steps[0].run ?? "";
        for (const reason of ["from a fork", "PULUMI_BACKEND_URL is not set", "MAINPC_RUNNER and PC2_RUNNER"]) {
            expect(check).to.contain(reason);
        }
        expect(check).to.contain("::notice title=pulumi skipped::pulumi preview and up skipped: $reason.");
        const ready = "needs.ready.outputs.ready == 'true'";
        const onMain = "github.event_name == 'push' && github.ref == 'refs/heads/main'";
        const expected: Record<string, { needs: string | string[]; if: string; command: string; environment?: string }> = {
            "preview-mainpc": { needs: "ready", if: `github.event_name == 'pull_request' && ${ready}`, command: "preview" },
            "preview-pc2": { needs: "ready", if: `github.event_name == 'pull_request' && ${ready}`, command: "preview" },
            "up-mainpc": { needs: "ready", if: `${onMain} && ${ready}`, command: "up", environment: "production" },
            "up-pc2": { needs: ["ready", "up-mainpc"], if: `${onMain} && ${ready}`, command: "up", environment: "production" },
        };
        for (const [name, want] of Object.entries(expected)) {
            const job = jobs[name];
            const stack = name.split("-")[1];
            expect(job.needs, name).to.deep.equal(want.needs);
            expect(job.if, name).to.equal(want.if);
            expect(job.environment, name).to.equal(want.environment);
            expect(job["runs-on"], name).to.equal(`\${{ vars.${stack.toUpperCase()}_RUNNER }}`);
            const step = job.steps.find((s) => s.uses === `./${ACTION}`);
            expect(step?.with, name).to.deep.include({ command: want.command, stack, "backend-url": "${{ vars.PULUMI_BACKEND_URL }}" });
            expect(step?.with?.["comment-on-pr"], name).to.equal(want.command === "preview" ? "true" : undefined);
        }
        expect(jobs["preview-mainpc"].permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
        expect(stackNames()).to.deep.equal(["mainpc", "pc2"]);
    });

    it("runs the policy pack with the stack's name and backend in the composite action", () => {
        expect(action.runs.using).to.equal("composite");
        const step = action.runs.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(step?.with).to.deep.include({ command: "${{ inputs.command }}", "cloud-url": "${{ inputs.backend-url }}", policyPacks: "policy" });
        expect(fs.existsSync(path.join(PROJECT_ROOT, "policy", "PulumiPolicy.yaml")), "the policy pack the step names").to.equal(true);
        const setupNode = action.runs.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
        expect(setupNode?.with).to.deep.equal({ "node-version": 24, "package-manager-cache": false });
    });
});

describe("CI workflows: secrets", () => {
    it("gives no secret to any job a fork's pull request runs", () => {
        for (const [name, job] of [...Object.entries(offline.jobs), ...Object.entries(commenter.jobs), ["ready", pulumi.jobs.ready] as const]) {
            expect(secretsIn(job), name).to.deep.equal([]);
        }
        for (const w of [offline, commenter, pulumi]) {
            expect(w.env, `${w.name}: no workflow-wide env`).to.equal(undefined);
        }
    });

    it("hands the passphrase only to the preview and up jobs, and only to the steps that need it", () => {
        for (const [name, job] of Object.entries(pulumi.jobs)) {
            expect(secretsIn(job).includes("PULUMI_CONFIG_PASSPHRASE"), name).to.equal(name !== "ready");
        }
        const users = action.runs.steps.filter((s) => JSON.stringify(s).includes("inputs.config-passphrase")).map((s) => s.name ?? s.uses);
        expect(users).to.deep.equal(["Require the passphrase", "pulumi/actions@v7"]);
        expect(action.inputs["config-passphrase"].required).to.equal(true);
    });

    it("checks out without keeping the token, and never expands an expression inside a script", () => {
        for (const step of allSteps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
            expect(step.with?.["persist-credentials"]).to.equal(false);
        }
        for (const step of allSteps.filter((s) => s.run)) {
            expect(step.run, step.name ?? step.run).to.not.contain("${{");
        }
    });
});

describe("CI: SSH access for ssh:// Docker hosts (.github/actions/pulumi-stack/ssh-access.sh)", () => {
    const script = path.join(PROJECT_ROOT, ACTION, "ssh-access.sh");
    const runScript = (temp: string, env: Record<string, string>) =>
        spawnSync("bash", [script], { encoding: "utf8", env: { ...process.env, RUNNER_TEMP: temp, GITHUB_PATH: path.join(temp, "path"), ...env } });

    it("puts an ssh first on PATH that uses the key and known hosts, as the real client reads its options", () => {
        const temp = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-ssh-"));
        const result = runScript(temp, { SSH_PRIVATE_KEY: "not a real key", SSH_KNOWN_HOSTS: "mainpc ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample" });
        expect(result.status, result.stderr).to.equal(0);
        const bin = fs.readFileSync(path.join(temp, "path"), "utf8").trim();
        expect(bin).to.equal(path.join(temp, "cascade-ssh", "bin"));
        expect(fs.statSync(path.join(temp, "cascade-ssh", "key")).mode & 0o777).to.equal(0o600);
        // `ssh -G` prints the options the client would use for the host, without connecting.
        const config = spawnSync("ssh", ["-G", "cascade@mainpc"], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
        expect(config.status, config.stderr).to.equal(0);
        const options = config.stdout.split("\n");
        for (const line of [
            `identityfile ${path.join(temp, "cascade-ssh", "key")}`,
            `userknownhostsfile ${path.join(temp, "cascade-ssh", "known_hosts")}`,
            "stricthostkeychecking true",
            "batchmode yes",
            "user cascade",
        ]) {
            expect(options).to.include(line);
        }
    });

    it("refuses a key without known hosts: host keys are never learnt on first use", () => {
        const temp = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-ssh-"));
        const result = runScript(temp, { SSH_PRIVATE_KEY: "not a real key", SSH_KNOWN_HOSTS: "" });
        expect(result.status).to.equal(1);
        expect(result.stdout).to.contain("::error::SSH_PRIVATE_KEY is set but SSH_KNOWN_HOSTS is not");
        expect(fs.existsSync(path.join(temp, "cascade-ssh"))).to.equal(false);
    });
});
