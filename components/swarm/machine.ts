import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { sharedNetworksSchema, type SharedNetworks } from "../../config/schema/shared-networks";
import type { StackSecrets } from "../stack-input";
import type { CascadeModel } from "../../model/types";
import { SwarmGroup, type SwarmNetworkIds } from "./group";
import { SwarmMonitoringService } from "./monitoring";
import { overlayNetwork } from "./network";
import { swarmSecrets } from "./secrets";
import { dataVolume } from "./volume";

/** Arguments of one machine's part of the Cascade Swarm. */
export interface SwarmMachineArgs {
    /** The machine stack's model. */
    readonly model: CascadeModel;
    readonly secrets: StackSecrets;
    /** The Swarm manager's Docker host (services, networks, secrets). */
    readonly managerHost: string;
    /** This machine's own Docker host (volumes, standalone containers). */
    readonly engineHost: string;
}

/**
 * Everything one machine stack creates on Docker Swarm: its providers, the shared overlay networks (on
 * the stack that owns them) or a reference to them, its volumes and secrets, and its groups in phases:
 * each group waits until every group of the previous phase is healthy.
 */
export class SwarmMachine extends pulumi.ComponentResource {
    public readonly networks: pulumi.Output<SharedNetworks>;
    public readonly groups: ReadonlyMap<string, SwarmGroup>;

    constructor(name: string, args: SwarmMachineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:Machine", name, {}, opts);
        const { model } = args;

        const manager = new docker.Provider(`${name}-manager`, { host: args.managerHost }, { parent: this });
        const engine = args.engineHost === args.managerHost
            ? manager
            : new docker.Provider(`${name}-engine`, { host: args.engineHost }, { parent: this });

        this.networks = this.sharedNetworks(name, model, manager);
        const networkIds: SwarmNetworkIds = {
            internalId: this.networks.internal.id,
            externalId: this.networks.external.id,
        };

        const volumes = new Map(model.volumes.map((volume) => [
            volume.key,
            dataVolume({ volume, protect: model.data.protect, retainOnDelete: model.data.retainOnDelete, parent: this, provider: engine }),
        ]));
        const secrets = swarmSecrets(`${name}-secrets`, { machine: model.machine.name, files: model.secretFiles, values: args.secrets, parent: this, provider: manager });
        const secretReferences = [...secrets.values()];

        const groups = new Map<string, SwarmGroup>();
        for (const group of model.groups) {
            const previousPhase = group.dependsOnGroups.map((g) => groups.get(g)).filter((g): g is SwarmGroup => g !== undefined);
            const mountedVolumes = group.mounts.map((m) => volumes.get(m.volume)).filter((v): v is docker.Volume => v !== undefined);
            const redis = model.redis?.group === group.name ? model.redis : undefined;
            const redisVolume = redis ? volumes.get(redis.mount.volume) : undefined;
            groups.set(group.name, new SwarmGroup(group.name, {
                group,
                networks: networkIds,
                secrets: secretReferences,
                secretValues: args.secrets,
                gpuResourceKind: model.gpuResourceKind,
                logging: model.logging,
                redis,
            }, {
                parent: this,
                provider: group.runAs === "standalone" ? engine : manager,
                dependsOn: [...previousPhase, ...mountedVolumes, ...(redisVolume ? [redisVolume] : [])],
            }));
        }
        this.groups = groups;
        // Monitoring starts with the first phase: it watches the deployment, it does not wait for it.
        for (const service of model.monitoring.services) {
            const mounted = service.mounts.map((m) => volumes.get(m.volume)).filter((v): v is docker.Volume => v !== undefined);
            new SwarmMonitoringService(service.name, { service, networks: networkIds, gpuResourceKind: model.gpuResourceKind, logging: model.logging },
                { parent: this, provider: manager, dependsOn: mounted });
        }
        this.registerOutputs({ networks: this.networks });
    }

    /** The stack that owns the networks creates them; another stack reads them from it, or looks them up. */
    private sharedNetworks(name: string, model: CascadeModel, manager: docker.Provider): pulumi.Output<SharedNetworks> {
        if (model.ownsSharedResources) {
            const internal = overlayNetwork({ network: model.networks.internal, parent: this, provider: manager });
            const external = overlayNetwork({ network: model.networks.external, parent: this, provider: manager });
            return pulumi.output({
                internal: { id: internal.id, name: internal.name },
                external: { id: external.id, name: external.name },
            });
        }
        if (model.owner.stack !== "") {
            const owner = new pulumi.StackReference(`${name}-owner-stack`, { name: model.owner.stack }, { parent: this });
            return owner.getOutput("networks").apply((value) => {
                const parsed = sharedNetworksSchema.safeParse(value);
                if (!parsed.success) {
                    throw new Error(`stack ${model.owner.stack} exports no usable "networks" output: run pulumi up on it first, or set cascade:mainpc.stack to "" to look the networks up by name`);
                }
                return parsed.data;
            });
        }
        const lookup = (network: { name: string }) =>
            docker.getNetworkOutput({ name: network.name }, { provider: manager, parent: this }).apply((n) => ({ id: n.id, name: n.name }));
        return pulumi.output({ internal: lookup(model.networks.internal), external: lookup(model.networks.external) });
    }
}
