import { labelMap } from "../../captured/labels";
import { LABEL } from "../../components/labels";
import { asArray, asString, isRecord, propAt } from "../../lib/unknown";
import type { Plan } from "../assemble";
import { secretFileOf, type SecretFile } from "./secrets";

// A Kubernetes stack's captured objects grouped as the render writes them: one file per group (its
// namespace and what lives in it), its namespace's Secrets with the file each key comes from, and
// the order kubectl must apply them in. kubernetes.ts writes the files; apply.sh and the README read
// the same groups.

/** Kinds in the order kubectl applies them within a group's file. */
// The Prometheus operator's kinds last: they watch the workloads, and the operator must already run in the cluster.
const KIND_ORDER = ["Namespace", "ResourceQuota", "NetworkPolicy", "ConfigMap", "PersistentVolumeClaim", "Service", "StatefulSet", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Probe", "ServiceMonitor", "PrometheusRule"];

export interface KubernetesObjectOf {
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
    readonly manifest: Readonly<Record<string, unknown>>;
}

/** A namespace's Secret: its name and each key's file in the operator's secrets directory. */
export interface NamespaceSecret {
    readonly namespace: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly files: readonly { readonly key: string; readonly file: SecretFile }[];
}

export interface GroupFile {
    readonly file: string;
    readonly group: string;
    readonly phase: number;
    readonly namespace: string;
    readonly objects: readonly KubernetesObjectOf[];
    readonly secrets: readonly NamespaceSecret[];
}

function objectsOf(plan: Plan): KubernetesObjectOf[] {
    return plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => ({
        kind: asString(r.props.kind) ?? "",
        name: asString(propAt(r.props, "metadata", "name")) ?? r.name,
        namespace: asString(propAt(r.props, "metadata", "namespace")),
        manifest: r.props,
    }));
}

/** Where the namespace's pods mount each key of a Secret: the key's file relative to /run/secrets. */
function secretFiles(objects: readonly KubernetesObjectOf[], namespace: string, secret: string, keys: readonly string[]): NamespaceSecret["files"] {
    const targets = new Map<string, string>();
    for (const object of objects.filter((o) => o.namespace === namespace)) {
        const pod = propAt(object.manifest, "spec", "template", "spec");
        const volumes = asArray(propAt(pod, "volumes")).filter((v) => propAt(v, "secret", "secretName") === secret);
        for (const container of asArray(propAt(pod, "containers"))) {
            for (const mount of asArray(propAt(container, "volumeMounts"))) {
                const volume = volumes.find((v) => propAt(v, "name") === propAt(mount, "name"));
                for (const item of asArray(propAt(volume, "secret", "items"))) {
                    targets.set(String(propAt(item, "key")), `${String(propAt(mount, "mountPath"))}/${String(propAt(item, "path"))}`);
                }
            }
        }
    }
    return keys.map((key) => ({ key, file: secretFileOf(targets.get(key) ?? `/run/secrets/${key}`) }));
}

export function groupFiles(plan: Plan): GroupFile[] {
    const objects = objectsOf(plan);
    return objects.filter((o) => o.kind === "Namespace").map((namespace): GroupFile => {
        const labels = labelMap(propAt(namespace.manifest, "metadata", "labels"));
        const group = labels[LABEL.group] ?? namespace.name;
        const phase = Number(labels[LABEL.phase] ?? 0);
        const members = objects.filter((o) => o === namespace || (o.namespace === namespace.name && o.kind !== "Secret"));
        const unknown = members.filter((o) => !KIND_ORDER.includes(o.kind));
        if (unknown.length > 0) {
            throw new Error(`the Kubernetes render has no place for ${unknown.map((o) => `${o.kind} ${o.name}`).join(", ")}: add the kind to KIND_ORDER`);
        }
        const secrets = objects.filter((o) => o.kind === "Secret" && o.namespace === namespace.name).map((secret) => ({
            namespace: namespace.name,
            name: secret.name,
            labels: labelMap(propAt(secret.manifest, "metadata", "labels")),
            files: secretFiles(objects, namespace.name, secret.name, isRecord(secret.manifest.data) ? Object.keys(secret.manifest.data) : []),
        }));
        return {
            file: `${phase}-${group}.yaml`,
            group,
            phase,
            namespace: namespace.name,
            objects: [...members].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)),
            secrets,
        };
    }).sort((a, b) => a.phase - b.phase || a.group.localeCompare(b.group));
}
