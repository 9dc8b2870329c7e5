import { observabilityHub } from "../config/hub";
import type { StackIdentity } from "../config/load";
import type { StackConfig } from "../config/schema/stack";
import type { Topology, TopologyGroup, VolumeMount } from "../config/schema/topology";
import { PROGRAM_VARIABLES } from "../config/program-environment";
import { agentMemorySum } from "../config/units";
import { budgetOf } from "./budget";
import { startupOrders } from "../config/startup";
import { healthOf } from "./health";
import { DISABLED_MONITORING, monitoringOf } from "./monitoring/build";
import { MONITORING_VOLUMES } from "./monitoring/services";
import type { MonitoringModel } from "./monitoring/types";
import type {
    AgentModel,
    CascadeModel,
    DirectoryEntry,
    GroupModel,
    MachineModel,
    MountModel,
    NetworkModel,
    PhaseModel,
    RedisModel,
    Resources,
    RestartPolicyModel,
    SecretFileModel,
    UpdatePolicyModel,
    VolumeModel,
} from "./types";
import { isStandalone } from "../config/validate-group";
import { volumeName, withoutNamespace } from "./docker-names";

// Derives the model of one machine stack from a validated topology and stack config. Everything that
// can be derived is derived here, once: DNS names, health commands, placement, phases, budgets, the
// agents manifest and the environment. Components, policies and the plan only read the result.

export const REDIS_PASSWORD_TARGET = "/run/secrets/redis-password";
export const ZMQ_CERTIFICATES_DIR = "/run/secrets/zmq";

/** Another machine's stack config, read by the stack that runs Prometheus to watch that machine too. */
export interface PeerStack {
    readonly stack: StackConfig;
    /** The file it was read from, named in the plan. */
    readonly source: string;
}

/** The parts of the model that the machine's own settings decide, without its groups: all the policy pack needs. */
export type MachineParts = Pick<CascadeModel, "machine" | "networks" | "gpuResourceKind" | "allowSysAdmin"> & {
    readonly budget: Pick<CascadeModel["budget"], "overcommitRatio">;
};

export function machinePartsOf(topology: Topology, stack: StackConfig): MachineParts {
    return {
        machine: machineModel(topology, stack),
        networks: {
            internal: networkModel(topology.networks.internal, stack.network.internalSubnet),
            external: networkModel(topology.networks.external, undefined),
        },
        budget: { overcommitRatio: stack.budget.overcommitRatio },
        gpuResourceKind: stack.gpu.genericResourceKind,
        allowSysAdmin: stack.audio.allowSysAdmin,
    };
}

export function buildModel(topology: Topology, stack: StackConfig, identity: StackIdentity, peers: readonly PeerStack[] = []): CascadeModel {
    const parts = machinePartsOf(topology, stack);
    const { machine, networks } = parts;
    const suffix = topology.networks.dnsSuffix;
    const redisGroup = topology.groups.find((g) => g.name === topology.redis.group);
    if (!redisGroup) {
        throw new Error(`redis.group ${topology.redis.group} is not a group (validateTopology should have said so)`);
    }
    const ownerMachine = redisGroup.machine;
    const secretFiles = secretFilesOf(stack);
    const redisDns = `redis.${redisGroup.name}.${suffix}`;
    const mainpcHubEndpoint = stack.mainpc.hubEndpoint ?? defaultHubEndpoint(topology, ownerMachine);

    const enabled = topology.groups
        .filter((g) => g.machine === stack.machine && stack.groups[g.name]?.enabled !== false)
        .sort((a, b) => a.phase - b.phase);
    const phases = phasesOf(enabled);

    const shared = { topology, stack, machine, suffix, secretFiles, redisDns, mainpcHubEndpoint };
    const groups = enabled.map((g) => groupModel(g, shared, phases));

    const redis = enabled.some((g) => g.name === redisGroup.name)
        ? redisModel(topology, stack, machine, redisGroup, redisDns, secretFiles)
        : undefined;

    const monitoring = stack.monitoring.enabled
        ? monitoringOf({
            topology,
            settings: stack.monitoring,
            platform: stack.platform,
            owner: stack.machine === ownerMachine,
            views: [
                { machine, groups, platform: stack.platform, source: `this stack (${identity.stack})` },
                ...peers.map((peer) => {
                    const model = buildModel(topology, peer.stack, identity);
                    return { machine: model.machine, groups: model.groups, platform: peer.stack.platform, source: peer.source };
                }),
            ],
            defaults: {
                machine,
                suffix,
                healthTiming: healthOf([], topology.defaults.healthcheck),
                restartPolicy: restartPolicyOf(topology.defaults.restartPolicy),
                updatePolicy: updatePolicyOf(topology.defaults.updateConfig),
                endpointMode: stack.swarm.endpointMode,
            },
            dnsName: (agent, group) => dnsName(agent, group, suffix),
            isStandalone,
            volumeName,
        })
        : DISABLED_MONITORING;

    return {
        project: identity.project,
        stack: identity.stack,
        platform: stack.platform,
        machine,
        ownsSharedResources: stack.machine === ownerMachine,
        groups,
        redis,
        networks,
        volumes: volumesOf(topology, groups, redis, machine.name, monitoring),
        phases,
        budget: budgetOf(machine, groups, redis, parts.budget.overcommitRatio, monitoring.services),
        directory: directoryOf(groups),
        secureZmq: stack.secureZmq,
        secretFiles,
        gpuResourceKind: parts.gpuResourceKind,
        allowSysAdmin: parts.allowSysAdmin,
        data: stack.data,
        logging: stack.logging,
        owner: { stack: stack.machine === ownerMachine ? "" : stack.mainpc.stack, hubEndpoint: mainpcHubEndpoint },
        dnsSuffix: suffix,
        monitoring,
    };
}

