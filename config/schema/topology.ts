import { z } from "zod";
import { CAPABILITIES } from "./capabilities";
import { cidr, constraint, cpus, duration, environment, labels, memory, notA, pinLabels, port, positiveDuration, text, wholeNumber } from "./values";

// The schema of config/topology.yaml: the seed's tables as data. Field-level rules live here;
// rules across fields (unique ports, depends_on cycles, budgets) live in config/validate*.ts.

const agentName = text(/^[A-Za-z][A-Za-z0-9]*$/, "an agent name", "use letters and digits, starting with a letter");

const volumeName = text(/^[a-z][a-z0-9_]*$/, "a volume name", "use lower-case letters, digits and _, starting with a letter");

const absolutePath = text(/^\/[^\s:]*$/, "an absolute path", "start it with / and leave out spaces and ':'");

const devicePath = text(/^\/dev\/[^\s:]+$/, "a host device", "name a device node under /dev, e.g. /dev/snd");

const boolean = z.boolean(notA("true or false", "write true or false, without quotes"));

export const volumeMountSchema = z.strictObject({
    /** A key of the top-level `volumes` map. */
    volume: volumeName,
    /** The directory it is mounted on (S4: never a file). */
    target: absolutePath,
    readOnly: boolean.default(false),
});

export const agentSchema = z.strictObject({
    name: agentName,
    port,
    healthPort: port,
    startupOrder: wholeNumber(1).optional(),
    dependsOn: z.array(agentName).default([]),
    environment: environment.default({}),
    volumes: z.array(volumeMountSchema).default([]),
    memoryLimit: memory.optional(),
    /** The seed's; accepted for its tables' sake, but nothing in a deployment depends on it, so the model leaves it out. */
    persistent: boolean.default(false),
    optional: boolean.default(false),
    /** Only checked against the group's GPUs (config/validate-group.ts): the GPU is the group's. */
    gpuAccess: z.enum(["none", "optional", "required"]).default("none"),
    realtimePriority: boolean.default(false),
    loadBalanced: boolean.default(false),
    /** The seed's; accepted, but nothing in a deployment depends on it, so the model leaves it out. */
    stateSync: boolean.default(false),
    /** Free-form agent settings from the seed, passed to the agent in its manifest. */
    config: z.record(z.string(), z.string(notA("text", "quote the value"))).default({}),
    /** This agent is told where MainPC's observability hub is (MAINPC_HUB_ENDPOINT). */
    mainpcHubEndpoint: boolean.default(false),
    /** Prometheus scrapes this path on the agent's port (the ObservabilityHubs' metrics). */
    metricsPath: text(/^\/\S*$/, "a URL path", "write it like /metrics").optional(),
});

const resourceAmounts = z.strictObject({ cpus, memory });

export const restartPolicySchema = z.strictObject({
    condition: z.enum(["none", "on-failure", "any"]),
    delay: duration,
    maxAttempts: wholeNumber(0),
    window: duration,
});

export const updateConfigSchema = z.strictObject({
    parallelism: wholeNumber(0),
    delay: duration,
    failureAction: z.enum(["pause", "continue", "rollback"]),
    monitor: duration,
    // The Docker provider reads the ratio back with one decimal (strconv.FormatFloat(r, 'f', 1) in
    // terraform-provider-docker's flattenServiceUpdateOrRollbackConfig): a finer one would show a change
    // on every preview.
    maxFailureRatio: z.number(notA("a ratio", "write a number from 0 to 1, e.g. 0.2"))
        .min(0, notA("a ratio from 0 to 1", "write a number from 0 to 1, e.g. 0.2"))
        .max(1, notA("a ratio from 0 to 1", "write a number from 0 to 1, e.g. 0.2"))
        .refine((r) => Number.isInteger(Math.round(r * 1e9) / 1e8), notA("a ratio in tenths", "write it with one decimal at most, e.g. 0.2: the Docker provider keeps only one")),
    order: z.enum(["stop-first", "start-first"]),
});

export const healthcheckSchema = z.strictObject({
    interval: positiveDuration,
    timeout: positiveDuration,
    retries: wholeNumber(1),
    startPeriod: duration,
    path: absolutePath,
});

export const ulimitSchema = z.strictObject({
    name: z.enum(["rtprio", "memlock", "nofile", "nproc", "nice", "core", "stack"]),
    /** -1 is unlimited. */
    soft: wholeNumber(-1),
    hard: wholeNumber(-1),
});

