import { chooseFrom, type ConfigProblem } from "../config/errors";
import type { StackConfig } from "../config/schema/stack";
import type { Topology } from "../config/schema/topology";
import { DNS_1035_LABEL, DNS_1123_LABEL, MAX_LABEL_LENGTH, monitoringNamespaceName, namespaceName, publicServiceName, serviceName } from "./kubernetes-names";
import type { CascadeModel } from "./types";
import { contentHash, contentName, secretPrefix } from "./docker-names";
import type { Sources } from "../config/validate";

// Rules that need the derived model: the names this stack's objects would carry on its platform and
// the platform's own limits. They run in the same validation layer as every other rule, before any
// resource is registered, and report in the same format: a half-created namespace is worse than a
// clear message.

/** The only host device the Kubernetes audio device-plugin resource stands for. */
export const AUDIO_DEVICE = "/dev/snd";

const KEY = "cascade:kubernetes";

export function platformProblems(topology: Topology, model: CascadeModel, stack: StackConfig, sources: Sources): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const problem = (path: string, message: string, fix: string) =>
        problems.push({ file: path.startsWith("groups[") ? sources.topologyFile : sources.stackFile, path, message, fix });

    // Two certificate files whose names differ only in characters a secret key cannot hold would share one secret.
    const byKey = new Map<string, string>();
    for (const file of model.secretFiles.filter((f) => f.entry !== undefined)) {
        const other = byKey.get(file.key);
        if (other !== undefined) {
            problem(`cascade:zmqCertificates.${file.entry ?? ""}`, `"${file.entry ?? ""}" and "${other}" both become the secret ${file.key}`,
                "rename one of them: names that differ only in case or in characters other than letters, digits and '-' collide");
        }
        byKey.set(file.key, file.entry ?? "");
    }
    if (model.platform !== "kubernetes") {
        // Swarm secret names hold at most 64 characters (swarmkit controlapi validateConfigOrSecretAnnotations);
        // components/swarm/secrets.ts names each `cascade-<machine>-<key>-<hash>`.
        for (const file of model.secretFiles) {
            const length = contentName(secretPrefix(model.machine.name, file.key), contentHash("")).length;
            if (length > 64) {
                problem(file.entry === undefined ? "cascade:machine" : `cascade:zmqCertificates.${file.entry}`,
                    `its Docker secret name would have ${length} characters, more than the 64 Swarm allows`,
                    file.entry === undefined ? `use a machine name of at most ${64 - (length - model.machine.name.length)} characters` : `shorten the file name by ${length - 64} characters`);
            }
        }
        return problems;
    }
    const settings = stack.kubernetes;
    // One problem for the prefix, with the bound every namespace of the stack fits in: each group's,
    // and the monitoring's when it runs without the operator.
    const namespaces = [
        ...model.groups.map((g) => ({ owner: g.name, name: namespaceName(settings.namespacePrefix, g) })),
        ...(!model.monitoring.operator && model.monitoring.services.length > 0
            ? [{ owner: "the monitoring", name: monitoringNamespaceName(settings.namespacePrefix, model.machine.name) }]
            : []),
    ];
    const tooLong = namespaces.filter((n) => n.name.length > MAX_LABEL_LENGTH || !DNS_1123_LABEL.test(n.name));
    if (tooLong.length > 0) {
        const longestSuffix = Math.max(...namespaces.map((n) => n.name.length - settings.namespacePrefix.length));
        problem(`${KEY}.namespacePrefix`,
            `namespace "${tooLong[0].name}" for ${tooLong[0].owner}${tooLong.length > 1 ? ` (and ${tooLong.length - 1} more)` : ""} is not a DNS-1123 label of at most ${MAX_LABEL_LENGTH} characters`,
            `use a prefix of at most ${MAX_LABEL_LENGTH - longestSuffix} lower-case letters, digits and '-'`);
    }
    for (const group of model.groups) {
        for (const agent of group.agents) {
            const name = agent.published ? publicServiceName(agent) : serviceName(agent);
            if (name.length > MAX_LABEL_LENGTH || !DNS_1035_LABEL.test(name)) {
                const limit = MAX_LABEL_LENGTH - (name.length - agent.name.length);
                problem(`groups[${group.name}].agents[${agent.name}].name`, `its Kubernetes Service name "${name}" is longer than ${MAX_LABEL_LENGTH} characters`,
                    `shorten the agent's name in the topology to at most ${limit} characters${agent.published ? " (a published agent's Service is <name>-public)" : ""}`);
            }
        }
        for (const device of group.devices.filter((d) => d !== AUDIO_DEVICE)) {
            problem(`groups[${group.name}].devices`, `${device} has no device-plugin resource on Kubernetes (only ${AUDIO_DEVICE}, as ${KEY}.audioDeviceResource)`,
                `remove ${device}, or deploy ${group.name} with cascade:platform swarm`);
        }
    }
    const volumes = model.volumes.map((v) => v.key);
    for (const key of Object.keys(settings.volumeSizes).filter((k) => !volumes.includes(k))) {
        const known = Object.keys(topology.volumes).includes(key);
        problem(`${KEY}.volumeSizes.${key}`, known ? `no group of ${model.machine.name} mounts a volume "${key}"` : `unknown volume "${key}"`,
            known ? `remove it, or use one of: ${volumes.join(", ")}` : chooseFrom(key, volumes, "the volumes of this machine are"));
    }
    return problems;
}
