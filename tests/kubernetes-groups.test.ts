import { expect } from "chai";
import { MONITORING_GROUP } from "../model/monitoring/services";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IService } from "kubernetes-models/v1/Service";
import type { TopologyGroup } from "../config/schema/topology";
import { resource } from "./support/program";
import { cpu, groupsOf, healthCommand, isAutoscaled, memory, mountsOf, claimOf, namespaceOf, serviceOf } from "./support/kubernetes/expected";
import { findObject } from "./support/kubernetes/manifests";
import { K8S_TYPES, runKubernetes, type KubernetesRun } from "./support/kubernetes/run";

// Every group and every agent of the seed as the Kubernetes provider would receive it, on both machine
// stacks: the Deployment (pods, resources, probes, ports, mounts, security), a Service per agent, and
// the scaling rules. Expectations come from config/topology.yaml, not from the program's model.

const TAG = "2025.07.30";

interface ManifestEntry {
    name: string;
    dnsName: string;
    port: number;
    healthPort: number;
}

describe("Kubernetes: every group as a Deployment and every agent as a Service", () => {
    const runs = new Map<string, KubernetesRun>();
    before(async () => {
        runs.set("mainpc", await runKubernetes("mainpc"));
        runs.set("pc2", await runKubernetes("pc2"));
    });
    const runOf = (group: TopologyGroup): KubernetesRun => runs.get(group.machine) as KubernetesRun;

    for (const machine of ["mainpc", "pc2"]) {
        for (const group of groupsOf(machine)) {
            describe(group.name, () => {
                const namespace = namespaceOf(group);
                const deployment = () => findObject(runOf(group).objects, "Deployment", group.name, namespace) as unknown as IDeployment;
                const container = (): IContainer => {
                    const containers = deployment().spec?.template.spec?.containers ?? [];
                    expect(containers).to.have.length(1);
                    return containers[0];
                };

                it("registers its children, named after it, with their Kubernetes types", () => {
                    const children = runOf(group).resources.filter((r) => r.parent === group.name).map((r) => `${r.type} ${r.name}`);
                    const claims = [...new Set(mountsOf(group).map((m) => claimOf(m.volume)))];
                    expect(children).to.have.members([
                        `${K8S_TYPES.secret} ${group.name}-secrets`,
                        ...claims.map((c) => `${K8S_TYPES.claim} ${group.name}-claim-${c}`),
                        ...(group.name === "cascade-core" ? [`${K8S_TYPES.redis} cascade-core-redis`] : []),
                        `${K8S_TYPES.deployment} ${group.name}-deployment`,
                        ...group.agents.map((a) => `${K8S_TYPES.service} ${group.name}-service-${serviceOf(a)}`),
                        ...group.agents.filter((a) => a.loadBalanced).map((a) => `${K8S_TYPES.service} ${group.name}-public-${serviceOf(a)}`),
                        ...(isAutoscaled(group) ? [`${K8S_TYPES.autoscaler} ${group.name}-autoscaler`] : []),
                        ...(group.replicas > 1 ? [`${K8S_TYPES.disruptionBudget} ${group.name}-disruption-budget`] : []),
                    ]);
                    expect(resource(runOf(group), K8S_TYPES.group, group.name).parent).to.equal(machine);
                });

                it("is a Deployment with the seed's replicas and update behaviour", () => {
                    const { metadata, spec } = deployment();
                    expect(metadata?.labels).to.deep.equal({
                        "cascade.machine": machine,
                        "cascade.group": group.name,
                        "cascade.phase": String(group.phase),
                        "cascade.realtime": String(group.agents.some((a) => a.realtimePriority)),
                        "cascade.managed-by": "pulumi",
                    });
                    // An autoscaled group's replica count belongs to its autoscaler; budgets count its maximum.
                    expect(spec?.replicas).to.equal(isAutoscaled(group) ? undefined : group.replicas);
                    expect(metadata?.annotations).to.deep.equal(isAutoscaled(group) ? { "cascade.max-replicas": String(group.scaling?.max) } : undefined);
                    expect(spec?.selector).to.deep.equal({ matchLabels: { "cascade.workload": group.name } });
                    expect(spec?.template.metadata?.labels).to.include({ "cascade.workload": group.name, "cascade.group": group.name });
                    expect(spec?.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
                    expect(spec?.minReadySeconds).to.equal(10);
                    expect(spec?.progressDeadlineSeconds).to.equal(600);
                });

                it("runs the group's image with its reservations as requests and its limits as limits", () => {
                    const c = container();
                    expect(c.name).to.equal(group.name.replace(/^cascade-/, ""));
                    expect(c.image).to.equal(`cascade/${group.image}:${TAG}`);
                    const extra: Record<string, string> = {
                        ...(group.gpus > 0 ? { "nvidia.com/gpu": String(group.gpus) } : {}),
                        ...(group.devices.length > 0 ? { "squat.ai/audio": "1" } : {}),
                    };
                    expect(c.resources).to.deep.equal({
                        requests: { cpu: cpu(group.resources.reservations.cpus), memory: memory(group.resources.reservations.memory) },
                        limits: { cpu: cpu(group.resources.limits.cpus), memory: memory(group.resources.limits.memory), ...extra },
                    });
                });

                it("probes startup, readiness and liveness with the Swarm healthcheck, one exec handler each", () => {
                    const c = container();
                    const exec = { command: ["/bin/sh", "-c", healthCommand(group)] };
                    expect(c.startupProbe).to.deep.equal({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 8 });
                    expect(c.readinessProbe).to.deep.equal({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 });
                    expect(c.livenessProbe).to.deep.equal({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5 });
                });

                it("declares every agent's port and health port, named", () => {
                    expect(container().ports).to.deep.equal(group.agents.flatMap((a) => [
                        { name: `port-${a.port}`, containerPort: a.port, protocol: "TCP" },
                        { name: `health-${a.healthPort}`, containerPort: a.healthPort, protocol: "TCP" },
                    ]));
                });

                it("hands the process supervisor every agent in CASCADE_AGENTS, with its Swarm DNS name", () => {
                    const env = container().env ?? [];
                    const manifest = JSON.parse(env.find((e) => e.name === "CASCADE_AGENTS")?.value ?? "[]") as ManifestEntry[];
                    expect(manifest.map((a) => [a.name, a.dnsName, a.port, a.healthPort])).to.deep.equal(
                        group.agents.map((a) => [a.name, `${a.name}.${group.name}.cascade`.toLowerCase(), a.port, a.healthPort]));
                    const variables = Object.fromEntries(env.map((e) => [e.name, e.value]));
                    expect(variables).to.include({
                        CASCADE_GROUP: group.name,
                        CASCADE_MACHINE: machine,
                        MACHINE_TYPE: machine.toUpperCase(),
                        REDIS_HOST: "redis.cascade-core.cascade",
                        REDIS_PASSWORD_FILE: "/run/secrets/redis-password",
                        ZMQ_CERTIFICATES_DIR: "/run/secrets/zmq",
                        LOG_DIR: "/var/log/cascade",
                        ...group.environment,
                    });
                });

                it("mounts its claims at the seed's targets and the secret files where Swarm puts them", () => {
                    const mounts = mountsOf(group);
                    const pod = deployment().spec?.template.spec;
                    expect(container().volumeMounts).to.deep.equal([
                        ...mounts.map((m) => ({ name: claimOf(m.volume), mountPath: m.target, readOnly: false })),
                        { name: "secrets", mountPath: "/run/secrets", readOnly: true },
                    ]);
                    expect(pod?.volumes?.slice(0, -1)).to.deep.equal(mounts.map((m) => ({ name: claimOf(m.volume), persistentVolumeClaim: { claimName: claimOf(m.volume) } })));
                    expect(pod?.volumes?.at(-1)).to.deep.equal({
                        name: "secrets",
                        secret: {
                            secretName: "cascade-secrets",
                            defaultMode: 0o440,
                            items: [
                                { key: "redis-password", path: "redis-password" },
                                ...["client.key", "client.key_secret", "server.key", "server.key_secret"].map((file) => ({ key: `zmq-${file.replace(/[._]/g, "-")}`, path: `zmq/${file}` })),
                            ],
                        },
                    });
                });

                it("is pinned to its machine, with least privilege", () => {
                    const pod = deployment().spec?.template.spec;
                    expect(pod?.nodeSelector).to.deep.equal({ system: machine, ...group.nodeLabels });
                    expect(pod?.automountServiceAccountToken).to.equal(false);
                    expect(pod?.enableServiceLinks).to.equal(false);
                    expect(pod?.runtimeClassName).to.equal(undefined);
                    expect(pod?.tolerations).to.equal(undefined);
                    const realtime = group.capabilities.length > 0;
                    expect(pod?.securityContext).to.deep.equal({
                        ...(realtime
                            ? { runAsNonRoot: false, runAsUser: 0 }
                            : { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: "OnRootMismatch" }),
                        ...(group.supplementaryGroups.length > 0 ? { supplementalGroups: [29] } : {}),
                        seccompProfile: { type: "RuntimeDefault" },
                    });
                    expect(container().securityContext).to.deep.equal({
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"], ...(realtime ? { add: group.capabilities } : {}) },
                    });
                });

                for (const agent of group.agents) {
                    it(`exposes ${agent.name} as the Service ${serviceOf(agent)}.${namespace}`, () => {
                        const service = findObject(runOf(group).objects, "Service", serviceOf(agent), namespace) as unknown as IService;
                        expect(service.metadata?.labels).to.include({ "cascade.agent": agent.name, "cascade.group": group.name });
                        expect(service.spec).to.deep.equal({
                            type: "ClusterIP",
                            selector: { "cascade.workload": group.name },
                            ports: [
                                { name: "agent", port: agent.port, targetPort: `port-${agent.port}`, protocol: "TCP" },
                                { name: "health", port: agent.healthPort, targetPort: `health-${agent.healthPort}`, protocol: "TCP" },
                            ],
                        });
                        const published = runOf(group).objects.filter((o) => o.object.metadata.name === `${serviceOf(agent)}-public`);
                        expect(published.map((o) => o.object.spec)).to.deep.equal(agent.loadBalanced
                            ? [{ type: "LoadBalancer", selector: { "cascade.workload": group.name }, ports: [{ name: "agent", port: agent.port, targetPort: `port-${agent.port}`, protocol: "TCP" }] }]
                            : []);
                    });
                }

                it("scales as the seed says: an autoscaler for a replica range, a disruption budget above one replica", () => {
                    const objects = runOf(group).objects;
                    const autoscalers = objects.filter((o) => o.object.kind === "HorizontalPodAutoscaler" && o.object.metadata.namespace === namespace);
                    if (isAutoscaled(group)) {
                        const hpa = autoscalers[0].object as unknown as IHorizontalPodAutoscaler;
                        expect(hpa.metadata?.name).to.equal(group.name);
                        expect(hpa.spec).to.deep.equal({
                            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: group.name },
                            minReplicas: group.scaling?.min,
                            maxReplicas: group.scaling?.max,
                            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
                        });
                    } else {
                        expect(autoscalers).to.have.length(0);
                    }
                    const budgets = objects.filter((o) => o.object.kind === "PodDisruptionBudget" && o.object.metadata.namespace === namespace);
                    expect(budgets.map((o) => (o.object as unknown as IPodDisruptionBudget).spec)).to.deep.equal(group.replicas > 1
                        ? [{ minAvailable: 1, selector: { matchLabels: { "cascade.workload": group.name } }, unhealthyPodEvictionPolicy: "AlwaysAllow" }]
                        : []);
                });
            });
        }
    }

    it("covers the seed's 9 groups and 69 agents across both stacks", () => {
        const deployments = [...runs.values()].flatMap((r) => r.objects.filter((o) => o.object.kind === "Deployment" && o.object.metadata.labels?.["cascade.group"] !== MONITORING_GROUP));
        const services = [...runs.values()].flatMap((r) => r.objects.filter((o) => o.object.kind === "Service" && o.object.metadata.labels?.["cascade.agent"] !== undefined && !o.object.metadata.name.endsWith("-public")));
        expect(deployments).to.have.length(9);
        expect(services).to.have.length(69);
    });
});