export const groupSchema = z.strictObject({
    name: text(/^cascade-[a-z0-9]+(-[a-z0-9]+)*$/, "a group name", "write cascade-<lower-case words joined by ->"),
    /** A key of the top-level `machines` map. */
    machine: z.string(notA("a machine name", "name a key of machines, e.g. mainpc")),
    /** Documentation for the reader of the topology; the model leaves it out. */
    purpose: z.string(),
    /** Deployment phase: every group of a phase is healthy before the next phase starts. */
    phase: wholeNumber(1),
    /** The image repository under the stack's registry (the tag is stack config). */
    image: text(/^[a-z0-9]+([._\-/][a-z0-9]+)*$/, "an image repository", "use lower-case letters, digits, and . _ - / between them, e.g. ai-engine (the registry and tag are stack config)"),
    /** Kubernetes counts replicas in an int32. */
    replicas: wholeNumber(1, 2147483647),
    scaling: z.strictObject({ min: wholeNumber(1, 2147483647), max: wholeNumber(1, 2147483647), reason: z.string() }).optional(),
    resources: z.strictObject({
        limits: resourceAmounts,
        reservations: resourceAmounts,
    }),
    /** The seed's own placement constraints; the machine pin (S5) is added to them. */
    placement: z.array(constraint).default([]),
    /** Node labels this group needs beyond its machine's (Kubernetes node selector, Swarm constraints). */
    nodeLabels: labels.default({}),
    /** GPUs reserved per replica (S2: a Swarm generic resource, a Kubernetes nvidia.com/gpu limit). */
    gpus: wholeNumber(0).default(0),
    /** The group talks to hosts outside the cluster, so it joins the external network (S7). */
    egress: boolean.default(false),
    environment: environment.default({}),
    volumes: z.array(volumeMountSchema).default([]),
    /** Host devices (S1: these make the group a standalone container). */
    devices: z.array(devicePath).default([]),
    /** Linux capabilities without the CAP_ prefix (capabilities(7)). */
    capabilities: z.array(z.enum(CAPABILITIES)).default([]),
    ulimits: z.array(ulimitSchema).default([]),
    /** Host groups the container joins by id (resolved through the stack's hostGroupIds). */
    supplementaryGroups: z.array(text(/^[a-z_][a-z0-9_-]*$/, "a host group name", "write the group's name as getent group shows it, e.g. audio")).default([]),
    restartPolicy: restartPolicySchema.optional(),
    updateConfig: updateConfigSchema.optional(),
    healthcheck: healthcheckSchema.optional(),
    agents: z.array(agentSchema).min(1, { error: "a group needs at least one agent. Fix: add its agents or remove the group" }),
});

export const machineSchema = z.strictObject({
    description: z.string(),
    environment: environment.default({}),
    nodeLabels: pinLabels("nodeLabels"),
});

export const volumeSchema = z.strictObject({
    description: z.string(),
    /** Variables set to the mount target joined with a relative path ("." for the directory). */
    env: z.record(text(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name", "use letters, digits and _"), z.string(notA("a relative path", "write a path inside the volume, or \".\" for the directory"))).default({}),
});

export const networkSchema = z.strictObject({
    /** Swarm names networks as DNS labels (swarmkit controlapi isValidDNSName); the length is checked with the other names. */
    name: text(/^[a-z0-9]([-_]*[a-z0-9]+)*$/, "a network name", "use lower-case letters, digits, '-' and '_', e.g. cascade-internal"),
    subnet: cidr.optional(),
    internal: boolean,
});

export const topologySchema = z.strictObject({
    defaults: z.strictObject({
        restartPolicy: restartPolicySchema,
        updateConfig: updateConfigSchema,
        healthcheck: healthcheckSchema,
        volumes: z.array(volumeMountSchema).default([]),
    }),
    machines: z.record(text(/^[a-z][a-z0-9]*$/, "a machine name", "use lower-case letters and digits, starting with a letter, e.g. mainpc"), machineSchema),
    volumes: z.record(volumeName, volumeSchema),
    networks: z.strictObject({
        internal: networkSchema,
        external: networkSchema,
        dnsSuffix: text(/^[a-z]([a-z0-9-]*[a-z0-9])?$/, "a DNS suffix", "use one DNS label: lower-case letters, digits and -, e.g. cascade"),
    }),
    redis: z.strictObject({
        /** The group Redis is deployed with (same machine, same phase). */
        group: z.string(notA("a group name", "name the group Redis runs with, e.g. cascade-core")),
        port,
        volume: volumeMountSchema,
        resources: z.strictObject({ limits: resourceAmounts, reservations: resourceAmounts }),
    }),
    groups: z.array(groupSchema).min(1),
});

/** The topology after parsing: units are numbers (bytes, cores, seconds) and defaults are filled in. */
export type Topology = z.output<typeof topologySchema>;
export type TopologyGroup = Topology["groups"][number];
export type TopologyAgent = TopologyGroup["agents"][number];
export type VolumeMount = z.output<typeof volumeMountSchema>;
export type RestartPolicy = z.output<typeof restartPolicySchema>;
export type UpdateConfig = z.output<typeof updateConfigSchema>;
export type Healthcheck = z.output<typeof healthcheckSchema>;
export type Ulimit = z.output<typeof ulimitSchema>;
