import { parseFamiliarName } from "@swimlane/docker-reference";
import type { ContainerInspect, SwarmNode, SwarmService, SwarmTask } from "./engine-types";
import { serviceKey, STACK_NAMESPACE } from "../plan/render/context";
import type { PlannedMachine, PlannedWorkload } from "./planned";

// How engine objects are matched to what the stacks plan. One rule each, used by status, logs and
// stop/start alike.

/** The label `docker stack deploy` puts on the services it creates. */
const STACK_NAMESPACE_LABEL = "com.docker.stack.namespace";

/**
 * The service of a planned workload: Pulumi names it as planned (`cascade-core`); the rendered stack
 * files, deployed with `docker stack deploy` in the stack `cascade` (deploy.sh), name it by its key in
 * that stack (`cascade_core`).
 */
export function serviceOf(services: readonly SwarmService[], workload: PlannedWorkload): SwarmService | undefined {
    const stacked = `${STACK_NAMESPACE}_${serviceKey(workload.name)}`;
    return services.find((s) => s.Spec.Name === workload.name)
        ?? services.find((s) => s.Spec.Labels?.[STACK_NAMESPACE_LABEL] === STACK_NAMESPACE && s.Spec.Name === stacked);
}

/** Docker reports container names with a leading slash. */
export function containerNamed(containers: readonly ContainerInspect[], name: string): ContainerInspect | undefined {
    return containers.find((c) => c.Name === `/${name}` || c.Name === name);
}

/** A node is a machine's when it carries every label that pins that machine's groups (`system=mainpc`). */
export function machineOfNode(node: SwarmNode | undefined, machines: readonly PlannedMachine[]): string | undefined {
    if (!node) {
        return undefined;
    }
    const labels = node.Spec.Labels ?? {};
    return machines.find((m) => Object.keys(m.nodeLabels).length > 0 && Object.entries(m.nodeLabels).every(([k, v]) => labels[k] === v))?.name;
}

export function nodeName(node: SwarmNode | undefined, id: string | undefined): string {
    return node?.Description?.Hostname ?? (id ? id.slice(0, 12) : "-");
}

/** An image reference without the digest Swarm pins to it: `cascade/core:2025.07.30@sha256:…` → `cascade/core:2025.07.30`. */
export function withoutDigest(image: string | undefined): string {
    return (image ?? "").split("@")[0];
}

/**
 * An image as the engine resolves it (distribution/reference's grammar, through
 * @swimlane/docker-reference): `cascade/core:1` and `docker.io/cascade/core:1` are one image, and no
 * tag means `latest`. A reference it cannot parse stays as written.
 */
export function canonicalImage(image: string): string {
    try {
        const reference = parseFamiliarName(withoutDigest(image));
        return `${reference.domain ?? ""}/${reference.repository ?? ""}:${reference.tag ?? "latest"}`;
    } catch {
        return image;
    }
}

/** The tag of an image reference (`cascade/core:2025.07.30` → `2025.07.30`; none is `latest`). */
export function tagOf(image: string): string {
    return canonicalImage(image).slice(canonicalImage(image).lastIndexOf(":") + 1);
}

/** Tasks Swarm still wants running (the current ones), newest first. */
export function currentTasks(tasks: readonly SwarmTask[], serviceId: string): SwarmTask[] {
    return tasks.filter((t) => t.ServiceID === serviceId && t.DesiredState === "running").sort(newestFirst);
}

export function newestFirst(a: SwarmTask, b: SwarmTask): number {
    return Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt);
}

const FAILED_STATES = new Set(["failed", "rejected"]);

/** Tasks whose containers tell why a service is unhealthy: the current ones, then the newest failed one, then the newest other ended one. */
export function tasksToExplain(tasks: readonly SwarmTask[], serviceId: string): SwarmTask[] {
    const ended = tasks.filter((t) => t.ServiceID === serviceId && t.DesiredState !== "running").sort(newestFirst);
    const failed = ended.find((t) => FAILED_STATES.has(t.Status.State));
    return [...currentTasks(tasks, serviceId), ...(failed ? [failed] : []), ...ended.filter((t) => t !== failed).slice(0, 1)];
}

/** Whether a task ended in failure (each such task makes Swarm start a replacement: a restart). */
export function failedTask(task: SwarmTask): boolean {
    return FAILED_STATES.has(task.Status.State);
}