function machineModel(topology: Topology, stack: StackConfig): MachineModel {
    const machine = topology.machines[stack.machine];
    return {
        name: stack.machine,
        description: machine.description,
        environment: machine.environment,
        nodeLabels: stack.nodeLabels ?? machine.nodeLabels,
        capacity: {
            cpus: stack.capacity.cpus,
            memoryBytes: stack.capacity.memory,
            gpus: stack.capacity.gpus,
        },
    };
}

/** The seed's mainpc_hub_endpoint, as a name that resolves on the overlay. */
function defaultHubEndpoint(topology: Topology, ownerMachine: string): string {
    const hub = observabilityHub(topology, ownerMachine);
    return hub ? `http://${dnsName(hub.agent.name, hub.group.name, topology.networks.dnsSuffix)}:${hub.agent.port}` : "";
}

export function dnsName(agent: string, group: string, suffix: string): string {
    return `${agent}.${group}.${suffix}`.toLowerCase();
}

function phasesOf(groups: readonly TopologyGroup[]): PhaseModel[] {
    const byPhase = new Map<number, string[]>();
    for (const group of groups) {
        byPhase.set(group.phase, [...(byPhase.get(group.phase) ?? []), group.name]);
    }
    return [...byPhase.entries()].sort(([a], [b]) => a - b).map(([phase, names]) => ({ phase, groups: names }));
}

function secretFilesOf(stack: StackConfig): SecretFileModel[] {
    const files: SecretFileModel[] = [{ key: "redis-password", configKey: "redisPassword", target: REDIS_PASSWORD_TARGET }];
    if (stack.secureZmq) {
        for (const entry of Object.keys(stack.zmqCertificates).sort()) {
            files.push({
                key: `zmq-${entry.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`,
                configKey: "zmqCertificates",
                entry,
                target: `${ZMQ_CERTIFICATES_DIR}/${entry}`,
            });
        }
    }
    return files;
}

interface SharedContext {
    readonly topology: Topology;
    readonly stack: StackConfig;
    readonly machine: MachineModel;
    readonly suffix: string;
    readonly secretFiles: readonly SecretFileModel[];
    readonly redisDns: string;
    readonly mainpcHubEndpoint: string;
}

function groupModel(group: TopologyGroup, ctx: SharedContext, phases: readonly PhaseModel[]): GroupModel {
    const { topology, stack, machine } = ctx;
    const override = stack.groups[group.name] ?? { enabled: true };
    const agents = agentModels(group, ctx);
    const mounts = mountsOf(topology, [...topology.defaults.volumes, ...group.volumes, ...group.agents.flatMap((a) => a.volumes)]);
    const publishedPorts = agents.filter((a) => a.published).map((a) => a.port);
    const capabilities = [...group.capabilities, ...(group.devices.length > 0 && stack.audio.allowSysAdmin ? ["SYS_ADMIN"] : [])];
    const manifest = JSON.stringify(agents.map(manifestEntry));
    const previousPhase = [...phases].reverse().find((p) => p.phase < group.phase);

    return {
        name: group.name,
        shortName: withoutNamespace(group.name),
        machine: machine.name,
        phase: group.phase,
        dependsOnGroups: previousPhase ? previousPhase.groups : [],
        image: override.image ?? `${stack.images.registry}/${group.image}:${stack.images.tag}`,
        ...replicasOf(group, override.replicas ?? group.replicas, stack.platform),
        runAs: isStandalone(group) ? "standalone" : "service",
        resources: resourcesOf(group.resources, group.gpus),
        placement: [...machinePlacement(machine), ...(override.placement ?? group.placement)],
        nodeLabels: { ...machine.nodeLabels, ...group.nodeLabels },
        environment: groupEnvironment(group, ctx, mounts, manifest),
        agents,
        manifest,
        health: healthOf(agents.filter((a) => !a.optional), group.healthcheck ?? topology.defaults.healthcheck),
        mounts,
        secrets: ctx.secretFiles,
        external: publishedPorts.length > 0 || group.egress,
        egress: group.egress,
        aliases: agents.map((a) => a.dnsName),
        publishedPorts,
        endpointMode: stack.swarm.endpointMode,
        restartPolicy: restartPolicyOf(group.restartPolicy ?? topology.defaults.restartPolicy),
        updatePolicy: updatePolicyOf(group.updateConfig ?? topology.defaults.updateConfig),
        devices: group.devices,
        capabilities,
        ulimits: group.ulimits,
        groupIds: group.supplementaryGroups.map((name) => stack.hostGroupIds[name]),
        agentMemoryBytes: agentMemorySum(group.agents.map((a) => a.memoryLimit)),
    };
}

