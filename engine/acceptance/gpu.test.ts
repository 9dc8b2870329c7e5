import { expect } from "chai";
import { setTimeout as sleep } from "timers/promises";
import { docker, genericResourceText, inspectContainer, inspectService, serviceTasks } from "./docker";
import { acceptance } from "./hooks";
import { containerOf } from "./lookup";
import { deployStackFile } from "./operator";
import type { Rendered, RenderedService, StackFile } from "./rendered";
import { GPU_KIND } from "./stack-configs";
import { done, notYet, waitFor } from "./wait";

// S2: the AI engine reserves the GPU as a Swarm generic resource. Swarm places it only on a node that
// advertises one, and hands the task the resource's id in DOCKER_RESOURCE_GPU (which the NVIDIA
// runtime reads). A reservation the node cannot meet stays pending, with the scheduler saying why.

/** The stack namespace of the variant, beside `cascade`, so the real AI engine keeps running. */
const VARIANT_STACK = "cascade-gpu-variant";
const PENDING_WAIT_MS = 60_000;
/** How long the variant must stay pending after the scheduler gave its reason. */
const STILL_PENDING_MS = 5_000;

function gpuStackFile(rendered: Rendered): { file: StackFile; service: RenderedService } {
    for (const file of rendered.stackFiles) {
        const service = file.services.find((s) => s.gpus > 0);
        if (service) {
            return { file, service };
        }
    }
    throw new Error(`no service reserves a GPU in ${rendered.dir}`);
}

describe("GPU reservations (generic resources)", function () {
    it("the GPU-reserving service is scheduled on the node that advertises the GPU and gets DOCKER_RESOURCE_GPU", async function () {
        const a = acceptance();
        const { service } = gpuStackFile(a.mainpc);
        const spec = await inspectService(service.name);
        const reserved = (spec.Spec.TaskTemplate.Resources?.Reservations?.GenericResources ?? []).map(genericResourceText);
        expect(reserved, "the service's reservation").to.deep.equal([`${GPU_KIND}=${service.gpus}`]);
        const env = (await inspectContainer(await containerOf(service.name))).Config.Env ?? [];
        const gpus = a.advertised.filter((r) => r.startsWith(`${GPU_KIND}=`)).map((r) => r.slice(GPU_KIND.length + 1));
        expect(env.filter((e) => e.startsWith("DOCKER_RESOURCE_GPU="))).to.deep.equal([`DOCKER_RESOURCE_GPU=${gpus.join(",")}`]);
    });

    describe("a service reserving more GPUs than the node advertises", function () {
        after(async function () {
            await docker(["stack", "rm", VARIANT_STACK]);
        });

        it("stays pending, with the scheduler's reason (insufficient resources)", async function () {
            const a = acceptance();
            const { file, service } = gpuStackFile(a.gpuVariant);
            const advertised = a.advertised.filter((r) => r.startsWith(`${GPU_KIND}=`)).length;
            expect(service.gpus, "the variant's reservation").to.be.greaterThan(advertised);
            await deployStackFile(a.gpuVariant.dir, file, a.secrets.dir, VARIANT_STACK);
            const name = `${VARIANT_STACK}_${service.key}`;
            const reason = await waitFor(`${name} to be pending with a reason`, { timeoutMs: PENDING_WAIT_MS }, async () => {
                const tasks = await serviceTasks(name);
                const pending = tasks.find((t) => t.Status.State === "pending" && t.Status.Err);
                return pending ? done(pending.Status.Err ?? "") : notYet(tasks.map((t) => t.Status.State).join(", ") || "no task yet");
            });
            expect(reason).to.match(/insufficient resources/);
            await sleep(STILL_PENDING_MS);
            const states = (await serviceTasks(name)).map((t) => t.Status.State);
            expect(states, "its tasks, a while later").to.deep.equal(["pending"]);
        });
    });
});
