import { asArray, asNumber, asString, isRecord, propAt } from "../../policy/resource";
import { serviceKey, type Planned, type RenderContext, type RenderedWorkload } from "./context";
import { Fields } from "./fields";
import { secretFileOf, type SecretFile } from "./secrets";
import { compact, cpusFromNano, labelsMap, memoryFromBytes, stringMap, strings } from "./units";

// One docker.Service as a service of a Swarm stack file (`docker stack deploy -c`), field by field
// from its planned inputs. The provider's Service maps onto Compose as the docker CLI maps Compose
// onto a service: `commands` is the entrypoint and `args` the command; limits and reservations go
// under deploy.resources; the service's own labels under deploy.labels, the container's at the top.

export interface RenderedService extends RenderedWorkload {
    /** Secrets it refers to, with their planned names. */
    readonly secrets: ReadonlyMap<string, { readonly file: SecretFile; readonly plannedName: string }>;
    /** How long deploy.sh waits for it (the service's convergeConfig timeout). */
    readonly waitTimeout?: string;
    /** Docker configs it mounts, by their planned names. */
    readonly configs: ReadonlySet<string>;
}

function durationOf(fields: Fields, key: string): string | undefined {
    return asString(fields.take(key));
}

export function healthcheckOf(fields: Fields): Record<string, unknown> | undefined {
    const tests = asArray(fields.take("tests")).map(String);
    if (tests.length === 0) {
        return undefined;
    }
    return compact({
        test: tests,
        interval: durationOf(fields, "interval"),
        timeout: durationOf(fields, "timeout"),
        retries: asNumber(fields.take("retries")),
        start_period: durationOf(fields, "startPeriod"),
    });
}

function updateOf(fields: Fields): Record<string, unknown> {
    return compact({
        parallelism: asNumber(fields.take("parallelism")),
        delay: durationOf(fields, "delay"),
        failure_action: asString(fields.take("failureAction")),
        monitor: durationOf(fields, "monitor"),
        max_failure_ratio: asNumber(fields.take("maxFailureRatio")),
        order: asString(fields.take("order")),
    });
}

function amountsOf(fields: Fields): Record<string, unknown> {
    const nano = asNumber(fields.take("nanoCpus"));
    const bytes = asNumber(fields.take("memoryBytes"));
    return compact({ cpus: nano === undefined ? undefined : cpusFromNano(nano), memory: bytes === undefined ? undefined : memoryFromBytes(bytes) });
}

/** `kind=value` specs as Compose generic resources. */
function genericResourcesOf(fields: Fields): Record<string, unknown>[] {
    const spec = (text: unknown, type: "discrete_resource_spec" | "named_resource_spec") => {
        const [kind, value] = String(text).split("=", 2);
        return { [type]: { kind, value: type === "discrete_resource_spec" ? Number(value) : value } };
    };
    return [
        ...asArray(fields.take("discreteResourcesSpecs")).map((s) => spec(s, "discrete_resource_spec")),
        ...asArray(fields.take("namedResourcesSpecs")).map((s) => spec(s, "named_resource_spec")),
    ];
}

function resourcesOf(fields: Fields): Record<string, unknown> {
    const limits = amountsOf(fields.object("limits"));
    const reservationFields = fields.object("reservation");
    const reservations = { ...amountsOf(reservationFields) };
    const generic = genericResourcesOf(reservationFields.object("genericResources"));
    return compact({ limits, reservations: compact({ ...reservations, generic_resources: generic }) });
}

function mountOf(mount: unknown): Record<string, unknown> {
    const fields = new Fields(isRecord(mount) ? mount : {}, "mount");
    const rendered = compact({
        type: asString(fields.take("type")),
        source: asString(fields.take("source")),
        target: asString(fields.take("target")),
        read_only: fields.take("readOnly") === true ? true : undefined,
    });
    fields.assertAllRead("a mount");
    return rendered;
}