/** The replicas Pulumi sets, and the most the platform may run (what budgets count). */
function replicasOf(group: TopologyGroup, replicas: number, platform: StackConfig["platform"]): Pick<GroupModel, "replicas" | "scaling" | "autoscaled" | "maxReplicas"> {
    const autoscaled = platform === "kubernetes" && group.scaling !== undefined && group.scaling.max > group.scaling.min;
    return {
        replicas,
        scaling: group.scaling ?? { min: 1 },
        autoscaled,
        maxReplicas: autoscaled && group.scaling ? Math.max(replicas, group.scaling.max) : replicas,
    };
}

/** Per-replica limits and reservations, in the model's units. */
function resourcesOf(resources: Topology["redis"]["resources"], gpus: number): Resources {
    return {
        limits: { cpus: resources.limits.cpus, memoryBytes: resources.limits.memory },
        reservations: { cpus: resources.reservations.cpus, memoryBytes: resources.reservations.memory },
        gpus,
    };
}

/**
 * A group's environment, later entries winning: the machine's, the topology's, the volumes' paths,
 * then what the program sets itself (the names validate-group.ts keeps the topology from using).
 */
function groupEnvironment(group: TopologyGroup, ctx: SharedContext, mounts: readonly MountModel[], manifest: string): Record<string, string> {
    const { topology, stack, machine } = ctx;
    return {
        ...machine.environment,
        [PROGRAM_VARIABLES.secureZmq]: stack.secureZmq ? "1" : "0",
        ...group.environment,
        ...volumeEnvironment(topology, mounts),
        [PROGRAM_VARIABLES.group]: group.name,
        [PROGRAM_VARIABLES.machine]: machine.name,
        [PROGRAM_VARIABLES.redisHost]: ctx.redisDns,
        [PROGRAM_VARIABLES.redisPort]: String(topology.redis.port),
        [PROGRAM_VARIABLES.redisPasswordFile]: REDIS_PASSWORD_TARGET,
        ...(stack.secureZmq ? { [PROGRAM_VARIABLES.zmqCertificatesDir]: ZMQ_CERTIFICATES_DIR } : {}),
        [PROGRAM_VARIABLES.agents]: manifest,
    };
}

/** S5: the machine pin, one constraint per machine label. */
function machinePlacement(machine: MachineModel): string[] {
    return Object.entries(machine.nodeLabels).map(([key, value]) => `node.labels.${key} == ${value}`);
}

function agentModels(group: TopologyGroup, ctx: SharedContext): AgentModel[] {
    const orders = startupOrders(group.agents);
    return group.agents.map((agent) => ({
        name: agent.name,
        group: group.name,
        machine: ctx.machine.name,
        dnsName: dnsName(agent.name, group.name, ctx.suffix),
        port: agent.port,
        healthPort: agent.healthPort,
        startupOrder: orders.get(agent.name) ?? 1,
        dependsOn: agent.dependsOn,
        environment: {
            ...agent.environment,
            ...(agent.mainpcHubEndpoint && ctx.mainpcHubEndpoint ? { [PROGRAM_VARIABLES.hubEndpoint]: ctx.mainpcHubEndpoint } : {}),
        },
        memoryLimitBytes: agent.memoryLimit,
        optional: agent.optional,
        realtimePriority: agent.realtimePriority,
        published: agent.loadBalanced,
        config: agent.config,
        metricsPath: agent.metricsPath,
    }));
}

