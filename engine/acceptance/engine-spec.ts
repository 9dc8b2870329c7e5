import { parseDuration } from "../../config/units";
import { labelMap } from "../../captured/labels";
import { asArray, asNumber, asString, isRecord, propAt } from "../../lib/unknown";

// The one place where a planned provider input (pulumi-docker's Service and Container inputs, as
// `npm run plan -- --json` records them) is translated into what the Docker engine itself reports
// (`docker service inspect` .Spec, `docker container inspect`), in the engine's units: durations and
// CPUs in nanoseconds and nano-CPUs, container memory from MB to bytes, labels and env as maps,
// networks by name. `expected*` reads the plan, `actual*` reads the engine; both give the same
// shape, so one deep equality proves that what deploy.sh applied from the rendered files is what the
// Pulumi resources say. The only differences allowed are the ones `docker stack deploy` and
// docker-compose add on their own, listed in `deployerAdditions`, and secret names, which carry the
// hash of a value the plan does not know (compared without it).

type Json = Record<string, unknown>;

const NS = 1e9;
const MB = 1024 * 1024;
const SECRET_HASH = /-[0-9a-f]{12}$/;

/** A Go duration in nanoseconds, as the engine stores it; undefined stays undefined. */
function nanos(value: unknown): number | undefined {
    const seconds = typeof value === "string" ? parseDuration(value) : undefined;
    return seconds === undefined ? undefined : Math.round(seconds * NS);
}

/** Drops undefined, empty arrays and empty objects, recursively: the engine omits them. */
export function compact(value: unknown): unknown {
    if (Array.isArray(value)) {
        const items = value.map(compact).filter((v) => v !== undefined);
        return items.length > 0 ? items : undefined;
    }
    if (isRecord(value)) {
        const entries = Object.entries(value).map(([k, v]) => [k, compact(v)] as const).filter(([, v]) => v !== undefined);
        return entries.length > 0 ? Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b))) : undefined;
    }
    return value === null ? undefined : value;
}

const sorted = (items: readonly string[]) => [...items].sort();
const envList = (map: Readonly<Record<string, string>>) => sorted(Object.entries(map).map(([k, v]) => `${k}=${v}`));
const envMap = (list: readonly string[]) => Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const withoutKeys = (map: Readonly<Record<string, string>>, drop: (key: string) => boolean) => Object.fromEntries(Object.entries(map).filter(([k]) => !drop(k)));

/**
 * What the deployers add beyond the plan: `docker stack deploy` names services `<stack>_<key>`,
 * labels them and their containers `com.docker.stack.*` and gives every service its key as an alias
 * on each network; docker-compose labels containers `com.docker.compose.*` and aliases them by
 * service key and container id.
 */
export const deployerAdditions = {
    label: (key: string) => key.startsWith("com.docker.stack.") || key.startsWith("com.docker.compose."),
    alias: (alias: string, key: string, containerId = "") => alias === key || (containerId !== "" && containerId.startsWith(alias)),
};

function healthcheck(planned: unknown): Json | undefined {
    return isRecord(planned) ? {
        Test: asArray(propAt(planned, "tests")).map(String),
        Interval: nanos(propAt(planned, "interval")),
        Timeout: nanos(propAt(planned, "timeout")),
        StartPeriod: nanos(propAt(planned, "startPeriod")),
        Retries: asNumber(propAt(planned, "retries")),
    } : undefined;
}

/** The engine's healthcheck (services and containers share its shape). */
function engineHealthcheck(spec: unknown): Json | undefined {
    return isRecord(spec) ? {
        Test: asArray(spec.Test).map(String), Interval: asNumber(spec.Interval), Timeout: asNumber(spec.Timeout),
        StartPeriod: asNumber(spec.StartPeriod), Retries: asNumber(spec.Retries),
    } : undefined;
}

