import { asArray, asNumber, asString, isRecord, propAt } from "../../policy/resource";
import { serviceKey, type Planned, type RenderContext, type RenderedWorkload } from "./context";
import { Fields } from "./fields";
import { secretFileOf, type SecretFile } from "./secrets";
import { healthcheckOf } from "./service";
import { compact, labelsMap, memoryFromMegabytes, stringMap, strings } from "./units";

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

export function renderContainer(planned: Planned, context: RenderContext): RenderedContainer {
    const { captured } = planned;
    const top = new Fields(planned.props, "");
    const dockerName = asString(top.take("name")) ?? captured.name;
    const networks = new Set<string>();
    const volumes = new Set<string>();
    const secrets = new Map<string, SecretFile>();

    const mounts = asArray(top.take("mounts")).map((mount) => {
        const fields = new Fields(isRecord(mount) ? mount : {}, "mounts[]");
        const rendered = compact({
            type: asString(fields.take("type")),
            source: asString(fields.take("source")),
            target: asString(fields.take("target")),
            read_only: fields.take("readOnly") === true ? true : undefined,
        });
        fields.assertAllRead(`a mount of ${captured.name}`);
        if (rendered.type === "volume" && rendered.source !== undefined) {
            volumes.add(rendered.source);
        }
        return rendered;
    });

    // The uploaded secret files: their content is a masked secret; only the paths are rendered.
    const uploads = asArray(top.take("uploads")).map((upload) => {
        const fields = new Fields(isRecord(upload) ? upload : {}, "uploads[]");
        fields.skip("content", "contentBase64", "permissions");
        const target = asString(fields.take("file")) ?? "";
        fields.assertAllRead(`an upload of ${captured.name}`);
        const file = secretFileOf(target);
        secrets.set(file.key, file);
        // Compose mounts file secrets read-only; their mode is the file's own (deploy.sh checks 0400).
        return { source: file.key, target };
    });

    const networkEntries: Record<string, unknown> = {};
    for (const network of asArray(top.take("networksAdvanced"))) {
        const fields = new Fields(isRecord(network) ? network : {}, "networksAdvanced[]");
        const name = context.networkNames.get(asString(fields.take("name")) ?? "") ?? String(propAt(network, "name"));
        const aliases = strings(fields.take("aliases"));
        fields.assertAllRead(`a network of ${captured.name}`);
        networks.add(name);
        networkEntries[name] = aliases ? { aliases } : null;
    }

    const memory = asNumber(top.take("memory"));
    const reservation = asNumber(top.take("memoryReservation"));
    const swap = asNumber(top.take("memorySwap"));
    const shm = asNumber(top.take("shmSize"));
    const cpus = asNumber(top.take("cpus"));
    const capabilities = top.object("capabilities");
    // mustRun and wait have no Compose form: `docker-compose up -d` starts the container, and deploy.sh
    // waits for it to turn healthy, within the planned waitTimeout.
    top.skip("mustRun", "wait");
    const waitTimeoutSeconds = asNumber(top.take("waitTimeout"));

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
        cpus,
        mem_limit: memory === undefined ? undefined : memoryFromMegabytes(memory),
        mem_reservation: reservation === undefined ? undefined : memoryFromMegabytes(reservation),
        memswap_limit: swap === undefined ? undefined : memoryFromMegabytes(swap),
        shm_size: shm === undefined ? undefined : memoryFromMegabytes(shm),
        privileged: top.take("privileged") === true ? true : undefined,
        devices: asArray(top.take("devices")).map((device) =>
            [propAt(device, "hostPath"), propAt(device, "containerPath") ?? propAt(device, "hostPath"), propAt(device, "permissions")].filter((p) => p !== undefined).map(String).join(":")),
        cap_add: strings(capabilities.take("adds")),
        cap_drop: strings(capabilities.take("drops")),
        ulimits: Object.fromEntries(asArray(top.take("ulimits")).map((u) => [String(propAt(u, "name")), { soft: asNumber(propAt(u, "soft")), hard: asNumber(propAt(u, "hard")) }])),
        group_add: strings(top.take("groupAdds")),
        security_opt: strings(top.take("securityOpts")),
        read_only: top.take("readOnly") === true ? true : undefined,
        init: top.take("init") === true ? true : undefined,
        restart: restartOf(asString(top.take("restart")), asNumber(top.take("maxRetryCount"))),
        stop_grace_period: asNumber(top.take("stopTimeout")) === undefined ? undefined : `${String(top.take("stopTimeout"))}s`,
        stop_signal: asString(top.take("stopSignal")),
        volumes: mounts,
        secrets: uploads,
        networks: networkEntries,
        ports: asArray(top.take("ports")).map((port) => compact({
            target: asNumber(propAt(port, "internal")),
            published: asNumber(propAt(port, "external")),
            host_ip: asString(propAt(port, "ip")),
            protocol: asString(propAt(port, "protocol")),
        })),
        logging: compact({ driver: asString(top.take("logDriver")), options: stringMap(top.take("logOpts")) }),
    });
    top.assertAllRead(captured.name);
    return { key: serviceKey(dockerName), dockerName, host: context.hostOf(captured), definition, networks, volumes, secrets, waitTimeoutSeconds };
}