export function renderService(planned: Planned, context: RenderContext): RenderedService {
    const { captured } = planned;
    const top = new Fields(planned.props, "");
    const dockerName = asString(top.take("name")) ?? captured.name;
    const task = top.object("taskSpec");
    const container = task.object("containerSpec");
    const networks = new Set<string>();
    const volumes = new Set<string>();
    const secrets = new Map<string, { file: SecretFile; plannedName: string }>();

    const mounts = asArray(container.take("mounts")).map(mountOf);
    mounts.filter((m) => m.type === "volume" && typeof m.source === "string").forEach((m) => volumes.add(String(m.source)));

    const serviceSecrets = asArray(container.take("secrets")).map((secret) => {
        const fields = new Fields(isRecord(secret) ? secret : {}, "secret");
        fields.skip("secretId");
        const target = asString(fields.take("fileName")) ?? "";
        const file = secretFileOf(target);
        secrets.set(file.key, { file, plannedName: asString(fields.take("secretName")) ?? file.key });
        const mode = asNumber(fields.take("fileMode"));
        const rendered = compact({ source: file.key, target, uid: asString(fields.take("fileUid")), gid: asString(fields.take("fileGid")), mode });
        fields.assertAllRead(`a secret of ${captured.name}`);
        return rendered;
    });

    const configs = new Set<string>();
    const serviceConfigs = asArray(container.take("configs")).map((config) => {
        const fields = new Fields(isRecord(config) ? config : {}, "config");
        // The stack file names the config; Docker gives it its id.
        fields.skip("configId");
        const name = asString(fields.take("configName")) ?? "";
        configs.add(name);
        const rendered = compact({ source: name, target: asString(fields.take("fileName")), uid: asString(fields.take("fileUid")), gid: asString(fields.take("fileGid")), mode: asNumber(fields.take("fileMode")) });
        fields.assertAllRead(`a config of ${captured.name}`);
        return rendered;
    });

    const networkEntries: Record<string, unknown> = {};
    for (const network of asArray(task.take("networksAdvanceds"))) {
        const fields = new Fields(isRecord(network) ? network : {}, "networksAdvanceds[]");
        // `name` is the provider's deprecated spelling of `id`: either one names the network.
        const name = context.networkNames.get(asString(fields.take("id")) ?? "") ?? asString(fields.take("name")) ?? "";
        const aliases = asArray(fields.take("aliases")).map(String);
        fields.assertAllRead(`a network of ${captured.name}`);
        networks.add(name);
        networkEntries[name] = aliases.length > 0 ? { aliases } : null;
    }

    const restart = task.object("restartPolicy");
    const placement = task.object("placement");
    const logDriver = task.object("logDriver");
    const endpoint = top.object("endpointSpec");
    const mode = top.object("mode");
    const replicas = asNumber(mode.object("replicated").take("replicas"));
    const global = mode.take("global") === true;
    const converge = top.object("convergeConfig");
    // convergeConfig has no Compose form: it is `pulumi up` waiting for healthy tasks, which deploy.sh
    // does after each phase, with the same timeout.
    converge.skip("delay");
    const waitTimeout = asString(converge.take("timeout"));

    const definition = compact({
        image: asString(container.take("image")),
        entrypoint: strings(container.take("commands")),
        command: strings(container.take("args")),
        user: asString(container.take("user")),
        working_dir: asString(container.take("dir")),
        hostname: asString(container.take("hostname")),
        environment: stringMap(container.take("env")),
        labels: labelsMap(container.take("labels")),
        healthcheck: healthcheckOf(container.object("healthcheck")),
        cap_add: strings(container.take("capAdds")),
        cap_drop: strings(container.take("capDrops")),
        read_only: container.take("readOnly") === true ? true : undefined,
        init: container.take("init") === true ? true : undefined,
        stop_signal: asString(container.take("stopSignal")),
        stop_grace_period: asString(container.take("stopGracePeriod")),
        volumes: mounts,
        secrets: serviceSecrets,
        configs: serviceConfigs,
        networks: networkEntries,
        ports: asArray(endpoint.take("ports")).map((port) => {
            const fields = new Fields(isRecord(port) ? port : {}, "endpointSpec.ports[]");
            const rendered = compact({
                target: asNumber(fields.take("targetPort")),
                published: asNumber(fields.take("publishedPort")),
                protocol: asString(fields.take("protocol")),
                mode: asString(fields.take("publishMode")),
            });
            // A port's name is a label for humans that Compose has no field for; nothing depends on it.
            fields.skip("name");
            fields.assertAllRead(`a port of ${captured.name}`);
            return rendered;
        }),
        logging: compact({ driver: asString(logDriver.take("name")), options: stringMap(logDriver.take("options")) }),
        deploy: compact({
            mode: global ? "global" : "replicated",
            replicas: global ? undefined : replicas ?? 1,
            endpoint_mode: asString(endpoint.take("mode")),
            labels: labelsMap(top.take("labels")),
            resources: resourcesOf(task.object("resources")),
            restart_policy: compact({
                condition: asString(restart.take("condition")),
                delay: durationOf(restart, "delay"),
                max_attempts: asNumber(restart.take("maxAttempts")),
                window: durationOf(restart, "window"),
            }),
            placement: compact({
                constraints: strings(placement.take("constraints")),
                preferences: asArray(placement.take("prefs")).map((p) => ({ spread: String(propAt(p, "spread")) })),
                max_replicas_per_node: asNumber(placement.take("maxReplicas")),
            }),
            update_config: updateOf(top.object("updateConfig")),
            rollback_config: updateOf(top.object("rollbackConfig")),
        }),
    });
    top.assertAllRead(captured.name);
    return { key: serviceKey(dockerName), dockerName, host: context.hostOf(captured), definition, networks, volumes, secrets, waitTimeout, configs };
}
