import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type ConfigProblem } from "../../config/errors";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { CascadeModel } from "../../model/types";
import type { Sources } from "../../model/validate";
import { DNS_1035_LABEL, DNS_1123_LABEL, MAX_LABEL_LENGTH, namespaceName, publicServiceName, serviceName } from "./names";

// What the API server would reject in the names this stack derives, checked before anything is
// registered: a half-created namespace is worse than a clear message. Each check names the setting
// to change. Formats the schema can see alone (the prefix's characters) are checked by zod.

const KEY = "cascade:kubernetes";
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The only host device the configured device-plugin resource stands for. */
export const AUDIO_DEVICE = "/dev/snd";

/** Problems with this stack's Kubernetes settings read against its model. */
export function kubernetesProblems(model: CascadeModel, settings: KubernetesSettings, sources: Sources): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const problem = (path: string, message: string, fix: string) =>
        problems.push({ file: path.startsWith("groups[") ? sources.topologyFile : sources.stackFile, path, message, fix });

    for (const group of model.groups) {
        const namespace = namespaceName(settings.namespacePrefix, group);
        if (namespace.length > MAX_LABEL_LENGTH || !DNS_1123_LABEL.test(namespace)) {
            problem(`${KEY}.namespacePrefix`, `namespace "${namespace}" for ${group.name} is not a DNS-1123 label of at most ${MAX_LABEL_LENGTH} characters`,
                `use a prefix of at most ${MAX_LABEL_LENGTH - 1 - group.shortName.length} lower-case letters, digits and '-'`);
        }
        for (const agent of group.agents) {
            const name = agent.published ? publicServiceName(agent) : serviceName(agent);
            if (name.length > MAX_LABEL_LENGTH || !DNS_1035_LABEL.test(name)) {
                problem(`groups[${group.name}].agents[${agent.name}].name`, `Service name "${name}" is longer than ${MAX_LABEL_LENGTH} characters`,
                    "shorten the agent's name in the topology");
            }
        }
        for (const device of group.devices.filter((d) => d !== AUDIO_DEVICE)) {
            problem(`groups[${group.name}].devices`, `${device} has no device-plugin resource on Kubernetes (only ${AUDIO_DEVICE}, as ${KEY}.audioDeviceResource)`,
                `remove ${device}, or deploy ${group.name} with cascade:platform swarm`);
        }
    }
    const volumes = new Set(model.volumes.map((v) => v.key));
    for (const key of Object.keys(settings.volumeSizes).filter((k) => !volumes.has(k))) {
        problem(`${KEY}.volumeSizes.${key}`, `no group of ${model.machine.name} mounts a volume "${key}"`,
            `remove it, or use one of: ${[...volumes].join(", ")}`);
    }
    if (!isExtendedResourceName(settings.audioDeviceResource)) {
        problem(`${KEY}.audioDeviceResource`, `"${settings.audioDeviceResource}" is not an extended resource name`,
            "write it as <domain>/<name>, the name your device plugin advertises, e.g. squat.ai/audio");
    }
    for (const [key, value] of [["gpuRuntimeClassName", settings.gpuRuntimeClassName], ["storageClassName", settings.storageClassName]] as const) {
        if (value !== undefined && (value.length > 253 || !DNS_1123_SUBDOMAIN.test(value))) {
            problem(`${KEY}.${key}`, `"${value}" is not a Kubernetes object name`, "use the name `kubectl get runtimeclass,storageclass` shows");
        }
    }
    for (const [key, value] of Object.entries(settings.nodeSelector ?? {})) {
        if (key.slice(key.lastIndexOf("/") + 1).length > MAX_LABEL_LENGTH || value.length > MAX_LABEL_LENGTH) {
            problem(`${KEY}.nodeSelector.${key}`, `label names and values have at most ${MAX_LABEL_LENGTH} characters`, "use the node's label as `kubectl get nodes --show-labels` shows it");
        }
    }
    return problems;
}

/** `<domain>/<name>` outside kubernetes.io, as the API server requires of extended resources. */
function isExtendedResourceName(name: string): boolean {
    const [domain, resource, ...rest] = name.split("/");
    return rest.length === 0 && resource !== undefined && DNS_1123_SUBDOMAIN.test(domain) && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(resource)
        && !domain.endsWith("kubernetes.io");
}

/** Stops the program, before anything is registered, with every problem found. */
export function assertKubernetesSettings(model: CascadeModel, settings: KubernetesSettings, sources: Sources): void {
    const problems = kubernetesProblems(model, settings, sources);
    if (problems.length > 0) {
        // RunError ends the program with this message alone, as readStackInput does for config errors.
        throw new pulumi.RunError(new ConfigError(problems).message);
    }
}
