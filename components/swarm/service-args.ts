import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { convergeWithRollbackSeconds } from "../../model/converge";
import { nanoCpus } from "../../config/units";
import type { HealthModel, LoggingModel, MountModel, ResourceAmounts, Resources, RestartPolicyModel, UpdatePolicyModel } from "../../model/types";
import { dockerLabels } from "../labels";
import { failureRatio, serviceDuration } from "./read-back";
import type { SecretReference } from "./secrets";
import { healthcheckArgs, LOG_DRIVER, logOptions, networkAttachments, volumeMountArgs } from "./workload-args";

// Mappings from the model to the Docker provider's Service inputs. Every value is written in the form
// the provider reads it back in (read-back.ts), and units are the provider's: bytes and nano-CPUs.

/**
 * Resource options of every Cascade service. The name is fixed, so a replacement must remove the old
 * service first. Docker's client fills `taskSpec.placement.platforms` from the image's registry
 * manifest when the service is created (ServiceCreate with QueryRegistry, which the provider sets), and
 * the provider reads them back into a field that is not Computed: the program cannot know them
 * offline, and without ignoring them every later preview would show an update that removes them.
 */
export const SERVICE_OPTIONS = { deleteBeforeReplace: true, ignoreChanges: ["taskSpec.placement.platforms"] } as const;

/**
 * How long `pulumi up` waits for a service's tasks to be running and healthy before moving on: long
 * enough for a rolling update of every task and, when it fails, Swarm's rollback of each
 * (model/converge.ts), so that a failed update ends with the provider's "service rollback completed:
 * <Swarm's reason>" rather than a timeout while Swarm is still at work.
 */
export function convergeArgs(spec: Pick<ServiceSpec, "replicas" | "health" | "updatePolicy">): docker.types.input.ServiceConvergeConfig {
    return { delay: serviceDuration(5), timeout: serviceDuration(convergeWithRollbackSeconds(spec.health, spec.replicas, spec.updatePolicy)) };
}

export function restartPolicyArgs(policy: RestartPolicyModel): docker.types.input.ServiceTaskSpecRestartPolicy {
    // delay and window are always explicit: the provider diffs them forever otherwise (pulumi-docker#1285).
    return {
        condition: policy.condition,
        delay: serviceDuration(policy.delaySeconds),
        maxAttempts: policy.maxAttempts,
        window: serviceDuration(policy.windowSeconds),
    };
}

/** The update config, and the rollback config that undoes a failed update the same careful way. */
export function updateArgs(policy: UpdatePolicyModel): { update: docker.types.input.ServiceUpdateConfig; rollback: docker.types.input.ServiceRollbackConfig } {
    const common = {
        parallelism: policy.parallelism,
        delay: serviceDuration(policy.delaySeconds),
        monitor: serviceDuration(policy.monitorSeconds),
        maxFailureRatio: failureRatio(policy.maxFailureRatio),
        order: policy.order,
    };
    // A rollback that fails again pauses for an operator rather than rolling back the rollback.
    return { update: { ...common, failureAction: policy.failureAction }, rollback: { ...common, failureAction: "pause" } };
}

export function resourcesArgs(
    limits: ResourceAmounts,
    reservations: ResourceAmounts,
    gpus: number,
    gpuKind: string,
): docker.types.input.ServiceTaskSpecResources {
    return {
        limits: { nanoCpus: nanoCpus(limits.cpus), memoryBytes: limits.memoryBytes },
        reservation: {
            nanoCpus: nanoCpus(reservations.cpus),
            memoryBytes: reservations.memoryBytes,
            // S2: the node advertises `<kind>=GPU-<uuid>`; the service reserves a count of that kind.
            ...(gpus > 0 ? { genericResources: { discreteResourcesSpecs: [`${gpuKind}=${gpus}`] } } : {}),
        },
    };
}

/** Secret files readable by root only. */
export function secretArgs(references: readonly SecretReference[]): docker.types.input.ServiceTaskSpecContainerSpecSecret[] {
    return references.map((r) => ({
        secretId: r.id,
        secretName: r.name,
        fileName: r.file.target,
        fileUid: "0",
        fileGid: "0",
        fileMode: 0o400,
    }));
}

/** A Docker config as services reference it. */
export interface ConfigReference {
    readonly id: pulumi.Input<string>;
    readonly name: pulumi.Input<string>;
    /** Absolute path in the container. */
    readonly target: string;
}

