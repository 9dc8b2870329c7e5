import type { PolicyFacts } from "../facts";
import { asArray, asNumber, asString, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import type { EnvVar, PublishedPort, Workload } from "../workload";
import { cascadeLabels } from "./labels";
import type { WorkloadReader } from "./types";
import { DOCKER_TYPES } from "../../components/resource-types";

// docker.Container inputs as a neutral workload. @pulumi/docker's ContainerArgs takes `memory` and
// `memoryReservation` "in MBs" and `cpus` as a decimal string ("1.5"), where a Service takes bytes and
// nano-CPUs.

const MB = 1024 * 1024;

/**
 * `gpus` is "all", "device=0,1" or a count. "all" takes every GPU of the machine, so it counts as the
 * machine's capacity (at least one, so that a GPU-less machine is still reported).
 */
function gpusOf(value: string | undefined, machine: string | undefined, facts: PolicyFacts): number {
    if (value === undefined || value === "") {
        return 0;
    }
    if (value === "all") {
        return Math.max(1, (machine ? facts.machines.get(machine)?.capacity.gpus : undefined) ?? 1);
    }
    const devices = /^device=(.+)$/.exec(value);
    return devices ? devices[1].split(",").length : asNumber(value) ?? 1;
}

function envOf(envs: unknown): EnvVar[] {
    return asArray(envs).map((entry) => {
        const text = String(entry);
        const equals = text.indexOf("=");
        return equals < 0
            ? { name: text, value: "", where: "env" }
            : { name: text.slice(0, equals), value: text.slice(equals + 1), where: "env" };
    });
}

function portsOf(ports: unknown): PublishedPort[] {
    return asArray(ports).flatMap((entry): PublishedPort[] => {
        const port = asNumber(propAt(entry, "external")) ?? asNumber(propAt(entry, "internal"));
        return port === undefined ? [] : [{ port, protocol: asString(propAt(entry, "protocol")) ?? "tcp", scope: "host" }];
    });
}

function read(resource: PolicyResourceView, facts: PolicyFacts): Workload {
    const { props } = resource;
    const labels = cascadeLabels(props.labels);
    const healthTests = asArray(propAt(props, "healthcheck", "tests")).map(String);
    const restart = asString(props.restart);
    const memory = asNumber(props.memory);
    const cpus = asNumber(props.cpus);
    return {
        resource,
        kind: "container",
        machine: labels.machine,
        group: labels.group,
        realtime: labels.realtime,
        replicas: 1,
        // Docker reserves no CPU for a standalone container; only a memory reservation exists.
        reserved: { cpus: 0, memoryBytes: (asNumber(props.memoryReservation) ?? 0) * MB },
        limits: { cpus, memoryBytes: memory === undefined ? undefined : memory * MB },
        gpus: gpusOf(asString(props.gpus), labels.machine, facts),
        images: [asString(props.image) ?? ""],
        privileged: props.privileged === true,
        capAdds: asArray(propAt(props, "capabilities", "adds")).map(String),
        hostPaths: [
            ...asArray(props.mounts).filter((m) => asString(propAt(m, "type")) === "bind").map((m) => asString(propAt(m, "source")) ?? ""),
            ...asArray(props.volumes).map((v) => asString(propAt(v, "hostPath"))).filter((p): p is string => p !== undefined),
        ],
        readOnlyHostPaths: asArray(props.mounts)
            .filter((m) => asString(propAt(m, "type")) === "bind" && propAt(m, "readOnly") === true)
            .map((m) => asString(propAt(m, "source")) ?? ""),
        env: envOf(props.envs),
        healthcheck: healthTests.length > 0 && healthTests[0] !== "NONE",
        restartPolicy: restart !== undefined && restart !== "no",
        publishedPorts: portsOf(props.ports),
    };
}

export const dockerContainerReader: WorkloadReader = { type: DOCKER_TYPES.container, read };
