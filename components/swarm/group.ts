import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../../config/pulumi";
import type { GroupModel, RedisModel } from "../../model/types";
import { dockerLabels, groupLabels } from "../labels";
import {
    containerHealthcheckArgs,
    containerNetworkArgs,
    containerResourceArgs,
    containerRestartArgs,
    waitTimeoutSeconds,
} from "./container-args";
import { SwarmRedis } from "./redis";
import { secretValue, type SecretReference } from "./secrets";
import {
    CONVERGE,
    healthcheckArgs,
    logDriverArgs,
    mountArgs,
    networkArgs,
    resourcesArgs,
    restartPolicyArgs,
    secretArgs,
    updateArgs,
} from "./service-args";

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
    readonly logging: { readonly maxSize: string; readonly maxFile: number };
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
        if (group.runAs === "standalone" && group.replicas !== 1) {
            throw new pulumi.ResourceError(`${group.name}: a standalone container has exactly one replica (got ${group.replicas})`, this);
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
        const { update, rollback } = updateArgs(group.updatePolicy);
        return new docker.Service(
            `${name}-service`,
            {
                name: group.name,
                labels: dockerLabels(groupLabels(group)),
                mode: { replicated: { replicas: group.replicas } },
                taskSpec: {
                    containerSpec: {
                        image: group.image,
                        env: { ...group.environment },
                        labels: dockerLabels(groupLabels(group)),
                        healthcheck: healthcheckArgs(group.health),
                        mounts: mountArgs(group.mounts),
                        secrets: secretArgs(secrets),
                        // Least privilege: nothing but what the group declares. Swarm services cannot
                        // hold devices, so no service group declares SYS_NICE.
                        capDrops: ["ALL"],
                        capAdds: [...group.capabilities],
                        stopGracePeriod: "30s",
                    },
                    resources: resourcesArgs(group.resources.limits, group.resources.reservations, group.resources.gpus, args.gpuResourceKind),
                    restartPolicy: restartPolicyArgs(group.restartPolicy),
                    placement: { constraints: [...group.placement] },
                    networksAdvanceds: networkArgs(args.networks.internalId, group.aliases, group.external ? args.networks.externalId : undefined),
                    logDriver: logDriverArgs(args.logging),
                },
                updateConfig: update,
                rollbackConfig: rollback,
                endpointSpec: {
                    mode: "vip",
                    // Only the declared ports are published (through the routing mesh); health ports never are.
                    ports: group.publishedPorts.map((port) => ({ targetPort: port, publishedPort: port, protocol: "tcp", publishMode: "ingress" })),
                },
                // `pulumi up` returns only when every task is running, and a task with a healthcheck
                // runs only once it is healthy: this is what gates the next phase.
                convergeConfig: CONVERGE,
            },
            { parent: this, dependsOn, deleteBeforeReplace: true },
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
                healthcheck: containerHealthcheckArgs(group),
                ...containerResourceArgs(group),
                ...containerRestartArgs(group),
                devices: group.devices.map((path) => ({ hostPath: path, containerPath: path, permissions: "rwm" })),
                capabilities: { adds: [...group.capabilities], drops: ["ALL"] },
                ulimits: group.ulimits.map((u) => ({ name: u.name, soft: u.soft, hard: u.hard })),
                groupAdds: group.groupIds.map(String),
                securityOpts: ["no-new-privileges:true"],
                mounts: group.mounts.map((m) => ({ type: "volume", source: m.volumeName, target: m.target, readOnly: m.readOnly })),
                networksAdvanced: containerNetworkArgs(group, args.networks.internalId, args.networks.externalId),
                logDriver: "json-file",
                logOpts: { "max-size": args.logging.maxSize, "max-file": String(args.logging.maxFile) },
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
