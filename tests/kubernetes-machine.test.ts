import { expect } from "chai";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { INetworkPolicySpec } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import { PLACEHOLDER_SECRETS } from "../config/stack-file";
import { resource } from "./support/program";
import { claimOf, groupsOf, isExternal, mountsOf, namespaceOf, topology } from "./support/kubernetes/expected";
import { findObject } from "./support/kubernetes/manifests";
import { K8S_TYPES, runKubernetes, type KubernetesRun } from "./support/kubernetes/run";

// What each machine stack creates around its groups on Kubernetes: the provider, a namespace per group
// with its quota and network policies, claims, secrets, Redis, the phases and the outputs.

/**
 * Each namespace's ResourceQuota, from the seed's numbers: requests = reservations and limits x the
 * group's maximum replicas (request handlers scale to 5), plus Redis in the core namespace.
 */
const QUOTAS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    "cascade-core": { cpu: "1250m/3", memory: "1280Mi/3Gi", gpu: "0", audio: "0", pods: "2", claims: "3", storage: "30Gi" },
    "cascade-ai-engine": { cpu: "4/8", memory: "16Gi/32Gi", gpu: "1", audio: "0", pods: "1", claims: "3", storage: "30Gi" },
    "cascade-request-handler": { cpu: "10/20", memory: "20Gi/40Gi", gpu: "0", audio: "0", pods: "5", claims: "1", storage: "10Gi" },
    "cascade-memory-learning": { cpu: "4/8", memory: "16Gi/32Gi", gpu: "0", audio: "0", pods: "2", claims: "4", storage: "40Gi" },
    "cascade-audio-realtime": { cpu: "1/2", memory: "2Gi/4Gi", gpu: "0", audio: "1", pods: "1", claims: "1", storage: "10Gi" },
    "cascade-personality": { cpu: "2/4", memory: "4Gi/8Gi", gpu: "0", audio: "0", pods: "2", claims: "1", storage: "10Gi" },
    "cascade-auxiliary": { cpu: "1/2", memory: "2Gi/4Gi", gpu: "0", audio: "0", pods: "1", claims: "1", storage: "10Gi" },
    "cascade-pc2-core": { cpu: "2/4", memory: "4Gi/8Gi", gpu: "0", audio: "0", pods: "1", claims: "1", storage: "10Gi" },
    "cascade-pc2-apps": { cpu: "4/8", memory: "8Gi/16Gi", gpu: "0", audio: "0", pods: "2", claims: "1", storage: "10Gi" },
};

const CAPACITY: Readonly<Record<string, string>> = {
    mainpc: "cpu=32, memory=80Gi, nvidia.com/gpu=1",
    pc2: "cpu=16, memory=32Gi, nvidia.com/gpu=1",
};

const cascadeNamespaces = { namespaceSelector: { matchLabels: { "cascade.namespace-prefix": "cascade", "cascade.managed-by": "pulumi" } } };
const anywhere = [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }];

