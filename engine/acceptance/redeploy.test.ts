import { expect } from "chai";
import { apiOf, managerApi, read } from "./api";
import { runDeployScript } from "./deploy-script";
import { currentTasks, docker, execIn, inspectContainer, runningContainers } from "./docker";
import { acceptance } from "./hooks";
import { engineOf, MACHINES, type ContainerRef } from "./engines";
import { allContainers, allServices, renders, standalone } from "./lookup";
import { deployOneByOne, oneByOneSteps, pollIntervalOf } from "./one-by-one";
import { removeContainer } from "./operator";
import type { PhaseTime } from "./deploy-script";
import { timingReport } from "./report";
import { STACK_NAMESPACE } from "../../plan/render/context";
import { done, notYet, waitFor } from "./wait";

// Data is sacred: removing the stacks (`docker stack rm`, `docker-compose rm`) and deploying them
// again leaves what the volumes hold. The redeploy is the seed's manual procedure taken literally,
// one group at a time, and is timed against the phased deploy.sh runs of the set-up.

const REMOVAL_WAIT_MS = 90_000;
/** A group takes one or two healthcheck intervals plus deploy.sh's poll; this is several times that. */
const STEP_TIMEOUT_MS = 90_000;

interface Marker {
    readonly volume: string;
    /** A workload that mounts it, and where. */
    readonly service?: string;
    readonly container?: ContainerRef;
    readonly target: string;
    readonly text: string;
}

/** One marker per named volume, written and read through a workload that mounts it. */
function markers(): Marker[] {
    const a = acceptance();
    const seen = new Map<string, Marker>();
    const stamp = Date.now();
    for (const s of allServices(a)) {
        for (const [volume, target] of s.volumes) {
            seen.set(volume, seen.get(volume) ?? { volume, service: s.name, target, text: `${volume} ${stamp}` });
        }
    }
    for (const c of allContainers(a)) {
        for (const [volume, target] of c.volumes) {
            seen.set(volume, seen.get(volume) ?? { volume, container: standalone(c), target, text: `${volume} ${stamp}` });
        }
    }
    return [...seen.values()];
}

async function containerFor(marker: Marker): Promise<ContainerRef> {
    const [container] = marker.service ? await runningContainers(marker.service) : marker.container ? [marker.container] : [];
    if (!container) {
        throw new Error(`${marker.service ?? ""} has no running task`);
    }
    return container;
}

const markerFile = (m: Marker) => `${m.target}/cascade-acceptance-marker`;

describe("removing and redeploying the stacks", function () {
    let written: Marker[] = [];
    let oneByOne: PhaseTime[] = [];

    it("an unchanged redeploy of mainpc with its deploy.sh restarts nothing", async function () {
        this.timeout(STEP_TIMEOUT_MS * 3);
        const a = acceptance();
        const tasks = async () => (await Promise.all(a.mainpc.stackFiles.flatMap((f) => f.services).map(async (s) => (await currentTasks(s.name)).map((t) => `${s.name} ${t.ID}`)))).flat().sort();
        const audio = async () => Promise.all(a.mainpc.containers.map(async (c) => (await inspectContainer(standalone(c))).Id));
        const [beforeTasks, beforeContainers] = [await tasks(), await audio()];
        await runDeployScript(a.mainpc, a.secrets.dir, STEP_TIMEOUT_MS * 3);
        expect(await tasks(), "the services' tasks").to.deep.equal(beforeTasks);
        expect(await audio(), "the standalone containers").to.deep.equal(beforeContainers);
    });

    it("writes a marker into every named volume, through a task that mounts it", async function () {
        written = markers();
        for (const m of written) {
            const result = await execIn(await containerFor(m), `printf '%s' '${m.text}' > ${markerFile(m)}`);
            expect(result.code, `writing ${markerFile(m)} for ${m.volume}: ${result.stderr}`).to.equal(0);
        }
        expect(written.length, "volumes").to.be.greaterThan(3);
    });

    it("docker stack rm and docker-compose rm remove every service and container, and keep the volumes", async function () {
        const a = acceptance();
        await docker(["stack", "rm", STACK_NAMESPACE]);
        for (const rendered of renders(a)) {
            for (const container of rendered.containers) {
                await removeContainer(rendered.dir, container, a.secrets.dir);
            }
        }
        await waitFor(`the stack ${STACK_NAMESPACE} to be gone`, { timeoutMs: REMOVAL_WAIT_MS }, async () => {
            const filters = { label: [`com.docker.stack.namespace=${STACK_NAMESPACE}`] };
            const left = (await Promise.all(MACHINES.map((m) => read(`listing ${m}'s containers`, () => apiOf(engineOf(m)).listContainers({ all: true, filters }))))).flat();
            const services = await read("listing the services", () => managerApi().listServices({ filters }));
            return left.length === 0 && services.length === 0 ? done(undefined) : notYet(`services: ${services.length}, containers: ${left.length}`);
        });
        const volumes = (await Promise.all(MACHINES.map(async (m) => (await read(`listing ${m}'s volumes`, () => apiOf(engineOf(m)).listVolumes())).Volumes.map((v) => v.Name)))).flat();
        expect(volumes).to.include.members(written.map((m) => m.volume));
    });

    it("redeployed one group after another, waiting for each, every group turns healthy again", async function () {
        const a = acceptance();
        this.timeout(STEP_TIMEOUT_MS * 12);
        const steps = renders(a).flatMap((r) => oneByOneSteps(r, a.secrets.dir));
        oneByOne = await deployOneByOne(steps, pollIntervalOf(a.mainpc), STEP_TIMEOUT_MS);
    });

    it("every volume still holds its marker", async function () {
        const lost: string[] = [];
        for (const m of written) {
            const result = await execIn(await containerFor(m), `cat ${markerFile(m)}`);
            if (result.stdout !== m.text) {
                lost.push(`${m.volume}: ${result.stdout || result.stderr.trim()}`);
            }
        }
        expect(lost).to.deep.equal([]);
    });

    it("prints the phased and the one-by-one deploy times", function () {
        expect(oneByOne.length, "the one-by-one redeploy ran").to.be.greaterThan(0);
        const phased = acceptance().phased.flatMap((run) => run.phases);
        console.log(timingReport(phased, oneByOne).split("\n").map((line) => `    ${line}`).join("\n"));
    });
});
