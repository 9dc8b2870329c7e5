import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_ROOT } from "../config/load";
import { readStackFile } from "../config/stack-file";
import { loadStack } from "../model/load";
import { factsFromModel } from "../policy/facts";
import { factsFromEngineConfig, MissingStackConfigError } from "../policy/stack-facts";
import { RULES } from "../policy/rules";
import { analyze, analyzeRequest, analyzeStack, analyzer, analyzerInfo, analyzerResource, configure, LEVEL, packFor, policyConfig, type RunningPack } from "./support/pack";
import { changed, policyRun, verdicts, type PolicyRun } from "./support/policy";

// The pack itself, as `pulumi preview --policy-pack policy` runs it: started through
// @pulumi/pulumi's run-policy-pack in its own folder, with the previewed stack's config (a stack file
// as the CLI writes it, secrets included) in its environment as the engine passes it, and called over
// gRPC with the resources the program registers. It must offer every rule with its documented level,
// take the machine's capacity from that config, and reach the same verdicts as the offline plan.

/** The engine's diagnostics; the pack's server puts the policy's description above each message. */
const diagnostics = (response: analyzer.AnalyzeResponse) =>
    response.getDiagnosticsList().map((d) => {
        const description = RULES.find((r) => r.name === d.getPolicyname())?.description ?? "";
        const message = d.getMessage();
        return { policy: d.getPolicyname(), level: LEVEL[d.getEnforcementlevel()], message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message };
    });

describe("policy pack over gRPC (as pulumi preview --policy-pack runs it)", function () {
    this.timeout(120000);
    const packs: Partial<Record<"mainpc" | "pc2", RunningPack>> = {};
    let pack: RunningPack;
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        const started = Promise.all([packFor("mainpc"), packFor("pc2")]);
        // One after the other: the mock runtime is global to the process.
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
        [packs.mainpc, packs.pc2] = await started;
        pack = packs.mainpc;
    });

    it("offers every rule with its documented enforcement level and config schema", async () => {
        const info = await analyzerInfo(pack);
        expect(info.getName()).to.equal("cascade");
        const policies = info.getPoliciesList().map((p) => ({ name: p.getName(), level: LEVEL[p.getEnforcementlevel()], schema: p.getConfigschema()?.getProperties()?.toJavaScript() }));
        expect(policies.map((p) => [p.name, p.level])).to.deep.equal(RULES.map((r) => [r.name, r.enforcementLevel]));
        for (const rule of RULES.filter((r) => r.configSchema)) {
            const schema = policies.find((p) => p.name === rule.name)?.schema ?? {};
            expect(Object.keys(schema).sort(), rule.name).to.deep.equal(Object.keys(rule.configSchema?.shape ?? {}).sort());
        }
    });

    for (const stack of ["mainpc", "pc2"] as const) {
        it(`reaches the plan's stack verdicts on ${stack}, with the capacity from the config the engine passes`, async () => {
            const run = stack === "mainpc" ? mainpc : pc2;
            const pack = packs[stack] as RunningPack;
            const request = new analyzer.AnalyzeStackRequest();
            request.setResourcesList(run.views.map((v) => analyzerResource(v, stack)));
            const found = diagnostics(await analyzeStack(pack, request));
            const stackRules = new Set(RULES.filter((r) => r.scope === "stack").map((r) => r.name));
            const expected = verdicts(run).filter((v) => stackRules.has(v.policy)).flatMap((v) => v.violations.map((x) => ({ policy: x.policy, level: x.enforcementLevel, message: x.message })));
            expect(found).to.deep.equal(expected);
            if (stack === "mainpc") {
                expect(found.map((d) => [d.policy, d.level])).to.deep.equal([["budget-limits-overcommit", "advisory"], ["budget-limits-overcommit", "advisory"]]);
            }
        });
    }

    it("validates each resource as it is planned, with the same messages as the plan", async () => {
        const container = mainpc.model.groups.find((g) => g.runAs === "standalone");
        const name = `${container?.name ?? ""}-container`;
        const views = changed(mainpc.views, name, (props) => { props.privileged = true; });
        const view = views.find((v) => v.name === name);
        if (!view) {
            throw new Error(`no ${name}`);
        }
        const found = diagnostics(await analyze(pack, analyzeRequest(view, "mainpc")));
        const expected = verdicts(mainpc, views).flatMap((v) => v.violations).filter((v) => v.resource === name && RULES.find((r) => r.name === v.policy)?.scope === "resource");
        expect(found).to.deep.equal(expected.map((v) => ({ policy: v.policy, level: v.enforcementLevel, message: v.message })));
        expect(found.map((d) => d.policy)).to.include("no-privileged");
    });

    it("takes enforcement levels from the pack's config", async () => {
        const config = new analyzer.ConfigureAnalyzerRequest();
        config.getPolicyconfigMap().set("budget-limits-overcommit", policyConfig(analyzer.EnforcementLevel.MANDATORY));
        await configure(pack, config);
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList(mainpc.views.map((v) => analyzerResource(v, "mainpc")));
        const found = diagnostics(await analyzeStack(pack, request));
        // The pack serves other test files too: back to the defaults, as a preview without a pack config.
        await configure(pack, new analyzer.ConfigureAnalyzerRequest());
        expect(found.map((d) => [d.policy, d.level])).to.deep.equal([["budget-limits-overcommit", "mandatory"], ["budget-limits-overcommit", "mandatory"]]);
    });

    it("refuses a resource of another stack than the one whose config it was given", async () => {
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList(pc2.views.map((v) => analyzerResource(v, "pc2")));
        const error = await analyzeStack(pack, request).then(() => undefined, (e: unknown) => e);
        expect(String(error)).to.contain("the Cascade pack was given the config of stack mainpc but asked about a resource of stack pc2");
    });
});

