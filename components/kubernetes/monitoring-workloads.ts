import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/schema/stack";
import { MONITORING_GROUP, MONITORING_PHASE } from "../../model/monitoring/services";
import type { MonitoringService } from "../../model/monitoring/types";
import type { MachineModel } from "../../model/types";
import { claimName, monitoringNamespaceName, QUOTA_NAME } from "../../model/kubernetes-names";
import { LABEL, labelsOf } from "../labels";
import { claims } from "./claims";
import { cascadeNamespaceSelector } from "./labels";
import { networkPoliciesOf } from "./network-policies";
import { probesOf } from "./probes";
import { cpuQuantity, memoryQuantity, parseQuantity } from "./quantities";
import { claimSize, machineCapacityAnnotation } from "./quota";
import { containerSecurityContext, podSecurityContext } from "./security";

/** Arguments of one machine stack's monitoring services on Kubernetes without the Prometheus operator. */
export interface KubernetesMonitoringWorkloadsArgs {
    /** The services the model derives: Prometheus and its exporters (owner), this machine's node exporter. */
    readonly services: readonly MonitoringService[];
    readonly machine: MachineModel;
    readonly settings: KubernetesSettings;
    /** The stack config's `data` settings, for Prometheus's (and Grafana's) claim and its namespace. */
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
}

/** The Service of a monitoring service: the first label of its overlay name (`prometheus`, `node-exporter-pc2`). */
export function monitoringServiceName(service: Pick<MonitoringService, "dnsName">): string {
    return service.dnsName.split(".")[0];
}

const monitoringLabels = (machine: string) => labelsOf({ machine, group: MONITORING_GROUP, phase: MONITORING_PHASE });

/**
 * The same monitoring services as on Swarm, from the same model, as plain Kubernetes objects in one
 * namespace per machine stack: a Deployment and a ClusterIP Service each (a LoadBalancer Service for a
 * published UI), their files in a ConfigMap, Prometheus's data on a protected claim, and the
 * namespace's quota and network rules as for a group. The namespace carries the Cascade namespace
 * label, so the groups' allow-cascade policies let Prometheus reach every agent's health port. Its
 * Pod Security level is privileged: the node exporter mounts the host's /proc and /sys (read-only),
 * which the baseline level forbids; every container still runs as the stack's non-root user with
 * every capability dropped.
 */
export class KubernetesMonitoringWorkloads extends pulumi.ComponentResource {
    /** The namespace's name. */
    public readonly namespace: string;

