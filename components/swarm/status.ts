import type { CascadeModel } from "../../model/types";

// The commands that show what the engine really runs, exported per group. When Swarm rolls a failed
// update back, the provider's update fails before it reads the service again
// (resourceDockerServiceUpdate in terraform-provider-docker's resource_docker_service_funcs.go returns
// "service rollback completed: ..."), and Pulumi keeps the new spec in its state while the old one
// runs: the next preview shows nothing to change. These commands tell the operator what happened,
// and `pulumi refresh` brings the state back to what runs.

/** How to check one workload on its engine. */
export interface WorkloadStatus {
    readonly runsAs: "service" | "container";
    /** The Swarm service or container name. */
    readonly name: string;
    /** Swarm's record of the last update: state (completed, rollback_completed, paused...) and message. */
    readonly status: string;
    /** Every task or the container's health log, with the error that stopped it. */
    readonly details: string;
}

function docker(host: string, args: string): string {
    return `docker -H ${host} ${args}`;
}

function serviceStatus(name: string, managerHost: string): WorkloadStatus {
    return {
        runsAs: "service",
        name,
        status: docker(managerHost, `service inspect --format '{{json .UpdateStatus}}' ${name}`),
        details: docker(managerHost, `service ps --no-trunc ${name}`),
    };
}

/** Per group (and Redis, by its service name): the commands that show what the engine runs. */
export function workloadStatuses(model: CascadeModel, managerHost: string, engineHost: string): Record<string, WorkloadStatus> {
    const groups = model.groups.map((group): [string, WorkloadStatus] => [
        group.name,
        group.runAs === "service"
            ? serviceStatus(group.name, managerHost)
            : {
                runsAs: "container",
                name: group.name,
                status: docker(engineHost, `inspect --format '{{.State.Status}} {{json .State.Health.Status}}' ${group.name}`),
                details: docker(engineHost, `inspect --format '{{json .State.Health.Log}}' ${group.name}`),
            },
    ]);
    const redis: [string, WorkloadStatus][] = model.redis ? [[model.redis.name, serviceStatus(model.redis.name, managerHost)]] : [];
    return Object.fromEntries([...groups, ...redis]);
}
