import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { stackNames } from "../plan/stack-file";

// .github/workflows/preview.yml cannot run here (no Pulumi CLI, no GitHub): its YAML is checked for
// what matters. Pull requests: type-check and test, then preview each machine stack with the policy
// pack and comment on the pull request; pushes to main: `pulumi up`, mainpc then pc2, behind the
// manual approval of the `production` environment.

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, unknown>;
}

interface Job {
    readonly if?: string;
    readonly needs?: string | string[];
    readonly "runs-on": string;
    readonly environment?: string;
    readonly permissions?: Record<string, string>;
    readonly strategy?: { matrix: Record<string, unknown> };
    readonly steps: Step[];
}

interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly env: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const workflow = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github/workflows/preview.yml"), "utf8")) as Workflow;
const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
/** The two machine stacks of the seed, each with its config file in the project. */
const MACHINE_STACKS = ["mainpc", "pc2"];

/** Checkout, then Node 24, then `npm ci` before any Pulumi step. */
function expectSetup(job: Job): void {
    const [checkout, node] = job.steps;
    expect(checkout.uses).to.match(/^actions\/checkout@v\d+$/);
    expect(node.uses).to.match(/^actions\/setup-node@v\d+$/);
    expect(node.with?.["node-version"]).to.equal(24);
    const install = job.steps.findIndex((s) => s.run === "npm ci");
    const pulumi = job.steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(install).to.be.greaterThan(1);
    expect(pulumi === -1 || install < pulumi).to.equal(true);
}

describe("CI workflow: previews on pull requests, pulumi up on main", () => {
    it("runs on pull requests and on pushes to main, reading the repository by default", () => {
        expect(Object.keys(workflow.on).sort()).to.deep.equal(["pull_request", "push"]);
        expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
        expect(workflow.permissions).to.deep.equal({ contents: "read" });
    });

    it("takes the passphrase and the Pulumi token from secrets, and the backend from a repository variable", () => {
        expect(workflow.env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
        expect(workflow.env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
        expect(workflow.env.PULUMI_BACKEND_URL).to.match(/^\$\{\{ vars\.PULUMI_BACKEND_URL \|\| format\('file:\/\/\{0\}\/\.pulumi-state', github\.workspace\) \}\}$/);
        expect(workflow.env.PULUMI_NODEJS_TRANSPILE_ONLY).to.equal("true");
    });

    it("type-checks and tests on Node 24 (npm test runs tsc, then mocha)", () => {
        const { test } = workflow.jobs;
        expectSetup(test);
        expect(test.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm test"]);
        const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        expect(scripts.test).to.match(/^npm run typecheck && mocha/);
    });

    it("previews every machine stack on pull requests, with the policy pack, commenting on the pull request", () => {
        const { preview } = workflow.jobs;
        expect(preview.if).to.equal("github.event_name == 'pull_request'");
        expect(preview.needs).to.equal("test");
        expect(preview.permissions).to.deep.equal({ contents: "read", "pull-requests": "write" });
        expect(preview.strategy?.matrix.stack).to.deep.equal(MACHINE_STACKS);
        expect(stackNames()).to.include.members(MACHINE_STACKS);
        expectSetup(preview);
        const [step] = pulumiSteps(preview);
        expect(pulumiSteps(preview)).to.have.length(1);
        expect(step.uses).to.equal("pulumi/actions@v6");
        expect(step.with).to.deep.include({
            command: "preview",
            "cloud-url": "${{ env.PULUMI_BACKEND_URL }}",
            policyPacks: "policy",
            "comment-on-pr": true,
            "github-token": "${{ secrets.GITHUB_TOKEN }}",
        });
        expect(String(step.with?.["stack-name"])).to.contain("matrix.stack");
        expect(fs.existsSync(path.join(PROJECT_ROOT, "policy", "PulumiPolicy.yaml")), "the policy pack the step names").to.equal(true);
    });

    it("runs pulumi up on main only after approval, mainpc before pc2, with the policy pack and a persistent backend", () => {
        const { up } = workflow.jobs;
        expect(up.if).to.equal("github.event_name == 'push' && github.ref == 'refs/heads/main'");
        expect(up.needs).to.equal("test");
        expect(up.environment).to.equal("production");
        const guard = up.steps.find((s) => s.if === "vars.PULUMI_BACKEND_URL == ''");
        expect(guard?.run).to.contain("exit 1");
        const steps = pulumiSteps(up);
        expect(steps.map((s) => s.with?.command)).to.deep.equal(["up", "up"]);
        expect(steps.map((s) => String(s.with?.["stack-name"]))).to.satisfy((names: string[]) => names[0].includes("mainpc") && names[1].includes("pc2"));
        steps.forEach((s) => expect(s.with).to.deep.include({ policyPacks: "policy", "cloud-url": "${{ env.PULUMI_BACKEND_URL }}" }));
    });

    it("lets a repository variable choose a runner that can reach the machines' Docker hosts", () => {
        for (const job of [workflow.jobs.preview, workflow.jobs.up]) {
            expect(job["runs-on"]).to.equal("${{ vars.CASCADE_RUNNER || 'ubuntu-latest' }}");
        }
    });
});
