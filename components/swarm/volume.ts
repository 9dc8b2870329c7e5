import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { VolumeModel } from "../../model/types";
import { formerComponentChild } from "../aliases";
import { dockerLabels, labelsOf } from "../labels";

/** Arguments of a Cascade data volume. */
export interface DataVolumeArgs {
    readonly volume: VolumeModel;
    /** Refuse to delete or replace it (default true through stack config `cascade:data.protect`). */
    readonly protect: boolean;
    /** Leave it on the engine when Pulumi deletes it (default true: `cascade:data.retainOnDelete`). */
    readonly retainOnDelete: boolean;
    /** The machine component that owns it. */
    readonly parent: pulumi.Resource;
    /** The machine's own engine's provider. */
    readonly provider: docker.Provider;
}

/**
 * A named volume on its machine's own engine (Swarm creates no volume on another node), `<volume>-volume`.
 * Data is sacred: the volume is protected and retained on delete unless the operator says otherwise.
 */
export function dataVolume(args: DataVolumeArgs): docker.Volume {
    const { volume } = args;
    return new docker.Volume(
        `${volume.name}-volume`,
        {
            name: volume.name,
            driver: "local",
            labels: dockerLabels(labelsOf({ machine: volume.machine, data: true })),
        },
        {
            parent: args.parent,
            provider: args.provider,
            protect: args.protect,
            retainOnDelete: args.retainOnDelete,
            aliases: [formerComponentChild(args.parent, "cascade:swarm:Volume", volume.name)],
        },
    );
}
