import { z } from "zod";
import { cidr, constraint, cpus, labels, memory } from "./values";

// The schema of a machine stack's config (Pulumi.<stack>.yaml, keys under the `cascade:` namespace).
// Everything but the machine, its capacity and the image tag has a default, so a new operator sets
// only what is really theirs.

const dockerHost = z.string().regex(/^(unix|tcp|ssh|npipe):\/\/\S+$/, {
    error: (issue) =>
        `${JSON.stringify(issue.input)} is not a Docker host. Fix: write unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host`,
});

const groupOverride = z.strictObject({
    /** false leaves the group out of this stack (its agents vanish from the service directory). */
    enabled: z.boolean().default(true),
    /** Must stay inside the group's scaling bounds from the topology. */
    replicas: z.int().min(0).optional(),
    /** Replaces the topology's placement constraints for this group (the machine pin stays). */
    placement: z.array(constraint).optional(),
    /** A full image reference that replaces registry/image:tag for this group. */
    image: z.string().min(1).optional(),
});

/** A Kubernetes quantity of bytes, e.g. 10Gi or 500M. */
const storageQuantity = z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a storage size. Fix: write a Kubernetes quantity, e.g. 10Gi or 500Gi`,
});

const kubernetesSettings = z.strictObject({
    /** Namespace prefix: each group gets `<prefix>-<group short name>` (with "cascade", the group's own name). */
    namespacePrefix: z.string().regex(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a namespace prefix. Fix: use lower-case letters, digits and '-', starting with a letter and not ending with '-', e.g. cascade`,
    }).default("cascade"),
    /** Node labels that pin this machine's workloads (replacing the machine's node labels); group labels such as gpu stay. */
    nodeSelector: labels.optional(),
    /** The StorageClass of every claim; empty uses the cluster's default class. */
    storageClassName: z.string().optional(),
    /** Only set it where the cluster defines this RuntimeClass (the GPU operator does). */
    gpuRuntimeClassName: z.string().optional(),
    gpuTolerations: z
        .array(
            z.strictObject({
                key: z.string(),
                operator: z.enum(["Exists", "Equal"]).default("Exists"),
                value: z.string().optional(),
                effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
            }),
        )
        .default([]),
    /** The device-plugin resource that grants /dev/snd without privileges. */
    audioDeviceResource: z.string().default("squat.ai/audio"),
    /** Only for clusters without the audio device plugin; the policy pack flags it. */
    audioPrivileged: z.boolean().default(false),
    /** The kubeconfig context; empty uses the ambient one. */
    context: z.string().optional(),
    /** Requests-per-pod CPU utilization target of the request handlers' autoscaler. */
    cpuUtilizationTarget: z.int().min(1).max(100).default(70),
    /**
     * The non-root user (and group, and fsGroup) the agent containers and Redis run as. Claims and
     * secret files are group-owned by it, so the images need no particular user of their own.
     */
    runAsUser: z.int().min(1).default(10001),
    /** Size of each claim unless volumeSizes names it (model_cache holds model weights: size it). */
    volumeSize: storageQuantity.default("10Gi"),
    /** Claim sizes by topology volume key, e.g. { model_cache: 200Gi }. */
    volumeSizes: z.record(z.string(), storageQuantity).default({}),
    /**
     * ReadWriteOnce suits a machine that is one node (every replica of a group runs there); choose
     * ReadWriteMany, with a storage class that offers it, when a machine's selector matches several nodes.
     */
    volumeAccessMode: z.enum(["ReadWriteOnce", "ReadWriteMany"]).default("ReadWriteOnce"),
    /** The cluster's DNS domain, for the CoreDNS rewrite that makes `<agent>.<group>.cascade` resolve. */
    clusterDomain: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/).default("cluster.local"),
});

