import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkModel } from "../../model/types";
import { formerComponentChild } from "../aliases";
import { dockerLabels, labelsOf } from "../labels";
import { subnetGateway } from "./read-back";

/** Arguments of a Cascade overlay network. */
export interface OverlayNetworkArgs {
    /** The network as derived by the model (name, subnet, internal). */
    readonly network: NetworkModel;
    /** The machine component that owns it. */
    readonly parent: pulumi.Resource;
    /** The Swarm manager's provider. */
    readonly provider: docker.Provider;
}

/**
 * One of Cascade's overlay networks on the Swarm manager, `<network>-network`. Attachable, so that
 * standalone containers on either machine's engine can join it (S1); internal when the model says so
 * (S7). Services reference it by id: a name would cause replacements.
 */
export function overlayNetwork(args: OverlayNetworkArgs): docker.Network {
    const { network } = args;
    return new docker.Network(
        `${network.name}-network`,
        {
            name: network.name,
            driver: network.driver,
            attachable: network.attachable,
            internal: network.internal,
            // With its gateway, as Docker allocates it and the provider reads it back (read-back.ts).
            ipamConfigs: network.subnet ? [{ subnet: network.subnet, gateway: subnetGateway(network.subnet) }] : undefined,
            labels: dockerLabels(labelsOf({})),
        },
        {
            parent: args.parent,
            provider: args.provider,
            // The name is fixed, so a replacement must remove the old network first.
            deleteBeforeReplace: true,
            aliases: [formerComponentChild(args.parent, "cascade:swarm:Network", network.name)],
        },
    );
}
