import { DOCKER_TYPES } from "../resource-types";
import {
    capabilityReadBack,
    containerCpusReadBack,
    durationString,
    failureRatioReadBack,
    shortDur,
} from "./read-back";

// Every input this program sets on a Docker resource, with the provider function that reads it back
// (terraform-provider-docker v4.5.0, internal/provider/) and the form it reads back in. The test
// tests/provider-read-back.test.ts checks every resource of both stacks against this table, and fails
// on an input the table does not know: a new field needs its read-back checked before it ships.
//
// Paths are Pulumi input names: `a.b` nests, `[]` is any element of a list, `*` any key of a map.

export interface ReadBackField {
    readonly type: string;
    readonly path: string;
    /** The upstream file and function whose result the provider stores for this field. */
    readonly upstream: string;
    /** The value Read stores for a value sent; undefined: stored as sent (or not read back at all). */
    readonly readBack?: (sent: string) => string;
    /** A difference replaces the resource (the schema's ForceNew), so a wrong form is a replacement. */
    readonly forceNew?: boolean;
}

/** An input the program leaves unset, but that Read fills in from the engine; not Computed in the schema. */
export interface FilledByEngine {
    readonly type: string;
    readonly path: string;
    readonly upstream: string;
    /** Why the engine fills it in. */
    readonly why: string;
    /** "set": the program must write it; "ignore": the program cannot predict it and lists it in ignoreChanges. */
    readonly remedy: "set" | "ignore";
}


const SVC = "resource_docker_service_structures.go";
const SVC_READ = "resource_docker_service_funcs.go resourceDockerServiceReadRefreshFunc";
const CTR_READ = "resource_docker_container_funcs.go resourceDockerContainerRead";
const NET_READ = "resource_docker_network_funcs.go resourceDockerNetworkReadRefreshFunc";
const VOL_READ = "resource_docker_volume.go resourceDockerVolumeRead";
const SECRET_READ = "resource_docker_secret.go resourceDockerSecretRead (sets only the name)";
const CONFIG_ONLY = "not read back: the state keeps the value sent";

function fields(type: string, upstream: string, paths: readonly string[], rest: Partial<ReadBackField> = {}): ReadBackField[] {
    return paths.map((path) => ({ type, path, upstream, ...rest }));
}

const { provider, service, container, network, volume, secret } = DOCKER_TYPES;

/** The resource types this table covers (the monitoring services' Docker configs are not in it yet). */
export const READ_BACK_TYPES: readonly string[] = [provider, service, container, network, volume, secret];

