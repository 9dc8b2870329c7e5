import { expect } from "chai";
import { MONITORING_GROUP, MONITORING_PHASE } from "../model/monitoring/services";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { textReport } from "../plan/report";
import { assemblePlan, type Plan } from "../plan/assemble";
import { renderPlan, type RenderedFile } from "../plan/render";
import { PLACEHOLDER_SECRETS } from "../config/stack-file";
import { groupsOf } from "./support/kubernetes/expected";
import { kubernetesObjects, type KubernetesObject } from "./support/kubernetes/manifests";
import { apiServerViolations } from "./support/kubernetes/rules";
import { schemaProblems } from "./support/kubernetes/schema";

// `npm run plan -- --render DIR` for a Kubernetes stack: one multi-document file per group that
// kubectl applies as it is, holding exactly the objects Pulumi would create (Secrets aside: their
// values are never written), plus apply.sh and README.md. The files are read back the way kubectl
// reads them (YAML 1.1) and validated like the program's objects.

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-k8s-render-"));

/** The committed stack file with `cascade:platform: kubernetes`, as an operator would draft it. */
function kubernetesConfig(stack: string): string {
    const file = path.join(directory, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, `${fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")}  cascade:platform: kubernetes\n`);
    return file;
}

/** A rendered file read as kubectl reads it (YAML 1.1), one object per document. */
function documentsOf(file: RenderedFile): KubernetesObject[] {
    return parseAllDocuments(file.content, { version: "1.1" }).map((d) => {
        expect(d.errors, file.path).to.deep.equal([]);
        return d.toJS() as KubernetesObject;
    });
}

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`Kubernetes: the rendered manifests of ${stack}`, () => {
        let plan: Plan;
        let files: RenderedFile[];
        before(async () => {
            plan = await assemblePlan({ stack, configFile: kubernetesConfig(stack) });
            files = renderPlan(plan);
        });
        const captured = () => kubernetesObjects(plan.capture);

        it("budgets the autoscaler's maximum and prints no Swarm-only notes", () => {
            const text = textReport(plan);
            expect(text).to.not.contain("standalone container");
            expect(text).to.not.contain("Docker secret names");
            if (stack === "mainpc") {
                const line = plan.model.budget.lines.find((l) => l.name === "cascade-request-handler");
                expect(line).to.deep.include({ replicas: 5, autoscaled: true });
                expect(text).to.contain("note: cascade-request-handler is autoscaled from 1 to 5 replicas; the budget counts the maximum.");
            }
        });

        it("writes one file per group in phase order, apply.sh and README.md", () => {
            expect(files.map((f) => f.path)).to.deep.equal([
                // The stack's own monitoring namespace comes first: it watches the groups and waits for none.
                `${MONITORING_PHASE}-${MONITORING_GROUP}.yaml`,
                ...groupsOf(stack).sort((a, b) => a.phase - b.phase || a.name.localeCompare(b.name)).map((g) => `${g.phase}-${g.name}.yaml`),
                "apply.sh",
                "README.md",
            ]);
        });

        it("holds every object Pulumi would create but the Secrets, as kubectl reads them, the namespace first", () => {
            const rendered = files.filter((f) => f.path.endsWith(".yaml")).flatMap((f) => {
                const documents = documentsOf(f);
                expect(documents[0].kind, f.path).to.equal("Namespace");
                expect(documents.slice(1).every((d) => d.metadata.namespace === documents[0].metadata.name), f.path).to.equal(true);
                return documents;
            });
            const expected = captured().map((o) => o.object).filter((o) => o.kind !== "Secret");
            expect(rendered).to.have.deep.members(expected);
            expect(rendered).to.have.length(expected.length);
        });

        it("passes the schemas and the API server's rules, with the Secrets apply.sh creates", () => {
            const rendered = files.filter((f) => f.path.endsWith(".yaml")).flatMap(documentsOf);
            expect(rendered.flatMap((o) => schemaProblems(o))).to.deep.equal([]);
            const secrets = captured().map((o) => o.object).filter((o) => o.kind === "Secret");
            expect(apiServerViolations([...rendered, ...secrets])).to.deep.equal([]);
        });

        it("never writes a secret value", () => {
            const values = [PLACEHOLDER_SECRETS.redisPassword, ...Object.values(JSON.parse(PLACEHOLDER_SECRETS.zmqCertificates) as Record<string, string>)];
            for (const file of files) {
                for (const value of values) {
                    expect(file.content, file.path).to.not.contain(value);
                    expect(file.content, file.path).to.not.contain(Buffer.from(value).toString("base64"));
                }
            }
        });

        it("applies in Pulumi's order with apply.sh: each namespace's Secret from the secret files, then the rollouts", () => {
            const script = files.find((f) => f.path === "apply.sh");
            expect(script?.executable).to.equal(true);
            expect(spawnSync("bash", ["-n"], { input: script?.content }).status, "bash -n apply.sh").to.equal(0);
            const text = script?.content ?? "";
            const steps = groupsOf(stack).map((group) => {
                const secret = captured().find((o) => o.object.kind === "Secret" && o.object.metadata.namespace === group.name)?.object;
                const apply = text.indexOf(`k apply -f ${group.phase}-${group.name}.yaml`);
                const create = text.indexOf(`k create secret generic cascade-secrets -n ${group.name}`);
                const rollout = text.indexOf(`k -n ${group.name} rollout status deployment/${group.name} --timeout=600s`);
                expect([apply, create, rollout].every((i) => i >= 0), group.name).to.equal(true);
                expect(apply, group.name).to.be.lessThan(create);
                expect(create, group.name).to.be.lessThan(rollout);
                for (const key of Object.keys((secret?.data as Record<string, string> | undefined) ?? {})) {
                    expect(text.slice(create), `${group.name} ${key}`).to.match(new RegExp(`--from-file=${key}="\\$\\(secret_file [^)]+\\)"`));
                }
                return { phase: group.phase, apply, rollout };
            });
            // A phase starts only once every workload of the previous phases has rolled out.
            for (const later of steps) {
                for (const earlier of steps.filter((s) => s.phase < later.phase)) {
                    expect(earlier.rollout).to.be.lessThan(later.apply);
                }
            }
            expect(text).to.contain("--from-file=zmq-client-key=\"$(secret_file zmq/client.key)\"");
        });

        it("tells the operator the secret files and the CoreDNS rules in README.md", () => {
            const readme = files.find((f) => f.path === "README.md")?.content ?? "";
            expect(readme).to.contain("- `redis-password`").and.contain("- `zmq/server.key_secret`");
            for (const rule of plan.capture.outputs.coreDnsRewrites as string[]) {
                expect(readme).to.contain(rule);
            }
        });
    });
}

describe("Kubernetes: npm run plan -- --render", () => {
    it("writes the files and exits 0 for the seed's MainPC on Kubernetes", () => {
        const out = path.join(directory, "out");
        const stdout = execFileSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["plan/cli.ts", "--config", kubernetesConfig("mainpc"), "--render", out], { cwd: PROJECT_ROOT, encoding: "utf8" });
        expect(stdout).to.contain("platform kubernetes").and.contain("Plan OK: no mandatory policy failed");
        expect(fs.readdirSync(out).sort()).to.deep.equal([`${MONITORING_PHASE}-${MONITORING_GROUP}.yaml`, ...groupsOf("mainpc").map((g) => `${g.phase}-${g.name}.yaml`), "README.md", "apply.sh"].sort());
        expect(fs.statSync(path.join(out, "apply.sh")).mode & 0o111).to.not.equal(0);
    });
});
