import { loadStack } from "../model/load";
import { MONITORING_PHASE } from "../model/monitoring/services";
import type { CascadeModel } from "../model/types";
import { projectName, readStackFile } from "../config/stack-file";

// What each stack plans to run, read from the same stack files and model as `pulumi up` and
// `npm run plan` (model/load.ts): the Day-2 commands compare the engines against this, never
// against a copy of the topology. Secrets are not needed to know what runs where, so the files are
// read without a passphrase (secret values stand in as the plan's placeholders).

export interface PlannedAgent {
    readonly name: string;
    readonly port: number;
    readonly healthPort: number;
}

/** One workload a stack creates: a group's service or container, Redis, or a monitoring service. */
export interface PlannedWorkload {
    readonly stack: string;
    readonly machine: string;
    readonly group: string;
    /** The Docker name Pulumi gives it (a `docker stack deploy` of the rendered files prefixes `cascade_`). */
    readonly name: string;
    readonly kind: "service" | "container";
    readonly phase: number;
    readonly replicas: number;
    readonly image: string;
    /** The agents it runs (none for Redis and the monitoring services). */
    readonly agents: readonly PlannedAgent[];
    /** Redis, which runs beside its group's agents. */
    readonly redis: boolean;
}

export interface PlannedMachine {
    readonly name: string;
    /** The node labels that pin this machine's groups (`system=mainpc`): how a Swarm node is known as this machine. */
    readonly nodeLabels: Readonly<Record<string, string>>;
    /** This machine's own engine: its containers and volumes. */
    readonly engineHost: string;
    /** The Docker volumes this stack creates on that engine (`cascade_<volume>`). */
    readonly volumes: readonly string[];
}

export interface PlannedStack {
    readonly stack: string;
    /** The stack config file the plan was read from. */
    readonly file: string;
    readonly machine: PlannedMachine;
    /** The Swarm manager this stack creates its services through. */
    readonly managerHost: string;
    /** Phase order. */
    readonly workloads: readonly PlannedWorkload[];
}

function workloadsOf(stack: string, model: CascadeModel): PlannedWorkload[] {
    // The monitoring services are groups like any other (group cascade-monitoring): status judges
    // them, stop and start act on them.
    const workloads: PlannedWorkload[] = model.monitoring.services.map((s) => ({
        stack, machine: s.machine, group: s.group, name: s.name, kind: "service", phase: MONITORING_PHASE, replicas: 1, image: s.image, agents: [], redis: false,
    }));
    for (const group of model.groups) {
        if (model.redis?.group === group.name) {
            const redis = model.redis;
            workloads.push({ stack, machine: redis.machine, group: group.name, name: redis.name, kind: "service", phase: redis.phase, replicas: 1, image: redis.image, agents: [], redis: true });
        }
        workloads.push({
            stack,
            machine: group.machine,
            group: group.name,
            name: group.name,
            kind: group.runAs === "service" ? "service" : "container",
            phase: group.phase,
            replicas: group.replicas,
            image: group.image,
            agents: group.agents.map((a) => ({ name: a.name, port: a.port, healthPort: a.healthPort })),
            redis: false,
        });
    }
    return workloads;
}

/** Reads one stack's config file (Pulumi.<stack>.yaml, or `file`) into what it plans; throws ConfigError. */
export function plannedStack(stack: string, file = `Pulumi.${stack}.yaml`): PlannedStack {
    const stackFile = readStackFile(file);
    const loaded = loadStack({ config: stackFile.config, secretKeys: new Set(stackFile.secretKeys), stackFile: stackFile.file, identity: { project: projectName(), stack } });
    if (loaded.model.platform !== "swarm") {
        throw new PlatformError(`${stackFile.file}: stack ${stack} deploys to Kubernetes; these commands read Docker engines (use kubectl for it)`);
    }
    return {
        stack,
        file: stackFile.file,
        machine: { name: loaded.model.machine.name, nodeLabels: loaded.model.machine.nodeLabels, engineHost: loaded.config.docker.engineHost, volumes: loaded.model.volumes.map((v) => v.name) },
        managerHost: loaded.config.docker.managerHost,
        workloads: workloadsOf(stack, loaded.model),
    };
}

/** A stack these Docker commands cannot read. */
export class PlatformError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlatformError";
    }
}
