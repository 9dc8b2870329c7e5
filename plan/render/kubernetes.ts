import { Document } from "yaml";
import { LABEL } from "../../components/labels";
import { asArray, asString, isRecord, labelMap, propAt } from "../../policy/resource";
import type { Plan } from "../assemble";
import type { RenderedFile } from "./index";
import { applyScript } from "./kubernetes-apply";
import { kubernetesReadme } from "./kubernetes-readme";
import { secretFileOf, type SecretFile } from "./secrets";
import { KUBERNETES_TYPES } from "../../components/resource-types";

// `--render DIR` for a Kubernetes stack: the manifests the provider would receive, one multi-document
// file per group, ready for `kubectl apply -f`. Written from the captured resources, object by object,
// in the order kubectl must apply them (the namespace before what lives in it). Secret values are not
// in any file: apply.sh creates each namespace's Secret from the operator's secret files.

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

function groupFiles(plan: Plan): GroupFile[] {
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

/**
 * A stream of documents, each started by `---` and written in YAML 1.1 quoting (kubectl's YAML reader
 * is 1.1: an env value "on" or "yes" must stay a string), long values on one line; the header is the
 * first document's comment, before its `---`, with `#` on blank lines too.
 */
function manifestsYaml(header: string, objects: readonly KubernetesObjectOf[]): string {
    return objects.map((o, index) => {
        const document = new Document(o.manifest, { version: "1.1" });
        if (index === 0) {
            document.commentBefore = header.split("\n").map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
        }
        // directives: true writes the `---` of every document (and no %YAML line).
        return document.toString({ directives: true, lineWidth: 0, commentString: (comment) => comment.replace(/^/gm, "#") });
    }).join("");
}

export function renderKubernetes(plan: Plan): RenderedFile[] {
    const files = groupFiles(plan);
    const context = asString(propAt(plan.capture.resources.find((r) => r.type === KUBERNETES_TYPES.provider)?.inputs, "context"));
    const rewrites = asArray(plan.capture.outputs.coreDnsRewrites).map(String);
    return [
        ...files.map((f) => ({
            path: f.file,
            content: manifestsYaml(
                `Rendered by \`npm run plan -- --stack ${plan.stack} --render\` from the resources planned with ${plan.stackFile.file}.\n`
                + `Group ${f.group} (phase ${f.phase}) in namespace ${f.namespace}: kubectl apply -f ${f.file}\n`
                + `Its Secret ${f.secrets.map((s) => s.name).join(", ")} is not in this file: apply.sh creates it from your secret files.\n`
                + "Pulumi protects the namespace and its claims; `kubectl delete -f` on this file would delete their data.",
                f.objects,
            ),
        })),
        { path: "apply.sh", executable: true, content: applyScript({ stack: plan.stack, context, files }) },
        { path: "README.md", content: kubernetesReadme({ stack: plan.stack, configFile: plan.stackFile.file, context, files, rewrites }) },
    ];
}
