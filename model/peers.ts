import { stackNames } from "../config/stack-document";
import { readStackFile } from "../config/stack-file";
import { buildModel, type PeerStack } from "./build";
import { loadStack, type LoadedStack } from "./load";

// The stack that runs Prometheus watches every machine, so it reads the other machines' stack files
// (Pulumi.<stack>.yaml beside its own) for their budgets, disabled groups and replicas. They are read
// through the same loader and schema as any stack's config; their secrets are never read. A peer file
// that does not validate stops the program: monitoring built from a wrong picture would lie.

/** The other machines' stack configs, one per machine (the first stack file by name wins). */
export function peerStacks(own: LoadedStack): PeerStack[] {
    const peers = new Map<string, PeerStack>();
    for (const name of stackNames()) {
        const file = `Pulumi.${name}.yaml`;
        if (file === own.sources.stackFile) {
            continue;
        }
        const config = readStackFile(file);
        const loaded = loadStack({ config: config.config, secretKeys: new Set(config.secretKeys), stackFile: file, identity: { project: own.model.project, stack: name } });
        const machine = loaded.config.machine;
        if (machine !== own.config.machine && !peers.has(machine)) {
            peers.set(machine, { stack: loaded.config, source: file });
        }
    }
    return [...peers.values()];
}

/** The stack with its model rebuilt to watch the other machines too, when it is the one that runs Prometheus. */
export function withPeers(own: LoadedStack): LoadedStack {
    if (!own.model.monitoring.owner) {
        return own;
    }
    const peers = peerStacks(own);
    return { ...own, model: buildModel(own.topology, own.config, { project: own.model.project, stack: own.model.stack }, peers) };
}
