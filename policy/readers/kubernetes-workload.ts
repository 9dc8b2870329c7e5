import { GPU_RESOURCE, MAX_REPLICAS_ANNOTATION } from "../../model/kubernetes-names";
import { parseQuantity } from "../../components/kubernetes/quantities";
import { asArray, asNumber, asString, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import type { EnvVar, PublishedPort, Workload } from "../workload";
import { cascadeLabels } from "./labels";
import type { WorkloadReader } from "./types";
import { KUBERNETES_TYPES } from "../../components/resource-types";

// Kubernetes Deployments and StatefulSets (their manifests, as the provider receives them) as neutral
// workloads: requests are the reservations, limits the limits, summed over the pod's containers.

type Amounts = { cpus?: number; memoryBytes?: number };

/** The pod's total of one resource map (requests or limits); undefined where a container sets none. */
function podAmounts(containers: readonly unknown[], field: "requests" | "limits"): Amounts {
    const total = (resource: string): number | undefined => {
        let sum = 0;
        for (const container of containers) {
            const value = propAt(container, "resources", field, resource);
            const parsed = typeof value === "string" || typeof value === "number" ? parseQuantity(value) : undefined;
            if (parsed === undefined) {
                return undefined;
            }
            sum += parsed;
        }
        return containers.length > 0 ? sum : undefined;
    };
    return { cpus: total("cpu"), memoryBytes: total("memory") };
}

/** GPUs are an extended resource: in limits, with the request equal when set. */
function gpusOf(containers: readonly unknown[]): number {
    return containers.reduce<number>((sum, c) => sum + (asNumber(propAt(c, "resources", "limits", GPU_RESOURCE)) ?? asNumber(propAt(c, "resources", "requests", GPU_RESOURCE)) ?? 0), 0);
}

function envOf(containers: readonly unknown[]): EnvVar[] {
    return containers.flatMap((c) => asArray(propAt(c, "env")).map((entry) => ({
        name: asString(propAt(entry, "name")) ?? "",
        // A value from a Secret or ConfigMap reference is not a literal the rules can read.
        value: asString(propAt(entry, "value")) ?? "",
        where: "env",
    })));
}

function hostPortsOf(containers: readonly unknown[]): PublishedPort[] {
    return containers.flatMap((c) => asArray(propAt(c, "ports")).flatMap((p): PublishedPort[] => {
        const port = asNumber(propAt(p, "hostPort"));
        return port === undefined ? [] : [{ port, protocol: (asString(propAt(p, "protocol")) ?? "TCP").toLowerCase(), scope: "host" }];
    }));
}

/**
 * Replicas: the spec's count, or for an autoscaled Deployment (which sets none) the most its
 * autoscaler may run, so budgets hold at full scale.
 */
function replicasOf(props: Readonly<Record<string, unknown>>): number {
    return asNumber(propAt(props, "spec", "replicas")) ?? asNumber(propAt(props, "metadata", "annotations", MAX_REPLICAS_ANNOTATION)) ?? 1;
}

function reader(type: string, kind: string): WorkloadReader {
    return {
        type,
        read(resource: PolicyResourceView): Workload {
            const { props } = resource;
            const pod = propAt(props, "spec", "template", "spec");
            const containers = asArray(propAt(pod, "containers"));
            // Init containers run before the others: they count for privileges and images, not for the
            // pod's steady-state resources.
            const all = [...containers, ...asArray(propAt(pod, "initContainers"))];
            const labels = cascadeLabels(propAt(props, "metadata", "labels"), propAt(props, "spec", "template", "metadata", "labels"));
            const requests = podAmounts(containers, "requests");
            const limits = podAmounts(containers, "limits");
            const restartPolicy = asString(propAt(pod, "restartPolicy")) ?? "Always";
            return {
                resource,
                kind,
                machine: labels.machine,
                group: labels.group,
                realtime: labels.realtime,
                replicas: replicasOf(props),
                // Without a request Kubernetes reserves nothing (or the limit, which the limit rule counts).
                reserved: { cpus: requests.cpus ?? 0, memoryBytes: requests.memoryBytes ?? 0 },
                limits,
                gpus: gpusOf(containers),
                images: all.map((c) => asString(propAt(c, "image")) ?? ""),
                privileged: all.some((c) => propAt(c, "securityContext", "privileged") === true),
                capAdds: all.flatMap((c) => asArray(propAt(c, "securityContext", "capabilities", "add")).map(String)),
                hostPaths: asArray(propAt(pod, "volumes")).flatMap((v) => {
                    const path = asString(propAt(v, "hostPath", "path"));
                    return path === undefined ? [] : [path];
                }),
                readOnlyHostPaths: asArray(propAt(pod, "volumes")).flatMap((v) => {
                    const path = asString(propAt(v, "hostPath", "path"));
                    const name = asString(propAt(v, "name"));
                    const uses = all.flatMap((c) => asArray(propAt(c, "volumeMounts"))).filter((m) => asString(propAt(m, "name")) === name);
                    return path !== undefined && uses.length > 0 && uses.every((m) => propAt(m, "readOnly") === true) ? [path] : [];
                }),
                env: envOf(all),
                healthcheck: containers.length > 0 && containers.every((c) => propAt(c, "livenessProbe") !== undefined || propAt(c, "readinessProbe") !== undefined),
                restartPolicy: restartPolicy !== "Never",
                publishedPorts: hostPortsOf(containers),
            };
        },
    };
}

export const kubernetesDeploymentReader = reader(KUBERNETES_TYPES.deployment, "Deployment");
export const kubernetesStatefulSetReader = reader(KUBERNETES_TYPES.statefulSet, "StatefulSet");
