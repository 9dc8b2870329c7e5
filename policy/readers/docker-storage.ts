import { asString } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import { cascadeLabels } from "./labels";
import type { NetworkReader, VolumeReader } from "./types";

// docker.Volume and docker.Network inputs as neutral views.

export const dockerVolumeReader: VolumeReader = {
    type: "docker:index/volume:Volume",
    read(resource: PolicyResourceView) {
        const labels = cascadeLabels(resource.props.labels);
        return labels.data ? { resource, name: asString(resource.props.name) ?? resource.name, machine: labels.machine } : undefined;
    },
};

export const dockerNetworkReader: NetworkReader = {
    type: "docker:index/network:Network",
    read(resource: PolicyResourceView) {
        return { resource, name: asString(resource.props.name) ?? resource.name, internal: resource.props.internal === true };
    },
};
