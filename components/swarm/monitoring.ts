import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { configPrefix, contentHash, contentName } from "../../model/docker-names";
import { MONITORING_PHASE } from "../../model/monitoring/services";
import type { MonitoringService } from "../../model/monitoring/types";
import { dockerLabels, labelsOf } from "../labels";
import type { SwarmNetworkIds } from "./group";
import { SERVICE_OPTIONS, serviceArgs, type ConfigReference } from "./service-args";
import type { LoggingModel } from "../../model/types";

/** Arguments of one monitoring service on Docker Swarm. */
export interface SwarmMonitoringServiceArgs {
    /** The service as the model derives it: image, arguments, files, resources, health, placement. */
    readonly service: MonitoringService;
    readonly networks: SwarmNetworkIds;
    readonly gpuResourceKind: string;
    readonly logging: LoggingModel;
}

/**
 * A monitoring service (Prometheus, an exporter, Alertmanager, Grafana) on Swarm: its files as Docker
 * configs and one pinned service on the internal overlay, with the same healthcheck, restart, update
 * and least-privilege settings as a Cascade group. A Docker config is immutable, so its name carries a
 * hash of its content: a regenerated file (an agent added) makes a new config and updates the service.
 */
export class SwarmMonitoringService extends pulumi.ComponentResource {
    public readonly service: docker.Service;

    constructor(name: string, args: SwarmMonitoringServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:MonitoringService", name, {}, opts);
        const { service } = args;
        const labels = labelsOf({ machine: service.machine, group: service.group, phase: MONITORING_PHASE });
        const configs: ConfigReference[] = service.files.map((file) => {
            const config = new docker.ServiceConfig(`${name}-${file.key}`, {
                name: contentName(configPrefix(file.key), contentHash(file.content)),
                data: Buffer.from(file.content, "utf8").toString("base64"),
                labels: dockerLabels(labels),
            }, { parent: this });
            return { id: config.id, name: config.name, target: file.target };
        });
        this.service = new docker.Service(
            `${name}-service`,
            serviceArgs({
                name: service.name,
                labels,
                replicas: 1,
                image: service.image,
                args: service.args,
                configs,
                hostMounts: service.hostMounts,
                health: service.health,
                mounts: service.mounts,
                secrets: [],
                capabilities: [],
                resources: service.resources,
                gpuKind: args.gpuResourceKind,
                restartPolicy: service.restartPolicy,
                updatePolicy: service.updatePolicy,
                placement: service.placement,
                internalNetworkId: args.networks.internalId,
                aliases: [service.dnsName],
                externalNetworkId: service.external ? args.networks.externalId : undefined,
                publishedPorts: service.publishedPorts,
                endpointMode: service.endpointMode,
                logging: args.logging,
            }),
            { ...SERVICE_OPTIONS, ignoreChanges: [...SERVICE_OPTIONS.ignoreChanges], parent: this },
        );
        this.registerOutputs({ serviceId: this.service.id });
    }
}
