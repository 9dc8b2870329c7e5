import { asString } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import { cascadeLabels } from "./labels";
import type { NetworkReader, VolumeReader } from "./types";
import { DOCKER_TYPES } from "../../components/resource-types";

// docker.Volume and docker.Network inputs as neutral views.

export const dockerVolumeReader: VolumeReader = {
    type: DOCKER_TYPES.volume,
    read(resource: PolicyResourceView) {
        const labels = cascadeLabels(resource.props.labels);
        return labels.data ? { resource, name: asString(resource.props.name) ?? resource.name, machine: labels.machine } : undefined;
    },
};

export const dockerNetworkReader: NetworkReader = {
    type: DOCKER_TYPES.network,
    read(resource: PolicyResourceView) {
        return { resource, name: asString(resource.props.name) ?? resource.name, internal: resource.props.internal === true };
    },
};
