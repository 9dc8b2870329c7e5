import type { Capture, CapturedResource } from "../../../captured/resource";
import { unwrapSecrets } from "../../../captured/secrets";

// The Kubernetes objects a run registered, as the provider would send them to the API server: the
// captured inputs with Pulumi's secret wrappers opened (the values are the tests' placeholders).

export interface ObjectMeta {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
}

export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: ObjectMeta;
    readonly [field: string]: unknown;
}

export interface RegisteredObject {
    /** The Pulumi resource that registers it. */
    readonly resource: CapturedResource;
    readonly object: KubernetesObject;
}

/** Every Kubernetes object of the run (providers and components excluded). */
export function kubernetesObjects(run: Capture): RegisteredObject[] {
    return run.resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((resource) => ({ resource, object: unwrapSecrets(resource.inputs) as KubernetesObject }));
}

/** The one object of a kind with this name (and namespace); fails loudly when missing or ambiguous. */
export function findObject(objects: readonly RegisteredObject[], kind: string, name: string, namespace?: string): KubernetesObject {
    const found = objects.filter((o) => o.object.kind === kind && o.object.metadata.name === name && o.object.metadata.namespace === namespace);
    if (found.length !== 1) {
        throw new Error(`expected one ${kind} ${namespace ?? ""}/${name}, found ${found.length}`);
    }
    return found[0].object;
}
