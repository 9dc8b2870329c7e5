import type { Topology } from "../../config/schema/topology";
import type { GroupModel, MachineModel } from "../types";
import type { TaskDiscovery, WatchedAgent, WatchedGroup, WatchedMachine } from "./types";

// Which agents Prometheus watches, machine by machine. The owning stack knows its own groups from its
// model and the other machines' from their stack files (their replicas, disabled groups and budget);
// a machine without a stack file is watched as the topology declares it, without a budget.

/** A machine as one stack deploys it: its model's machine and enabled groups. */
export interface MachineView {
    readonly machine: MachineModel;
    readonly groups: readonly GroupModel[];
    readonly platform: "swarm" | "kubernetes";
    /** The stack file it was read from. */
    readonly source: string;
}

/** The node exporter of a machine, as a service name. */
export const nodeExporterName = (machine: string) => `cascade-node-exporter-${machine}`;

function discoveryOf(platform: "swarm" | "kubernetes", group: { runAs: "service" | "standalone" }): TaskDiscovery {
    // Swarm answers `tasks.<alias>` with one A record per running task; a standalone container is one
    // task, and a Kubernetes Service answers for its ready pods (reached through the CoreDNS rewrite).
    return platform === "swarm" && group.runAs === "service" ? { kind: "tasks" } : { kind: "static" };
}

function discoveryAndTasks(platform: "swarm" | "kubernetes", group: { name: string; runAs: "service" | "standalone" }, replicas: number): Pick<WatchedGroup, "discovery" | "probedTasks"> {
    const discovery = discoveryOf(platform, group);
    return { discovery, probedTasks: discovery.kind === "tasks" ? replicas : 1 };
}

function watchedFromModel(view: MachineView): WatchedMachine {
    return {
        name: view.machine.name,
        budget: { cpus: view.machine.capacity.cpus, memoryBytes: view.machine.capacity.memoryBytes },
        source: view.source,
        nodeExporter: nodeExporterName(view.machine.name),
        groups: view.groups.map((group): WatchedGroup => ({
            machine: group.machine,
            name: group.name,
            replicas: group.replicas,
            startPeriodSeconds: group.health.startPeriodSeconds,
            ...discoveryAndTasks(view.platform, group, group.replicas),
            agents: group.agents.map((agent): WatchedAgent => ({
                machine: group.machine,
                group: group.name,
                agent: agent.name,
                optional: agent.optional,
                healthPort: agent.healthPort,
                healthPath: group.health.path,
                metricsPath: agent.metricsPath,
                port: agent.port,
                dnsName: agent.dnsName,
            })),
        })),
    };
}

/** Every machine of the topology: from its stack's view when there is one, else from the topology. */
export function watchedMachines(
    topology: Topology,
    views: readonly MachineView[],
    platform: "swarm" | "kubernetes",
    dnsName: (agent: string, group: string) => string,
    isStandalone: (group: Topology["groups"][number]) => boolean,
): WatchedMachine[] {
    return Object.keys(topology.machines).map((name) => {
        const view = views.find((v) => v.machine.name === name);
        if (view) {
            return watchedFromModel(view);
        }
        return {
            name,
            source: "the topology (no stack file for this machine: its budget is not watched)",
            nodeExporter: nodeExporterName(name),
            groups: topology.groups.filter((g) => g.machine === name).map((group): WatchedGroup => {
                const health = group.healthcheck ?? topology.defaults.healthcheck;
                return {
                    machine: name,
                    name: group.name,
                    replicas: group.replicas,
                    startPeriodSeconds: health.startPeriod,
                    ...discoveryAndTasks(platform, { name: group.name, runAs: isStandalone(group) ? "standalone" : "service" }, group.replicas),
                    agents: group.agents.map((agent) => ({
                        machine: name,
                        group: group.name,
                        agent: agent.name,
                        optional: agent.optional,
                        healthPort: agent.healthPort,
                        healthPath: health.path,
                        metricsPath: agent.metricsPath,
                        port: agent.port,
                        dnsName: dnsName(agent.name, group.name),
                    })),
                };
            }),
        };
    });
}
