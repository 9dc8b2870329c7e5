import { expect } from "chai";
import { PROJECT_ROOT } from "../../config/load";
import { runDeployScript } from "./deploy-script";
import { currentTasks, docker, inspectNode } from "./docker";
import { engineOf, machineOfNode, nodeOf } from "./engines";
import { check } from "./exec";
import { acceptance } from "./hooks";
import { allServices, machineOfService } from "./lookup";
import { waitReady } from "./readiness";
import { done, notYet, waitFor } from "./wait";

// PC2 going down and coming back, on the real two-node swarm: its dockerd is stopped by the PID
// engine/engines.sh recorded. Its pinned tasks must go pending with the scheduler's reason and none may
// move to MainPC; a deploy run meanwhile must fail and say why; once PC2 is back every group must be
// healthy again. A `docker stack deploy` while the node is down leaves its tasks pending after it
// returns (moby/moby#53722): `docker service update --force` starts them, as an operator would.

const NODE_WAIT_MS = 90_000;
const BACK_WAIT_MS = 180_000;
const DEPLOY_WHILE_DOWN_MS = 120_000;

const engines = (...args: string[]) => check("bash", ["engine/engines.sh", ...args], { cwd: PROJECT_ROOT, timeoutMs: 90_000 });

async function nodeState(): Promise<string> {
    return (await inspectNode(await nodeOf("pc2"))).Status.State;
}

describe("PC2 down and back", function () {
    const pc2Services = () => allServices(acceptance()).filter((s) => machineOfService(acceptance(), s.name) === "pc2").map((s) => s.name);

    after(async function () {
        this.timeout(NODE_WAIT_MS);
        await engines("start", "pc2");
    });

    it("its node goes down, its tasks go pending with the scheduler's reason, and none moves to MainPC", async function () {
        this.timeout(NODE_WAIT_MS * 2);
        await engines("stop", "pc2");
        await waitFor("pc2's node to be down", { timeoutMs: NODE_WAIT_MS }, async () => {
            const state = await nodeState();
            return state === "down" ? done(undefined) : notYet(state);
        });
        const reasons = await waitFor("pc2's tasks to be pending with a reason", { timeoutMs: NODE_WAIT_MS }, async () => {
            const seen: string[] = [];
            for (const name of pc2Services()) {
                for (const task of await currentTasks(name)) {
                    const on = task.NodeID ? await machineOfNode(task.NodeID) : "none";
                    expect(on, `${name} task ${task.ID.slice(0, 12)} node`).to.not.equal("mainpc");
                    seen.push(task.Status.State === "pending" && task.Status.Err ? `${name}: ${task.Status.Err}` : "");
                }
            }
            return seen.length > 0 && seen.every(Boolean) ? done(seen) : notYet(`${seen.filter(Boolean).length}/${seen.length} pending with a reason`);
        });
        console.log(`      (${reasons.join("; ")})`);
        expect(reasons.join("\n")).to.match(/no suitable node|not available/);
    });

    it("pc2's deploy.sh meanwhile fails at once: PC2's engine does not answer", async function () {
        this.timeout(DEPLOY_WHILE_DOWN_MS + 10_000);
        const a = acceptance();
        const failure = await runDeployScript(a.pc2, a.secrets.dir, DEPLOY_WHILE_DOWN_MS).then(() => "", (error: unknown) => String(error));
        expect(failure, "deploy.sh's failure").to.match(/deploy\.sh: the Docker engine at \S+ \(provider pc2-engine\) does not answer/);
    });

    it("with PC2's engine steps pointed at MainPC's, deploy.sh goes on and fails on the pending tasks, naming the service", async function () {
        this.timeout(DEPLOY_WHILE_DOWN_MS + 10_000);
        const a = acceptance();
        // Only pc2's volume (cascade_logs, which MainPC also has) is created through this host.
        const failure = await runDeployScript(a.pc2, a.secrets.dir, DEPLOY_WHILE_DOWN_MS, { CASCADE_DOCKER_HOST_PC2_ENGINE: engineOf("mainpc") })
            .then(() => "", (error: unknown) => String(error));
        // The first service of pc2's first phase (its node exporter, phase 0) is the first to wait on a pending task.
        const first = a.pc2.stackFiles[0]?.services[0]?.name ?? "(no service)";
        expect(failure, "deploy.sh's failure").to.match(new RegExp(`deploy\\.sh: ${first}: (task pending: no suitable node|task \\w+ on node pc2, which is down)`));
    });

    it("PC2 back: every group of PC2 is healthy again", async function () {
        this.timeout(BACK_WAIT_MS + NODE_WAIT_MS);
        await engines("start", "pc2");
        await waitFor("pc2's node to be ready", { timeoutMs: NODE_WAIT_MS }, async () => {
            const state = await nodeState();
            return state === "ready" ? done(undefined) : notYet(state);
        });
        // moby/moby#53722: the deploy above, made while the node was down, leaves the tasks pending.
        for (const name of pc2Services()) {
            await docker(["service", "update", "--force", "--detach", name]);
        }
        await waitReady("PC2's groups to be healthy again", { services: pc2Services(), containers: [] }, BACK_WAIT_MS, 2000);
    });
});
