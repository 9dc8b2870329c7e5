import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { LoggingModel, RedisModel } from "../../model/types";
import { labelsOf } from "../labels";
import type { SecretReference } from "./secrets";
import { SERVICE_OPTIONS, serviceArgs } from "./service-args";

/** Arguments of the Redis service that carries the seed's async pub/sub. */
export interface SwarmRedisArgs {
    readonly redis: RedisModel;
    /** Redis joins the internal network only: nothing outside the cluster talks to it. */
    readonly internalNetworkId: pulumi.Input<string>;
    /** The password, as a Docker secret file. */
    readonly secret: SecretReference;
    readonly logging: LoggingModel;
}

/**
 * Redis with append-only persistence on its volume. The password is read from the secret file when the
 * server starts, so it appears in no service spec, environment or process list of the manager.
 */
export class SwarmRedis extends pulumi.ComponentResource {
    public readonly service: docker.Service;

    constructor(name: string, args: SwarmRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:swarm:Redis", name, {}, opts);
        const { redis } = args;
        this.service = new docker.Service(
            `${name}-service`,
            serviceArgs({
                name: redis.name,
                labels: labelsOf({ machine: redis.machine, group: redis.group, phase: redis.phase }),
                replicas: 1,
                image: redis.image,
                commands: ["sh", "-c", `exec redis-server --appendonly yes --dir ${redis.mount.target} --port ${redis.port} --requirepass "$(cat ${redis.secret.target})"`],
                health: redis.health,
                mounts: [redis.mount],
                secrets: [args.secret],
                capabilities: [],
                resources: redis.resources,
                gpuKind: "",
                restartPolicy: redis.restartPolicy,
                updatePolicy: redis.updatePolicy,
                placement: redis.placement,
                internalNetworkId: args.internalNetworkId,
                aliases: [redis.dnsName],
                publishedPorts: [],
                endpointMode: redis.endpointMode,
                logging: args.logging,
            }),
            { ...SERVICE_OPTIONS, ignoreChanges: [...SERVICE_OPTIONS.ignoreChanges], parent: this },
        );
        this.registerOutputs({ serviceId: this.service.id });
    }
}
