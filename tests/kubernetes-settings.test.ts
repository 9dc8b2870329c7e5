import { expect } from "chai";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { ISecret } from "kubernetes-models/v1/Secret";
import { expectRejected } from "./support/rejection";
import { resource } from "./support/program";
import { findObject } from "./support/kubernetes/manifests";
import { K8S_TYPES, runKubernetes, type KubernetesRun } from "./support/kubernetes/run";
import { writeTopology, group as topologyGroup } from "./support/topology-file";

// The stack config's `kubernetes` settings, each doing what its documentation says, and bad settings
// stopping the program with a message that names the key and the fix before anything is registered.

const deploymentOf = (run: KubernetesRun, name: string, namespace = name) => findObject(run.objects, "Deployment", name, namespace) as unknown as IDeployment;
const podOf = (run: KubernetesRun, name: string, namespace = name) => deploymentOf(run, name, namespace).spec?.template.spec;

describe("Kubernetes: the stack's kubernetes settings", () => {
    it("uses the configured kubeconfig context", async () => {
        const run = await runKubernetes("pc2", { context: "home-cluster" });
        expect(resource(run, K8S_TYPES.provider, "pc2-provider").inputs).to.deep.equal({ context: "home-cluster", upsertExistingObjects: "true" });
    });

    it("pins to the configured node labels instead of the machine's, keeping a group's own", async () => {
        const run = await runKubernetes("mainpc", { nodeSelector: { "kubernetes.io/hostname": "mainpc-node" } });
        expect(podOf(run, "cascade-core")?.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "mainpc-node" });
        expect(podOf(run, "cascade-ai-engine")?.nodeSelector).to.deep.equal({ "kubernetes.io/hostname": "mainpc-node", gpu: "rtx4090" });
        expect(findObject(run.objects, "StatefulSet", "redis", "cascade-core").spec).to.have.nested.property("template.spec.nodeSelector")
            .that.deep.equals({ "kubernetes.io/hostname": "mainpc-node" });
    });

    it("gives only GPU groups the runtime class and the tolerations", async () => {
        const tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }];
        const run = await runKubernetes("mainpc", { gpuRuntimeClassName: "nvidia", gpuTolerations: tolerations });
        expect(podOf(run, "cascade-ai-engine")).to.include({ runtimeClassName: "nvidia" });
        expect(podOf(run, "cascade-ai-engine")?.tolerations).to.deep.equal(tolerations);
        for (const name of ["cascade-core", "cascade-memory-learning", "cascade-audio-realtime"]) {
            expect(podOf(run, name)?.runtimeClassName, name).to.equal(undefined);
            expect(podOf(run, name)?.tolerations, name).to.equal(undefined);
        }
    });

    it("sizes claims per volume, with the storage class and access mode asked for, and counts them in the quota", async () => {
        const run = await runKubernetes("mainpc", { storageClassName: "local-path", volumeSize: "5Gi", volumeSizes: { model_cache: "200Gi" }, volumeAccessMode: "ReadWriteMany" });
        const claim = findObject(run.objects, "PersistentVolumeClaim", "model-cache", "cascade-ai-engine") as unknown as IPersistentVolumeClaim;
        expect(claim.spec).to.deep.equal({ accessModes: ["ReadWriteMany"], storageClassName: "local-path", resources: { requests: { storage: "200Gi" } } });
        expect(findObject(run.objects, "PersistentVolumeClaim", "logs", "cascade-ai-engine").spec).to.have.nested.property("resources.requests.storage", "5Gi");
        expect(findObject(run.objects, "ResourceQuota", "cascade-budget", "cascade-ai-engine").spec).to.have.nested.property("hard.requests\\.storage", "210Gi");
    });

    it("runs privileged audio with the host's /dev/snd only when the operator opts in", async () => {
        const run = await runKubernetes("mainpc", { audioPrivileged: true });
        const pod = podOf(run, "cascade-audio-realtime");
        const container = pod?.containers[0];
        expect(container?.securityContext).to.deep.equal({ privileged: true, capabilities: { drop: ["ALL"], add: ["SYS_NICE"] } });
        expect(container?.resources?.limits).to.deep.equal({ cpu: "2", memory: "4Gi" });
        expect(container?.volumeMounts?.at(-1)).to.deep.equal({ name: "host-dev-snd", mountPath: "/dev/snd" });
        expect(pod?.volumes?.at(-1)).to.deep.equal({ name: "host-dev-snd", hostPath: { path: "/dev/snd", type: "Directory" } });
        expect(findObject(run.objects, "ResourceQuota", "cascade-budget", "cascade-audio-realtime").spec).to.have.nested.property("hard.requests\\.squat\\.ai/audio", "0");
        expect(podOf(run, "cascade-core")?.containers[0].securityContext).to.deep.equal({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    });

    it("asks for the configured audio device-plugin resource", async () => {
        const run = await runKubernetes("mainpc", { audioDeviceResource: "example.com/snd" });
        expect(podOf(run, "cascade-audio-realtime")?.containers[0].resources?.limits).to.include({ "example.com/snd": "1" });
        expect(findObject(run.objects, "ResourceQuota", "cascade-budget", "cascade-core").spec).to.have.nested.property("hard.requests\\.example\\.com/snd", "0");
    });

    it("scales the request handlers on the configured CPU utilization", async () => {
        const run = await runKubernetes("mainpc", { cpuUtilizationTarget: 50 });
        const hpa = findObject(run.objects, "HorizontalPodAutoscaler", "cascade-request-handler", "cascade-request-handler") as unknown as IHorizontalPodAutoscaler;
        expect(hpa.spec?.metrics?.[0].resource?.target).to.deep.equal({ type: "Utilization", averageUtilization: 50 });
    });

    it("runs non-root pods as the configured user", async () => {
        const run = await runKubernetes("pc2", { runAsUser: 2000 });
        expect(podOf(run, "cascade-pc2-core")?.securityContext).to.include({ runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000, runAsNonRoot: true });
    });

    it("names namespaces with the prefix, and the DNS rules and policies follow", async () => {
        const run = await runKubernetes("pc2", { namespacePrefix: "ai" });
        expect(run.objects.filter((o) => o.object.kind === "Namespace").map((o) => o.object.metadata.name)).to.deep.equal(["ai-pc2-core", "ai-pc2-apps", "ai-monitoring-pc2"]);
        expect(deploymentOf(run, "cascade-pc2-apps", "ai-pc2-apps").metadata?.namespace).to.equal("ai-pc2-apps");
        expect(run.outputs.coreDnsRewrites).to.deep.equal([
            "rewrite name regex ^(.+)\\.cascade-pc2-core\\.cascade\\.$ {1}.ai-pc2-core.svc.cluster.local. answer auto",
            "rewrite name regex ^(.+)\\.cascade-pc2-apps\\.cascade\\.$ {1}.ai-pc2-apps.svc.cluster.local. answer auto",
            "rewrite name regex ^(node-exporter-pc2)\\.cascade-monitoring\\.cascade\\.$ {1}.ai-monitoring-pc2.svc.cluster.local. answer auto",
        ]);
        const policy = findObject(run.objects, "NetworkPolicy", "allow-cascade", "ai-pc2-core") as unknown as INetworkPolicy;
        expect(policy.spec?.ingress?.[0].from?.[0].namespaceSelector?.matchLabels).to.deep.equal({ "cascade.namespace-prefix": "ai", "cascade.managed-by": "pulumi" });
    });

    it("uses the configured cluster domain in the DNS rules", async () => {
        const run = await runKubernetes("pc2", { clusterDomain: "home.arpa" });
        expect(run.outputs.coreDnsRewrites).to.have.nested.property("[0]").that.contains("{1}.cascade-pc2-core.svc.home.arpa.");
    });

    it("leaves data unprotected only when the stack's data settings say so", async () => {
        const run = await runKubernetes("pc2", {}, { "cascade:data": { protect: false, retainOnDelete: false } });
        expect(resource(run, K8S_TYPES.claim, "cascade-pc2-core-claim-logs").options).to.include({ protect: false, retainOnDelete: false });
        expect(resource(run, K8S_TYPES.namespace, "cascade-pc2-core-namespace").options).to.include({ protect: false, retainOnDelete: false });
    });

    it("follows the stack's group overrides: a disabled group has no namespace, an image override reaches its Deployment", async () => {
        const run = await runKubernetes("mainpc", {}, { "cascade:groups": { "cascade-auxiliary": { enabled: false }, "cascade-ai-engine": { image: "registry.example/ai:1.2" } } });
        expect(run.objects.filter((o) => o.object.metadata.namespace === "cascade-auxiliary" || o.object.metadata.name === "cascade-auxiliary")).to.deep.equal([]);
        expect(podOf(run, "cascade-ai-engine")?.containers[0].image).to.equal("registry.example/ai:1.2");
    });

    it("mounts only the Redis password when CurveZMQ is off", async () => {
        const run = await runKubernetes("pc2", {}, { "cascade:secureZmq": false });
        const secret = findObject(run.objects, "Secret", "cascade-secrets", "cascade-pc2-core") as unknown as ISecret;
        expect(Object.keys(secret.data ?? {})).to.deep.equal(["redis-password"]);
        expect(podOf(run, "cascade-pc2-core")?.volumes?.at(-1)?.secret?.items).to.deep.equal([{ key: "redis-password", path: "redis-password" }]);
    });

    it("rolls the pods when a secret value changes", async () => {
        const before = await runKubernetes("pc2");
        const after = await runKubernetes("pc2", {}, { "cascade:redisPassword": "another-password-of-24-chars" });
        const hash = (run: KubernetesRun) => deploymentOf(run, "cascade-pc2-core").spec?.template.metadata?.annotations?.["cascade.secrets-hash"];
        expect(hash(before)).to.match(/^[0-9a-f]{12}$/);
        expect(hash(after)).to.match(/^[0-9a-f]{12}$/).and.not.equal(hash(before));
    });
});

