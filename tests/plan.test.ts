import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { ConfigError } from "../config/errors";
import { loadTopology } from "../config/load";
import { formatMemory } from "../config/units";
import { RULES } from "../policy/rules";
import { parseArgs, UsageError } from "../plan/args";
import { assemblePlan, type Plan } from "../plan/assemble";
import { committedPlan } from "./support/plan";
import { mermaidGraph } from "../plan/graph";
import { planJson } from "../plan/json";
import { SECRET_MARK } from "../plan/mask";
import { textReport } from "../plan/report";
import { PLACEHOLDER_SECRETS, readStackFile } from "../config/stack-file";

// The offline plan (`npm run plan`), assembled in-process for both machine stacks: the JSON document
// holds every resource, group, agent and policy verdict, with no secret value; the text shows the tree,
// the budget and port tables and the verdicts; pc2 plans without any mainpc state.

const topology = loadTopology("config/topology.yaml");
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-plan-"));

/** Every secret string the plan stands in: placeholders, their base64 forms and certificate values. */
const placeholderStrings = (() => {
    const certificates = Object.values(JSON.parse(PLACEHOLDER_SECRETS.zmqCertificates) as Record<string, string>);
    const values = [PLACEHOLDER_SECRETS.redisPassword, ...certificates];
    return [...values, ...values.map((v) => Buffer.from(v, "utf8").toString("base64"))];
})();