export const READ_BACK_FIELDS: readonly ReadBackField[] = [
    ...fields(provider, "provider inputs are diffed against the previous inputs, not read back", ["host"]),

    // docker_service
    ...fields(service, SVC_READ, ["name"], { forceNew: true }),
    ...fields(service, `${SVC_READ} (mapToLabelSet)`, ["labels[].label", "labels[].value"]),
    ...fields(service, `${SVC} flattenReplicated`, ["mode.replicated.replicas"]),
    ...fields(service, `${SVC} flattenContainerSpec`, [
        "taskSpec.containerSpec.image",
        "taskSpec.containerSpec.commands[]",
        "taskSpec.containerSpec.args[]",
        "taskSpec.containerSpec.capAdds[]",
        "taskSpec.containerSpec.capDrops[]",
        "taskSpec.containerSpec.labels[].label",
        "taskSpec.containerSpec.labels[].value",
    ]),
    ...fields(service, `${SVC} flattenContainerSpec (mapStringSliceToMap)`, ["taskSpec.containerSpec.env.*"]),
    ...fields(service, `${SVC} flattenContainerSpec -> shortDur`, ["taskSpec.containerSpec.stopGracePeriod"], { readBack: shortDur }),
    ...fields(service, `${SVC} flattenServiceHealthcheck`, ["taskSpec.containerSpec.healthcheck.tests[]", "taskSpec.containerSpec.healthcheck.retries"]),
    ...fields(service, `${SVC} flattenServiceHealthcheck -> shortDur`, [
        "taskSpec.containerSpec.healthcheck.interval",
        "taskSpec.containerSpec.healthcheck.timeout",
        "taskSpec.containerSpec.healthcheck.startPeriod",
    ], { readBack: shortDur }),
    ...fields(service, `${SVC} flattenServiceMounts`, [
        "taskSpec.containerSpec.mounts[].type",
        "taskSpec.containerSpec.mounts[].source",
        "taskSpec.containerSpec.mounts[].target",
        "taskSpec.containerSpec.mounts[].readOnly",
    ]),
    ...fields(service, `${SVC} flattenServiceSecrets (file_mode as int(v.File.Mode))`, [
        "taskSpec.containerSpec.secrets[].secretId",
        "taskSpec.containerSpec.secrets[].secretName",
        "taskSpec.containerSpec.secrets[].fileName",
        "taskSpec.containerSpec.secrets[].fileUid",
        "taskSpec.containerSpec.secrets[].fileGid",
        "taskSpec.containerSpec.secrets[].fileMode",
    ]),
    ...fields(service, `${SVC} flattenServiceConfigs (file_mode as int(v.File.Mode))`, [
        "taskSpec.containerSpec.configs[].configId",
        "taskSpec.containerSpec.configs[].configName",
        "taskSpec.containerSpec.configs[].fileName",
        "taskSpec.containerSpec.configs[].fileUid",
        "taskSpec.containerSpec.configs[].fileGid",
        "taskSpec.containerSpec.configs[].fileMode",
    ]),
    ...fields(service, `${SVC} flattenResourceLimits / flattenResourceReservations / flattenResourceGenericResource`, [
        "taskSpec.resources.limits.nanoCpus",
        "taskSpec.resources.limits.memoryBytes",
        "taskSpec.resources.reservation.nanoCpus",
        "taskSpec.resources.reservation.memoryBytes",
        "taskSpec.resources.reservation.genericResources.discreteResourcesSpecs[]",
    ]),
    ...fields(service, `${SVC} flattenTaskRestartPolicy`, ["taskSpec.restartPolicy.condition", "taskSpec.restartPolicy.maxAttempts"]),
    ...fields(service, `${SVC} flattenTaskRestartPolicy -> shortDur`, ["taskSpec.restartPolicy.delay", "taskSpec.restartPolicy.window"], { readBack: shortDur }),
    ...fields(service, `${SVC} flattenTaskPlacement`, ["taskSpec.placement.constraints[]"]),
    ...fields(service, `${SVC} flattenTaskNetworksAdvanced`, ["taskSpec.networksAdvanceds[].id", "taskSpec.networksAdvanceds[].aliases[]"], { forceNew: true }),
    ...fields(service, `${SVC} flattenTaskLogDriver`, ["taskSpec.logDriver.name", "taskSpec.logDriver.options.*"]),
    ...["updateConfig", "rollbackConfig"].flatMap((config) => [
        ...fields(service, `${SVC} flattenServiceUpdateOrRollbackConfig`, [`${config}.parallelism`, `${config}.failureAction`, `${config}.order`]),
        ...fields(service, `${SVC} flattenServiceUpdateOrRollbackConfig -> shortDur`, [`${config}.delay`, `${config}.monitor`], { readBack: shortDur }),
        ...fields(service, `${SVC} flattenServiceUpdateOrRollbackConfig -> strconv.FormatFloat(float32, 'f', 1)`, [`${config}.maxFailureRatio`], { readBack: failureRatioReadBack }),
    ]),
    ...fields(service, `${SVC} flattenServiceEndpoint (the engine's Endpoint, or flattenServiceEndpointSpec)`, [
        "endpointSpec.mode",
        "endpointSpec.ports[].protocol",
        "endpointSpec.ports[].targetPort",
        "endpointSpec.ports[].publishedPort",
        "endpointSpec.ports[].publishMode",
    ]),
    // converge_config only steers the create/update wait; Read never sets it.
    ...fields(service, `converge_config: ${CONFIG_ONLY}`, ["convergeConfig.delay", "convergeConfig.timeout"]),

    // docker_container (almost every field is ForceNew: a wrong form replaces the container)
    ...fields(container, CTR_READ, ["name", "image", "logDriver", "groupAdds[]", "securityOpts[]"], { forceNew: true }),
    ...fields(container, CTR_READ, ["restart"]),
    ...fields(container, `${CTR_READ} (MemorySwap/1024/1024; memory and swap are updated in place)`, ["memory", "memoryReservation", "memorySwap"]),
    ...fields(container, `${CTR_READ} -> nanoInt64ToDecimalString (helpers.go)`, ["cpus"], { readBack: containerCpusReadBack, forceNew: true }),
    ...fields(container, `${CTR_READ} (HostConfig.CapAdd/CapDrop as the engine reports them)`, ["capabilities.adds[]", "capabilities.drops[]"], { readBack: capabilityReadBack, forceNew: true }),
    ...fields(container, `${CTR_READ} (Healthcheck.*.String())`, ["healthcheck.interval", "healthcheck.timeout", "healthcheck.startPeriod"], { readBack: durationString }),
    ...fields(container, CTR_READ, ["healthcheck.tests[]", "healthcheck.retries"]),
    ...fields(container, `${CTR_READ} (containerLogOptsForState: as the engine reports them, once set)`, ["logOpts.*"], { forceNew: true }),
    ...fields(container, "resource_docker_container_structures.go getDockerContainerMounts", ["mounts[].type", "mounts[].source", "mounts[].target", "mounts[].readOnly"], { forceNew: true }),
    ...fields(container, "resource_docker_container_structures.go flattenDevices", ["devices[].hostPath", "devices[].containerPath", "devices[].permissions"], { forceNew: true }),
    ...fields(container, "resource_docker_container_structures.go flattenUlimits", ["ulimits[].name", "ulimits[].soft", "ulimits[].hard"], { forceNew: true }),
    // Environment and labels are deliberately not read back (terraform-provider-docker#242, #269).
    ...fields(container, `envs, labels: ${CONFIG_ONLY}`, ["envs[]", "labels[].label", "labels[].value"], { forceNew: true }),
    // networks_advanced is read only on import, when the state holds none.
    ...fields(container, `networks_advanced: ${CONFIG_ONLY}`, ["networksAdvanced[].name", "networksAdvanced[].aliases[]"], { forceNew: true }),
    ...fields(container, `uploads, must_run, wait, wait_timeout: ${CONFIG_ONLY}`, [
        "uploads[].file",
        "uploads[].content",
        "uploads[].permissions",
        "mustRun",
        "wait",
        "waitTimeout",
    ]),

    // docker_network (every field is ForceNew)
    ...fields(network, NET_READ, ["name", "driver", "attachable", "internal", "labels[].label", "labels[].value"], { forceNew: true }),
    ...fields(network, "resource_docker_network_structures.go flattenIpamConfigSpec", ["ipamConfigs[].subnet", "ipamConfigs[].gateway"], { forceNew: true }),

    // docker_volume
    ...fields(volume, VOL_READ, ["name", "driver", "labels[].label", "labels[].value"], { forceNew: true }),

    // docker_secret
    ...fields(secret, SECRET_READ, ["name"], { forceNew: true }),
    ...fields(secret, `data, labels: ${CONFIG_ONLY}`, ["data", "labels[].label", "labels[].value"], { forceNew: true }),
];

/** Inputs the program leaves unset whose Read value would otherwise differ from "unset" on every preview. */
export const FILLED_BY_ENGINE: readonly FilledByEngine[] = [
    {
        type: container,
        path: "memorySwap",
        upstream: `${CTR_READ} (memory_swap: Optional, not Computed)`,
        why: "with a memory limit and no swap limit the engine sets MemorySwap to twice the memory (seen on Docker 20.10)",
        remedy: "set",
    },
    {
        type: service,
        path: "taskSpec.placement.platforms",
        upstream: `${SVC} flattenPlacementPlatforms (platforms: Optional, not Computed)`,
        why: "the create asks the registry (QueryRegistry) and Docker's client writes the image's platforms into the placement",
        remedy: "ignore",
    },
];
