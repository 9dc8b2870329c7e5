import { expect } from "chai";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Capture } from "../captured/resource";
import { isSecretEnvelope, UNKNOWN_VALUE } from "../captured/secrets";
import { captureProgram } from "../plan/capture";
import { RULES } from "../policy/rules";
import { engineConfigOf, fixturePlaintexts } from "./support/cli-fixtures";
import type { RegisteredResource } from "./support/engine-double";
import { ORGANIZATION, runProgram, type ProgramRun } from "./support/language-host";
import { analyzeStack, analyzer, analyzerInfo, LEVEL, packFor } from "./support/pack";
import { readSnapshot, urnProblems } from "./support/urns";

// The program and the pack through @pulumi/pulumi's own entry points, as `pulumi preview` and
// `pulumi up` start them: index.ts through cmd/run (Pulumi.yaml, package.json `main`, tsconfig and the
// SDK's ts-node, the export, PULUMI_CONFIG parsing), and the pack through run-policy-pack, against a
// recording engine double. Each stack's config is a stack file as the CLI writes it, decrypted as the
// engine decrypts it. Each program run happens once; every assertion reads the recordings.

type Stack = "mainpc" | "pc2";
const MAINPC_REFERENCE = `${ORGANIZATION}/cascade/mainpc`;
const STACK_TYPE = "pulumi:pulumi:Stack";

/** `type name <- parent type name` of every resource but the stack, from the engine's recording. */
function treeOfRecording(run: ProgramRun): string[] {
    const byUrn = new Map(run.recording.resources.map((r) => [r.urn, r]));
    return run.recording.resources
        .filter((r) => r.type !== STACK_TYPE)
        .map((r) => {
            const parent = r.parentUrn === undefined ? undefined : byUrn.get(r.parentUrn);
            return `${r.type} ${r.name} <- ${parent && parent.type !== STACK_TYPE ? `${parent.type} ${parent.name}` : "stack"}`;
        })
        .sort();
}

/** The same tree from the mock run the plan and the other tests read. */
function treeOfCapture(capture: Capture): string[] {
    const byName = new Map(capture.resources.map((r) => [r.name, r]));
    return capture.resources
        .map((r) => {
            const parent = r.parent === undefined ? undefined : byName.get(r.parent);
            return `${r.type} ${r.name} <- ${parent ? `${parent.type} ${parent.name}` : "stack"}`;
        })
        .sort();
}

function stackOutputs(run: ProgramRun): Record<string, unknown> {
    return run.recording.outputs.get(run.recording.root ?? "") ?? {};
}

/** Ids differ between engines (the double's, the mocks'): compared as "<id>", unknown ones as themselves. */
function withoutIds(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutIds);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "id" && v !== UNKNOWN_VALUE ? "<id>" : withoutIds(v)]));
    }
    return value;
}

/** A secret as the SDK sends it over the wire: the signature and the plaintext. */
function secretPlaintext(value: unknown): unknown {
    return isSecretEnvelope(value) ? value.value : undefined;
}

