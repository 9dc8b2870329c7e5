import { z } from "zod";
import { monitoringSchema } from "./monitoring";
import { cidr, constraint, cpus, DNS_SUBDOMAIN, imageReference, imageReferenceProblem, isLabelKey, memory, notA, pinLabels, text, wholeNumber } from "./values";

// The schema of a machine stack's config (Pulumi.<stack>.yaml, keys under the `cascade:` namespace).
// Everything but the machine, its capacity and the image tag has a default, so a new operator sets
// only what is really theirs.

const dockerHost = text(/^(unix|tcp|ssh|npipe):\/\/\S+$/, "a Docker host", "write unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host");

const boolean = z.boolean(notA("true or false", "write true or false, without quotes"));

const groupOverride = z.strictObject({
    /** false leaves the group out of this stack (its agents vanish from the service directory). */
    enabled: boolean.default(true),
    /** Must stay inside the group's scaling bounds from the topology (checked there, with the bounds in the message). */
    replicas: z.int(notA("a replica count", "write a whole number of replicas")).optional(),
    /** Replaces the topology's placement constraints for this group (the machine pin stays). */
    placement: z.array(constraint).optional(),
    /** A full image reference that replaces registry/image:tag for this group. */
    image: imageReference.optional(),
});

/** A Kubernetes quantity of bytes, e.g. 10Gi or 500M. */
const storageQuantity = text(/^(?!0+(\.0+)?[A-Za-z]*$)\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)$/, "a storage size", "write a Kubernetes quantity with a unit, larger than 0, e.g. 10Gi or 500Gi");

/** A Kubernetes object name (a DNS-1123 subdomain), as StorageClasses and RuntimeClasses carry. */
const objectName = (what: string) =>
    z.string(notA(what, "use the name `kubectl get runtimeclass,storageclass` shows")).max(253, notA(what, "use at most 253 characters"))
        .regex(DNS_SUBDOMAIN, notA(`a ${what} (a Kubernetes object name)`, "use the name `kubectl get runtimeclass,storageclass` shows: lower-case letters, digits, '-' and '.'"));

/** `<domain>/<name>` outside kubernetes.io, as the API server requires of extended resources. */
function isExtendedResourceName(name: string): boolean {
    const [domain, resource, ...rest] = name.split("/");
    return rest.length === 0 && resource !== undefined && DNS_SUBDOMAIN.test(domain) && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(resource)
        && !domain.endsWith("kubernetes.io");
}

const kubernetesSettings = z.strictObject({
    /** Namespace prefix: each group gets `<prefix>-<group short name>` (with "cascade", the group's own name). */
    namespacePrefix: text(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, "a namespace prefix", "use lower-case letters, digits and '-', starting with a letter and not ending with '-', e.g. cascade").default("cascade"),
    /** Node labels that pin this machine's workloads (replacing the machine's node labels); group labels such as gpu stay. */
    nodeSelector: pinLabels("kubernetes.nodeSelector").optional(),
    /** The StorageClass of every claim; empty uses the cluster's default class. */
    storageClassName: objectName("storage class").optional(),
    /** Only set it where the cluster defines this RuntimeClass (the GPU operator does). */
    gpuRuntimeClassName: objectName("runtime class").optional(),
    gpuTolerations: z
        .array(
            z.strictObject({
                /** A taint key (label key syntax); "" with Exists tolerates every taint. */
                key: z.string(notA("a taint key", "write the taint's key, e.g. nvidia.com/gpu")).refine((key) => key === "" || isLabelKey(key), notA("a taint key", "write the taint's key as kubectl describe node shows it, e.g. nvidia.com/gpu")),
                operator: z.enum(["Exists", "Equal"]).default("Exists"),
                value: z.string().optional(),
                effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
            }).refine((t) => !(t.operator === "Exists" && t.value !== undefined && t.value !== ""), {
                // The API server: "value must be empty when `operator` is 'Exists'" (core/v1 validation).
                error: "has a value but operator Exists, which the API server refuses. Fix: remove value, or set operator: Equal",
            }),
        )
        .default([]),
    /** The device-plugin resource that grants /dev/snd without privileges. */
    audioDeviceResource: z.string().refine(isExtendedResourceName, notA("an extended resource name", "write it as <domain>/<name>, the name your device plugin advertises, e.g. squat.ai/audio")).default("squat.ai/audio"),
    /** Only for clusters without the audio device plugin; the policy pack flags it. */
    audioPrivileged: boolean.default(false),
    /** The kubeconfig context; empty uses the ambient one. */
    context: z.string().optional(),
    /** Requests-per-pod CPU utilization target of the request handlers' autoscaler. */
    cpuUtilizationTarget: wholeNumber(1, 100).default(70),
    /**
     * The non-root user (and group, and fsGroup) the agent containers and Redis run as. Claims and
     * secret files are group-owned by it, so the images need no particular user of their own.
     */
    runAsUser: wholeNumber(1, 2147483647).default(10001),
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
    clusterDomain: text(DNS_SUBDOMAIN, "a DNS domain", "write the cluster's domain, e.g. cluster.local").default("cluster.local"),
});

