import { expect } from "chai";
import { dataVolumesOf, workloadsOf } from "../policy/readers";
import { factsOf, findings, verdictsOf, viewsOf } from "./support/kubernetes/policy";
import { changed } from "./support/policy";
import { runKubernetes, type KubernetesRun } from "./support/kubernetes/run";

// The policy pack over the Kubernetes resources: the same budget and safety rules as on Swarm (through
// the Kubernetes readers), plus the rules only Kubernetes needs. The seed's own config passes every
// mandatory policy and shows MainPC's limit overcommit; each rule is shown to fail when it should.

const GIB = 1024 ** 3;


/** The first container of a workload's props, for changes. */
function containerOf(props: Record<string, unknown>): Record<string, unknown> {
    return ((props.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers)[0];
}

describe("Kubernetes: the policy pack", () => {
    let mainpc: KubernetesRun;
    let pc2: KubernetesRun;
    before(async () => {
        mainpc = await runKubernetes("mainpc");
        pc2 = await runKubernetes("pc2");
    });

    it("reads every Deployment and StatefulSet as a workload, with requests, limits and replicas at full scale", () => {
        const workloads = workloadsOf(viewsOf(mainpc), factsOf(mainpc));
        const summary = Object.fromEntries(workloads.map((w) => [w.resource.name, [w.kind, w.machine, w.replicas, w.reserved.cpus, w.reserved.memoryBytes / GIB, w.limits.cpus, (w.limits.memoryBytes ?? 0) / GIB, w.gpus]]));
        expect(summary).to.deep.equal({
            "cascade-core-redis-statefulset": ["StatefulSet", "mainpc", 1, 0.25, 0.25, 1, 1, 0],
            "cascade-core-deployment": ["Deployment", "mainpc", 1, 1, 1, 2, 2, 0],
            "cascade-ai-engine-deployment": ["Deployment", "mainpc", 1, 4, 16, 8, 32, 1],
            // Autoscaled: budgets count the most pods the autoscaler may run.
            "cascade-request-handler-deployment": ["Deployment", "mainpc", 5, 2, 4, 4, 8, 0],
            "cascade-memory-learning-deployment": ["Deployment", "mainpc", 2, 2, 8, 4, 16, 0],
            "cascade-audio-realtime-deployment": ["Deployment", "mainpc", 1, 1, 2, 2, 4, 0],
            "cascade-personality-deployment": ["Deployment", "mainpc", 2, 1, 2, 2, 4, 0],
            "cascade-auxiliary-deployment": ["Deployment", "mainpc", 1, 1, 2, 2, 4, 0],
            // Without the Prometheus operator the stack runs its own monitoring, budgeted like a group.
            "mainpc-monitoring-workloads-cascade-prometheus": ["Deployment", "mainpc", 1, 0.25, 0.5, 1, 2, 0],
            "mainpc-monitoring-workloads-cascade-blackbox-exporter": ["Deployment", "mainpc", 1, 0.05, 0.03125, 0.25, 0.125, 0],
            "mainpc-monitoring-workloads-cascade-node-exporter-mainpc": ["Deployment", "mainpc", 1, 0.05, 0.03125, 0.25, 0.125, 0],
        });
        const audio = workloads.find((w) => w.group === "cascade-audio-realtime");
        expect([audio?.realtime, audio?.capAdds, audio?.privileged, audio?.hostPaths]).to.deep.equal([true, ["SYS_NICE"], false, []]);
        expect(dataVolumesOf(viewsOf(mainpc)).map((v) => v.name)).to.include.members(["cascade-core/unified-memory", "cascade-core/redis-data", "cascade-ai-engine/model-cache"]);
    });

    it("passes every mandatory policy on both stacks and reports MainPC's limit overcommit as advisory", () => {
        expect(findings(verdictsOf(mainpc), "mandatory")).to.deep.equal([]);
        expect(findings(verdictsOf(pc2), "mandatory")).to.deep.equal([]);
        const advisory = findings(verdictsOf(mainpc), "advisory");
        expect(advisory).to.have.length(2);
        expect(advisory[0]).to.contain("budget-limits-overcommit cascade-request-handler-deployment: mainpc: limits x replicas add up to 48.5 CPUs (152% of its 32)");
        expect(advisory[1]).to.contain("limits x replicas add up to 125.25G memory");
        expect(findings(verdictsOf(pc2), "advisory")).to.deep.equal([]);
    });

    it("fails the reservation budget when the machine is smaller than the requests at full scale", async () => {
        const run = await runKubernetes("mainpc", {}, { "cascade:capacity": { cpus: 16, memory: "80G", gpus: 1 } });
        expect(findings(verdictsOf(run), "mandatory").join("\n")).to.contain("budget-reservations cascade-request-handler-deployment: mainpc: reservations x replicas add up to 23.6 CPUs (148% of its 16)");
    });

    it("fails the privileged audio opt-in until the operator also relaxes no-privileged, and allows its /dev/snd", async () => {
        const run = await runKubernetes("mainpc", { audioPrivileged: true });
        expect(findings(verdictsOf(run), "mandatory")).to.deep.equal([
            "no-privileged cascade-audio-realtime-deployment: cascade-audio-realtime-deployment (Deployment, group cascade-audio-realtime) on mainpc runs privileged, which gives it every capability and every host device. Grant the devices and capabilities it needs instead.",
        ]);
        expect(findings(verdictsOf(run, viewsOf(run), { "no-privileged": "advisory" }), "mandatory")).to.deep.equal([]);
        expect(findings(verdictsOf(run, viewsOf(run), { "host-path-mounts": { allowed: [] } }), "mandatory").join("\n"))
            .to.contain("host-path-mounts cascade-audio-realtime-deployment: cascade-audio-realtime-deployment (Deployment, group cascade-audio-realtime) on mainpc mounts the host path /dev/snd");
    });

    it("reports `latest` images of Kubernetes workloads", async () => {
        const run = await runKubernetes("pc2", {}, { "cascade:images": { registry: "cascade", tag: "latest" } });
        expect(findings(verdictsOf(run), "advisory")).to.have.members(["cascade-pc2-core-deployment", "cascade-pc2-apps-deployment"].map((name) =>
            `no-latest-image ${name}: ${name} (Deployment, group ${name.replace(/-deployment$/, "")}) runs cascade/${name.replace(/^cascade-|-deployment$/g, "")}:latest, which is latest: previews cannot show what changes and a rollback cannot return to the previous image. Set cascade:images.tag to a release.`));
    });

    it("fails claims that neither protection nor retention keeps", async () => {
        const run = await runKubernetes("pc2", {}, { "cascade:data": { protect: false, retainOnDelete: false } });
        expect(findings(verdictsOf(run), "mandatory")).to.deep.equal(["cascade-pc2-core-claim-logs", "cascade-pc2-apps-claim-logs"].map((name) =>
            `data-volumes-protected ${name}: data volume ${name.replace(/^(cascade-pc2-\w+)-claim-logs$/, "$1")}/logs on pc2 is not protected (nor retained on delete): pulumi destroy would delete its data. Set cascade:data.protect (and cascade:data.retainOnDelete) to true.`));
    });

    const cases: readonly [string, string, (props: Record<string, unknown>) => void, string][] = [
        ["a capability on a workload not labelled real-time", "cascade-audio-realtime-deployment",
            (p) => { (p.metadata as { labels: Record<string, string> }).labels["cascade.realtime"] = "false"; (p.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels["cascade.realtime"] = "false"; },
            "capabilities-allow-list cascade-audio-realtime-deployment: cascade-audio-realtime-deployment (Deployment, group cascade-audio-realtime) on mainpc adds capability SYS_NICE: SYS_NICE is allowed only on real-time workloads"],
        ["more GPUs than the machine has", "cascade-ai-engine-deployment",
            (p) => { (containerOf(p).resources as { limits: Record<string, string> }).limits["nvidia.com/gpu"] = "2"; },
            "gpu-reservations cascade-ai-engine-deployment: cascade-ai-engine-deployment (Deployment, group cascade-ai-engine) reserves 2 GPUs per replica on mainpc, which has 1"],
        ["a secret in the environment", "cascade-core-deployment",
            (p) => { (containerOf(p).env as { name: string; value: string }[]).push({ name: "REDIS_PASSWORD", value: "hunter2" }); },
            "no-secret-env cascade-core-deployment: cascade-core-deployment (Deployment, group cascade-core) sets REDIS_PASSWORD in env"],
        ["a workload without probes", "cascade-auxiliary-deployment",
            (p) => { const c = containerOf(p); delete c.livenessProbe; delete c.readinessProbe; },
            "healthcheck-and-restart cascade-auxiliary-deployment: cascade-auxiliary-deployment (Deployment, group cascade-auxiliary) on mainpc has no healthcheck"],
        ["agents whose memory exceeds the group's limit", "cascade-ai-engine-deployment",
            (p) => { (containerOf(p).resources as { limits: Record<string, string> }).limits.memory = "16Gi"; },
            "agent-memory-within-group-limit cascade-ai-engine-deployment: cascade-ai-engine-deployment (Deployment, group cascade-ai-engine) on mainpc: its agents' memory limits add up to 20.50G, more than the group's limit of 16G per replica"],
        ["a container without seccomp", "cascade-personality-deployment",
            (p) => { delete ((p.spec as { template: { spec: { securityContext: Record<string, unknown> } } }).template.spec.securityContext).seccompProfile; },
            "kubernetes-pod-security cascade-personality-deployment: cascade-personality-deployment: container personality runs without a seccomp profile (use RuntimeDefault)."],
        ["a container that keeps its capabilities and may escalate", "cascade-personality-deployment",
            (p) => { containerOf(p).securityContext = {}; },
            "kubernetes-pod-security cascade-personality-deployment: cascade-personality-deployment: container personality does not drop ALL capabilities; may escalate privileges (set allowPrivilegeEscalation: false)."],
        ["a container that may run as root", "cascade-core-redis-statefulset",
            (p) => { delete ((p.spec as { template: { spec: { securityContext: Record<string, unknown> } } }).template.spec.securityContext).runAsNonRoot; },
            "kubernetes-pod-security cascade-core-redis-statefulset: cascade-core-redis-statefulset: container redis may run as root (set runAsNonRoot: true and a runAsUser)."],
    ];
    for (const [title, name, change, expected] of cases) {
        it(`fails ${title}`, () => {
            expect(findings(verdictsOf(mainpc, changed(viewsOf(mainpc), name, change)), "mandatory").join("\n")).to.contain(expected);
        });
    }

    it("fails a namespace that lets every pod be reached, or has no quota", () => {
        const withoutGuards = viewsOf(mainpc).filter((v) => v.name !== "cascade-personality-default-deny" && v.name !== "cascade-personality-quota");
        expect(findings(verdictsOf(mainpc, withoutGuards), "mandatory")).to.deep.equal([
            "kubernetes-namespace-isolation cascade-personality-deployment: cascade-personality-deployment runs in namespace cascade-personality, which has no default-deny NetworkPolicy (every pod may be reached from anywhere and reach anything) and no ResourceQuota (nothing in the cluster holds it to its machine's budget). Deploy it with the Cascade program, which creates both with the namespace.",
        ]);
    });
});
