import { z } from "zod";
import { constraint, cpus, duration, environment, labels, memory, port, cidr } from "./values";

// The schema of config/topology.yaml: the seed's tables as data. Field-level rules live here;
// rules across fields (unique ports, depends_on cycles, budgets) live in model/validate.ts.

const agentName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not an agent name. Fix: use letters and digits, starting with a letter`,
});

const volumeName = z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a volume name. Fix: use lower-case letters, digits and _`,
});

const absolutePath = z.string().regex(/^\/[^\s:]*$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not an absolute path. Fix: start it with / and leave out spaces and ':'`,
});

export const volumeMountSchema = z.strictObject({
    /** A key of the top-level `volumes` map. */
    volume: volumeName,
    /** The directory it is mounted on (S4: never a file). */
    target: absolutePath,
    readOnly: z.boolean().default(false),
});

export const agentSchema = z.strictObject({
    name: agentName,
    port,
    healthPort: port,
    startupOrder: z.int().min(1).optional(),
    dependsOn: z.array(agentName).default([]),
    environment: environment.default({}),
    volumes: z.array(volumeMountSchema).default([]),
    memoryLimit: memory.optional(),
    persistent: z.boolean().default(false),
    optional: z.boolean().default(false),
    gpuAccess: z.enum(["none", "optional", "required"]).default("none"),
    realtimePriority: z.boolean().default(false),
    loadBalanced: z.boolean().default(false),
    stateSync: z.boolean().default(false),
    /** Free-form agent settings from the seed, passed to the agent in its manifest. */
    config: z.record(z.string(), z.string()).default({}),
    /** This agent is told where MainPC's observability hub is (MAINPC_HUB_ENDPOINT). */
    mainpcHubEndpoint: z.boolean().default(false),
});

const resourceAmounts = z.strictObject({ cpus, memory });

export const restartPolicySchema = z.strictObject({
    condition: z.enum(["none", "on-failure", "any"]),
    delay: duration,
    maxAttempts: z.int().min(0),
    window: duration,
});

export const updateConfigSchema = z.strictObject({
    parallelism: z.int().min(0),
    delay: duration,
    failureAction: z.enum(["pause", "continue", "rollback"]),
    monitor: duration,
    maxFailureRatio: z.number().min(0).max(1),
    order: z.enum(["stop-first", "start-first"]),
});

export const healthcheckSchema = z.strictObject({
    interval: duration,
    timeout: duration,
    retries: z.int().min(1),
    startPeriod: duration,
    path: absolutePath,
});

export const ulimitSchema = z.strictObject({
    name: z.enum(["rtprio", "memlock", "nofile", "nproc", "nice", "core", "stack"]),
    soft: z.int(),
    hard: z.int(),
});

export const groupSchema = z.strictObject({
    name: z.string().regex(/^cascade-[a-z0-9]+(-[a-z0-9]+)*$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a group name. Fix: write cascade-<lower-case words joined by ->`,
    }),
    /** A key of the top-level `machines` map. */
    machine: z.string(),
    purpose: z.string(),
    /** Deployment phase: every group of a phase is healthy before the next phase starts. */
    phase: z.int().min(1),
    /** The image repository under the stack's registry (the tag is stack config). */
    image: z.string().regex(/^[a-z0-9]+([._\-/][a-z0-9]+)*$/),
    replicas: z.int().min(1),
    scaling: z.strictObject({ min: z.int().min(1), max: z.int().min(1), reason: z.string() }).optional(),
    resources: z.strictObject({
        limits: resourceAmounts,
        reservations: resourceAmounts,
    }),
    /** The seed's own placement constraints; the machine pin (S5) is added to them. */
    placement: z.array(constraint).default([]),
    /** Node labels this group needs beyond its machine's (Kubernetes node selector, Swarm constraints). */
    nodeLabels: labels.default({}),
    /** GPUs reserved per replica (S2: a Swarm generic resource, a Kubernetes nvidia.com/gpu limit). */
    gpus: z.int().min(0).default(0),
    /** The group talks to hosts outside the cluster, so it joins the external network (S7). */
    egress: z.boolean().default(false),
    environment: environment.default({}),
    volumes: z.array(volumeMountSchema).default([]),
    /** Host devices (S1: these make the group a standalone container). */
    devices: z.array(absolutePath).default([]),
    capabilities: z.array(z.string().regex(/^[A-Z_]+$/)).default([]),
    ulimits: z.array(ulimitSchema).default([]),
    /** Host groups the container joins by id (resolved through the stack's hostGroupIds). */
    supplementaryGroups: z.array(z.string()).default([]),
    restartPolicy: restartPolicySchema.optional(),
    updateConfig: updateConfigSchema.optional(),
    healthcheck: healthcheckSchema.optional(),
    agents: z.array(agentSchema).min(1, { error: "a group needs at least one agent. Fix: add its agents or remove the group" }),
});

export const machineSchema = z.strictObject({
    description: z.string(),
    environment: environment.default({}),
    nodeLabels: labels.refine((map) => Object.keys(map).length > 0, {
        error: "a machine needs at least one node label to pin its groups to it (S5). Fix: add one, e.g. { system: mainpc }",
    }),
});

export const volumeSchema = z.strictObject({
    description: z.string(),
    /** Variables set to the mount target joined with a relative path ("." for the directory). */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
});

export const networkSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_.\-]*$/),
    subnet: cidr.optional(),
    internal: z.boolean(),
});

export const topologySchema = z.strictObject({
    defaults: z.strictObject({
        restartPolicy: restartPolicySchema,
        updateConfig: updateConfigSchema,
        healthcheck: healthcheckSchema,
        volumes: z.array(volumeMountSchema).default([]),
    }),
    machines: z.record(z.string().regex(/^[a-z][a-z0-9]*$/), machineSchema),
    volumes: z.record(volumeName, volumeSchema),
    networks: z.strictObject({
        internal: networkSchema,
        external: networkSchema,
        dnsSuffix: z.string().regex(/^[a-z][a-z0-9\-]*$/),
    }),
    redis: z.strictObject({
        /** The group Redis is deployed with (same machine, same phase). */
        group: z.string(),
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
