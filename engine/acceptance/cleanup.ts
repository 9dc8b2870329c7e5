import { docker, dockerResult } from "./docker";
import { cascadeObjects, MANAGED, type Kind } from "./inventory";
import { clearState, readState } from "./state";
import { engineInfo } from "./swarm";
import { done, notYet, waitFor } from "./wait";

// Removes everything the run created: the services (each group's, Redis, the GPU variant, the anchor),
// the standalone container, then, once their containers are gone, the networks, secrets and volumes,
// the image tags, the node labels it added, and the swarm if it created it. dockerd keeps running.
// Idempotent, and it goes on after a failed step so that one stuck object does not leave the rest;
// the state file stays until everything is gone, so the next run tries again.

const GONE_TIMEOUT_MS = 90_000;

async function removeAll(kind: Kind, remove: readonly string[], manager: boolean): Promise<void> {
    const left = async () => (await cascadeObjects(manager)).find((i) => i.kind === kind)?.names ?? [];
    await waitFor(`every Cascade ${kind} to be removed`, { timeoutMs: GONE_TIMEOUT_MS, intervalMs: 1000 }, async () => {
        const names = await left();
        if (names.length === 0) {
            return done(undefined);
        }
        // A network or volume still in use by a container being stopped refuses removal: try again.
        await dockerResult([...remove, ...names]);
        const still = await left();
        return still.length === 0 ? done(undefined) : notYet(still.join(", "));
    });
}

export async function cleanup(log: (line: string) => void): Promise<string[]> {
    const state = readState();
    if (!state) {
        return [];
    }
    const problems: string[] = [];
    const step = async (what: string, action: () => Promise<unknown>) => {
        try {
            await action();
        } catch (error) {
            problems.push(`${what}: ${(error as Error).message}`);
        }
    };
    const manager = (await engineInfo()).Swarm.ControlAvailable;
    if (manager) {
        await step("services", () => removeAll("service", ["service", "rm"], manager));
    }
    await step("containers", () => removeAll("container", ["rm", "-f", "-v"], manager));
    await step("containers of removed services", () => waitFor("the removed services' containers to stop", { timeoutMs: GONE_TIMEOUT_MS }, async () => {
        const left = (await docker(["ps", "-aq", "--filter", `label=${MANAGED}`])).trim();
        return left === "" ? done(undefined) : notYet(left.split("\n").join(", "));
    }));
    await step("networks", () => removeAll("network", ["network", "rm"], manager));
    if (manager) {
        await step("secrets", () => removeAll("secret", ["secret", "rm"], manager));
    }
    await step("volumes", () => removeAll("volume", ["volume", "rm"], manager));
    for (const tag of state.imageTags) {
        await step(`image tag ${tag}`, async () => {
            const result = await dockerResult(["image", "rm", tag]);
            if (result.code !== 0 && !/No such image/.test(result.stderr)) {
                throw new Error(result.stderr.trim());
            }
        });
    }
    if (state.swarmCreated && (await engineInfo()).Swarm.LocalNodeState !== "inactive") {
        await step("leaving the swarm this run created", () => docker(["swarm", "leave", "--force"]));
    } else if (manager && state.nodeId) {
        for (const label of state.labelsAdded) {
            await step(`node label ${label}`, () => docker(["node", "update", "--label-rm", label.split("=")[0], state.nodeId ?? ""]));
        }
    }
    if (problems.length === 0) {
        clearState();
        log(`cleanup: removed every object of the run${state.swarmCreated ? " and left the swarm it created" : ", and the node labels and image tags it added"}`);
    }
    return problems;
}
