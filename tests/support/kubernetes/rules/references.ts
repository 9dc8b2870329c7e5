import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { isDns1123Label } from "./formats";
import { idOf, selected, type Inventory } from "./inventory";

/** What a Service, a PodDisruptionBudget, an autoscaler or a StatefulSet refers to must exist and fit. */
export function referenceViolations(inventory: Inventory): string[] {
    return [...serviceViolations(inventory), ...budgetViolations(inventory), ...autoscalerViolations(inventory), ...governingServiceViolations(inventory)];
}

function serviceViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    for (const service of inventory.services) {
        const id = idOf(service);
        const spec = service.spec ?? {};
        const ports = spec.ports ?? [];
        const pods = selected(inventory, service.metadata?.namespace, spec.selector);
        if (pods.length === 0) {
            violations.push(`${id}: its selector matches no pod template in its namespace`);
        }
        if (ports.length > 1 && ports.some((p) => !p.name)) {
            violations.push(`${id}: a Service with several ports must name each`);
        }
        const names = ports.flatMap((p) => (p.name ? [p.name] : []));
        if (new Set(names).size !== names.length || names.some((n) => !isDns1123Label(n))) {
            violations.push(`${id}: port names must be unique DNS-1123 labels`);
        }
        const numbers = ports.map((p) => `${p.port}/${p.protocol ?? "TCP"}`);
        if (new Set(numbers).size !== numbers.length) {
            violations.push(`${id}: a port is declared twice`);
        }
        if (spec.clusterIP === "None" && spec.type !== undefined && spec.type !== "ClusterIP") {
            violations.push(`${id}: a headless Service must be of type ClusterIP`);
        }
        for (const port of ports) {
            const target = port.targetPort;
            for (const pod of pods) {
                const declared = (pod.template.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
                const found = typeof target === "string"
                    ? declared.some((p) => p.name === target)
                    : declared.some((p) => p.containerPort === (target ?? port.port));
                if (!found) {
                    violations.push(`${id}: port ${port.name ?? port.port} targets ${String(target ?? port.port)}, which ${pod.id} does not declare`);
                }
            }
        }
    }
    return violations;
}

function budgetViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    for (const budget of inventory.budgets) {
        const id = idOf(budget);
        const spec = budget.spec ?? {};
        if ((spec.minAvailable === undefined) === (spec.maxUnavailable === undefined)) {
            violations.push(`${id}: sets ${spec.minAvailable === undefined ? "neither" : "both"} of minAvailable and maxUnavailable, must set exactly one`);
        }
        const pods = selected(inventory, budget.metadata?.namespace, spec.selector?.matchLabels);
        if (pods.length === 0) {
            violations.push(`${id}: its selector matches no pod template in its namespace`);
        }
        const minAvailable = spec.minAvailable;
        const replicas = pods.reduce((sum, w) => sum + (w.replicas ?? 1), 0);
        if (typeof minAvailable === "number" && minAvailable >= replicas && !inventory.autoscalers.some((a) => pods.some((w) => w.name === a.spec?.scaleTargetRef.name))) {
            violations.push(`${id}: minAvailable ${minAvailable} of ${replicas} replicas blocks every voluntary eviction`);
        }
    }
    return violations;
}

function autoscalerViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    for (const autoscaler of inventory.autoscalers) {
        const id = idOf(autoscaler);
        const spec = autoscaler.spec;
        if (!spec) {
            violations.push(`${id}: no spec`);
            continue;
        }
        const target = inventory.workloads.find((w) => w.kind === spec.scaleTargetRef.kind && w.name === spec.scaleTargetRef.name && w.namespace === autoscaler.metadata?.namespace);
        if (!target || spec.scaleTargetRef.apiVersion !== "apps/v1") {
            violations.push(`${id}: its target ${spec.scaleTargetRef.kind} ${spec.scaleTargetRef.name} does not exist in its namespace`);
            continue;
        }
        if ((spec.minReplicas ?? 1) < 1 || (spec.minReplicas ?? 1) > spec.maxReplicas) {
            violations.push(`${id}: needs 1 <= minReplicas <= maxReplicas`);
        }
        if (target.replicas !== undefined) {
            violations.push(`${id}: ${target.id} also sets replicas, which every apply resets and server-side apply reports as a conflict`);
        }
        for (const metric of spec.metrics ?? []) {
            const resource = metric.resource;
            const containers = target.template.spec?.containers ?? [];
            if (resource?.target.type === "Utilization" && containers.some((c) => c.resources?.requests?.[resource.name] === undefined)) {
                violations.push(`${id}: a ${resource.name} utilization target needs a ${resource.name} request on every container of ${target.id}`);
            }
        }
    }
    return violations;
}

/** A StatefulSet's serviceName must be a headless Service of its namespace that selects its pods. */
function governingServiceViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    for (const set of inventory.objects.filter((o) => o.kind === "StatefulSet") as unknown as IStatefulSet[]) {
        const name = set.spec?.serviceName;
        const service = inventory.services.find((s) => s.metadata?.name === name && s.metadata?.namespace === set.metadata?.namespace);
        const workload = inventory.workloads.find((w) => w.id === idOf(set));
        if (!service || service.spec?.clusterIP !== "None" || !workload || !selected(inventory, set.metadata?.namespace, service.spec?.selector).includes(workload)) {
            violations.push(`${idOf(set)}: serviceName ${name ?? "(none)"} is not a headless Service of its namespace that selects its pods`);
        }
    }
    return violations;
}
