import type { KubernetesObject } from "../manifests";
import { inventoryOf } from "./inventory";
import { metadataViolations } from "./metadata";
import { objectViolations } from "./objects";
import { podViolations } from "./pods";
import { referenceViolations } from "./references";

/**
 * Everything the API server (or the kubelet, or a controller) would reject or silently ignore in a
 * set of objects that the OpenAPI schemas accept: names, label formats, selectors that match their
 * pods, named ports that exist, one handler per probe, extended resources in limits, PDB fields,
 * autoscaler targets, references to claims, Secrets and namespaces. Run it on schema-valid objects.
 */
export function apiServerViolations(objects: readonly KubernetesObject[]): string[] {
    const inventory = inventoryOf(objects);
    return [...metadataViolations(inventory), ...podViolations(inventory), ...referenceViolations(inventory), ...objectViolations(inventory)];
}
