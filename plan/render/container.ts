import { asArray, asNumber, asString, isRecord, propAt } from "../../lib/unknown";
import { serviceKey, type Planned, type RenderContext, type RenderedWorkload } from "./context";
import { Fields } from "./fields";
import { secretFileOf, type SecretFile } from "./secrets";
import { compact, labelsMap, memoryFromMegabytes, strings } from "./units";
import { healthcheckOf, loggingOf, mountsOf, networksOf } from "./workload";

// One docker.Container (a group that needs host devices or ulimits, S1) as a service of the Compose
// file (`docker-compose -f compose.yml`), field by field from its planned inputs. Container memory
// inputs are megabytes and `cpus` a decimal string (@pulumi/docker's ContainerArgs). The secret files
// Pulumi uploads become Compose file secrets, read from the operator's secrets directory.

/** A container; its host is the machine's own engine. */
export interface RenderedContainer extends RenderedWorkload {
    readonly secrets: ReadonlyMap<string, SecretFile>;
    /** How long deploy.sh waits for it to turn healthy (the container's waitTimeout), in seconds. */
    readonly waitTimeoutSeconds?: number;
}

/** restart + maxRetryCount as Compose's restart ("on-failure:10"). */
function restartOf(restart: string | undefined, maxRetryCount: number | undefined): string | undefined {
    return restart === "on-failure" && maxRetryCount !== undefined && maxRetryCount > 0 ? `on-failure:${maxRetryCount}` : restart;
}

function environmentOf(envs: unknown): Record<string, string> | undefined {
    const entries = asArray(envs).map((entry) => {
        const text = String(entry);
        const equals = text.indexOf("=");
        return equals < 0 ? [text, ""] : [text.slice(0, equals), text.slice(equals + 1)];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The secret files Pulumi uploads, as Compose file secrets; each is recorded in `secrets`. Their
 * content is a masked secret: only the paths are rendered.
 */
function uploadsOf(top: Fields, what: string, secrets: Map<string, SecretFile>): Record<string, unknown>[] {
    return asArray(top.take("uploads")).map((upload) => {
        const fields = new Fields(isRecord(upload) ? upload : {}, "uploads[]");
        fields.skip("content", "contentBase64", "permissions");
        const target = asString(fields.take("file")) ?? "";
        fields.assertAllRead(`an upload of ${what}`);
        const file = secretFileOf(target);
        secrets.set(file.key, file);
        // Compose mounts file secrets read-only; their mode is the file's own (deploy.sh checks 0400).
        return { source: file.key, target };
    });
}

/** Container memory inputs (megabytes) as Compose's memory sizes. */
function memoryOf(top: Fields): Record<string, string | undefined> {
    const size = (key: string) => {
        const megabytes = asNumber(top.take(key));
        return megabytes === undefined ? undefined : memoryFromMegabytes(megabytes);
    };
    return { mem_limit: size("memory"), mem_reservation: size("memoryReservation"), memswap_limit: size("memorySwap"), shm_size: size("shmSize") };
}

/** Host devices as Compose's `host:container:permissions`. */
function devicesOf(devices: unknown): string[] {
    return asArray(devices).map((device) =>
        [propAt(device, "hostPath"), propAt(device, "containerPath") ?? propAt(device, "hostPath"), propAt(device, "permissions")].filter((p) => p !== undefined).map(String).join(":"));
}

function ulimitsOf(ulimits: unknown): Record<string, unknown> {
    return Object.fromEntries(asArray(ulimits).map((u) => [String(propAt(u, "name")), { soft: asNumber(propAt(u, "soft")), hard: asNumber(propAt(u, "hard")) }]));
}

function portsOf(ports: unknown): Record<string, unknown>[] {
    return asArray(ports).map((port) => compact({
        target: asNumber(propAt(port, "internal")),
        published: asNumber(propAt(port, "external")),
        host_ip: asString(propAt(port, "ip")),
        protocol: asString(propAt(port, "protocol")),
    }));
}

/**
 * mustRun and wait have no Compose form: `docker-compose up -d` starts the container, and deploy.sh
 * waits for it to turn healthy, within the planned waitTimeout.
 */
function waitTimeoutSecondsOf(top: Fields): number | undefined {
    top.skip("mustRun", "wait");
    return asNumber(top.take("waitTimeout"));
}

export function renderContainer(planned: Planned, context: RenderContext): RenderedContainer {
    const { captured } = planned;
    const what = captured.name;
    const top = new Fields(planned.props, "");
    const dockerName = asString(top.take("name")) ?? captured.name;
    const capabilities = top.object("capabilities");
    const networks = new Set<string>();
    const volumes = new Set<string>();
    const secrets = new Map<string, SecretFile>();
    const networkReference = (fields: Fields) => asString(fields.take("name")) ?? "";

    const definition = compact({
        container_name: dockerName,
        image: asString(top.take("image")),
        entrypoint: strings(top.take("entrypoints")),
        command: strings(top.take("command")),
        user: asString(top.take("user")),
        working_dir: asString(top.take("workingDir")),
        hostname: asString(top.take("hostname")),
        environment: environmentOf(top.take("envs")),
        labels: labelsMap(top.take("labels")),
        healthcheck: healthcheckOf(top.object("healthcheck")),
        cpus: asNumber(top.take("cpus")),
        ...memoryOf(top),
        privileged: top.take("privileged") === true ? true : undefined,
        devices: devicesOf(top.take("devices")),
        cap_add: strings(capabilities.take("adds")),
        cap_drop: strings(capabilities.take("drops")),
        ulimits: ulimitsOf(top.take("ulimits")),
        group_add: strings(top.take("groupAdds")),
        security_opt: strings(top.take("securityOpts")),
        read_only: top.take("readOnly") === true ? true : undefined,
        init: top.take("init") === true ? true : undefined,
        restart: restartOf(asString(top.take("restart")), asNumber(top.take("maxRetryCount"))),
        stop_grace_period: asNumber(top.take("stopTimeout")) === undefined ? undefined : `${String(top.take("stopTimeout"))}s`,
        stop_signal: asString(top.take("stopSignal")),
        volumes: mountsOf(top.take("mounts"), what, volumes),
        secrets: uploadsOf(top, what, secrets),
        networks: networksOf(top.take("networksAdvanced"), "networksAdvanced[]", what, context, networkReference, networks),
        ports: portsOf(top.take("ports")),
        logging: loggingOf(top.take("logDriver"), top.take("logOpts")),
    });
    const waitTimeoutSeconds = waitTimeoutSecondsOf(top);
    top.assertAllRead(captured.name);
    return { key: serviceKey(dockerName), dockerName, host: context.hostOf(captured), definition, networks, volumes, secrets, waitTimeoutSeconds };
}