    constructor(name: string, args: KubernetesMonitoringWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:kubernetes:MonitoringWorkloads", name, {}, opts);
        const { settings, services, machine } = args;
        this.namespace = monitoringNamespaceName(settings.namespacePrefix, machine.name);
        const labels = { ...monitoringLabels(machine.name), ...cascadeNamespaceSelector(settings.namespacePrefix) };
        const volumes = [...new Set(services.flatMap((s) => s.mounts.map((m) => m.volume)))];
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: this.namespace,
                labels: { ...labels, "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/enforce-version": "latest" },
            },
        }, { parent: this, protect: args.protect && volumes.length > 0, retainOnDelete: args.retainOnDelete && volumes.length > 0 });
        const ns = namespace.metadata.name;
        const total = (pick: (s: MonitoringService) => number) => services.reduce((sum, s) => sum + pick(s), 0);
        const quota = new k8s.core.v1.ResourceQuota(`${name}-quota`, {
            metadata: { name: QUOTA_NAME, namespace: ns, labels, annotations: { [`${LABEL.machine}-capacity`]: machineCapacityAnnotation(machine) } },
            spec: {
                hard: {
                    "requests.cpu": cpuQuantity(total((s) => s.resources.reservations.cpus)),
                    "requests.memory": memoryQuantity(total((s) => s.resources.reservations.memoryBytes)),
                    "limits.cpu": cpuQuantity(total((s) => s.resources.limits.cpus)),
                    "limits.memory": memoryQuantity(total((s) => s.resources.limits.memoryBytes)),
                    pods: String(services.length),
                    persistentvolumeclaims: String(volumes.length),
                    "requests.storage": memoryQuantity(volumes.reduce((sum, key) => sum + (parseQuantity(claimSize(settings, key)) ?? 0), 0)),
                },
            },
        }, { parent: this, deleteBeforeReplace: true });
        // A published UI is reached on its container port behind its LoadBalancer Service: that port is what the policy opens.
        const network = { external: services.some((s) => s.external), publishedPorts: services.filter((s) => s.publishedPorts.length > 0).map((s) => s.port) };
        const policies = networkPoliciesOf(network, settings.namespacePrefix).map((policy) => new k8s.networking.v1.NetworkPolicy(
            `${name}-${policy.name}`, { metadata: { name: policy.name, namespace: ns, labels }, spec: policy.spec }, { parent: this, deleteBeforeReplace: true }));
        const volumeClaims = claims(`${name}-claim`, { namespace: ns, machine: machine.name, volumes, settings, protect: args.protect, retainOnDelete: args.retainOnDelete, parent: this });
        const ready = [namespace, quota, ...policies, ...volumeClaims];
        for (const service of services) {
            this.service(name, service, ns, labels, settings, ready);
        }
        this.registerOutputs({ namespace: this.namespace });
    }

    private service(name: string, service: MonitoringService, ns: pulumi.Output<string>, labels: Record<string, string>, settings: KubernetesSettings, ready: readonly pulumi.Resource[]): void {
        const selector = { [LABEL.workload]: service.name };
        const podLabels = { ...labels, ...selector };
        const files = service.files.length > 0
            ? [new k8s.core.v1.ConfigMap(`${name}-${service.name}-files`, {
                metadata: { name: `${service.name}-files`, namespace: ns, labels },
                data: Object.fromEntries(service.files.map((f) => [f.key, f.content])),
            }, { parent: this, deleteBeforeReplace: true })]
            : [];
        const needs = { capabilities: [], groupIds: [], privileged: false, runAsUser: settings.runAsUser };
        new k8s.apps.v1.Deployment(`${name}-${service.name}`, {
            metadata: { name: service.name, namespace: ns, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: selector },
                // A claim is ReadWriteOnce: the old pod lets go of it before the new one starts.
                strategy: { type: "Recreate" },
                template: {
                    metadata: { labels: podLabels },
                    spec: {
                        nodeSelector: { ...(settings.nodeSelector ?? service.nodeLabels) },
                        securityContext: podSecurityContext(needs),
                        automountServiceAccountToken: false,
                        containers: [{
                            name: service.role,
                            image: service.image,
                            args: [...service.args],
                            ports: [{ name: "http", containerPort: service.port, protocol: "TCP" }],
                            resources: {
                                requests: { cpu: cpuQuantity(service.resources.reservations.cpus), memory: memoryQuantity(service.resources.reservations.memoryBytes) },
                                limits: { cpu: cpuQuantity(service.resources.limits.cpus), memory: memoryQuantity(service.resources.limits.memoryBytes) },
                            },
                            ...probesOf(service.health),
                            securityContext: containerSecurityContext(needs),
                            volumeMounts: [
                                ...service.files.map((f) => ({ name: "files", mountPath: f.target, subPath: f.key, readOnly: true })),
                                ...service.mounts.map((m) => ({ name: claimName(m.volume), mountPath: m.target, readOnly: m.readOnly })),
                                ...service.hostMounts.map((m, i) => ({ name: `host-${i}`, mountPath: m.target, readOnly: true })),
                            ],
                        }],
                        volumes: [
                            ...(files.length > 0 ? [{ name: "files", configMap: { name: `${service.name}-files` } }] : []),
                            ...service.mounts.map((m) => ({ name: claimName(m.volume), persistentVolumeClaim: { claimName: claimName(m.volume) } })),
                            ...service.hostMounts.map((m, i) => ({ name: `host-${i}`, hostPath: { path: m.source, type: "Directory" } })),
                        ],
                    },
                },
            },
        }, { parent: this, dependsOn: [...ready, ...files] });
        const serviceName = monitoringServiceName(service);
        const port = { name: "http", port: service.port, targetPort: "http", protocol: "TCP" };
        new k8s.core.v1.Service(`${name}-${service.name}-service`, {
            metadata: { name: serviceName, namespace: ns, labels },
            spec: { type: "ClusterIP", selector, ports: [port] },
        }, { parent: this, deleteBeforeReplace: true });
        for (const published of service.publishedPorts) {
            new k8s.core.v1.Service(`${name}-${service.name}-public`, {
                metadata: { name: `${serviceName}-public`, namespace: ns, labels },
                spec: { type: "LoadBalancer", selector, ports: [{ ...port, port: published }] },
            }, { parent: this, deleteBeforeReplace: true });
        }
    }
}
