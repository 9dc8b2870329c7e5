import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkModel } from "../../model/types";
import { dockerLabels, LABEL } from "../labels";
import { subnetGateway } from "./read-back";

/** Arguments of a Cascade overlay network. */
export interface SwarmNetworkArgs {
    /** The network as derived by the model (name, subnet, internal). */
    readonly network: NetworkModel;
}

/**
 * One of Cascade's overlay networks on the Swarm manager. Attachable, so that standalone containers
 * on either machine's engine can join it (S1); internal when the model says so (S7).
 */
export class SwarmNetwork extends pulumi.ComponentResource {
    /** The Docker network id, which services reference (a name would cause replacements). */
    public readonly networkId: pulumi.Output<string>;
    public readonly networkName: pulumi.Output<string>;

    constructor(name: string, args: SwarmNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:Network", name, {}, opts);
        const { network } = args;
        const resource = new docker.Network(
            `${name}-network`,
            {
                name: network.name,
                driver: network.driver,
                attachable: network.attachable,
                internal: network.internal,
                // With its gateway, as Docker allocates it and the provider reads it back (read-back.ts).
                ipamConfigs: network.subnet ? [{ subnet: network.subnet, gateway: subnetGateway(network.subnet) }] : undefined,
                labels: dockerLabels({ [LABEL.managedBy]: "pulumi" }),
            },
            // The name is fixed, so a replacement must remove the old network first.
            { parent: this, deleteBeforeReplace: true },
        );
        this.networkId = resource.id;
        this.networkName = resource.name;
        this.registerOutputs({ networkId: this.networkId, networkName: this.networkName });
    }
}