interface BadSetting {
    readonly title: string;
    readonly settings?: Readonly<Record<string, unknown>>;
    readonly edits?: () => Readonly<Record<string, unknown>>;
    readonly stack?: "mainpc" | "pc2";
    readonly expected: readonly string[];
}

const BAD: readonly BadSetting[] = [
    {
        title: "a namespace prefix that is not a DNS label",
        settings: { namespacePrefix: "Cascade_AI" },
        expected: ["(1 problem)", "Pulumi.mainpc.yaml: cascade:kubernetes.namespacePrefix: \"Cascade_AI\" is not a namespace prefix", "Fix: use lower-case letters, digits and '-'"],
    },
    {
        title: "a namespace prefix too long for the groups' names",
        settings: { namespacePrefix: "a".repeat(50) },
        expected: [
            "(1 problem)",
            `cascade:kubernetes.namespacePrefix: namespace "${"a".repeat(50)}-request-handler" for cascade-request-handler (and 3 more) is not a DNS-1123 label of at most 63 characters`,
            "Fix: use a prefix of at most 45 lower-case letters, digits and '-'",
        ],
    },
    {
        title: "an unknown key, with a suggestion",
        settings: { namespacePrefx: "cascade" },
        expected: ["cascade:kubernetes.namespacePrefx: unknown key \"namespacePrefx\"", "did you mean \"namespacePrefix\"?"],
    },
    {
        title: "an audio resource that is not an extended resource name",
        settings: { audioDeviceResource: "audio" },
        expected: ["cascade:kubernetes.audioDeviceResource: \"audio\" is not an extended resource name", "Fix: write it as <domain>/<name>"],
    },
    {
        title: "a size for a volume the machine does not have",
        settings: { volumeSizes: { model_cache: "100Gi" } },
        stack: "pc2",
        expected: ["Pulumi.pc2.yaml: cascade:kubernetes.volumeSizes.model_cache: no group of pc2 mounts a volume \"model_cache\"", "Fix: remove it, or use one of: logs"],
    },
    {
        title: "a storage size that is not a quantity",
        settings: { volumeSize: "10 GB" },
        expected: ["cascade:kubernetes.volumeSize: \"10 GB\" is not a storage size", "Fix: write a Kubernetes quantity with a unit, larger than 0, e.g. 10Gi or 500Gi"],
    },
    {
        title: "a runtime class that is not an object name",
        settings: { gpuRuntimeClassName: "Nvidia_Runtime" },
        expected: ["cascade:kubernetes.gpuRuntimeClassName: \"Nvidia_Runtime\" is not a runtime class (a Kubernetes object name)"],
    },
    {
        title: "a CPU target outside 1 to 100",
        settings: { cpuUtilizationTarget: 0 },
        expected: ["cascade:kubernetes.cpuUtilizationTarget: 0 is not a whole number from 1 to 100", "Fix: write a whole number from 1 to 100"],
    },
    {
        title: "a host device no device plugin stands for",
        edits: () => ({ "cascade:topology": writeTopology((t) => { topologyGroup(t, "cascade-audio-realtime").devices = ["/dev/snd", "/dev/video0"]; }) }),
        expected: ["groups[cascade-audio-realtime].devices: /dev/video0 has no device-plugin resource on Kubernetes", "Fix: remove /dev/video0, or deploy cascade-audio-realtime with cascade:platform swarm"],
    },
];

describe("Kubernetes: bad settings stop the program before anything is registered", () => {
    for (const bad of BAD) {
        it(`rejects ${bad.title}`, () =>
            expectRejected(runKubernetes(bad.stack ?? "mainpc", bad.settings ?? {}, bad.edits?.() ?? {}), bad.expected));
    }
});