function updateConfig(planned: unknown): Json {
    return {
        Parallelism: asNumber(propAt(planned, "parallelism")),
        Delay: nanos(propAt(planned, "delay")),
        FailureAction: asString(propAt(planned, "failureAction")),
        Monitor: nanos(propAt(planned, "monitor")),
        MaxFailureRatio: Number(propAt(planned, "maxFailureRatio") ?? 0),
        Order: asString(propAt(planned, "order")),
    };
}

function engineUpdateConfig(actual: unknown): Json {
    return {
        Parallelism: asNumber(propAt(actual, "Parallelism")),
        Delay: asNumber(propAt(actual, "Delay")),
        FailureAction: asString(propAt(actual, "FailureAction")),
        Monitor: asNumber(propAt(actual, "Monitor")),
        MaxFailureRatio: asNumber(propAt(actual, "MaxFailureRatio")) ?? 0,
        Order: asString(propAt(actual, "Order")),
    };
}

/** A planned docker.Service (its `--json` inputs) as the engine's service spec. */
export function expectedService(inputs: Json, networkNames: Readonly<Record<string, string>>): unknown {
    const task = propAt(inputs, "taskSpec");
    const container = propAt(task, "containerSpec");
    const limits = propAt(propAt(task, "resources"), "limits");
    const reservation = propAt(propAt(task, "resources"), "reservation");
    const restart = propAt(task, "restartPolicy");
    const logDriver = propAt(task, "logDriver");
    return compact({
        Labels: labelMap(propAt(inputs, "labels")),
        Replicas: asNumber(propAt(propAt(propAt(inputs, "mode"), "replicated"), "replicas")),
        ContainerSpec: {
            Image: asString(propAt(container, "image")),
            Command: asArray(propAt(container, "commands")).map(String),
            Args: asArray(propAt(container, "args")).map(String),
            Env: envList(isRecord(propAt(container, "env")) ? (propAt(container, "env") as Record<string, string>) : {}),
            Labels: labelMap(propAt(container, "labels")),
            Healthcheck: healthcheck(propAt(container, "healthcheck")),
            Mounts: asArray(propAt(container, "mounts")).map((m) => ({
                Type: asString(propAt(m, "type")), Source: asString(propAt(m, "source")), Target: asString(propAt(m, "target")), ReadOnly: propAt(m, "readOnly") === true ? true : undefined,
            })),
            Secrets: asArray(propAt(container, "secrets")).map((s) => ({
                Name: String(propAt(s, "secretName") ?? "").replace(SECRET_HASH, ""),
                File: { Name: asString(propAt(s, "fileName")), UID: asString(propAt(s, "fileUid")), GID: asString(propAt(s, "fileGid")), Mode: asNumber(propAt(s, "fileMode")) },
            })),
            CapabilityAdd: asArray(propAt(container, "capAdds")).map(String),
            CapabilityDrop: asArray(propAt(container, "capDrops")).map(String),
            StopGracePeriod: nanos(propAt(container, "stopGracePeriod")),
        },
        Resources: {
            Limits: { NanoCPUs: asNumber(propAt(limits, "nanoCpus")), MemoryBytes: asNumber(propAt(limits, "memoryBytes")) },
            Reservations: {
                NanoCPUs: asNumber(propAt(reservation, "nanoCpus")),
                MemoryBytes: asNumber(propAt(reservation, "memoryBytes")),
                GenericResources: asArray(propAt(propAt(reservation, "genericResources"), "discreteResourcesSpecs")).map((spec) => {
                    const [kind, value] = String(spec).split("=", 2);
                    return { DiscreteResourceSpec: { Kind: kind, Value: Number(value) } };
                }),
            },
        },
        RestartPolicy: { Condition: asString(propAt(restart, "condition")), Delay: nanos(propAt(restart, "delay")), MaxAttempts: asNumber(propAt(restart, "maxAttempts")), Window: nanos(propAt(restart, "window")) },
        Placement: { Constraints: asArray(propAt(propAt(task, "placement"), "constraints")).map(String) },
        LogDriver: { Name: asString(propAt(logDriver, "name")), Options: propAt(logDriver, "options") },
        Networks: asArray(propAt(task, "networksAdvanceds")).map((n) => ({
            Name: networkNames[String(propAt(n, "id") ?? propAt(n, "name"))] ?? String(propAt(n, "id")),
            Aliases: sorted(asArray(propAt(n, "aliases")).map(String)),
        })).sort((a, b) => a.Name.localeCompare(b.Name)),
        UpdateConfig: updateConfig(propAt(inputs, "updateConfig")),
        RollbackConfig: updateConfig(propAt(inputs, "rollbackConfig")),
        EndpointSpec: {
            Mode: asString(propAt(propAt(inputs, "endpointSpec"), "mode")),
            Ports: asArray(propAt(propAt(inputs, "endpointSpec"), "ports")).map((p) => ({
                Protocol: asString(propAt(p, "protocol")), TargetPort: asNumber(propAt(p, "targetPort")), PublishedPort: asNumber(propAt(p, "publishedPort")), PublishMode: asString(propAt(p, "publishMode")),
            })),
        },
    });
}

