import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IService } from "kubernetes-models/v1/Service";
import { groupsOf, mountsOf } from "./support/kubernetes/expected";
import type { KubernetesObject } from "./support/kubernetes/manifests";
import { runKubernetes } from "./support/kubernetes/run";
import { apiServerViolations } from "./support/kubernetes/rules";
import { schemaProblems } from "./support/kubernetes/schema";

// Every Kubernetes object the program would create, checked as the API server would: against the
// official OpenAPI schemas (kubernetes-models), for unknown fields (the same package's typings), and
// for the rules the schemas cannot express. Then each check is shown to catch what it is for.

const VARIANTS: readonly { readonly title: string; readonly settings: Readonly<Record<string, unknown>> }[] = [
    { title: "the committed config", settings: {} },
    {
        title: "a cluster with the GPU operator, a storage class, its own node labels and a context",
        settings: {
            gpuRuntimeClassName: "nvidia",
            gpuTolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
            storageClassName: "local-path",
            nodeSelector: { "kubernetes.io/hostname": "node-1" },
            context: "home",
            volumeSizes: { logs: "2Gi" },
            volumeAccessMode: "ReadWriteMany",
        },
    },
    { title: "the privileged audio opt-in", settings: { audioPrivileged: true, namespacePrefix: "ai" } },
];