export const stackConfigSchema = z.strictObject({
    /** Which machine this stack deploys: a key of the topology's `machines`. */
    machine: z.string(),
    platform: z.enum(["swarm", "kubernetes"]).default("swarm"),
    /** The topology file, relative to the project. */
    topology: z.string().default("config/topology.yaml"),
    capacity: z.strictObject({
        cpus,
        memory,
        gpus: z.int().min(0).default(0),
        gpuModel: z.string().optional(),
        vram: memory.optional(),
    }),
    docker: z
        .strictObject({
            /** The Swarm manager's engine: services, networks and secrets are created through it. */
            managerHost: dockerHost.default("unix:///var/run/docker.sock"),
            /** This machine's own engine: its volumes and standalone containers are created there. */
            engineHost: dockerHost.default("unix:///var/run/docker.sock"),
        })
        .default({ managerHost: "unix:///var/run/docker.sock", engineHost: "unix:///var/run/docker.sock" }),
    images: z.strictObject({
        registry: z.string().regex(/^[a-z0-9.\-:/]+$/).default("cascade"),
        /** S9: never `latest` by default; the policy pack warns when it is. */
        tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$/, {
            error: "the image tag must be a Docker tag. Fix: write the release you built, e.g. 2025.07.30",
        }),
        redis: z.string().default("redis:7.2-alpine"),
    }),
    groups: z.record(z.string(), groupOverride).default({}),
    /** Replaces the machine's node labels from the topology (the S5 pin). */
    nodeLabels: labels.optional(),
    network: z.strictObject({ internalSubnet: cidr.optional() }).default({}),
    swarm: z
        .strictObject({
            /**
             * How a service's DNS name reaches its tasks: `vip` (one virtual IP, published ports on the
             * routing mesh) or `dnsrr` (the name resolves to the task IPs; published ports bind on the
             * node itself). dnsrr suits engines without IPVS and ZMQ clients that balance themselves.
             */
            endpointMode: z.enum(["vip", "dnsrr"]).default("vip"),
        })
        .default({ endpointMode: "vip" }),
    gpu: z
        .strictObject({
            /** The Swarm generic resource kind the nodes advertise (S2): node-generic-resources gpu=... */
            genericResourceKind: z.string().regex(/^[A-Za-z0-9_.\-]+$/).default("gpu"),
        })
        .default({ genericResourceKind: "gpu" }),
    /** Numeric host group ids for the topology's supplementaryGroups (Debian's audio group is 29). */
    hostGroupIds: z.record(z.string(), z.int().min(0)).default({ audio: 29 }),
    audio: z
        .strictObject({
            /** S3: the seed's SYS_ADMIN, only when an operator really wants it; the policy pack flags it. */
            allowSysAdmin: z.boolean().default(false),
        })
        .default({ allowSysAdmin: false }),
    /** Second seed: CurveZMQ on every ZMQ link. */
    secureZmq: z.boolean().default(true),
    budget: z
        .strictObject({
            /** Limits x replicas may reach capacity x this ratio before the policy reports an overcommit. */
            overcommitRatio: z.number().min(1).default(1),
        })
        .default({ overcommitRatio: 1 }),
    data: z
        .strictObject({
            /** Volumes and secrets are protected: `pulumi destroy` refuses to touch them. */
            protect: z.boolean().default(true),
            /** Volumes stay on the engine when Pulumi deletes them from the stack. */
            retainOnDelete: z.boolean().default(true),
        })
        .default({ protect: true, retainOnDelete: true }),
    logging: z
        .strictObject({
            maxSize: z.string().regex(/^\d+[kmg]$/).default("10m"),
            maxFile: z.int().min(1).default(3),
        })
        .default({ maxSize: "10m", maxFile: 3 }),
    /** Where a non-MainPC stack finds what MainPC created (read through a StackReference). */
    mainpc: z
        .strictObject({
            /** The mainpc stack's full name; "" skips the StackReference and uses the values below. */
            stack: z.string().default("organization/cascade/mainpc"),
            hubEndpoint: z.string().url().optional(),
        })
        .default({ stack: "organization/cascade/mainpc" }),
    kubernetes: kubernetesSettings.default(kubernetesSettings.parse({})),
    /** Pulumi secret: the Redis password (at least 16 characters). */
    redisPassword: z.string().min(16, { error: "the Redis password is shorter than 16 characters. Fix: pulumi config set --secret cascade:redisPassword \"$(openssl rand -hex 24)\"" }),
    /** Pulumi secret: CurveZMQ certificate files by file name (needed when secureZmq is on). */
    zmqCertificates: z.record(z.string().regex(/^[A-Za-z0-9_.\-]+$/), z.string().min(1)).default({}),
});

/** Keys that must be stored as Pulumi secrets; plain-text values are rejected. */
export const SECRET_KEYS = ["redisPassword", "zmqCertificates"] as const;

export type StackConfig = z.output<typeof stackConfigSchema>;
export type KubernetesSettings = StackConfig["kubernetes"];
