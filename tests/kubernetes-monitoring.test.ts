import { expect } from "chai";
import { agentJob } from "../model/monitoring/prometheus";
import { ALERTS } from "../model/monitoring/rules";
import type { KubernetesObject } from "./support/kubernetes/manifests";
import { runKubernetes } from "./support/kubernetes/run";
import { schemaProblems } from "./support/kubernetes/schema";
import { stackModel } from "./support/monitoring/models";

// On Kubernetes with the Prometheus operator: each stack creates, for its own machine, a Probe per
// agent with the labels the rules select on, a ServiceMonitor per agent that serves metrics, one
// PrometheusRule, and a NetworkPolicy per namespace for the monitoring namespace. Every object passes
// its CRD's schema (@kubernetes-models/prometheus-operator), unknown fields included.

const operator = { prometheusOperator: { enabled: true, labels: { release: "prometheus" } } };

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`Kubernetes monitoring through the Prometheus operator: ${stack}`, () => {
        let objects: readonly KubernetesObject[] = [];
        const model = stackModel(stack, { "cascade:platform": "kubernetes", "cascade:monitoring": operator });
        const agents = model.groups.flatMap((g) => g.agents);
        const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
        before(async () => {
            objects = (await runKubernetes(stack, {}, { "cascade:monitoring": operator })).objects.map((o) => o.object);
        });

        it("every object passes its schema", () => {
            for (const object of objects) {
                expect(schemaProblems(object), `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}`).to.deep.equal([]);
            }
        });

        it("probes every agent of the machine, labelled machine, group, agent and optional, in its group's namespace", () => {
            const probes = ofKind("Probe");
            expect(probes.length).to.equal(agents.length);
            for (const agent of agents) {
                const probe = probes.find((p) => (p.spec as { jobName: string }).jobName === agentJob({ machine: agent.machine, agent: agent.name }));
                expect(probe, agent.name).to.not.equal(undefined);
                expect(probe?.metadata.namespace).to.equal(agent.group);
                expect(probe?.metadata.labels).to.include({ release: "prometheus" });
                expect(probe?.spec).to.nested.include({
                    "targets.staticConfig.labels.machine": agent.machine,
                    "targets.staticConfig.labels.group": agent.group,
                    "targets.staticConfig.labels.agent": agent.name,
                    "targets.staticConfig.labels.optional": String(agent.optional),
                    "targets.staticConfig.static[0]": `http://${agent.name.toLowerCase()}.${agent.group}.svc:${agent.healthPort}/health`,
                });
            }
        });

        it("scrapes the agents that serve metrics and lets the monitoring namespace reach them", () => {
            const withMetrics = agents.filter((a) => a.metricsPath !== undefined);
            expect(withMetrics.map((a) => a.name)).to.deep.equal(["ObservabilityHub"]);
            expect(ofKind("ServiceMonitor").map((m) => m.metadata.name)).to.deep.equal(["metrics-observabilityhub"]);
            const allow = ofKind("NetworkPolicy").filter((p) => p.metadata.name === "allow-monitoring");
            expect(allow.map((p) => p.metadata.namespace)).to.deep.equal(model.groups.map((g) => g.name));
        });

        it("creates one PrometheusRule with an agent-down rule per group", () => {
            const [rule, ...more] = ofKind("PrometheusRule");
            expect(more).to.deep.equal([]);
            const alerts = (rule.spec as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
            expect(alerts.filter((a) => a === ALERTS.groupDegraded).length).to.equal(model.groups.length);
        });
    });
}

describe("Kubernetes monitoring: the schema check can fail", () => {
    it("rejects a Probe whose module is not a string and one with a field the CRD does not have", () => {
        const probe = { apiVersion: "monitoring.coreos.com/v1", kind: "Probe", metadata: { name: "x", namespace: "y" }, spec: { module: 5 } };
        expect(schemaProblems(probe).join("\n")).to.match(/module/);
        expect(schemaProblems({ ...probe, spec: { module: "http_2xx", target: "typo" } })).to.include("unknown field .spec.target");
    });
});