/** `docker service inspect` .Spec as the same shape; `key` is the service's key in its stack file. */
export function actualService(spec: Json, key: string, networkNames: Readonly<Record<string, string>>): unknown {
    const task = propAt(spec, "TaskTemplate");
    const container = propAt(task, "ContainerSpec");
    const resources = propAt(task, "Resources");
    const restart = propAt(task, "RestartPolicy");
    return compact({
        Labels: withoutKeys(labelMap(propAt(spec, "Labels")), deployerAdditions.label),
        Replicas: asNumber(propAt(propAt(propAt(spec, "Mode"), "Replicated"), "Replicas")),
        ContainerSpec: {
            Image: asString(propAt(container, "Image")),
            Command: asArray(propAt(container, "Command")).map(String),
            Args: asArray(propAt(container, "Args")).map(String),
            Env: sorted(asArray(propAt(container, "Env")).map(String)),
            Labels: withoutKeys(labelMap(propAt(container, "Labels")), deployerAdditions.label),
            Healthcheck: engineHealthcheck(propAt(container, "Healthcheck")),
            Mounts: asArray(propAt(container, "Mounts")).map((m) => ({
                Type: asString(propAt(m, "Type")), Source: asString(propAt(m, "Source")), Target: asString(propAt(m, "Target")), ReadOnly: propAt(m, "ReadOnly") === true ? true : undefined,
            })),
            Secrets: asArray(propAt(container, "Secrets")).map((s) => ({
                Name: String(propAt(s, "SecretName") ?? "").replace(SECRET_HASH, ""),
                File: { Name: asString(propAt(propAt(s, "File"), "Name")), UID: asString(propAt(propAt(s, "File"), "UID")), GID: asString(propAt(propAt(s, "File"), "GID")), Mode: asNumber(propAt(propAt(s, "File"), "Mode")) },
            })),
            CapabilityAdd: asArray(propAt(container, "CapabilityAdd")).map(String),
            CapabilityDrop: asArray(propAt(container, "CapabilityDrop")).map(String),
            StopGracePeriod: asNumber(propAt(container, "StopGracePeriod")),
        },
        Resources: {
            Limits: { NanoCPUs: asNumber(propAt(propAt(resources, "Limits"), "NanoCPUs")), MemoryBytes: asNumber(propAt(propAt(resources, "Limits"), "MemoryBytes")) },
            Reservations: {
                NanoCPUs: asNumber(propAt(propAt(resources, "Reservations"), "NanoCPUs")),
                MemoryBytes: asNumber(propAt(propAt(resources, "Reservations"), "MemoryBytes")),
                GenericResources: asArray(propAt(propAt(resources, "Reservations"), "GenericResources")),
            },
        },
        RestartPolicy: { Condition: asString(propAt(restart, "Condition")), Delay: asNumber(propAt(restart, "Delay")), MaxAttempts: asNumber(propAt(restart, "MaxAttempts")), Window: asNumber(propAt(restart, "Window")) },
        Placement: { Constraints: asArray(propAt(propAt(task, "Placement"), "Constraints")).map(String) },
        LogDriver: { Name: asString(propAt(propAt(task, "LogDriver"), "Name")), Options: propAt(propAt(task, "LogDriver"), "Options") },
        Networks: asArray(propAt(task, "Networks")).map((n) => ({
            Name: networkNames[String(propAt(n, "Target"))] ?? String(propAt(n, "Target")),
            Aliases: sorted(asArray(propAt(n, "Aliases")).map(String).filter((a) => !deployerAdditions.alias(a, key))),
        })).sort((a, b) => a.Name.localeCompare(b.Name)),
        UpdateConfig: engineUpdateConfig(propAt(spec, "UpdateConfig")),
        RollbackConfig: engineUpdateConfig(propAt(spec, "RollbackConfig")),
        EndpointSpec: {
            Mode: asString(propAt(propAt(spec, "EndpointSpec"), "Mode")),
            Ports: asArray(propAt(propAt(spec, "EndpointSpec"), "Ports")).map((p) => ({
                Protocol: asString(propAt(p, "Protocol")), TargetPort: asNumber(propAt(p, "TargetPort")), PublishedPort: asNumber(propAt(p, "PublishedPort")), PublishMode: asString(propAt(p, "PublishMode")),
            })),
        },
    });
}

