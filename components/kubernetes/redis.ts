import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { RedisModel } from "../../model/types";
import { claims } from "./claims";
import { redisLabels, redisSelector } from "./labels";
import { claimName, REDIS_NAME } from "../../model/kubernetes-names";
import { SECRETS_HASH_ANNOTATION } from "./pod";
import { redisNodeSelector } from "./placement";
import { probesOf } from "./probes";
import { cpuQuantity, memoryQuantity } from "./quantities";
import { secretVolume } from "./secret-volume";
import { containerSecurityContext, podSecurityContext, type PrivilegeNeeds } from "./security";

/** Arguments of Redis, in the core group's namespace. */
export interface KubernetesRedisArgs {
    readonly redis: RedisModel;
    readonly namespace: pulumi.Input<string>;
    readonly settings: KubernetesSettings;
    readonly data: { readonly protect: boolean; readonly retainOnDelete: boolean };
    /** The namespace's secret values hash: a rotated password restarts Redis. */
    readonly secretsHash: pulumi.Input<string>;
}

const DATA_VOLUME = "data";

/**
 * Redis for the seed's pub/sub: a one-replica StatefulSet, because its append-only file must never
 * be opened by two servers (a StatefulSet starts the replacement only once the old pod is gone),
 * governed by the headless Service `redis` that agents resolve. Its claim is a Pulumi resource
 * rather than a volumeClaimTemplate: the same protect and retain settings as every data volume,
 * a stable name, and a size that can change without replacing the StatefulSet.
 */
export class KubernetesRedis extends pulumi.ComponentResource {
    public readonly statefulSet: k8s.apps.v1.StatefulSet;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: KubernetesRedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:kubernetes:Redis", name, {}, opts);
        const { redis } = args;
        const labels = redisLabels(redis);
        const [claim] = claims(`${name}-claim`, {
            namespace: args.namespace,
            machine: redis.machine,
            volumes: [redis.mount.volume],
            settings: args.settings,
            protect: args.data.protect,
            retainOnDelete: args.data.retainOnDelete,
            parent: this,
        });
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: REDIS_NAME, namespace: args.namespace, labels },
                spec: {
                    clusterIP: "None",
                    selector: redisSelector(redis),
                    ports: [{ name: "redis", port: redis.port, targetPort: "redis", protocol: "TCP" }],
                },
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.statefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-statefulset`,
            {
                metadata: { name: REDIS_NAME, namespace: args.namespace, labels },
                spec: {
                    replicas: 1,
                    serviceName: this.service.metadata.name,
                    selector: { matchLabels: redisSelector(redis) },
                    updateStrategy: { type: "RollingUpdate" },
                    template: redisPodTemplate(args, claimName(redis.mount.volume)),
                },
            },
            { parent: this, dependsOn: [claim], deleteBeforeReplace: true },
        );
        this.registerOutputs({ statefulSetName: this.statefulSet.metadata.name });
    }
}

function redisPodTemplate(args: KubernetesRedisArgs, claim: string): k8s.types.input.core.v1.PodTemplateSpec {
    const { redis } = args;
    const needs: PrivilegeNeeds = { capabilities: [], groupIds: [], privileged: false, runAsUser: args.settings.runAsUser };
    const secrets = secretVolume([redis.secret]);
    const { limits, reservations } = redis.resources;
    return {
        metadata: { labels: redisLabels(redis), annotations: { [SECRETS_HASH_ANNOTATION]: args.secretsHash } },
        spec: {
            nodeSelector: redisNodeSelector(redis, args.settings),
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(needs),
            containers: [{
                name: REDIS_NAME,
                image: redis.image,
                // As on Swarm: the password is read from the secret file at start, so it appears in no
                // pod spec, environment or process list.
                command: ["/bin/sh", "-c", `exec redis-server --appendonly yes --dir ${redis.mount.target} --port ${redis.port} --requirepass "$(cat ${redis.secret.target})"`],
                ports: [{ name: "redis", containerPort: redis.port, protocol: "TCP" }],
                resources: {
                    requests: { cpu: cpuQuantity(reservations.cpus), memory: memoryQuantity(reservations.memoryBytes) },
                    limits: { cpu: cpuQuantity(limits.cpus), memory: memoryQuantity(limits.memoryBytes) },
                },
                ...probesOf(redis.health),
                volumeMounts: [{ name: DATA_VOLUME, mountPath: redis.mount.target }, secrets.mount],
                securityContext: containerSecurityContext(needs),
            }],
            volumes: [{ name: DATA_VOLUME, persistentVolumeClaim: { claimName: claim } }, secrets.volume],
        },
    };
}
