import { expect } from "chai";
import { agentJob } from "../model/monitoring/prometheus";
import { ALERTS } from "../model/monitoring/rules";
import type { KubernetesObject } from "./support/kubernetes/manifests";
import { findObject, type RegisteredObject } from "./support/kubernetes/manifests";
import { runKubernetes } from "./support/kubernetes/run";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
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

// Without the operator (the default): each stack runs, from the same model as on Swarm, its own
// monitoring namespace: Prometheus and the blackbox exporter on mainpc with the generated files, a
// node exporter on each machine, as Deployments and Services, validated like every other object.
for (const stack of ["mainpc", "pc2"] as const) {
    describe(`Kubernetes monitoring without the Prometheus operator: ${stack}`, () => {
        let objects: readonly KubernetesObject[] = [];
        let registered: readonly RegisteredObject[] = [];
        let rewrites: readonly string[] = [];
        const model = stackModel(stack, { "cascade:platform": "kubernetes" });
        const namespace = `cascade-monitoring-${stack}`;
        const inNamespace = (kind: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace);
        before(async () => {
            const run = await runKubernetes(stack);
            registered = run.objects;
            objects = run.objects.map((o) => o.object);
            rewrites = run.outputs.coreDnsRewrites as string[];
        });

        it("runs the model's services, one Deployment and one Service each, with their images, arguments and files", () => {
            expect(model.monitoring.operator).to.equal(false);
            const services = model.monitoring.services;
            expect(services.map((s) => s.role)).to.deep.equal(stack === "mainpc" ? ["prometheus", "blackbox", "node-exporter"] : ["node-exporter"]);
            for (const service of services) {
                const deployment = findObject(registered, "Deployment", service.name, namespace) as unknown as IDeployment;
                const container = deployment.spec?.template.spec?.containers[0];
                expect([container?.image, container?.args], service.name).to.deep.equal([service.image, service.args]);
                expect(deployment.spec?.template.spec?.nodeSelector, service.name).to.deep.equal({ system: stack });
                expect(container?.securityContext, service.name).to.deep.include({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
                expect(deployment.spec?.template.spec?.securityContext, service.name).to.deep.include({ runAsNonRoot: true });
                const files = inNamespace("ConfigMap").find((c) => c.metadata.name === `${service.name}-files`) as unknown as IConfigMap | undefined;
                expect(Object.entries(files?.data ?? {}), service.name).to.deep.equal(service.files.map((f) => [f.key, f.content]));
            }
            expect(inNamespace("Service").map((s) => s.metadata.name)).to.deep.equal(services.map((s) => s.dnsName.split(".")[0]));
        });

        it("every object passes its schema", () => {
            const mine = objects.filter((o) => o.metadata.namespace === namespace || o.metadata.name === namespace);
            expect(mine.length).to.be.greaterThan(4);
            for (const object of mine) {
                expect(schemaProblems(object), `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}`).to.deep.equal([]);
            }
        });

        it("puts the namespace under a quota and the Cascade network rules, Prometheus's data on a claim", () => {
            const [quota] = inNamespace("ResourceQuota") as unknown as IResourceQuota[];
            expect(quota.spec?.hard?.pods).to.equal(String(model.monitoring.services.length));
            expect(inNamespace("NetworkPolicy").map((p) => p.metadata.name)).to.deep.equal(["default-deny", "allow-cascade", "allow-dns"]);
            expect(inNamespace("PersistentVolumeClaim").map((c) => c.metadata.name)).to.deep.equal(stack === "mainpc" ? ["prometheus-data"] : []);
        });

        it("makes the monitoring names of the Prometheus config resolve to this namespace", () => {
            const names = model.monitoring.services.map((s) => s.dnsName.split(".")[0]).join("|");
            expect(rewrites).to.include(`rewrite name regex ^(${names})\\.cascade-monitoring\\.cascade\\.$ {1}.${namespace}.svc.cluster.local. answer auto`);
            if (stack === "mainpc") {
                // Static targets through the groups' rewrites: a Service answers for all of a group's pods.
                expect(model.monitoring.files.prometheus).to.contain("- serviceregistry.cascade-core.cascade:").and.not.contain("tasks.serviceregistry");
            }
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