/** Container restart as the engine's RestartPolicy. */
function restartPolicy(restart: unknown, maxRetryCount: unknown): Json {
    return { Name: asString(restart), MaximumRetryCount: restart === "on-failure" ? asNumber(maxRetryCount) ?? 0 : 0 };
}

/**
 * A planned docker.Container (its `--json` inputs) as `docker container inspect` reports it. The
 * uploaded secret files are masked in the plan (their paths with them) and not compared here.
 */
export function expectedContainer(inputs: Json, networkNames: Readonly<Record<string, string>>): unknown {
    const capabilities = propAt(inputs, "capabilities");
    const memory = asNumber(propAt(inputs, "memory"));
    const reservation = asNumber(propAt(inputs, "memoryReservation"));
    const cpus = asString(propAt(inputs, "cpus"));
    return compact({
        Image: asString(propAt(inputs, "image")),
        Env: sorted(asArray(propAt(inputs, "envs")).map(String)),
        Labels: labelMap(propAt(inputs, "labels")),
        Healthcheck: healthcheck(propAt(inputs, "healthcheck")),
        NanoCpus: cpus === undefined ? undefined : Math.round(Number(cpus) * NS),
        Memory: memory === undefined ? undefined : memory * MB,
        MemoryReservation: reservation === undefined ? undefined : reservation * MB,
        CapAdd: sorted(asArray(propAt(capabilities, "adds")).map(String)),
        CapDrop: sorted(asArray(propAt(capabilities, "drops")).map(String)),
        Ulimits: asArray(propAt(inputs, "ulimits")).map((u) => ({ Name: asString(propAt(u, "name")), Soft: asNumber(propAt(u, "soft")), Hard: asNumber(propAt(u, "hard")) })),
        Devices: asArray(propAt(inputs, "devices")).map((d) => ({
            PathOnHost: asString(propAt(d, "hostPath")), PathInContainer: asString(propAt(d, "containerPath") ?? propAt(d, "hostPath")), CgroupPermissions: asString(propAt(d, "permissions")),
        })),
        GroupAdd: asArray(propAt(inputs, "groupAdds")).map(String),
        SecurityOpt: asArray(propAt(inputs, "securityOpts")).map(String),
        RestartPolicy: restartPolicy(propAt(inputs, "restart"), propAt(inputs, "maxRetryCount")),
        LogConfig: { Type: asString(propAt(inputs, "logDriver")), Config: propAt(inputs, "logOpts") },
        Mounts: asArray(propAt(inputs, "mounts")).map((m) => ({ Type: asString(propAt(m, "type")), Name: asString(propAt(m, "source")), Destination: asString(propAt(m, "target")), RW: propAt(m, "readOnly") !== true })),
        Networks: asArray(propAt(inputs, "networksAdvanced")).map((n) => ({
            Name: networkNames[String(propAt(n, "name"))] ?? String(propAt(n, "name")),
            Aliases: sorted(asArray(propAt(n, "aliases")).map(String)),
        })).sort((a, b) => a.Name.localeCompare(b.Name)),
        Ports: asArray(propAt(inputs, "ports")).map((p) => ({ Target: asNumber(propAt(p, "internal")), Published: asNumber(propAt(p, "external")) })),
    });
}

