import { formatMemory } from "../config/units";
import { factsFromModel } from "../policy/facts";
import { workloadsOf } from "../policy/readers";
import { asArray, asString, propAt } from "../lib/unknown";
import type { Workload } from "../policy/workload";
import type { Plan } from "./assemble";
import type { CapturedResource } from "../captured/resource";
import { maskSecrets } from "./mask";
import { networkName, networkNamesById } from "./network-names";
import { DOCKER_TYPES, KUBERNETES_TYPES, STACK_REFERENCE_TYPE } from "../components/resource-types";

// The resources as a tree (component, then its children), each with the settings an operator checks
// before `pulumi up`: image, replicas, machine, GPU, ports, networks, volumes, data protection.

interface TreeContext {
    readonly plan: Plan;
    readonly networkNames: ReadonlyMap<string, string>;
    /** Each captured resource's workload view, when it is a workload. */
    readonly workloads: ReadonlyMap<CapturedResource, Workload>;
}

/** Networks and volumes are Docker's; a Kubernetes workload's show as Services, policies and claims in the tree. */
function workloadSettings(w: Workload, networks?: readonly string[], volumes?: readonly string[]): string {
    const parts = [
        w.images.join(", "),
        `${w.replicas} replica${w.replicas === 1 ? "" : "s"}`,
        `machine ${w.machine ?? "?"}`,
        ...(w.gpus > 0 ? [`${w.gpus} GPU${w.gpus === 1 ? "" : "s"}`] : []),
        `reserves ${w.reserved.cpus} CPU/${formatMemory(w.reserved.memoryBytes)}`,
        `limit ${w.limits.cpus ?? "none"} CPU/${w.limits.memoryBytes === undefined ? "none" : formatMemory(w.limits.memoryBytes)}`,
        `ports ${w.publishedPorts.map((p) => `${p.port}/${p.protocol}`).join(" ") || "none published"}`,
        ...(networks ? [`networks ${networks.join(", ") || "none"}`] : []),
        ...(volumes ? [`volumes ${volumes.join(", ") || "none"}`] : []),
        ...(w.capAdds.length > 0 ? [`caps +${w.capAdds.join(" +")}`] : []),
    ];
    return parts.join("; ");
}

function mountsOf(mounts: unknown): string[] {
    return asArray(mounts).map((m) => `${asString(propAt(m, "source")) ?? "?"}:${asString(propAt(m, "target")) ?? "?"}${propAt(m, "readOnly") === true ? ":ro" : ""}`);
}

function settings(resource: CapturedResource, context: TreeContext): string {
    const { inputs } = resource;
    const { plan, networkNames: names } = context;
    const workload = context.workloads.get(resource);
    switch (resource.type) {
        case DOCKER_TYPES.service:
            return workload
                ? workloadSettings(workload,
                    asArray(propAt(inputs, "taskSpec", "networksAdvanceds")).map((n) => networkName(names, propAt(n, "id"))),
                    mountsOf(propAt(inputs, "taskSpec", "containerSpec", "mounts")))
                : "";
        case DOCKER_TYPES.container:
            return workload
                ? `${workloadSettings(workload,
                    asArray(inputs.networksAdvanced).map((n) => networkName(names, propAt(n, "name"))),
                    mountsOf(inputs.mounts))}; devices ${asArray(inputs.devices).map((d) => asString(propAt(d, "hostPath"))).join(", ") || "none"}`
                : "";
        case DOCKER_TYPES.network:
            return [inputs.name, inputs.driver, inputs.internal === true ? "internal" : "not internal", inputs.attachable === true ? "attachable" : "",
                ...asArray(inputs.ipamConfigs).map((c) => asString(propAt(c, "subnet")) ?? "")].filter((p) => p !== "").join(", ");
        case DOCKER_TYPES.volume:
            return `${String(inputs.name)}; protect ${resource.options.protect}, retainOnDelete ${resource.options.retainOnDelete}`;
        case DOCKER_TYPES.secret:
            return `${String(inputs.name)}; data ${String(maskSecrets(inputs.data, plan.stackFile.secretValues))}`;
        case DOCKER_TYPES.provider:
            return `host ${String(inputs.host)}`;
        case STACK_REFERENCE_TYPE:
            return plan.referenced ? `${plan.referenced.name}: outputs from an offline plan of ${plan.referenced.file}` : String(inputs.name);
        case KUBERNETES_TYPES.claim:
            return `${asString(propAt(inputs, "metadata", "name")) ?? "?"} ${asString(propAt(inputs, "spec", "resources", "requests", "storage")) ?? ""}; protect ${resource.options.protect}, retainOnDelete ${resource.options.retainOnDelete}`;
        default: {
            const waits = resource.options.dependsOn.length > 0 ? `waits for ${resource.options.dependsOn.join(", ")}` : "";
            return workload ? [workloadSettings(workload), waits].filter((p) => p !== "").join("; ") : waits;
        }
    }
}

/** `docker:index/service:Service` -> `docker Service`; components keep their token. */
function typeLabel(type: string): string {
    const match = /^([^:]+):index\/[^:]+:(.+)$/.exec(type);
    return match ? `${match[1]} ${match[2]}` : type;
}

export function renderTree(plan: Plan): string {
    const facts = factsFromModel(plan.model, plan.stackFile.file);
    const workloads = new Map<CapturedResource, Workload>();
    plan.capture.resources.forEach((resource, index) => {
        // plan.resources holds the same resources, in the same order, as the rules see them.
        const [workload] = workloadsOf([plan.resources[index]], facts);
        if (workload) {
            workloads.set(resource, workload);
        }
    });
    const context: TreeContext = { plan, networkNames: networkNamesById(plan.capture), workloads };
    const children = new Map<string | undefined, CapturedResource[]>();
    for (const resource of plan.capture.resources) {
        const siblings = children.get(resource.parent);
        if (siblings) {
            siblings.push(resource);
        } else {
            children.set(resource.parent, [resource]);
        }
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((resource, index) => {
            const last = index === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            const detail = settings(resource, context);
            lines.push(`${prefix}${branch}${resource.name}  [${typeLabel(resource.type)}]${detail ? `  ${detail}` : ""}`);
            walk(resource.name, parent === undefined ? prefix : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    return lines.join("\n");
}