export const stackConfigSchema = z.strictObject({
    /** Which machine this stack deploys: a key of the topology's `machines`. */
    machine: z.string(notA("a machine name", "name a key of the topology's machines, e.g. mainpc")),
    platform: z.enum(["swarm", "kubernetes"]).default("swarm"),
    /** The topology file, relative to the project. */
    topology: z.string(notA("a file name", "write the topology's path relative to the project, e.g. config/topology.yaml")).min(1, notA("a file name", "write the topology's path relative to the project, e.g. config/topology.yaml")).default("config/topology.yaml"),
    capacity: z.strictObject({
        cpus,
        memory,
        gpus: wholeNumber(0).default(0),
        // Describe the machine for its reader; budgets count whole GPUs, so the model leaves these out.
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
        registry: z.string(notA("an image registry", "write a registry host and path, e.g. cascade or registry.local:5000/cascade"))
            .refine((registry) => imageReferenceProblem(`${registry}/image:tag`) === undefined, notA("an image registry", "write a registry host and path in lower case, e.g. cascade or registry.local:5000/cascade"))
            .default("cascade"),
        /** S9: never `latest` by default; the policy pack warns when it is. */
        tag: text(/^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}$/, "an image tag", "write the release you built, in quotes, e.g. \"2025.07.30\" (letters, digits, '.', '_' and '-', at most 128)"),
        redis: imageReference.default("redis:7.2-alpine"),
    }),
    groups: z.record(z.string(), groupOverride).default({}),
    /** Replaces the machine's node labels from the topology (the S5 pin). */
    nodeLabels: pinLabels("cascade:nodeLabels").optional(),
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
            genericResourceKind: text(/^[A-Za-z0-9_.\-]+$/, "a generic resource kind", "write the kind the nodes advertise (node-generic-resources gpu=...), e.g. gpu").default("gpu"),
        })
        .default({ genericResourceKind: "gpu" }),
    /** Numeric host group ids for the topology's supplementaryGroups (Debian's audio group is 29). */
    hostGroupIds: z.record(text(/^[a-z_][a-z0-9_-]*$/, "a host group name", "write the group's name as getent group shows it, e.g. audio"), wholeNumber(0, 4294967294)).default({ audio: 29 }),
    audio: z
        .strictObject({
            /** S3: the seed's SYS_ADMIN, only when an operator really wants it; the policy pack flags it. */
            allowSysAdmin: boolean.default(false),
        })
        .default({ allowSysAdmin: false }),
    /** Second seed: CurveZMQ on every ZMQ link. */
    secureZmq: boolean.default(true),
    budget: z
        .strictObject({
            /** Limits x replicas may reach capacity x this ratio before the policy reports an overcommit. */
            overcommitRatio: z.number(notA("a ratio", "write a number of at least 1, e.g. 1.5")).min(1, notA("a ratio of at least 1", "write a number of at least 1, e.g. 1.5 (1 allows no overcommit)")).default(1),
        })
        .default({ overcommitRatio: 1 }),
    data: z
        .strictObject({
            /** Volumes and secrets are protected: `pulumi destroy` refuses to touch them. */
            protect: boolean.default(true),
            /** Volumes stay on the engine when Pulumi deletes them from the stack. */
            retainOnDelete: boolean.default(true),
        })
        .default({ protect: true, retainOnDelete: true }),
    logging: z
        .strictObject({
            maxSize: text(/^[1-9]\d*[kmg]$/, "a log size", "write a whole number followed by k, m or g, e.g. 10m").default("10m"),
            maxFile: wholeNumber(1).default(3),
        })
        .default({ maxSize: "10m", maxFile: 3 }),
    /** Where a non-MainPC stack finds what MainPC created (read through a StackReference). */
    mainpc: z
        .strictObject({
            /** The mainpc stack's full name; "" skips the StackReference and uses the values below. */
            stack: text(/^$|^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/, "a stack name", "write <organization>/<project>/<stack>, e.g. organization/cascade/mainpc, or \"\"").default("organization/cascade/mainpc"),
            hubEndpoint: z.url({
                protocol: /^https?$/,
                ...notA("an http(s) URL", "write it like http://observabilityhub.cascade-core.cascade:9000"),
            }).optional(),
        })
        .default({ stack: "organization/cascade/mainpc" }),
    kubernetes: kubernetesSettings.default(kubernetesSettings.parse({})),
    /** Prometheus, exporters, alerts and dashboards generated from the topology (config/schema/monitoring.ts). */
    monitoring: monitoringSchema.default(monitoringSchema.parse({})),
    /** Pulumi secret: the Redis password (at least 16 characters). */
    redisPassword: z.string().min(16, { error: "the Redis password is shorter than 16 characters. Fix: pulumi config set --secret cascade:redisPassword \"$(openssl rand -hex 24)\"" }),
    /** Pulumi secret: CurveZMQ certificate files by file name (needed when secureZmq is on). */
    zmqCertificates: z.record(
        text(/^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/, "a certificate file name", "use letters, digits, '.', '_' and '-', e.g. server.key_secret"),
        z.string(notA("a certificate", "set the file's content as text")).min(1, { error: "is empty. Fix: set the certificate file's content" }),
    ).default({}),
});

/** Keys that must be stored as Pulumi secrets; plain-text values are rejected. */
export const SECRET_KEYS = ["redisPassword", "zmqCertificates"] as const;

export type StackConfig = z.output<typeof stackConfigSchema>;
export type KubernetesSettings = StackConfig["kubernetes"];
