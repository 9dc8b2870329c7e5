import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
// The Prometheus operator's kinds: the 4.x line, which loads through CommonJS like kubernetes-models 4.5.1
// (the 5.x and 6.x lines are ESM-only).
import { Probe } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

// The Kubernetes kinds the program creates, with the kubernetes-models class that carries each one's
// official OpenAPI schema. A kind the program starts to create must be added here, or the schema
// tests fail on it: nothing reaches the cluster unvalidated.

/** What the tests use of a kubernetes-models class: construct from data, validate against the schema. */
interface ModelClass {
    new (data: never): { validate(): void };
}

export const KINDS: Readonly<Record<string, ModelClass>> = {
    "v1/Namespace": Namespace,
    "v1/ResourceQuota": ResourceQuota,
    "v1/ConfigMap": ConfigMap,
    "v1/Secret": Secret,
    "v1/PersistentVolumeClaim": PersistentVolumeClaim,
    "v1/Service": Service,
    "apps/v1/Deployment": Deployment,
    "apps/v1/StatefulSet": StatefulSet,
    "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
    "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
    "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
    "monitoring.coreos.com/v1/Probe": Probe,
    "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
    "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
};

/** The kinds of the Prometheus operator's API group, from their own package. */
const OPERATOR_GROUP = "monitoring.coreos.com/";

/** `apiVersion/kind`, the key of KINDS. */
export function kindKey(object: { apiVersion: string; kind: string }): string {
    return `${object.apiVersion}/${object.kind}`;
}

/** The module that declares a kind's typings: kubernetes-models/<apiVersion>/<Kind>, interface I<Kind>. */
export function typingsOf(key: string): { module: string; interfaceName: string } {
    const kind = key.slice(key.lastIndexOf("/") + 1);
    const module = key.startsWith(OPERATOR_GROUP) ? `@kubernetes-models/prometheus-operator/${key}` : `kubernetes-models/${key}`;
    return { module, interfaceName: `I${kind}` };
}