describe("Kubernetes: each machine stack's namespaces, budgets, networks, data and secrets", () => {
    const runs = new Map<string, KubernetesRun>();
    before(async () => {
        runs.set("mainpc", await runKubernetes("mainpc"));
        runs.set("pc2", await runKubernetes("pc2"));
    });
    const runOf = (machine: string): KubernetesRun => runs.get(machine) as KubernetesRun;

    for (const machine of ["mainpc", "pc2"]) {
        describe(`the ${machine} stack`, () => {
            it("creates one provider, on the ambient kubeconfig context, under the machine component", () => {
                const run = runOf(machine);
                expect(resource(run, K8S_TYPES.machine, machine).parent).to.equal(undefined);
                expect(resource(run, K8S_TYPES.provider, `${machine}-provider`).inputs).to.deep.equal({ upsertExistingObjects: "true" });
                expect(run.resources.filter((r) => r.type.startsWith("docker:"))).to.deep.equal([]);
            });

            for (const group of groupsOf(machine)) {
                const namespace = namespaceOf(group);

                it(`gives ${group.name} the namespace ${namespace}, protected like its claims`, () => {
                    const registered = resource(runOf(machine), K8S_TYPES.namespace, `${namespace}-namespace`);
                    expect(registered.parent).to.equal(machine);
                    expect(registered.options).to.include({ protect: true, retainOnDelete: true });
                    expect(findObject(runOf(machine).objects, "Namespace", namespace).metadata.labels).to.deep.equal({
                        "cascade.machine": machine,
                        "cascade.group": group.name,
                        "cascade.phase": String(group.phase),
                        "cascade.realtime": String(group.agents.some((a) => a.realtimePriority)),
                        "cascade.managed-by": "pulumi",
                        "cascade.namespace-prefix": "cascade",
                        // Real-time scheduling needs root with SYS_NICE, which no restricted or baseline pod may have.
                        "pod-security.kubernetes.io/enforce": group.capabilities.length > 0 ? "privileged" : "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                    });
                });

                it(`limits ${namespace} to the group's share of ${machine}'s budget`, () => {
                    const quota = findObject(runOf(machine).objects, "ResourceQuota", "cascade-budget", namespace);
                    const q = QUOTAS[namespace];
                    const [requestsCpu, limitsCpu] = q.cpu.split("/");
                    const [requestsMemory, limitsMemory] = q.memory.split("/");
                    expect(quota.metadata.annotations).to.deep.equal({ "cascade.machine-capacity": CAPACITY[machine] });
                    expect(quota.spec).to.deep.equal({
                        hard: {
                            "requests.cpu": requestsCpu,
                            "limits.cpu": limitsCpu,
                            "requests.memory": requestsMemory,
                            "limits.memory": limitsMemory,
                            "requests.nvidia.com/gpu": q.gpu,
                            "requests.squat.ai/audio": q.audio,
                            pods: q.pods,
                            persistentvolumeclaims: q.claims,
                            "requests.storage": q.storage,
                        },
                    });
                });

                it(`denies ${namespace} all traffic but Cascade's, DNS${isExternal(group) ? " and the outside the Swarm target gives it" : ""}`, () => {
                    const policies = runOf(machine).objects
                        .filter((o) => o.object.kind === "NetworkPolicy" && o.object.metadata.namespace === namespace)
                        .map((o) => [o.object.metadata.name, o.object.spec as INetworkPolicySpec]);
                    const published = group.agents.filter((a) => a.loadBalanced).map((a) => a.port);
                    expect(Object.fromEntries(policies)).to.deep.equal({
                        "default-deny": { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
                        "allow-cascade": { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [cascadeNamespaces] }], egress: [{ to: [cascadeNamespaces] }] },
                        "allow-dns": {
                            podSelector: {},
                            policyTypes: ["Egress"],
                            egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
                        },
                        ...(isExternal(group) ? { "allow-egress": { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: anywhere }] } } : {}),
                        ...(published.length > 0
                            ? { "allow-published": { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: anywhere, ports: published.map((port) => ({ protocol: "TCP", port })) }] } }
                            : {}),
                    });
                });

                it(`adopts ${group.name}'s claims and namespace again after pulumi destroy retained them`, () => {
                    const run = runOf(machine);
                    // The provider takes existing objects over on create (server-side apply) instead of failing with
                    // AlreadyExists. Provider inputs travel as JSON text, as @pulumi/kubernetes serialises them.
                    expect(resource(run, K8S_TYPES.provider, `${machine}-provider`).inputs).to.include({ upsertExistingObjects: "true" });
                    const retained = run.resources.filter((r) => r.options.retainOnDelete && r.type.startsWith("kubernetes:"));
                    expect(retained.map((r) => r.type).filter((t) => t !== K8S_TYPES.claim && t !== K8S_TYPES.namespace), "only data is retained").to.deep.equal([]);
                    for (const r of retained) {
                        // Retained objects are protected too: a rename without an alias cannot delete what the provider adopted.
                        expect(r.options.protect, r.name).to.equal(true);
                    }
                    for (const volume of new Set(mountsOf(group).map((m) => m.volume))) {
                        const claim = findObject(run.objects, "PersistentVolumeClaim", claimOf(volume), namespace) as unknown as IPersistentVolumeClaim;
                        // An adopted claim is Bound; the create awaiter would wait for Pending under WaitForFirstConsumer.
                        expect(claim.metadata?.annotations).to.deep.equal({ "pulumi.com/skipAwait": "true" });
                    }
                });

                it(`keeps ${group.name}'s data on protected claims named after the volumes`, () => {
                    const volumes = [...new Set(mountsOf(group).map((m) => m.volume))];
                    for (const volume of volumes) {
                        const registered = resource(runOf(machine), K8S_TYPES.claim, `${group.name}-claim-${claimOf(volume)}`);
                        expect(registered.options).to.include({ protect: true, retainOnDelete: true });
                        const claim = findObject(runOf(machine).objects, "PersistentVolumeClaim", claimOf(volume), namespace) as unknown as IPersistentVolumeClaim;
                        expect(claim.metadata?.labels).to.deep.equal({ "cascade.machine": machine, "cascade.data": "true", "cascade.managed-by": "pulumi" });
                        expect(claim.spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } });
                    }
                });

                it(`gives ${namespace} the Redis password and CurveZMQ certificates as one Secret`, () => {
                    const secret = findObject(runOf(machine).objects, "Secret", "cascade-secrets", namespace) as unknown as ISecret;
                    const certificates = JSON.parse(PLACEHOLDER_SECRETS.zmqCertificates) as Record<string, string>;
                    const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
                    expect(decoded).to.deep.equal({
                        "redis-password": PLACEHOLDER_SECRETS.redisPassword,
                        ...Object.fromEntries(Object.entries(certificates).map(([file, value]) => [`zmq-${file.replace(/[._]/g, "-")}`, value])),
                    });
                    expect(secret.type).to.equal("Opaque");
                    // The values reach the provider as Pulumi secrets, encrypted in state.
                    const inputs = resource(runOf(machine), K8S_TYPES.secret, `${group.name}-secrets`).inputs;
                    expect(JSON.stringify(inputs.data)).to.contain("4dabf18193072939515e22adb298388d");
                });

                it(`starts ${group.name} after its namespace's rules and the previous phase`, () => {
                    const previous = groupsOf(machine).filter((g) => g.phase < group.phase);
                    const lastPhase = Math.max(-1, ...previous.map((g) => g.phase));
                    const policies = ["default-deny", "allow-cascade", "allow-dns", ...(isExternal(group) ? ["allow-egress"] : []), ...(group.agents.some((a) => a.loadBalanced) ? ["allow-published"] : [])];
                    expect(resource(runOf(machine), K8S_TYPES.group, group.name).options.dependsOn).to.deep.equal([
                        `${namespace}-namespace`,
                        `${namespace}-quota`,
                        ...policies.map((p) => `${namespace}-${p}`),
                        ...previous.filter((g) => g.phase === lastPhase).map((g) => g.name),
                    ]);
                });
            }

            it("exports the CoreDNS rules that make every seed name <agent>.<group>.cascade resolve", () => {
                const monitoring = machine === "mainpc" ? "prometheus|blackbox-exporter|node-exporter-mainpc" : "node-exporter-pc2";
                expect(runOf(machine).outputs.coreDnsRewrites).to.deep.equal([...groupsOf(machine).map((g) =>
                    `rewrite name regex ^(.+)\\.${g.name}\\.cascade\\.$ {1}.${g.name}.svc.cluster.local. answer auto`),
                    // The stack's own monitoring services, in its monitoring namespace (tests/kubernetes-monitoring.test.ts).
                    `rewrite name regex ^(${monitoring})\\.cascade-monitoring\\.cascade\\.$ {1}.cascade-monitoring-${machine}.svc.cluster.local. answer auto`]);
                const directory = runOf(machine).outputs.serviceDirectory as Record<string, unknown>;
                expect(Object.keys(directory)).to.have.members(groupsOf(machine).flatMap((g) => g.agents.map((a) => `${a.name}.${g.name}.cascade`.toLowerCase())));
                expect(runOf(machine).outputs.platform).to.equal("kubernetes");
            });
        });
    }

    describe("Redis on MainPC", () => {
        it("is a one-replica StatefulSet in the core namespace with its own protected claim", () => {
            const run = runOf("mainpc");
            expect(resource(run, K8S_TYPES.redis, "cascade-core-redis").parent).to.equal("cascade-core");
            expect(resource(run, K8S_TYPES.claim, "cascade-core-redis-claim-redis-data").options).to.include({ protect: true, retainOnDelete: true });
            expect(resource(run, K8S_TYPES.statefulSet, "cascade-core-redis-statefulset").options.dependsOn).to.deep.equal(["cascade-core-redis-claim-redis-data"]);
            const set = findObject(run.objects, "StatefulSet", "redis", "cascade-core") as unknown as IStatefulSet;
            const spec = set.spec;
            expect(spec?.replicas).to.equal(1);
            expect(spec?.serviceName).to.equal("redis");
            expect(spec?.selector).to.deep.equal({ matchLabels: { "cascade.workload": "cascade-redis" } });
            const pod = spec?.template.spec;
            const container = pod?.containers[0];
            expect(container?.image).to.equal("redis:7.2-alpine");
            expect(container?.command).to.deep.equal(["/bin/sh", "-c", "exec redis-server --appendonly yes --dir /data --port 6379 --requirepass \"$(cat /run/secrets/redis-password)\""]);
            expect(container?.resources).to.deep.equal({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
            const exec = { command: ["/bin/sh", "-c", "REDISCLI_AUTH=\"$(cat /run/secrets/redis-password)\" redis-cli -p 6379 ping | grep -q PONG"] };
            expect(container?.readinessProbe).to.deep.equal({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 });
            expect(container?.livenessProbe?.exec).to.deep.equal(exec);
            expect(container?.startupProbe?.exec).to.deep.equal(exec);
            expect(container?.volumeMounts).to.deep.equal([{ name: "data", mountPath: "/data" }, { name: "secrets", mountPath: "/run/secrets", readOnly: true }]);
            expect(pod?.volumes).to.deep.equal([
                { name: "data", persistentVolumeClaim: { claimName: "redis-data" } },
                { name: "secrets", secret: { secretName: "cascade-secrets", defaultMode: 0o440, items: [{ key: "redis-password", path: "redis-password" }] } },
            ]);
            expect(pod?.nodeSelector).to.deep.equal({ system: "mainpc" });
            expect(pod?.securityContext?.runAsNonRoot).to.equal(true);
            expect(container?.securityContext).to.deep.equal({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
        });

        it("answers as the headless Service redis.cascade-core, with no way in or out of the cluster", () => {
            const service = findObject(runOf("mainpc").objects, "Service", "redis", "cascade-core") as unknown as IService;
            expect(service.spec).to.deep.equal({
                clusterIP: "None",
                selector: { "cascade.workload": "cascade-redis" },
                ports: [{ name: "redis", port: topology.redis.port, targetPort: "redis", protocol: "TCP" }],
            });
            const corePolicies = runOf("mainpc").objects.filter((o) => o.object.kind === "NetworkPolicy" && o.object.metadata.namespace === "cascade-core");
            expect(corePolicies.map((o) => o.object.metadata.name)).to.have.members(["default-deny", "allow-cascade", "allow-dns"]);
        });

        it("comes up before the core group, and only on the stack that owns it", () => {
            expect(resource(runOf("mainpc"), K8S_TYPES.deployment, "cascade-core-deployment").options.dependsOn)
                .to.deep.equal(["cascade-core-secrets", "cascade-core-claim-logs", "cascade-core-claim-unified-memory", "cascade-core-redis"]);
            expect(runOf("pc2").objects.filter((o) => o.object.kind === "StatefulSet")).to.deep.equal([]);
        });
    });
});