describe("policy pack folder", () => {
    it("refuses to be packed alone, so pulumi policy publish (npm pack of the folder) fails loudly", () => {
        const result = spawnSync("npm", ["pack", "--dry-run", "--loglevel=error"], { cwd: path.join(PROJECT_ROOT, "policy"), encoding: "utf8" });
        expect(result.status).to.not.equal(0);
        expect(result.stderr).to.contain("The Cascade policy pack cannot be published on its own: it imports the project's config/ and model/");
    });
});

describe("the pack's facts: the config the engine passes, never the checkout's files", () => {
    it("refuses to judge without a stack config, saying how the pack must be run", async () => {
        await pulumi.runtime.setMocks({ newResource: () => ({ id: "", state: {} }), call: () => ({}) }, "cascade", "mainpc", true);
        pulumi.runtime.setAllConfig({}, []);
        expect(() => factsFromEngineConfig("mainpc")).to.throw(MissingStackConfigError, "the Cascade pack received no stack config: run it through `pulumi preview --policy-pack policy`");
    });

    it("reads no stack file of the checkout: a stack's config is judged as the engine gave it, with the facts its model has", async () => {
        // A new stack for MainPC: the program would refuse it (Pulumi.mainpc.yaml already deploys mainpc),
        // but that is the program's check, made from the checkout; the pack judges the config it is given.
        const file = readStackFile("Pulumi.mainpc.yaml");
        await pulumi.runtime.setMocks({ newResource: () => ({ id: "", state: {} }), call: () => ({}) }, "cascade", "mainpc-next", true);
        pulumi.runtime.setAllConfig(file.config, file.secretKeys);
        const { model } = loadStack({ config: file.config, secretKeys: new Set(file.secretKeys), stackFile: file.file, identity: { project: "cascade", stack: "mainpc" } });
        expect(factsFromEngineConfig("mainpc-next")).to.deep.equal(factsFromModel(model, "Pulumi.mainpc-next.yaml"));
    });
});
