import { asArray, asNumber, asString, isRecord, propAt } from "../../lib/unknown";
import { serviceKey, type Planned, type RenderContext, type RenderedWorkload } from "./context";
import { Fields } from "./fields";
import { secretFileOf, type SecretFile } from "./secrets";
import { compact, cpusFromNano, labelsMap, memoryFromBytes, stringMap, strings } from "./units";
import { durationOf, healthcheckOf, loggingOf, mountsOf, networksOf } from "./workload";

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

type ServiceSecrets = Map<string, { file: SecretFile; plannedName: string }>;

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

/** Secret files as the stack file's secrets; each is recorded in `secrets` under its file key. */
function secretsOf(container: Fields, what: string, secrets: ServiceSecrets): Record<string, unknown>[] {
    return asArray(container.take("secrets")).map((secret) => {
        const fields = new Fields(isRecord(secret) ? secret : {}, "secret");
        fields.skip("secretId");
        const target = asString(fields.take("fileName")) ?? "";
        const file = secretFileOf(target);
        secrets.set(file.key, { file, plannedName: asString(fields.take("secretName")) ?? file.key });
        const mode = asNumber(fields.take("fileMode"));
        const rendered = compact({ source: file.key, target, uid: asString(fields.take("fileUid")), gid: asString(fields.take("fileGid")), mode });
        fields.assertAllRead(`a secret of ${what}`);
        return rendered;
    });
}

/** Docker configs as the stack file's configs, by their planned names (also added to `configs`). */
function configsOf(container: Fields, what: string, configs: Set<string>): Record<string, unknown>[] {
    return asArray(container.take("configs")).map((config) => {
        const fields = new Fields(isRecord(config) ? config : {}, "config");
        // The stack file names the config; Docker gives it its id.
        fields.skip("configId");
        const name = asString(fields.take("configName")) ?? "";
        configs.add(name);
        const rendered = compact({ source: name, target: asString(fields.take("fileName")), uid: asString(fields.take("fileUid")), gid: asString(fields.take("fileGid")), mode: asNumber(fields.take("fileMode")) });
        fields.assertAllRead(`a config of ${what}`);
        return rendered;
    });
}

function portsOf(endpoint: Fields, what: string): Record<string, unknown>[] {
    return asArray(endpoint.take("ports")).map((port) => {
        const fields = new Fields(isRecord(port) ? port : {}, "endpointSpec.ports[]");
        const rendered = compact({
            target: asNumber(fields.take("targetPort")),
            published: asNumber(fields.take("publishedPort")),
            protocol: asString(fields.take("protocol")),
            mode: asString(fields.take("publishMode")),
        });
        // A port's name is a label for humans that Compose has no field for; nothing depends on it.
        fields.skip("name");
        fields.assertAllRead(`a port of ${what}`);
        return rendered;
    });
}

/** Replicas, endpoint mode, the service's labels, resources, restart, placement, update and rollback. */
function deployOf(top: Fields, task: Fields, endpoint: Fields): Record<string, unknown> {
    const restart = task.object("restartPolicy");
    const placement = task.object("placement");
    const mode = top.object("mode");
    const replicas = asNumber(mode.object("replicated").take("replicas"));
    const global = mode.take("global") === true;
    return compact({
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
    });
}

/**
 * convergeConfig has no Compose form: it is `pulumi up` waiting for healthy tasks, which deploy.sh
 * does after each phase, with the same timeout.
 */
function waitTimeoutOf(top: Fields): string | undefined {
    const converge = top.object("convergeConfig");
    converge.skip("delay");
    return asString(converge.take("timeout"));
}

export function renderService(planned: Planned, context: RenderContext): RenderedService {
    const { captured } = planned;
    const what = captured.name;
    const top = new Fields(planned.props, "");
    const dockerName = asString(top.take("name")) ?? captured.name;
    const task = top.object("taskSpec");
    const container = task.object("containerSpec");
    const endpoint = top.object("endpointSpec");
    const logDriver = task.object("logDriver");
    const networks = new Set<string>();
    const volumes = new Set<string>();
    const secrets: ServiceSecrets = new Map();
    const configs = new Set<string>();
    // `name` is the provider's deprecated spelling of `id`: either one names the network.
    const networkReference = (fields: Fields) => asString(fields.take("id")) ?? asString(fields.take("name")) ?? "";

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
        volumes: mountsOf(container.take("mounts"), what, volumes),
        secrets: secretsOf(container, what, secrets),
        configs: configsOf(container, what, configs),
        networks: networksOf(task.take("networksAdvanceds"), "networksAdvanceds[]", what, context, networkReference, networks),
        ports: portsOf(endpoint, what),
        logging: loggingOf(logDriver.take("name"), logDriver.take("options")),
        deploy: deployOf(top, task, endpoint),
    });
    const waitTimeout = waitTimeoutOf(top);
    top.assertAllRead(captured.name);
    return { key: serviceKey(dockerName), dockerName, host: context.hostOf(captured), definition, networks, volumes, secrets, waitTimeout, configs };
}