function writeConfig(name: string, config: Record<string, unknown>): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, stringify({ config }));
    return file;
}

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`plan: ${stack}`, () => {
        let plan: Plan;
        let json: ReturnType<typeof planJson>;
        let text: string;
        const groups = topology.groups.filter((g) => g.machine === stack);
        before(async () => {
            plan = await committedPlan(stack);
            // Through text, as a consumer of --json reads it.
            json = JSON.parse(JSON.stringify(planJson(plan))) as ReturnType<typeof planJson>;
            text = textReport(plan);
        });

        it("lists every captured resource with its type token, name, parent, inputs and dependsOn", () => {
            expect(json.resources.map((r) => [r.type, r.name, r.parent ?? undefined])).to.deep.equal(
                plan.capture.resources.map((r) => [r.type, r.name, r.parent]));
            json.resources.forEach((r, i) => {
                const { options } = plan.capture.resources[i];
                expect(r).to.deep.include({ dependsOn: options.dependsOn, protect: options.protect, retainOnDelete: options.retainOnDelete });
                expect(Object.keys(r.inputs as object)).to.deep.equal(Object.keys(plan.capture.resources[i].inputs));
            });
        });

        it("holds every group of the topology, as a component and in `groups`, with all its agents", () => {
            expect(json.groups.map((g) => g.name)).to.deep.equal([...groups].sort((a, b) => a.phase - b.phase).map((g) => g.name));
            for (const group of groups) {
                expect(json.resources.filter((r) => r.type === "cascade:swarm:Group" && r.name === group.name), group.name).to.have.length(1);
                expect(json.groups.find((g) => g.name === group.name)?.agents).to.deep.equal(group.agents.map((a) => a.name));
            }
        });

        it("holds every agent of the machine in the port table, with its ports and exposure", () => {
            const agents = groups.flatMap((g) => g.agents.map((a) => ({ agent: a.name, group: g.name, port: a.port, healthPort: a.healthPort, published: a.loadBalanced })));
            expect(json.ports.map((p) => ({ agent: p.agent, group: p.group, port: p.port, healthPort: p.healthPort, published: p.published }))).to.deep.equal(agents);
            for (const agent of agents) {
                expect(text).to.match(new RegExp(`${agent.group}\\s+${agent.agent}\\s+${agent.port}\\s+${agent.healthPort}\\s+${agent.published ? "published" : "internal"}`));
            }
        });

        it("holds a verdict for every policy, and every violation with its policy, level, resource and message", () => {
            expect(json.policies.map((p) => [p.policy, p.enforcementLevel])).to.deep.equal(RULES.map((r) => [r.name, r.enforcementLevel]));
            expect(json.violations).to.deep.equal(plan.verdicts.flatMap((v) => v.violations));
            expect(json.result).to.deep.equal({ ok: true, mandatoryViolations: 0 });
            for (const verdict of plan.verdicts) {
                expect(text).to.contain(`${verdict.violations.length === 0 ? "PASS" : "WARN"}  ${verdict.policy} (${verdict.enforcementLevel})`);
            }
        });

        it("gives the machine's budget: capacity, and reserved and limited CPU, memory and GPU", () => {
            const { budget } = plan.model;
            expect(json.budgets).to.have.all.keys(stack);
            expect(json.budgets[stack]).to.deep.include({
                capacity: { cpus: budget.capacity.cpus, memoryBytes: budget.capacity.memoryBytes, gpus: budget.capacity.gpus },
                reserved: budget.reserved,
                limited: budget.limited,
            });
            for (const line of budget.lines) {
                expect(text).to.match(new RegExp(`${line.name}\\s+${line.replicas}\\s+${line.reserved.cpus}\\s+${formatMemory(line.reserved.memoryBytes)}\\s+${line.reserved.gpus}\\s+${line.limited.cpus}\\s+${formatMemory(line.limited.memoryBytes)}`));
            }
            expect(text).to.match(new RegExp(`total\\s+-\\s+${budget.reserved.cpus}\\s+${formatMemory(budget.reserved.memoryBytes)}`));
        });

        it("masks every secret value and says which secrets were placeholders", () => {
            const document = JSON.stringify(json);
            for (const secret of placeholderStrings) {
                expect(document).to.not.contain(secret);
                expect(text).to.not.contain(secret);
            }
            const secrets = json.resources.filter((r) => r.type === "docker:index/secret:Secret");
            expect(secrets.length).to.be.greaterThan(0);
            secrets.forEach((s) => expect((s.inputs as { data: unknown }).data).to.equal(SECRET_MARK));
            expect(json.placeholderSecrets).to.deep.equal(["cascade:redisPassword", "cascade:zmqCertificates"]);
            expect(text).to.contain("Secrets: cascade:redisPassword, cascade:zmqCertificates are placeholders");
        });

        it("prints the tree: each component, then its children, with the settings that matter", () => {
            for (const group of plan.model.groups) {
                expect(text).to.contain(`${group.name}  [cascade:swarm:Group]`);
                const child = new RegExp(`[└├]─ ${group.name}-(service|container)  \\[docker (Service|Container)\\]  ${group.image.replace(/[.]/g, "\\.")}; ${group.replicas} replicas?; machine ${stack}`);
                expect(text).to.match(child);
            }
            // Networks are shown by name, also those read from another stack.
            expect(text).to.contain(`networks ${plan.model.networks.internal.name}`);
        });

        it("draws groups, phases and networks as a Mermaid flowchart", () => {
            const graph = mermaidGraph(plan.model);
            expect(graph.split("\n")[0]).to.equal("flowchart LR");
            for (const phase of plan.model.phases) {
                expect(graph).to.contain(`subgraph phase_${phase.phase}["Phase ${phase.phase}"]`);
            }
            for (const group of plan.model.groups) {
                const id = group.name.replace(/-/g, "_");
                expect(graph).to.contain(`    ${id}["${group.name}<br/>${group.agents.length} agents`);
                group.dependsOnGroups.forEach((before) => expect(graph).to.contain(`${before.replace(/-/g, "_")} ==>|healthy| ${id}`));
                expect(graph).to.contain(`${id} -.- net_internal`);
                expect(graph.includes(`${id} -.- net_external`)).to.equal(group.external);
            }
        });
    });
}

