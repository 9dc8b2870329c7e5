import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import type { IResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import type { KubernetesObject } from "../manifests";

// Typed views of the run's objects for the API-server rules. The objects have passed the schema
// validation first (the tests run it before these rules), which is what makes the casts below sound.

/** A workload's pod template, whatever its kind. */
export interface Workload {
    readonly id: string;
    readonly kind: "Deployment" | "StatefulSet";
    readonly name: string;
    readonly namespace: string;
    readonly replicas?: number;
    readonly selector: Readonly<Record<string, string>>;
    readonly template: IPodTemplateSpec;
}

export interface Inventory {
    readonly objects: readonly KubernetesObject[];
    readonly namespaces: ReadonlySet<string>;
    readonly workloads: readonly Workload[];
    readonly services: readonly IService[];
    readonly claims: readonly IPersistentVolumeClaim[];
    readonly secrets: readonly ISecret[];
    readonly quotas: readonly IResourceQuota[];
    readonly budgets: readonly IPodDisruptionBudget[];
    readonly autoscalers: readonly IHorizontalPodAutoscaler[];
    readonly policies: readonly INetworkPolicy[];
}

/** `Kind namespace/name`, as messages name an object. */
export function idOf(object: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
    return `${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? "(no name)"}`;
}

export function inventoryOf(objects: readonly KubernetesObject[]): Inventory {
    const ofKind = <T>(kind: string): T[] => objects.filter((o) => o.kind === kind) as unknown as T[];
    const deployments = ofKind<IDeployment>("Deployment").map((d): Workload => ({
        id: idOf(d),
        kind: "Deployment",
        name: d.metadata?.name ?? "",
        namespace: d.metadata?.namespace ?? "",
        replicas: d.spec?.replicas,
        selector: d.spec?.selector.matchLabels ?? {},
        template: d.spec?.template ?? {},
    }));
    const statefulSets = ofKind<IStatefulSet>("StatefulSet").map((s): Workload => ({
        id: idOf(s),
        kind: "StatefulSet",
        name: s.metadata?.name ?? "",
        namespace: s.metadata?.namespace ?? "",
        replicas: s.spec?.replicas,
        selector: s.spec?.selector.matchLabels ?? {},
        template: s.spec?.template ?? {},
    }));
    return {
        objects,
        namespaces: new Set(objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name)),
        workloads: [...deployments, ...statefulSets],
        services: ofKind<IService>("Service"),
        claims: ofKind<IPersistentVolumeClaim>("PersistentVolumeClaim"),
        secrets: ofKind<ISecret>("Secret"),
        quotas: ofKind<IResourceQuota>("ResourceQuota"),
        budgets: ofKind<IPodDisruptionBudget>("PodDisruptionBudget"),
        autoscalers: ofKind<IHorizontalPodAutoscaler>("HorizontalPodAutoscaler"),
        policies: ofKind<INetworkPolicy>("NetworkPolicy"),
    };
}

/** True when every label of the selector is on the pod template (a Deployment's own selector rule). */
export function selects(selector: Readonly<Record<string, string>> | undefined, workload: Workload): boolean {
    const labels = workload.template.metadata?.labels ?? {};
    const entries = Object.entries(selector ?? {});
    return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** The workloads of a namespace that a selector picks. */
export function selected(inventory: Inventory, namespace: string | undefined, selector: Readonly<Record<string, string>> | undefined): Workload[] {
    return inventory.workloads.filter((w) => w.namespace === namespace && selects(selector, w));
}
