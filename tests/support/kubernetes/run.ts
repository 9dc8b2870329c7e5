import { runStack, type ConfigEdits, type StackRun } from "../program";
import { kubernetesObjects, type RegisteredObject } from "./manifests";
import { KUBERNETES_TYPES } from "../../../components/resource-types";

// Runs a machine stack with `cascade:platform: kubernetes` under mocks, optionally with Kubernetes
// settings and other config edits, and returns the objects it would send to the cluster.

export interface KubernetesRun extends StackRun {
    readonly objects: readonly RegisteredObject[];
}

export async function runKubernetes(stack: "mainpc" | "pc2", settings: Readonly<Record<string, unknown>> = {}, edits: ConfigEdits = {}): Promise<KubernetesRun> {
    // No StackReference on Kubernetes: both stacks share the cluster, not exported Swarm networks.
    const run = await runStack(stack, { "cascade:platform": "kubernetes", "cascade:kubernetes": settings, ...edits }, { stackOutputs: {} });
    return { ...run, objects: kubernetesObjects(run) };
}

export const K8S_TYPES = {
    ...KUBERNETES_TYPES,
    machine: "cascade:kubernetes:Machine",
    group: "cascade:kubernetes:Group",
    redis: "cascade:kubernetes:Redis",
} as const;
