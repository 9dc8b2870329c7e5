import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretValue, type StackSecrets } from "../stack-input";
import type { GroupModel, LoggingModel, RedisModel } from "../../model/types";
import { dockerLabels, groupLabels } from "../labels";
import {
    containerCapabilityArgs,
    containerNetworkArgs,
    containerResourceArgs,
    containerRestartArgs,
    waitTimeoutSeconds,
} from "./container-args";
import { containerDuration } from "./read-back";
import { SwarmRedis } from "./redis";
import type { SecretReference } from "./secrets";
import { SERVICE_OPTIONS, serviceArgs } from "./service-args";
import { healthcheckArgs, LOG_DRIVER, logOptions, volumeMountArgs } from "./workload-args";

/** The overlay networks a group joins, by id. */
export interface SwarmNetworkIds {
    readonly internalId: pulumi.Input<string>;
    readonly externalId: pulumi.Input<string>;
}

/** Arguments of one Cascade group on Docker Swarm. */
export interface SwarmGroupArgs {
    /** The group as derived by the model: image, replicas, resources, health, placement, agents. */
    readonly group: GroupModel;
    readonly networks: SwarmNetworkIds;
    /** Docker secrets mounted as files (Redis password, CurveZMQ certificates). */
    readonly secrets: readonly SecretReference[];
    /** Secret values, for standalone containers, which cannot mount Swarm secrets. */
    readonly secretValues: StackSecrets;
    /** The Swarm generic resource kind that stands for a GPU (S2). */
    readonly gpuResourceKind: string;
    readonly logging: LoggingModel;
    /** Redis, when this group hosts it: it is created first and the group waits for it. */
    readonly redis?: RedisModel;
}

/**
 * A Cascade group on Docker Swarm: one replicated service whose tasks run all of the group's agents,
 * or, for a group that needs host devices or ulimits, one standalone container on the machine's own
 * engine (S1). Either way `pulumi up` waits until it is healthy before its dependents are created.
 */
export class SwarmGroup extends pulumi.ComponentResource {
    /** The Swarm service or the container this group runs as. */
    public readonly workload: docker.Service | docker.Container;
    public readonly redis?: SwarmRedis;

    constructor(name: string, args: SwarmGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:Group", name, {}, opts);
        const { group } = args;
        if (group.replicas < 1) {
            throw new pulumi.ResourceError(`${group.name}: replicas must be at least 1 (got ${group.replicas})`, this);
        }
        const secretsForGroup = args.secrets.filter((s) => group.secrets.some((f) => f.key === s.file.key));

        if (args.redis) {
            this.redis = new SwarmRedis(`${name}-redis`, {
                redis: args.redis,
                internalNetworkId: args.networks.internalId,
                secret: requireSecret(args.secrets, args.redis.secret.key),
                logging: args.logging,
            }, { parent: this });
        }
        const dependsOn = this.redis ? [this.redis] : [];
        this.workload = group.runAs === "service"
            ? this.service(name, args, secretsForGroup, dependsOn)
            : this.container(name, args, dependsOn);
        this.registerOutputs({ workloadId: this.workload.id });
    }

    private service(name: string, args: SwarmGroupArgs, secrets: readonly SecretReference[], dependsOn: pulumi.Resource[]): docker.Service {
        const { group } = args;
        return new docker.Service(
            `${name}-service`,
            serviceArgs({
                name: group.name,
                labels: groupLabels(group),
                replicas: group.replicas,
                image: group.image,
                env: group.environment,
                health: group.health,
                mounts: group.mounts,
                secrets,
                capabilities: group.capabilities,
                resources: group.resources,
                gpuKind: args.gpuResourceKind,
                restartPolicy: group.restartPolicy,
                updatePolicy: group.updatePolicy,
                placement: group.placement,
                internalNetworkId: args.networks.internalId,
                aliases: group.aliases,
                externalNetworkId: group.external ? args.networks.externalId : undefined,
                publishedPorts: group.publishedPorts,
                endpointMode: group.endpointMode,
                logging: args.logging,
            }),
            { ...SERVICE_OPTIONS, ignoreChanges: [...SERVICE_OPTIONS.ignoreChanges], parent: this, dependsOn },
        );
    }

    private container(name: string, args: SwarmGroupArgs, dependsOn: pulumi.Resource[]): docker.Container {
        const { group } = args;
        return new docker.Container(
            `${name}-container`,
            {
                name: group.name,
                image: group.image,
                envs: Object.entries(group.environment).map(([key, value]) => `${key}=${value}`),
                labels: dockerLabels(groupLabels(group)),
                healthcheck: healthcheckArgs(group.health, containerDuration),
                ...containerResourceArgs(group),
                ...containerRestartArgs(group),
                devices: group.devices.map((path) => ({ hostPath: path, containerPath: path, permissions: "rwm" })),
                capabilities: containerCapabilityArgs(group),
                ulimits: group.ulimits.map((u) => ({ name: u.name, soft: u.soft, hard: u.hard })),
                groupAdds: group.groupIds.map(String),
                securityOpts: ["no-new-privileges:true"],
                mounts: volumeMountArgs(group.mounts),
                networksAdvanced: containerNetworkArgs(args.networks.internalId, group.aliases, group.external ? args.networks.externalId : undefined),
                logDriver: LOG_DRIVER,
                logOpts: logOptions(args.logging),
                // A standalone container cannot mount Swarm secrets; the files are uploaded instead,
                // from the same Pulumi secrets, readable by root only.
                uploads: group.secrets.map((file) => ({ file: file.target, content: secretValue(args.secretValues, file), permissions: "0400" })),
                mustRun: true,
                wait: true,
                waitTimeout: waitTimeoutSeconds(group),
            },
            { parent: this, dependsOn, deleteBeforeReplace: true },
        );
    }
}

function requireSecret(secrets: readonly SecretReference[], key: string): SecretReference {
    const secret = secrets.find((s) => s.file.key === key);
    if (!secret) {
        throw new Error(`secret ${key} was not created`);
    }
    return secret;
}
