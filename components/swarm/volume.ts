import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { VolumeModel } from "../../model/types";
import { dockerLabels, LABEL } from "../labels";

/** Arguments of a Cascade data volume. */
export interface SwarmVolumeArgs {
    readonly volume: VolumeModel;
    /** Refuse to delete or replace it (default true through stack config `cascade:data.protect`). */
    readonly protect: boolean;
    /** Leave it on the engine when Pulumi deletes it (default true: `cascade:data.retainOnDelete`). */
    readonly retainOnDelete: boolean;
}

/**
 * A named volume on its machine's own engine (Swarm creates no volume on another node). Data is
 * sacred: the volume is protected and retained on delete unless the operator says otherwise.
 */
export class SwarmVolume extends pulumi.ComponentResource {
    public readonly volumeName: pulumi.Output<string>;

    constructor(name: string, args: SwarmVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:Volume", name, {}, opts);
        const { volume } = args;
        const resource = new docker.Volume(
            `${name}-volume`,
            {
                name: volume.name,
                driver: "local",
                labels: dockerLabels({ [LABEL.machine]: volume.machine, [LABEL.data]: "true", [LABEL.managedBy]: "pulumi" }),
            },
            { parent: this, protect: args.protect, retainOnDelete: args.retainOnDelete },
        );
        this.volumeName = resource.name;
        this.registerOutputs({ volumeName: this.volumeName });
    }
}