/** One entry of the agents manifest the process supervisor in the image reads (CASCADE_AGENTS). */
function manifestEntry(agent: AgentModel) {
    return {
        name: agent.name,
        dnsName: agent.dnsName,
        port: agent.port,
        healthPort: agent.healthPort,
        startupOrder: agent.startupOrder,
        dependsOn: agent.dependsOn,
        optional: agent.optional,
        ...(agent.memoryLimitBytes !== undefined ? { memoryLimitBytes: agent.memoryLimitBytes } : {}),
        env: agent.environment,
        ...(Object.keys(agent.config).length > 0 ? { config: agent.config } : {}),
    };
}

/** Mounts deduplicated by target, in declaration order. */
function mountsOf(topology: Topology, mounts: readonly VolumeMount[]): MountModel[] {
    const byTarget = new Map<string, MountModel>();
    for (const mount of mounts) {
        if (mount.volume in topology.volumes && !byTarget.has(mount.target)) {
            byTarget.set(mount.target, { volume: mount.volume, volumeName: volumeName(mount.volume), target: mount.target, readOnly: mount.readOnly });
        }
    }
    return [...byTarget.values()];
}

function volumeEnvironment(topology: Topology, mounts: readonly MountModel[]): Record<string, string> {
    const env: Record<string, string> = {};
    for (const mount of mounts) {
        for (const [name, relative] of Object.entries(topology.volumes[mount.volume].env)) {
            env[name] = relative === "." ? mount.target : `${mount.target}/${relative}`;
        }
    }
    return env;
}

function restartPolicyOf(policy: Topology["defaults"]["restartPolicy"]): RestartPolicyModel {
    return { condition: policy.condition, delaySeconds: policy.delay, maxAttempts: policy.maxAttempts, windowSeconds: policy.window };
}

function updatePolicyOf(config: Topology["defaults"]["updateConfig"]): UpdatePolicyModel {
    return {
        parallelism: config.parallelism,
        delaySeconds: config.delay,
        failureAction: config.failureAction,
        monitorSeconds: config.monitor,
        maxFailureRatio: config.maxFailureRatio,
        order: config.order,
    };
}

function redisModel(
    topology: Topology,
    stack: StackConfig,
    machine: MachineModel,
    group: TopologyGroup,
    dns: string,
    secretFiles: readonly SecretFileModel[],
): RedisModel {
    const secret = secretFiles.find((s) => s.configKey === "redisPassword");
    if (!secret) {
        throw new Error("the Redis password secret file is missing from the model");
    }
    const { resources } = topology.redis;
    return {
        name: "cascade-redis",
        group: group.name,
        machine: machine.name,
        phase: group.phase,
        image: stack.images.redis,
        port: topology.redis.port,
        dnsName: dns,
        mount: mountsOf(topology, [topology.redis.volume])[0],
        resources: resourcesOf(resources, 0),
        health: {
            ...healthOf([], topology.defaults.healthcheck),
            ports: [topology.redis.port],
            path: "",
            // The password is read from the secret file inside the container; it never appears in the spec.
            command: `REDISCLI_AUTH="$(cat ${secret.target})" redis-cli -p ${topology.redis.port} ping | grep -q PONG`,
        },
        restartPolicy: restartPolicyOf(topology.defaults.restartPolicy),
        updatePolicy: updatePolicyOf(topology.defaults.updateConfig),
        endpointMode: stack.swarm.endpointMode,
        placement: machinePlacement(machine),
        nodeLabels: machine.nodeLabels,
        secret,
    };
}

function networkModel(network: Topology["networks"]["internal"], subnetOverride: string | undefined): NetworkModel {
    return {
        name: network.name,
        subnet: subnetOverride ?? network.subnet,
        internal: network.internal,
        attachable: true,
        driver: "overlay",
    };
}

function volumesOf(topology: Topology, groups: readonly GroupModel[], redis: RedisModel | undefined, machine: string, monitoring: MonitoringModel): VolumeModel[] {
    const keys = new Set([...groups.flatMap((g) => g.mounts.map((m) => m.volume)), ...(redis ? [redis.mount.volume] : [])]);
    const monitoringKeys = new Set(monitoring.services.flatMap((s) => s.mounts.map((m) => m.volume)));
    return [
        ...Object.keys(topology.volumes)
            .filter((key) => keys.has(key))
            .map((key) => ({ key, name: volumeName(key), description: topology.volumes[key].description, machine })),
        ...Object.entries(MONITORING_VOLUMES)
            .filter(([key]) => monitoringKeys.has(key))
            .map(([key, volume]) => ({ key, name: volumeName(key), description: volume.description, machine })),
    ];
}

function directoryOf(groups: readonly GroupModel[]): DirectoryEntry[] {
    return groups.flatMap((g) =>
        g.agents.map((a) => ({
            agent: a.name,
            group: g.name,
            machine: g.machine,
            dnsName: a.dnsName,
            port: a.port,
            healthPort: a.healthPort,
            published: a.published,
        })),
    );
}
