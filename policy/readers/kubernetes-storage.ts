import { asString, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import { cascadeLabels } from "./labels";
import type { VolumeReader } from "./types";
import { KUBERNETES_TYPES } from "../../components/resource-types";

// Kubernetes PersistentVolumeClaims labelled as data (cascade.data=true) as neutral data volumes.

export const kubernetesClaimReader: VolumeReader = {
    type: KUBERNETES_TYPES.claim,
    read(resource: PolicyResourceView) {
        const labels = cascadeLabels(propAt(resource.props, "metadata", "labels"));
        const name = asString(propAt(resource.props, "metadata", "name")) ?? resource.name;
        const namespace = asString(propAt(resource.props, "metadata", "namespace"));
        return labels.data ? { resource, name: namespace ? `${namespace}/${name}` : name, machine: labels.machine } : undefined;
    },
};