describe("Kubernetes: every object passes the API server's validation", () => {
    for (const variant of VARIANTS) {
        for (const stack of ["mainpc", "pc2"] as const) {
            describe(`${stack} with ${variant.title}`, () => {
                let objects: readonly KubernetesObject[] = [];
                before(async () => {
                    objects = (await runKubernetes(stack, variant.settings)).objects.map((o) => o.object);
                });

                it("creates the expected number of objects of each kind", () => {
                    const groups = groupsOf(stack);
                    const agents = groups.flatMap((g) => g.agents);
                    const redis = stack === "mainpc" ? 1 : 0;
                    // The stack's own monitoring namespace (no Prometheus operator): Prometheus, the blackbox
                    // exporter and their files and claim on mainpc, the node exporter on each.
                    const monitoring = stack === "mainpc" ? { services: 3, claims: 1, files: 2 } : { services: 1, claims: 0, files: 0 };
                    const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
                    expect({
                        Namespace: count("Namespace"),
                        ResourceQuota: count("ResourceQuota"),
                        NetworkPolicy: count("NetworkPolicy"),
                        ConfigMap: count("ConfigMap"),
                        Secret: count("Secret"),
                        PersistentVolumeClaim: count("PersistentVolumeClaim"),
                        Deployment: count("Deployment"),
                        StatefulSet: count("StatefulSet"),
                        Service: count("Service"),
                        HorizontalPodAutoscaler: count("HorizontalPodAutoscaler"),
                        PodDisruptionBudget: count("PodDisruptionBudget"),
                    }).to.deep.equal({
                        Namespace: groups.length + 1,
                        ResourceQuota: groups.length + 1,
                        NetworkPolicy: groups.reduce((n, g) => n + 3 + (g.egress || g.agents.some((a) => a.loadBalanced) ? 1 : 0) + (g.agents.some((a) => a.loadBalanced) ? 1 : 0), 0) + 3,
                        ConfigMap: monitoring.files,
                        Secret: groups.length,
                        PersistentVolumeClaim: groups.reduce((n, g) => n + new Set(mountsOf(g).map((m) => m.volume)).size, 0) + redis + monitoring.claims,
                        Deployment: groups.length + monitoring.services,
                        StatefulSet: redis,
                        Service: agents.length + agents.filter((a) => a.loadBalanced).length + redis + monitoring.services,
                        HorizontalPodAutoscaler: groups.filter((g) => g.scaling && g.scaling.max > g.scaling.min).length,
                        PodDisruptionBudget: groups.filter((g) => g.replicas > 1).length,
                    });
                });

                it("passes the official schemas, with no unknown field", () => {
                    const problems = objects.flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}: ${p}`));
                    expect(problems).to.deep.equal([]);
                    expect(objects.length).to.be.greaterThan(0);
                });

                it("passes the rules the API server enforces beyond the schemas", () => {
                    expect(apiServerViolations(objects)).to.deep.equal([]);
                });
            });
        }
    }
});

describe("Kubernetes: the validation catches what it is there for", () => {
    let valid: readonly KubernetesObject[] = [];
    before(async () => {
        valid = (await runKubernetes("mainpc")).objects.map((o) => o.object);
    });

    /** A deep copy of the valid objects with one of them changed. */
    function changed<T>(kind: string, name: string, change: (object: T) => void): KubernetesObject[] {
        const copy = JSON.parse(JSON.stringify(valid)) as KubernetesObject[];
        const target = copy.find((o) => o.kind === kind && o.metadata.name === name);
        if (!target) {
            throw new Error(`no ${kind} ${name}`);
        }
        change(target as unknown as T);
        return copy;
    }
    const deployment = (change: (d: IDeployment) => void) => changed<IDeployment>("Deployment", "cascade-request-handler", change);
    const container = (d: IDeployment) => d.spec!.template.spec!.containers[0];
    const schemaOf = (objects: readonly KubernetesObject[]) =>
        objects.flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${o.metadata.name}: ${p}`));

    const schemaCases: readonly [string, () => KubernetesObject[], string][] = [
        ["an unknown field", () => deployment((d) => Object.assign(container(d), { imagePullPolicyy: "Always" })), "unknown field .spec.template.spec.containers[0].imagePullPolicyy"],
        ["an unknown field in metadata", () => changed<IService>("Service", "nluagent", (s) => Object.assign(s.metadata!, { label: { a: "b" } })), "unknown field .metadata.label"],
        ["a wrong type", () => deployment((d) => Object.assign(d.spec!, { replicas: "3" })), "data/spec/replicas must be integer"],
        ["a value outside an enum", () => deployment((d) => Object.assign(container(d).ports![0], { protocol: "tcp" })), "data/spec/template/spec/containers/0/ports/0/protocol must be equal to one of the allowed values"],
        ["a missing required field", () => deployment((d) => { delete (container(d) as { name?: string }).name; }), "data/spec/template/spec/containers/0 must have required property name"],
        ["a malformed quantity", () => deployment((d) => { container(d).resources!.limits!.cpu = "2 cores"; }), "data/spec/template/spec/containers/0/resources/limits/cpu must match"],
    ];
    for (const [title, build, fragment] of schemaCases) {
        it(`rejects ${title} against the schema`, () => {
            const problems = schemaOf(build());
            expect(problems).to.have.length(1);
            expect(problems[0]).to.contain(fragment);
        });
    }

    const ruleCases: readonly [string, () => KubernetesObject[], string][] = [
        ["a probe with two handlers", () => deployment((d) => { container(d).livenessProbe!.tcpSocket = { port: "port-26002" }; }), "livenessProbe: has 2 handlers (exec, tcpSocket), must have exactly one"],
        ["a probe on a port the container does not name", () => deployment((d) => { container(d).readinessProbe = { httpGet: { path: "/health", port: "health" } }; }), "readinessProbe: names port health, which the container does not declare"],
        ["a selector that misses the pod template", () => deployment((d) => { d.spec!.selector.matchLabels = { "cascade.workload": "other" }; }), "Deployment cascade-request-handler/cascade-request-handler: the selector does not match the pod template's labels"],
        ["a Service that selects no pod", () => changed<IService>("Service", "nluagent", (s) => { s.spec!.selector = { "cascade.workload": "cascade-core" }; }), "Service cascade-request-handler/nluagent: its selector matches no pod template in its namespace"],
        ["a Service targeting an undeclared port", () => changed<IService>("Service", "nluagent", (s) => { s.spec!.ports![0].targetPort = "port-1"; }), "port agent targets port-1, which Deployment cascade-request-handler/cascade-request-handler does not declare"],
        ["a GPU requested but not limited", () => changed<IDeployment>("Deployment", "cascade-ai-engine", (d) => {
            const resources = container(d).resources!;
            delete resources.limits!["nvidia.com/gpu"];
            resources.requests!["nvidia.com/gpu"] = "1";
        }), "extended resource nvidia.com/gpu must be in limits, with no request or an equal one"],
        ["a PDB with both fields", () => changed<IPodDisruptionBudget>("PodDisruptionBudget", "cascade-personality", (p) => { p.spec!.maxUnavailable = 1; }), "sets both of minAvailable and maxUnavailable, must set exactly one"],
        ["an autoscaler without its target", () => changed<IHorizontalPodAutoscaler>("HorizontalPodAutoscaler", "cascade-request-handler", (h) => { h.spec!.scaleTargetRef.name = "gone"; }), "its target Deployment gone does not exist in its namespace"],
        ["an autoscaled Deployment that also sets replicas", () => deployment((d) => { d.spec!.replicas = 3; }), "also sets replicas"],
        ["a label value longer than 63 characters", () => deployment((d) => { d.metadata!.labels!["cascade.group"] = "x".repeat(64); }), `label cascade.group=${"x".repeat(64)} is not a valid label`],
        ["a claim the namespace does not hold", () => deployment((d) => { d.spec!.template.spec!.volumes![0].persistentVolumeClaim!.claimName = "model-cache"; }), "uses claim model-cache, which the stack does not create in cascade-request-handler"],
        ["a privileged container that forbids escalation", () => deployment((d) => { container(d).securityContext!.privileged = true; }), "cannot be privileged and forbid privilege escalation"],
        ["a port name longer than an IANA service name", () => deployment((d) => { container(d).ports![0].name = "requestcoordinator"; }), "port name requestcoordinator is not an IANA service name"],
    ];
    for (const [title, build, fragment] of ruleCases) {
        it(`rejects ${title} as the API server would`, () => {
            const objects = build();
            expect(schemaOf(objects), "the case must pass the schema, so only the rules catch it").to.deep.equal([]);
            const violations = apiServerViolations(objects);
            expect(violations.join("\n")).to.contain(fragment);
        });
    }
});