/** Config files readable by every user: the monitoring images run as their own non-root users. */
export function configArgs(references: readonly ConfigReference[]): docker.types.input.ServiceTaskSpecContainerSpecConfig[] {
    return references.map((r) => ({ configId: r.id, configName: r.name, fileName: r.target, fileUid: "0", fileGid: "0", fileMode: 0o444 }));
}

/** A service names a network by its id (the provider's `name` is deprecated and replaces the service). */
export function networkArgs(
    internalId: pulumi.Input<string>,
    aliases: readonly string[],
    externalId: pulumi.Input<string> | undefined,
): docker.types.input.ServiceTaskSpecNetworksAdvanced[] {
    return networkAttachments(internalId, aliases, externalId).map(({ network, aliases: names }) => ({ id: network, ...(names ? { aliases: names } : {}) }));
}

/** Everything that differs between two Cascade services (a group's, or Redis's). */
export interface ServiceSpec {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly replicas: number;
    readonly image: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly commands?: readonly string[];
    /** Arguments to the image's entrypoint. */
    readonly args?: readonly string[];
    /** Docker configs mounted as read-only files (the monitoring services' configuration). */
    readonly configs?: readonly ConfigReference[];
    /** Host directories mounted read-only (the node exporter's /proc and /sys). */
    readonly hostMounts?: readonly { readonly source: string; readonly target: string }[];
    readonly health: HealthModel;
    readonly mounts: readonly MountModel[];
    readonly secrets: readonly SecretReference[];
    readonly capabilities: readonly string[];
    readonly resources: Resources;
    readonly gpuKind: string;
    readonly restartPolicy: RestartPolicyModel;
    readonly updatePolicy: UpdatePolicyModel;
    readonly placement: readonly string[];
    readonly internalNetworkId: pulumi.Input<string>;
    readonly aliases: readonly string[];
    /** Set when the service also joins the external network. */
    readonly externalNetworkId?: pulumi.Input<string>;
    readonly publishedPorts: readonly number[];
    readonly endpointMode: "vip" | "dnsrr";
    readonly logging: LoggingModel;
}

/** The provider inputs of a Cascade Swarm service. */
export function serviceArgs(spec: ServiceSpec): docker.ServiceArgs {
    const { update, rollback } = updateArgs(spec.updatePolicy);
    const labels = dockerLabels(spec.labels);
    return {
        name: spec.name,
        labels,
        mode: { replicated: { replicas: spec.replicas } },
        taskSpec: {
            containerSpec: {
                image: spec.image,
                ...(spec.commands ? { commands: [...spec.commands] } : {}),
                ...(spec.args && spec.args.length > 0 ? { args: [...spec.args] } : {}),
                ...(spec.env ? { env: { ...spec.env } } : {}),
                labels,
                healthcheck: healthcheckArgs(spec.health, serviceDuration),
                mounts: [...volumeMountArgs(spec.mounts), ...(spec.hostMounts ?? []).map((m) => ({ type: "bind", source: m.source, target: m.target, readOnly: true }))],
                secrets: secretArgs(spec.secrets),
                ...(spec.configs && spec.configs.length > 0 ? { configs: configArgs(spec.configs) } : {}),
                // Least privilege: nothing but what the service declares.
                capDrops: ["ALL"],
                capAdds: [...spec.capabilities],
                stopGracePeriod: serviceDuration(30),
            },
            resources: resourcesArgs(spec.resources.limits, spec.resources.reservations, spec.resources.gpus, spec.gpuKind),
            restartPolicy: restartPolicyArgs(spec.restartPolicy),
            placement: { constraints: [...spec.placement] },
            networksAdvanceds: networkArgs(spec.internalNetworkId, spec.aliases, spec.externalNetworkId),
            logDriver: { name: LOG_DRIVER, options: logOptions(spec.logging) },
        },
        updateConfig: update,
        rollbackConfig: rollback,
        endpointSpec: {
            mode: spec.endpointMode,
            // Only the declared ports are published; health ports never are. The routing mesh needs a
            // virtual IP, so with dnsrr each task publishes on its own node.
            ports: spec.publishedPorts.map((port) => ({
                targetPort: port,
                publishedPort: port,
                protocol: "tcp",
                publishMode: spec.endpointMode === "vip" ? "ingress" : "host",
            })),
        },
        // `pulumi up` returns only when every task is running, and a task with a healthcheck runs only
        // once it is healthy: this is what gates the next phase.
        convergeConfig: convergeArgs(spec),
    };
}
