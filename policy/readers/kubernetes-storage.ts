import { asString, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import { cascadeLabels } from "./labels";
import type { VolumeReader } from "./types";

// Kubernetes PersistentVolumeClaims labelled as data (cascade.data=true) as neutral data volumes.

export const kubernetesClaimReader: VolumeReader = {
    type: "kubernetes:core/v1:PersistentVolumeClaim",
    read(resource: PolicyResourceView) {
        const labels = cascadeLabels(propAt(resource.props, "metadata", "labels"));
        const name = asString(propAt(resource.props, "metadata", "name")) ?? resource.name;
        const namespace = asString(propAt(resource.props, "metadata", "namespace"));
        return labels.data ? { resource, name: namespace ? `${namespace}/${name}` : name, machine: labels.machine } : undefined;
    },
};
