import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, MachineModel, RedisModel, Resources } from "../../model/types";
import { GPU_RESOURCE } from "../../model/kubernetes-names";
import { cpuQuantity, memoryQuantity, parseQuantity } from "./quantities";

/** A claim's size from the stack config: its own entry, else the default. */
export function claimSize(settings: KubernetesSettings, volumeKey: string): string {
    return settings.volumeSizes[volumeKey] ?? settings.volumeSize;
}

/** What one namespace may hold: its group (at its maximum scale), Redis if it lives there, and its claims. */
export interface NamespaceBudgetInput {
    readonly group: GroupModel;
    readonly redis?: RedisModel;
    /** Volume keys of the namespace's claims. */
    readonly claims: readonly string[];
    readonly settings: KubernetesSettings;
}

/**
 * The namespace's ResourceQuota: the group's requests and limits times its maximum replicas (plus
 * Redis), so the cluster enforces the same budget the policy pack checks. Every namespace also states
 * its GPU and audio-device share, zero for the groups that must not have one, so a GPU lands only in
 * the AI engine's namespace.
 */
export function quotaHard(input: NamespaceBudgetInput): Record<string, string> {
    const { group, redis, settings } = input;
    const workloads: { replicas: number; resources: Resources }[] = [
        { replicas: group.maxReplicas, resources: group.resources },
        ...(redis ? [{ replicas: 1, resources: redis.resources }] : []),
    ];
    const total = (pick: (r: Resources) => number) => workloads.reduce((sum, w) => sum + pick(w.resources) * w.replicas, 0);
    const storageBytes = input.claims.reduce((sum, key) => sum + (parseQuantity(claimSize(settings, key)) ?? 0), 0);
    const devices = group.devices.length > 0 && !settings.audioPrivileged ? group.maxReplicas : 0;
    return {
        "requests.cpu": cpuQuantity(total((r) => r.reservations.cpus)),
        "requests.memory": memoryQuantity(total((r) => r.reservations.memoryBytes)),
        "limits.cpu": cpuQuantity(total((r) => r.limits.cpus)),
        "limits.memory": memoryQuantity(total((r) => r.limits.memoryBytes)),
        [`requests.${GPU_RESOURCE}`]: String(total((r) => r.gpus)),
        [`requests.${settings.audioDeviceResource}`]: String(devices),
        pods: String(workloads.reduce((sum, w) => sum + w.replicas, 0)),
        persistentvolumeclaims: String(input.claims.length),
        "requests.storage": memoryQuantity(storageBytes),
    };
}

/** The machine's capacity, on every quota of its namespaces, so `kubectl describe quota` shows the whole. */
export function machineCapacityAnnotation(machine: MachineModel): string {
    const { cpus, memoryBytes, gpus } = machine.capacity;
    return `cpu=${cpuQuantity(cpus)}, memory=${memoryQuantity(memoryBytes)}, ${GPU_RESOURCE}=${gpus}`;
}
