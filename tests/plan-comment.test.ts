import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import { readPlanDocument, type PlanDocument } from "../plan/comment/document";
import { COMMENT_MARKER, commentMarkdown, failingStacks, type StackOutcome } from "../plan/comment/markdown";
import { parseCommentArgs, UsageError } from "../plan/comment/usage";
import { planJson } from "../plan/json";
import { committedPlan } from "./support/plan";

// The PR comment of the offline plan (`npm run plan:comment`): the markdown from plan documents, table
// by table against a base whose plan differs in one way each; then the command as the workflow runs
// it, a child process whose stdout is the comment and whose exit status fails the job.

/** The committed stack's plan, through JSON as the command reads it. */
async function documentOf(stack: "mainpc" | "pc2"): Promise<PlanDocument> {
    return readPlanDocument(JSON.stringify(planJson(await committedPlan(stack))));
}

const copy = (plan: PlanDocument): PlanDocument => JSON.parse(JSON.stringify(plan)) as PlanDocument;

const comment = (stacks: StackOutcome[]) => commentMarkdown({ head: "HEAD (1111111)", base: "main (2222222)", stacks });

describe("plan:comment markdown", function () {
    this.timeout(60000);
    let mainpc: PlanDocument;
    let service: PlanDocument["resources"][number];

    before(async () => {
        mainpc = await documentOf("mainpc");
        service = mainpc.resources.find((r) => r.type === "docker:index/service:Service" && r.name === "cascade-request-handler-service")!;
        expect(service, "the request handler's service").to.not.equal(undefined);
    });

    it("opens with the hidden marker and shows budgets and every policy verdict", () => {
        const text = comment([{ stack: "mainpc", head: { plan: mainpc } }]);
        expect(text.split("\n")[0]).to.equal(COMMENT_MARKER);
        expect(text).to.contain("; base: main (2222222)");
        expect(text).to.contain("| cascade-request-handler | 3 | 6 | 12G | 0 | 12 | 24G |");
        expect(text).to.contain("| **total** |  | 19.6 | 53.81G | 1 | 40.5 | 109.25G |");
        expect(text).to.contain("⚠️ warn `budget-limits-overcommit` (advisory): mainpc: limits x replicas add up to 40.5 CPUs");
        for (const policy of mainpc.policies) {
            expect(text).to.contain(`| \`${policy.policy}\` | ${policy.enforcementLevel} |`);
        }
        expect(text).to.contain("**✅ No mandatory policy failed");
    });

    // Each row: what the base looked like, what the summary row and the stack's section must say.
    const cases: { name: string; base: (head: PlanDocument) => PlanDocument; summary: string; lines: string[] }[] = [
        { name: "the same plan", base: (head) => copy(head), summary: "| no change |", lines: ["No change against the base"] },
        {
            name: "a resource the head adds",
            base: (head) => ({ ...copy(head), resources: head.resources.filter((r) => r.name !== "cascade-request-handler-service") }),
            summary: "| +1 -0 ~0 |",
            lines: ["- added `cascade-request-handler-service` (docker:index/service:Service)"],
        },
        {
            name: "a resource the head removes",
            base: (head) => ({ ...copy(head), resources: [...copy(head).resources, { ...copy(head).resources[0], name: "cascade-retired" }] }),
            summary: "| +0 -1 ~0 |",
            lines: ["- removed `cascade-retired`"],
        },
        {
            name: "changed inputs and options",
            base: (head) => {
                const base = copy(head);
                const old = base.resources.find((r) => r.name === "cascade-request-handler-service")!;
                old.inputs = { ...old.inputs, mode: { replicated: { replicas: 2 } }, labels: [] };
                old.protect = true;
                return base;
            },
            summary: "| +0 -0 ~1 |",
            lines: ["- changed `cascade-request-handler-service` (docker:index/service:Service): labels, mode, protect"],
        },
        {
            name: "a smaller budget",
            base: (head) => {
                const base = copy(head);
                const budget = base.budgets.mainpc;
                const line = budget.lines.find((l) => l.name === "cascade-request-handler")!;
                line.reserved.cpus -= 2;
                line.replicas -= 1;
                line.limited.memoryBytes -= 8 * 1024 ** 3;
                budget.reserved.cpus -= 2;
                budget.limited.memoryBytes -= 8 * 1024 ** 3;
                budget.capacity.cpus = 24;
                budget.lines = budget.lines.filter((l) => l.name !== "cascade-auxiliary");
                return base;
            },
            summary: "| no change |",
            lines: [
                "| cascade-request-handler | 3 (+1) | 6 (+2) | 12G | 0 | 12 | 24G (+8G) |",
                "| cascade-auxiliary (new) | 1 | 1 (+1) | 2G (+2G) | 0 | 2 (+2) | 4G (+4G) |",
                "| **total** |  | 19.6 (+2) | 53.81G | 1 | 40.5 | 109.25G (+8G) |",
                "| capacity |  | 32 (+8) | 80G | 1 | 32 (+8) | 80G |",
            ],
        },
        {
            name: "a policy that failed in the base",
            base: (head) => {
                const base = copy(head);
                base.policies = base.policies.map((p) => (p.policy === "budget-reservations" ? { ...p, passed: false, violations: 1 } : p));
                return base;
            },
            summary: "| +0 -0 ~0 |",
            lines: ["- policy `budget-reservations`: ❌ FAIL → ✅ pass"],
        },
    ];
    for (const c of cases) {
        it(`against a base with ${c.name}`, () => {
            const text = comment([{ stack: "mainpc", head: { plan: mainpc }, base: { plan: c.base(mainpc) } }]);
            const row = text.split("\n").find((l) => l.startsWith("| mainpc |"));
            expect(row).to.contain(c.summary);
            for (const line of c.lines) {
                expect(text).to.contain(line);
            }
        });
    }

    it("names a new stack, and a base whose plan failed, without comparing", () => {
        const text = comment([
            { stack: "mainpc", head: { plan: mainpc }, base: "absent" },
            { stack: "pc2", head: { plan: mainpc }, base: { error: "Invalid Cascade configuration (1 problem):\n```oops```" } },
        ]);
        expect(text).to.contain("| new stack |").and.to.contain("New stack: the base has no config file for it");
        expect(text).to.contain("| base plan failed |").and.to.contain("```\nInvalid Cascade configuration (1 problem):\n'''oops'''\n```");
    });

    it("says which stacks block the job: a failed plan, or a mandatory violation", () => {
        const failing = copy(mainpc);
        failing.result = { ok: false, mandatoryViolations: 1 };
        failing.violations = [...failing.violations, { policy: "no-privileged", enforcementLevel: "mandatory", resource: "x", message: "x is privileged | and\nsays so" }];
        failing.policies = failing.policies.map((p) => (p.policy === "no-privileged" ? { ...p, passed: false, violations: 1 } : p));
        const stacks: StackOutcome[] = [
            { stack: "mainpc", head: { plan: failing } },
            { stack: "pc2", head: { error: "Invalid Cascade configuration" } },
            { stack: "ok", head: { plan: mainpc } },
        ];
        const text = comment(stacks);
        expect(failingStacks(stacks)).to.deep.equal(["mainpc", "pc2"]);
        expect(text).to.contain("**❌ mainpc, pc2: the plan failed or a mandatory policy failed; `pulumi up` would be blocked.**");
        expect(text).to.contain("| mainpc | mainpc (swarm) | 43 | ❌ 1 | 2 |");
        expect(text).to.contain("- ❌ FAIL `no-privileged` (mandatory): x is privileged \\| and says so");
        expect(text).to.contain("| pc2 | - | - | ❌ plan failed |").and.to.contain("❌ The plan failed:");
    });

    it("lists at most 30 resources of a kind and says how many more", () => {
        const head = copy(mainpc);
        head.resources = Array.from({ length: 45 }, (_, i) => ({ ...service, name: `extra-${i}` }));
        const text = comment([{ stack: "mainpc", head: { plan: head }, base: { plan: { ...copy(mainpc), resources: [] } } }]);
        expect(text.split("\n").filter((l) => l.startsWith("- added "))).to.have.length(30);
        expect(text).to.contain("- … and 15 more (run the command below locally for the full list)");
    });

    const badDocuments: [string, string, string][] = [
        ["text that is not JSON", "Error: x", "not JSON"],
        ["a document without budgets", JSON.stringify({ stack: "mainpc", machine: "mainpc", platform: "swarm", resources: [], policies: [], violations: [], result: { ok: true, mandatoryViolations: 0 } }), "not a plan document this comment can read: budgets:"],
        ["a resource without a name", JSON.stringify({ stack: "s", machine: "m", platform: "swarm", resources: [{ type: "t" }], policies: [], violations: [], budgets: {}, result: { ok: true, mandatoryViolations: 0 } }), "resources.0.name:"],
    ];
    for (const [name, text, message] of badDocuments) {
        it(`refuses ${name} as a plan document`, () => {
            expect(() => readPlanDocument(text)).to.throw(message);
        });
    }
});

