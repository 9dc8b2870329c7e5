import { managerApi, readIfPresent } from "./api";
import { docker, runningContainers } from "./docker";

import type { Rendered } from "./rendered";
import { done, notYet, waitFor } from "./wait";

// A workaround for a Swarm bug on this engine (engine/README.md, "Generic resources"): every node
// update makes the constraint enforcer reject running GPU tasks, and a GPU task that is the first task
// of an overlay network on its node causes node updates itself (the node's attachment to the network
// is allocated, the task is rejected, the attachment is freed, and round again). The planned AI engine
// is the first group on cascade-external (phase 2; the request handlers join it in phase 3), so on
// this engine phase 2 never converges, and Swarm gives up after the restart policy's 10 attempts.
// An idle service attached to the GPU groups' networks on the same node keeps the attachments
// allocated. It is the suite's, not the plan's: it publishes nothing and answers nothing.

export const ANCHOR_SERVICE = "cascade-acceptance-anchor";
const ANCHOR_LABEL = "cascade.acceptance=anchor";
const NETWORK_WAIT_MS = 120_000;

/** The networks that GPU-reserving services of these renders join. */
export function gpuNetworks(renders: readonly Rendered[]): string[] {
    const services = renders.flatMap((r) => r.stackFiles.flatMap((f) => f.services)).filter((s) => s.gpus > 0);
    return [...new Set(services.flatMap((s) => [...s.networks.keys()]))].sort();
}

/**
 * Starts the anchor on the networks as soon as they exist (deploy.sh creates them before phase 1, and
 * phase 1 takes at least one healthcheck interval), and waits until it runs.
 */
export async function anchorNetworks(networks: readonly string[], nodeId: string, image: string): Promise<void> {
    if (networks.length === 0) {
        return;
    }
    await waitFor(`deploy.sh to create ${networks.join(", ")}`, { timeoutMs: NETWORK_WAIT_MS, intervalMs: 250 }, async () => {
        const missing: string[] = [];
        for (const network of networks) {
            if ((await readIfPresent(`inspecting network ${network}`, () => managerApi().getNetwork(network).inspect())) === undefined) {
                missing.push(network);
            }
        }
        return missing.length === 0 ? done(undefined) : notYet(`missing ${missing.join(", ")}`);
    });
    await docker([
        "service", "create", "--detach", "--no-resolve-image", "--quiet",
        "--name", ANCHOR_SERVICE, "--label", ANCHOR_LABEL,
        "--constraint", `node.id==${nodeId}`, "--endpoint-mode", "dnsrr", "--stop-grace-period", "1s",
        ...networks.flatMap((n) => ["--network", n]),
        image, "sleep", "86400",
    ]);
    await waitFor(`${ANCHOR_SERVICE} to run`, { timeoutMs: 60_000, intervalMs: 250 }, async () =>
        ((await runningContainers(ANCHOR_SERVICE)).length > 0 ? done(undefined) : notYet("no running task")));
}
