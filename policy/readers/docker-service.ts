import type { PolicyFacts } from "../facts";
import { asArray, asNumber, asString, isRecord, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import type { PublishedPort, Workload } from "../workload";
import { gpuKindsFor } from "./gpus";
import { cascadeLabels } from "./labels";
import type { WorkloadReader } from "./types";
import { DOCKER_TYPES } from "../../components/resource-types";

// docker.Service inputs (provider units: nano-CPUs and bytes) as a neutral workload.

const NANO = 1e9;

function gpusOf(reservation: unknown, kinds: ReadonlySet<string>): number {
    const generic = propAt(reservation, "genericResources");
    let count = 0;
    for (const spec of asArray(propAt(generic, "discreteResourcesSpecs"))) {
        const [kind, value] = String(spec).split("=", 2);
        if (kinds.has(kind)) {
            count += asNumber(value) ?? 0;
        }
    }
    // A named resource spec (kind=GPU-<uuid>) reserves that one device.
    for (const spec of asArray(propAt(generic, "namedResourcesSpecs"))) {
        if (kinds.has(String(spec).split("=", 1)[0])) {
            count += 1;
        }
    }
    return count;
}

function portsOf(endpointSpec: unknown): PublishedPort[] {
    return asArray(propAt(endpointSpec, "ports")).flatMap((entry): PublishedPort[] => {
        const port = asNumber(propAt(entry, "publishedPort"));
        if (port === undefined) {
            return [];
        }
        return [{
            port,
            protocol: asString(propAt(entry, "protocol")) ?? "tcp",
            scope: asString(propAt(entry, "publishMode")) === "host" ? "host" : "swarm",
        }];
    });
}

function read(resource: PolicyResourceView, facts: PolicyFacts): Workload {
    const { props } = resource;
    const container = propAt(props, "taskSpec", "containerSpec");
    const resources = propAt(props, "taskSpec", "resources");
    const labels = cascadeLabels(props.labels, propAt(container, "labels"));
    const healthTests = asArray(propAt(container, "healthcheck", "tests")).map(String);
    const condition = asString(propAt(props, "taskSpec", "restartPolicy", "condition"));
    const env = propAt(container, "env");
    const nanoCpus = (path: string) => {
        const value = asNumber(propAt(resources, path, "nanoCpus"));
        return value === undefined ? undefined : value / NANO;
    };
    return {
        resource,
        kind: "Swarm service",
        machine: labels.machine,
        group: labels.group,
        realtime: labels.realtime,
        // A global service runs one task per node; pinned to one machine that is one replica.
        replicas: asNumber(propAt(props, "mode", "replicated", "replicas")) ?? 1,
        reserved: {
            cpus: nanoCpus("reservation") ?? 0,
            memoryBytes: asNumber(propAt(resources, "reservation", "memoryBytes")) ?? 0,
        },
        limits: { cpus: nanoCpus("limits"), memoryBytes: asNumber(propAt(resources, "limits", "memoryBytes")) },
        gpus: gpusOf(propAt(resources, "reservation"), gpuKindsFor(labels.machine, facts)),
        images: [asString(propAt(container, "image")) ?? ""],
        // Swarm services cannot be privileged (S1).
        privileged: false,
        capAdds: asArray(propAt(container, "capAdds")).map(String),
        hostPaths: asArray(propAt(container, "mounts"))
            .filter((m) => asString(propAt(m, "type")) === "bind")
            .map((m) => asString(propAt(m, "source")) ?? ""),
        readOnlyHostPaths: asArray(propAt(container, "mounts"))
            .filter((m) => asString(propAt(m, "type")) === "bind" && propAt(m, "readOnly") === true)
            .map((m) => asString(propAt(m, "source")) ?? ""),
        env: isRecord(env) ? Object.entries(env).map(([name, value]) => ({ name, value: String(value), where: "env" })) : [],
        healthcheck: healthTests.length > 0 && healthTests[0] !== "NONE",
        restartPolicy: condition !== undefined && condition !== "none",
        publishedPorts: portsOf(props.endpointSpec),
    };
}

export const dockerServiceReader: WorkloadReader = { type: DOCKER_TYPES.service, read };