function one(run: ProgramRun, type: string, name: string): RegisteredResource {
    const found = run.recording.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

describe("the program and the pack through Pulumi's entry points (cmd/run, run-policy-pack)", function () {
    this.timeout(180000);
    const runs: Partial<Record<`${Stack} ${"preview" | "up"}`, ProgramRun>> = {};
    const captures: Partial<Record<Stack, Capture>> = {};
    const get = <T>(value: T | undefined, what: string): T => {
        if (value === undefined) {
            throw new Error(`no ${what}`);
        }
        return value;
    };

    before(async () => {
        const packs = Promise.all([packFor("mainpc"), packFor("pc2")]);
        const mainpc = engineConfigOf("mainpc");
        const pc2 = engineConfigOf("pc2");
        // pc2's StackReference reads what mainpc's `pulumi up` exported: mainpc's update runs first.
        const mainpcUp = runProgram({ stack: "mainpc", dryRun: false, ...mainpc });
        const mainpcPreview = runProgram({ stack: "mainpc", dryRun: true, ...mainpc });
        runs["mainpc up"] = await mainpcUp;
        const mainpcOutputs = { [MAINPC_REFERENCE]: stackOutputs(runs["mainpc up"]) };
        const pc2Up = runProgram({ stack: "pc2", dryRun: false, stackOutputs: mainpcOutputs, ...pc2 });
        const pc2Preview = runProgram({ stack: "pc2", dryRun: true, stackOutputs: mainpcOutputs, ...pc2 });
        // The mock runs, one after the other (the mock runtime is global to this process).
        captures.mainpc = await captureProgram({ project: "cascade", stack: "mainpc", ...mainpc, preview: false });
        captures.pc2 = await captureProgram({ project: "cascade", stack: "pc2", ...pc2, stackOutputs: { [MAINPC_REFERENCE]: captures.mainpc.outputs }, preview: false });
        runs["mainpc preview"] = await mainpcPreview;
        runs["pc2 up"] = await pc2Up;
        runs["pc2 preview"] = await pc2Preview;
        await packs;
    });

    for (const stack of ["mainpc", "pc2"] as const) {
        for (const mode of ["preview", "up"] as const) {
            it(`runs ${stack}'s ${mode} to the end, with no error logged`, () => {
                const run = get(runs[`${stack} ${mode}`], `${stack} ${mode}`);
                const errors = run.recording.logs.filter((l) => l.severity >= 3).map((l) => l.message);
                expect(errors, run.stderr).to.deep.equal([]);
                expect(run.exitCode, run.stderr).to.equal(0);
                expect(run.recording.root).to.equal(`urn:pulumi:${stack}::cascade::${STACK_TYPE}::cascade-${stack}`);
            });

            it(`registers on ${stack} (${mode}) exactly the resources, names and parents of the plan`, () => {
                const run = get(runs[`${stack} ${mode}`], `${stack} ${mode}`);
                expect(treeOfRecording(run)).to.deep.equal(treeOfCapture(get(captures[stack], stack)));
            });
        }

        it(`exports on ${stack} the plan's outputs after an update`, () => {
            const run = get(runs[`${stack} up`], `${stack} up`);
            const outputs = stackOutputs(run);
            expect(Object.keys(outputs).sort()).to.deep.equal(["machine", "networks", "observabilityHub", "phases", "platform", "serviceDirectory", "workloadStatus"]);
            expect(withoutIds(outputs)).to.deep.equal(withoutIds(get(captures[stack], stack).outputs));
        });
    }

    it("hands the program the engine's decrypted values of top-level and --path secrets, and keeps them secret", () => {
        const run = get(runs["mainpc up"], "mainpc up");
        const plaintexts = fixturePlaintexts();
        const secrets = run.recording.resources.filter((r) => r.type === "docker:index/secret:Secret");
        const decoded = secrets.map((s) => Buffer.from(String(secretPlaintext(s.properties.data)), "base64").toString("utf8")).sort();
        expect(decoded).to.deep.equal(Object.values(plaintexts).sort());
    });

    for (const stack of ["mainpc", "pc2"] as const) {
        it(`keeps on ${stack} every deployed resource, under its URN or through an alias URN the SDK computes`, () => {
            const run = get(runs[`${stack} up`], `${stack} up`);
            const records = run.recording.resources
                .filter((r) => r.type !== STACK_TYPE)
                .map((r) => ({ urn: r.urn, custom: r.custom, aliases: r.aliasUrns }));
            expect(urnProblems(records, readSnapshot(path.join(__dirname, "fixtures", "urns", `swarm-${stack}.txt`)))).to.deep.equal([]);
        });
    }

    it("protects the data volumes in the engine's registrations", () => {
        const run = get(runs["mainpc up"], "mainpc up");
        const volumes = run.recording.resources.filter((r) => r.type === "docker:index/volume:Volume");
        expect(volumes.length).to.be.greaterThan(0);
        expect(volumes.filter((v) => !v.protect || !v.retainOnDelete).map((v) => v.name)).to.deep.equal([]);
    });

    it("answers pc2's StackReference with mainpc's outputs: PC2's services join the networks mainpc created", () => {
        const run = get(runs["pc2 up"], "pc2 up");
        const reference = run.recording.resources.filter((r) => r.type === "pulumi:pulumi:StackReference");
        expect(reference.map((r) => [r.name, r.via])).to.deep.equal([["pc2-owner-stack", "read"]]);
        const internal = (stackOutputs(get(runs["mainpc up"], "mainpc up")).networks as { internal: { id: string } }).internal.id;
        const services = run.recording.resources.filter((r) => r.type === "docker:index/service:Service");
        expect(services.length).to.be.greaterThan(0);
        for (const service of services) {
            const networks = ((service.properties.taskSpec as { networksAdvanceds?: { id: string }[] }).networksAdvanceds ?? []).map((n) => n.id);
            expect(networks, service.name).to.include(internal);
        }
    });

    it("leaves what depends on ids unknown in a preview, as the engine does before anything exists", () => {
        const run = get(runs["mainpc preview"], "mainpc preview");
        expect(stackOutputs(run).networks).to.equal(UNKNOWN_VALUE);
        const redis = one(run, "docker:index/service:Service", "cascade-core-redis-service");
        expect((redis.properties.taskSpec as { networksAdvanceds: { id: unknown }[] }).networksAdvanceds.map((n) => n.id)).to.deep.equal([UNKNOWN_VALUE]);
    });

    for (const stack of ["mainpc", "pc2"] as const) {
        it(`runs the pack through run-policy-pack over ${stack}'s recorded resources, with the plan's verdicts`, async () => {
            const pack = await packFor(stack);
            const info = await analyzerInfo(pack);
            expect(info.getPoliciesList().map((p) => p.getName())).to.deep.equal(RULES.map((r) => r.name));
            const request = new analyzer.AnalyzeStackRequest();
            const run = get(runs[`${stack} up`], `${stack} up`);
            request.setResourcesList(run.recording.resources.filter((r) => r.via === "register" && r.type !== STACK_TYPE).map((r) => {
                const resource = new analyzer.AnalyzerResource();
                resource.setUrn(r.urn);
                resource.setType(r.type);
                resource.setName(r.name);
                resource.setProperties(Struct.fromJavaScript(r.properties as Record<string, never>));
                resource.setOptions(new analyzer.AnalyzerResourceOptions().setProtect(r.protect));
                return resource;
            }));
            const found = (await analyzeStack(pack, request)).getDiagnosticsList().map((d) => [d.getPolicyname(), LEVEL[d.getEnforcementlevel()]]);
            expect(found).to.deep.equal(stack === "mainpc" ? [["budget-limits-overcommit", "advisory"], ["budget-limits-overcommit", "advisory"]] : []);
        });
    }
});