describe("plan:comment arguments", () => {
    it("reads a base ref, repeated stacks and a policy config", () => {
        expect(parseCommentArgs(["--base-ref", "origin/main", "--stack", "mainpc", "--stack=pc2", "--policy-config", "p.json"]))
            .to.deep.equal({ baseRef: "origin/main", stacks: ["mainpc", "pc2"], policyConfigFile: "p.json" });
        expect(parseCommentArgs(["--help"])).to.equal("help");
        expect(parseCommentArgs([])).to.deep.equal({ baseRef: undefined, stacks: [], policyConfigFile: undefined });
    });

    const bad: [string[], string][] = [
        [["--base"], "Unknown option '--base'"],
        [["--base-ref"], "Option '--base-ref <value>' argument missing"],
        [["--base-ref="], "--base-ref needs a value"],
        [["mainpc"], "Unexpected argument 'mainpc'"],
    ];
    for (const [argv, message] of bad) {
        it(`rejects ${argv.join(" ")} with the usage`, () => {
            expect(() => parseCommentArgs(argv)).to.throw(UsageError, message).with.property("message").that.contains("Usage: npm run --silent plan:comment");
        });
    }
});

interface Result {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function planComment(...args: string[]): Promise<Result> {
    return new Promise((resolve) => {
        const child = spawn("npm", ["run", "--silent", "plan:comment", "--", ...args], { cwd: PROJECT_ROOT, env: { ...process.env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

describe("npm run plan:comment (child process)", function () {
    this.timeout(240000);
    const results: Record<string, Result> = {};
    const strict = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cascade-plan-comment-")), "strict.json");
    fs.writeFileSync(strict, JSON.stringify({ "budget-limits-overcommit": "mandatory" }));

    before(async () => {
        const runs: Record<string, Promise<Result>> = {
            againstHead: planComment("--base-ref", "HEAD", "--stack", "mainpc"),
            strict: planComment("--policy-config", strict),
            noRef: planComment("--base-ref", "no-such-ref-of-cascade"),
            noStack: planComment("--stack", "staging"),
        };
        for (const [name, result] of Object.entries(runs)) {
            results[name] = await result;
        }
    });

    it("prints the comment of a stack against HEAD and exits 0", () => {
        const { status, stdout, stderr } = results.againstHead;
        expect(status, stderr).to.equal(0);
        expect(stdout.startsWith(`${COMMENT_MARKER}\n### Cascade offline plan`)).to.equal(true);
        expect(stdout).to.match(/; base: HEAD \([0-9a-f]{7}\)\./);
        expect(stdout).to.contain("| mainpc | mainpc (swarm) | 43 | ✅ 0 | 2 |").and.to.contain("#### mainpc").and.to.contain("Budget of mainpc");
        expect(stdout).to.not.contain("#### pc2");
    });

    it("plans every stack by default, and exits 1 when one fails a mandatory policy, saying which", () => {
        const { status, stdout } = results.strict;
        expect(status).to.equal(1);
        expect(stdout).to.contain("| pc2 | pc2 (swarm) | 16 | ✅ 0 | 0 | - |").and.to.contain("Budget of pc2");
        expect(stdout).to.contain("| mainpc | mainpc (swarm) | 43 | ❌ 2 | 0 | - |");
        expect(stdout).to.contain("- ❌ FAIL `budget-limits-overcommit` (mandatory): mainpc: limits x replicas add up to 40.5 CPUs");
        expect(stdout).to.contain("**❌ mainpc: the plan failed or a mandatory policy failed; `pulumi up` would be blocked.**");
    });

    it("exits 2 with the reason alone for a ref that is not a commit or a stack that does not exist", () => {
        expect(results.noRef.status).to.equal(2);
        expect(results.noRef.stdout).to.equal("");
        expect(results.noRef.stderr).to.contain("--base-ref no-such-ref-of-cascade: not a commit in this repository");
        expect(results.noStack.status).to.equal(2);
        expect(results.noStack.stderr).to.contain("no stack staging: the stacks are mainpc, pc2");
    });
});
