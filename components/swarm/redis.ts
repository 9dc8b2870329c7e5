import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { RedisModel } from "../../model/types";
import { dockerLabels, LABEL } from "../labels";
import type { SecretReference } from "./secrets";
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

/** Arguments of the Redis service that carries the seed's async pub/sub. */
export interface SwarmRedisArgs {
    readonly redis: RedisModel;
    /** Redis joins the internal network only: nothing outside the cluster talks to it. */
    readonly internalNetworkId: pulumi.Input<string>;
    /** The password, as a Docker secret file. */
    readonly secret: SecretReference;
    readonly logging: { readonly maxSize: string; readonly maxFile: number };
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
        const { update, rollback } = updateArgs(redis.updatePolicy);
        const labels = dockerLabels({ [LABEL.machine]: redis.machine, [LABEL.group]: redis.group, [LABEL.phase]: String(redis.phase), [LABEL.managedBy]: "pulumi" });
        this.service = new docker.Service(
            `${name}-service`,
            {
                name: redis.name,
                labels,
                mode: { replicated: { replicas: 1 } },
                taskSpec: {
                    containerSpec: {
                        image: redis.image,
                        commands: ["sh", "-c", `exec redis-server --appendonly yes --dir ${redis.mount.target} --port ${redis.port} --requirepass "$(cat ${redis.secret.target})"`],
                        labels,
                        healthcheck: healthcheckArgs(redis.health),
                        mounts: mountArgs([redis.mount]),
                        secrets: secretArgs([args.secret]),
                        capDrops: ["ALL"],
                        capAdds: [],
                        stopGracePeriod: "30s",
                    },
                    resources: resourcesArgs(redis.resources.limits, redis.resources.reservations, 0, ""),
                    restartPolicy: restartPolicyArgs(redis.restartPolicy),
                    placement: { constraints: [...redis.placement] },
                    networksAdvanceds: networkArgs(args.internalNetworkId, [redis.dnsName], undefined),
                    logDriver: logDriverArgs(args.logging),
                },
                updateConfig: update,
                rollbackConfig: rollback,
                endpointSpec: { mode: "vip", ports: [] },
                convergeConfig: CONVERGE,
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.registerOutputs({ serviceId: this.service.id });
    }
}