describe("plan: pc2 without any mainpc state", () => {
    it("plans mainpc in-process and feeds its outputs to pc2's StackReference", async () => {
        const plan = await committedPlan("pc2");
        expect(plan.referenced).to.deep.include({ name: "organization/cascade/mainpc", file: "Pulumi.mainpc.yaml" });
        const reference = plan.capture.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
        expect(reference?.inputs.name).to.equal("organization/cascade/mainpc");
        expect(textReport(plan)).to.contain("StackReference organization/cascade/mainpc: its outputs come from an offline plan of Pulumi.mainpc.yaml.");
    });

    it("uses config instead when cascade:mainpc.stack is empty", async () => {
        const file = writeConfig("Pulumi.pc2.yaml", { ...readStackFileConfig("Pulumi.pc2.yaml"), "cascade:mainpc": { stack: "", hubEndpoint: "http://hub.example:9000" } });
        const plan = await assemblePlan({ stack: "pc2", configFile: file });
        expect(plan.referenced).to.equal(undefined);
        expect(plan.capture.resources.some((r) => r.type === "pulumi:pulumi:StackReference")).to.equal(false);
        expect(plan.model.owner.hubEndpoint).to.equal("http://hub.example:9000");
    });

    it("says what to do when the referenced stack has no config file to plan", async () => {
        const file = writeConfig("Pulumi.pc2.yaml", { ...readStackFileConfig("Pulumi.pc2.yaml"), "cascade:mainpc": { stack: "organization/cascade/nowhere" } });
        const error = await assemblePlan({ stack: "pc2", configFile: file }).then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.contain("reads outputs of organization/cascade/nowhere, but there is no Pulumi.nowhere.yaml to plan it from");
    });
});

describe("plan: secrets from the stack file", () => {
    it("stands in placeholders for encrypted secrets and names them", async () => {
        const file = writeConfig("Pulumi.mainpc.yaml", { ...readStackFileConfig("Pulumi.mainpc.yaml"), "cascade:redisPassword": { secure: "v1:AAAAAAAAAAAAAAAA" } });
        const plan = await assemblePlan({ stack: "mainpc", configFile: file });
        expect(plan.stackFile.placeholders).to.deep.equal(["cascade:redisPassword", "cascade:zmqCertificates"]);
        expect(plan.stackFile.file).to.equal(file);
    });

    it("refuses a secret written in plain text, naming the file and the fix", async () => {
        const file = writeConfig("Pulumi.mainpc.yaml", { ...readStackFileConfig("Pulumi.mainpc.yaml"), "cascade:redisPassword": "plain-text-password-123" });
        const error = await assemblePlan({ stack: "mainpc", configFile: file }).then(() => undefined, (e: unknown) => e);
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.contain(`${file}: cascade:redisPassword: is stored in plain text`);
    });
});

describe("plan: command-line arguments", () => {
    it("reads the stack, the options and their values", () => {
        expect(parseArgs(["--stack", "mainpc", "--json", "--render", "out", "--policy-config=p.json"])).to.deep.equal({
            stack: "mainpc", configFile: undefined, policyConfigFile: "p.json", renderDir: "out", json: true, graph: false,
        });
        expect(parseArgs(["--help"])).to.equal("help");
    });

    it("takes the stack from a config file named Pulumi.<stack>.yaml", () => {
        expect(parseArgs(["--config", "drafts/Pulumi.pc2.yaml"])).to.deep.include({ stack: "pc2", configFile: "drafts/Pulumi.pc2.yaml" });
        expect(parseArgs(["--config", "draft.yaml", "--stack", "mainpc"])).to.deep.include({ stack: "mainpc", configFile: "draft.yaml" });
    });

    it("rejects what it does not understand, with the usage", () => {
        const cases: [string[], RegExp][] = [
            [["--stack"], /Option '--stack <value>' argument missing/],
            [["--stack="], /--stack needs a value/],
            [["--stack", "--json"], /Option '--stack' argument is ambiguous/],
            [["--stack", "mainpc", "--frobnicate"], /Unknown option '--frobnicate'/],
            [["--stack", "mainpc", "pc2"], /Unexpected argument 'pc2'/],
            [["--json"], /--stack is required/],
            [["--config", "draft.yaml"], /name the stack of draft.yaml with --stack/],
            [["--stack", "mainpc", "--json", "--graph"], /choose one/],
        ];
        for (const [argv, message] of cases) {
            expect(() => parseArgs(argv), argv.join(" ")).to.throw(UsageError, message);
            expect(() => parseArgs(argv)).to.throw(/Usage: npm run plan -- --stack <stack>/);
        }
    });
});

/** The committed stack file's config map, as objects, for writing edited copies. */
function readStackFileConfig(file: string): Record<string, unknown> {
    const { config, placeholders } = readStackFile(file);
    return Object.fromEntries(Object.entries(config)
        .filter(([key]) => !placeholders.includes(key))
        .map(([key, value]) => [key, value.startsWith("{") ? JSON.parse(value) as unknown : value]));
}
