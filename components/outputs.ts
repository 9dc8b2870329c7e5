import type * as pulumi from "@pulumi/pulumi";
import type { CascadeModel, DirectoryEntry } from "../model/types";
import type { WorkloadStatus } from "./swarm/status";

/** The stack outputs every machine stack exports, whatever its platform. */
export interface CascadeOutputs {
    readonly machine: string;
    readonly platform: string;
    /** Every agent by DNS name: its group, machine and ports (the seed's service discovery). */
    readonly serviceDirectory: Readonly<Record<string, Omit<DirectoryEntry, "dnsName">>>;
    /** MainPC's observability hub endpoint (the seed's mainpc_hub_endpoint). */
    readonly observabilityHub: string;
    readonly phases: CascadeModel["phases"];
    /** The shared networks, for the other machine's stack to read through a StackReference. */
    readonly networks?: pulumi.Output<unknown>;
    /**
     * Swarm: per group, the commands that show what the engine really runs (a rolled-back update
     * leaves Pulumi's state ahead of it; README "When something fails").
     */
    readonly workloadStatus?: Readonly<Record<string, WorkloadStatus>>;
    /** Kubernetes: the CoreDNS rewrite rules that make the seed's `<agent>.<group>.cascade` names resolve. */
    readonly coreDnsRewrites?: readonly string[];
}

export function commonOutputs(model: CascadeModel): Omit<CascadeOutputs, "networks" | "coreDnsRewrites" | "workloadStatus"> {
    return {
        machine: model.machine.name,
        platform: model.platform,
        serviceDirectory: Object.fromEntries(model.directory.map(({ dnsName, ...entry }) => [dnsName, entry])),
        observabilityHub: model.owner.hubEndpoint,
        phases: model.phases,
    };
}