/** The image's own settings, which a container inherits and the plan does not set. */
export interface ImageDefaults {
    readonly env: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
}

/** `docker container inspect` as the same shape, without what the image itself gives. */
export function actualContainer(view: Json, key: string, image: ImageDefaults): unknown {
    const config = propAt(view, "Config");
    const host = propAt(view, "HostConfig");
    const inherited = envMap(image.env);
    const id = String(propAt(view, "Id") ?? "");
    return compact({
        Image: asString(propAt(config, "Image")),
        Env: sorted(asArray(propAt(config, "Env")).map(String).filter((e) => inherited[e.slice(0, e.indexOf("="))] !== e.slice(e.indexOf("=") + 1))),
        Labels: withoutKeys(labelMap(propAt(config, "Labels")), (k) => deployerAdditions.label(k) || image.labels[k] === labelMap(propAt(config, "Labels"))[k]),
        Healthcheck: engineHealthcheck(propAt(config, "Healthcheck")),
        NanoCpus: asNumber(propAt(host, "NanoCpus")) || undefined,
        Memory: asNumber(propAt(host, "Memory")) || undefined,
        MemoryReservation: asNumber(propAt(host, "MemoryReservation")) || undefined,
        CapAdd: sorted(asArray(propAt(host, "CapAdd")).map(String)),
        CapDrop: sorted(asArray(propAt(host, "CapDrop")).map(String)),
        Ulimits: asArray(propAt(host, "Ulimits")),
        Devices: asArray(propAt(host, "Devices")),
        GroupAdd: asArray(propAt(host, "GroupAdd")).map(String),
        SecurityOpt: asArray(propAt(host, "SecurityOpt")).map(String),
        RestartPolicy: { Name: asString(propAt(propAt(host, "RestartPolicy"), "Name")), MaximumRetryCount: asNumber(propAt(propAt(host, "RestartPolicy"), "MaximumRetryCount")) },
        LogConfig: { Type: asString(propAt(propAt(host, "LogConfig"), "Type")), Config: propAt(propAt(host, "LogConfig"), "Config") },
        Mounts: asArray(propAt(view, "Mounts")).filter((m) => propAt(m, "Type") === "volume").map((m) => ({
            Type: "volume", Name: asString(propAt(m, "Name")), Destination: asString(propAt(m, "Destination")), RW: propAt(m, "RW") === true,
        })),
        Networks: Object.entries(isRecord(propAt(propAt(view, "NetworkSettings"), "Networks")) ? (propAt(propAt(view, "NetworkSettings"), "Networks") as Json) : {}).map(([name, n]) => ({
            Name: name,
            Aliases: sorted(asArray(propAt(n, "Aliases")).map(String).filter((a) => !deployerAdditions.alias(a, key, id))),
        })).sort((a, b) => a.Name.localeCompare(b.Name)),
        Ports: Object.entries(isRecord(propAt(propAt(view, "NetworkSettings"), "Ports")) ? (propAt(propAt(view, "NetworkSettings"), "Ports") as Json) : {})
            .flatMap(([port, bindings]) => asArray(bindings).map((b) => ({ Target: Number(port.split("/")[0]), Published: Number(propAt(b, "HostPort")) }))),
    });
}
