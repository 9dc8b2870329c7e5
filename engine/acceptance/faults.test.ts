import { expect } from "chai";
import { containerOfTask, docker, execIn, findContainer, inspectContainer, inspectService, runningContainers, serviceTasks } from "./docker";
import type { ContainerRef } from "./engines";
import { acceptance } from "./hooks";
import { allServices, machineOfService, service } from "./lookup";
import { serviceReady } from "./readiness";
import type { RenderedService } from "./rendered";
import { startBrokenDeploy, type BrokenUpdate } from "./rollback";
import { done, notYet, waitFor } from "./wait";

// The engine recovering from faults with the restart, update and rollback settings the program
// planned (topology defaults: restart on any exit, update failure_action rollback, monitor 30s), and
// Redis's append-only file surviving the loss of its task.

const REPLACEMENT_WAIT_MS = 90_000;
/** Mocha's limit for the rollback test: the rollback has its own, shorter bound (rollback.ts). */
const ROLLBACK_TEST_TIMEOUT_MS = 200_000;

/** The last one deployed that fits: no later phase waits on it, and Redis (no agents) is never it. */
function lastService(predicate: (s: RenderedService) => boolean, what: string): RenderedService {
    const found = allServices(acceptance()).filter(predicate).pop();
    if (!found) {
        throw new Error(`no rendered service ${what}`);
    }
    return found;
}

/** Kills a running task's container and waits until the service has all its replicas again, without it. */
async function killAndAwaitReplacement(name: string, replicas: number): Promise<{ killed: ContainerRef; running: ContainerRef[] }> {
    const [killed] = await runningContainers(name);
    await docker(["-H", killed.engine, "kill", killed.id]);
    const running = await waitFor(`${name} to replace its killed task`, { timeoutMs: REPLACEMENT_WAIT_MS }, async () => {
        const ready = await serviceReady(name);
        const current = await runningContainers(name);
        return ready.done && current.length === replicas && !current.some((c) => c.id === killed.id) ? done(current) : notYet(ready.done ? "the killed task still counts" : ready.state);
    });
    return { killed, running };
}

describe("faults", function () {
    let broken: BrokenUpdate | undefined;
    const rollbackTarget = () => lastService((s) => s.replicas === 1 && s.gpus === 0 && s.agents.length > 0, "with one replica and agents");
    const killTarget = () => lastService((s) => s.replicas > 1 && s.gpus === 0, "with more than one replica");

    before(async function () {
        const a = acceptance();
        const target = rollbackTarget();
        broken = await startBrokenDeploy(machineOfService(a, target.name) === "pc2" ? a.pc2 : a.mainpc, target, a.secrets.dir);
    });

    it("a killed task is replaced, and the service is back to its replicas, healthy", async function () {
        const target = killTarget();
        const { running } = await killAndAwaitReplacement(target.name, target.replicas);
        for (const container of running) {
            expect((await inspectContainer(container)).State.Health?.Status, container.id).to.equal("healthy");
        }
    });

    it("Redis keeps a written key across a kill of its task (append-only file on its volume)", async function () {
        const a = acceptance();
        const redis = service(a, "redis").name;
        const cli = async (container: ContainerRef, ...command: string[]) =>
            (await execIn(container, `redis-cli -p 6379 ${command.join(" ")}`, { REDISCLI_AUTH: a.secrets.redisPassword })).stdout.trim();
        const [before] = await runningContainers(redis);
        const value = `acceptance-${Date.now()}`;
        expect(await cli(before, "SET", "cascade:acceptance", value)).to.equal("OK");
        const { running } = await killAndAwaitReplacement(redis, 1);
        expect(await cli(running[0], "GET", "cascade:acceptance")).to.equal(value);
    });

    it("a release whose new tasks never turn healthy, deployed with deploy.sh, is rolled back; deploy.sh fails naming the service and the rollback; the health log names the agent", async function () {
        this.timeout(ROLLBACK_TEST_TIMEOUT_MS);
        const target = rollbackTarget();
        if (!broken) {
            throw new Error("the broken update was not started (see the before hook)");
        }
        const outcome = await broken.finish();
        console.log(`      (${target.name}: ${outcome.state} ${outcome.seconds.toFixed(0)} s after the update)`);
        expect(outcome.state).to.equal("rollback_completed");
        expect(outcome.deployFailure, "deploy.sh's failure").to.match(new RegExp(`deploy\\.sh: ${target.name}: update rollback_`));
        const after = await inspectService(target.name);
        expect(after.Spec, "the spec, as before the update").to.deep.equal(outcome.before.Spec);
        const failedTasks = (await serviceTasks(target.name)).filter((t) => t.Status.State === "failed");
        const failed = failedTasks.map((t) => t.Status.Err ?? "");
        expect(failed.some((err) => /unhealthy container/.test(err)), `a task failed as unhealthy (${failed.join("; ")})`).to.equal(true);
        // Swarm removes the containers of tasks beyond its task history limit (5 per slot by default), so
        // an early failed task may have no container left: the log is read from those that remain.
        const logs = await Promise.all(failedTasks.map(async (t) => {
            const ref = await containerOfTask(t);
            const container = ref ? await findContainer(ref) : undefined;
            return container?.State.Health?.Log.map((l) => l.Output).join("") ?? "";
        }));
        expect(logs.join("\n"), "the failed task's health log").to.contain(`unhealthy: ${outcome.agent.name} (${outcome.agent.healthPort})`);
        expect((await serviceReady(target.name)).done, `${target.name} running again`).to.equal(true);
    });
});
