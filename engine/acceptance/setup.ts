import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import { anchorNetworks, gpuNetworks } from "./anchor";
import { runDeployScript, type ScriptRun } from "./deploy-script";
import { docker } from "./docker";
import { engineOf, nodeOf, type Machine } from "./engines";
import { secondsSince } from "./wait";
import { renderStack } from "./render";
import type { Rendered } from "./rendered";
import { secretFilesOf, writeSecrets, type RunSecrets } from "./secrets";
import { GPU_KIND, IMAGE_REGISTRY, IMAGE_TAG, publishedPortReplicas, stackConfigFile, type AcceptanceStack } from "./stack-configs";
import { advertisedResources, engineInfo, labelNodes, localSubnetConflicts, nodeSize, tagImages } from "./swarm";
import { readSourceTopology, scaledTopology, type NodeSize } from "./topology";
import { WORK_DIR } from "./work";

// What the suite stands on, built in the order an operator follows (README, "Deploy for real"): the
// two-node swarm (engine/engines.sh) with each node labelled as production pins its groups and
// advertising its GPU, the images on both engines, the stack configs, the rendered files, the secret
// files, then deploy.sh of mainpc and then of pc2, both through the manager.

/** The image every group's tag points to (engine/images/build.sh). */
export const STANDIN_IMAGE = "cascade-standin:local";
const CONFIG_DIR = path.join(WORK_DIR, "config");
const RENDER_DIR = path.join(WORK_DIR, "render");
/** deploy.sh gets this long per phase (a phase takes one or two healthcheck intervals here), plus its set-up. */
const DEPLOY_MS_PER_PHASE = 60_000;
const DEPLOY_SETUP_MS = 30_000;

export interface Acceptance {
    /** `kind=value` generic resources MainPC's node advertises. */
    readonly advertised: readonly string[];
    readonly secrets: RunSecrets;
    readonly mainpc: Rendered;
    readonly pc2: Rendered;
    /** MainPC rendered with its GPU groups asking for one GPU more than the node advertises. */
    readonly gpuVariant: Rendered;
    readonly phased: readonly ScriptRun[];
    /** pc2's deploy.sh run before mainpc's: how it failed, how fast, and what it left on the engines. */
    readonly pc2First: { readonly failure: string; readonly seconds: number; readonly created: readonly string[] };
}

const MANAGED = "label=cascade.managed-by=pulumi";

/** Cascade objects on the engines: pc2's volumes on its engine, secrets and services on the manager. */
async function cascadeObjects(): Promise<string[]> {
    const list = async (args: string[], kind: string) => (await docker([...args, "-q", "--filter", MANAGED])).split("\n").filter(Boolean).map((n) => `${kind} ${n}`);
    return [
        ...await list(["-H", engineOf("pc2"), "volume", "ls"], "volume"),
        ...await list(["secret", "ls"], "secret"),
        ...await list(["service", "ls"], "service"),
    ];
}

async function deployPc2First(pc2: Rendered, secretsDir: string): Promise<Acceptance["pc2First"]> {
    const started = performance.now();
    const failure = await runDeployScript(pc2, secretsDir, DEPLOY_SETUP_MS).then(() => "", (error: unknown) => String(error));
    return { failure, seconds: secondsSince(started), created: await cascadeObjects() };
}

function write(file: string, text: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

interface Configs {
    readonly mainpc: string;
    readonly pc2: string;
    readonly gpuVariant: string;
    readonly notes: readonly string[];
    readonly variantNote: string;
}

function writeConfigs(node: NodeSize, gpus: number): Configs {
    const topology = readSourceTopology();
    const gpuGroups = topology.groups.filter((g) => (g.gpus ?? 0) > 0).map((g) => g.name);
    const scaled = scaledTopology(node);
    const variant = scaledTopology(node, { gpus: Object.fromEntries(gpuGroups.map((g) => [g, gpus + 1])) });
    const topologyFile = write(path.join(CONFIG_DIR, "topology.yaml"), scaled.text);
    const variantFile = write(path.join(CONFIG_DIR, "topology-gpu-variant.yaml"), variant.text);
    const ports = publishedPortReplicas(topology);
    const machineOf = new Map(topology.groups.map((g) => [g.name, g.machine]));
    const stack = (machine: string, file: string, machineGpus: number): AcceptanceStack => ({
        machine,
        topologyFile: path.relative(PROJECT_ROOT, file),
        node,
        gpus: machineGpus,
        // A stack may only set its own machine's groups.
        replicas: Object.fromEntries(Object.entries(ports.replicas).filter(([group]) => machineOf.get(group) === machine)),
    });
    return {
        mainpc: write(path.join(CONFIG_DIR, "Pulumi.mainpc.yaml"), stackConfigFile(stack("mainpc", topologyFile, gpus))),
        pc2: write(path.join(CONFIG_DIR, "Pulumi.pc2.yaml"), stackConfigFile(stack("pc2", topologyFile, 0))),
        // The operator believes in one GPU more; the node advertises what it has.
        gpuVariant: write(path.join(CONFIG_DIR, "Pulumi.mainpc-gpu-variant.yaml"), stackConfigFile(stack("mainpc", variantFile, gpus + 1))),
        notes: [...scaled.notes, ...ports.notes],
        variantNote: `${gpuGroups.join(", ")} reserving ${gpus + 1} GPUs (and the config claiming them), where the node advertises ${gpus}`,
    };
}

/** Each machine's node labels as production sets them: the machine's pin and its groups' own (gpu: rtx4090). */
function nodeLabels(): Record<Machine, Record<string, string>> {
    const topology = readSourceTopology();
    const of = (machine: Machine) => Object.assign({}, topology.machines[machine]?.nodeLabels ?? {},
        ...topology.groups.filter((g) => g.machine === machine).map((g) => g.nodeLabels ?? {})) as Record<string, string>;
    return { mainpc: of("mainpc"), pc2: of("pc2") };
}

function groupImages(): string[] {
    return [...new Set(readSourceTopology().groups.map((g) => `${IMAGE_REGISTRY}/${g.image}:${IMAGE_TAG}`))].sort();
}

function deployTimeout(rendered: Rendered): number {
    const phases = new Set([...rendered.stackFiles.map((f) => f.phase), ...rendered.containers.map((c) => c.phase)]);
    return DEPLOY_SETUP_MS + DEPLOY_MS_PER_PHASE * phases.size;
}

export async function setUp(log: (line: string) => void): Promise<Acceptance> {
    await labelNodes(nodeLabels());
    const advertised = await advertisedResources("mainpc");
    const gpus = advertised.filter((r) => r.startsWith(`${GPU_KIND}=`)).length;
    if (gpus === 0) {
        throw new Error(`MainPC's node advertises no ${GPU_KIND} generic resource (${advertised.join(", ") || "none"}): engine/engines.sh starts it with one`);
    }
    await tagImages(STANDIN_IMAGE, groupImages());

    // Both engines run on this one machine: its size is each node's, and the scaling fits all groups in it.
    const configs = writeConfigs(nodeSize(await engineInfo("mainpc")), gpus);
    configs.notes.forEach((note) => log(`adapted to this machine: ${note}`));
    const [mainpc, pc2, gpuVariant] = await Promise.all([
        renderStack("mainpc", configs.mainpc, path.join(RENDER_DIR, "mainpc")),
        renderStack("pc2", configs.pc2, path.join(RENDER_DIR, "pc2")),
        renderStack("mainpc", configs.gpuVariant, path.join(RENDER_DIR, "mainpc-gpu-variant")),
    ]);
    log(`rendered ${[mainpc, pc2, gpuVariant].map((r) => path.relative(PROJECT_ROOT, r.dir)).join(", ")}; the variant has ${configs.variantNote}`);
    const conflicts = await localSubnetConflicts(mainpc.networks.flatMap((n) => n.subnets));
    if (conflicts.length > 0) {
        throw new Error(`local networks overlap the planned overlays, whose tasks Swarm would reject ("Pool overlaps with other one on this address space"): ${conflicts.join("; ")}. ` +
            "Remove them (docker_gwbridge can be removed while the engine is in no swarm; restart dockerd before the next swarm, so that it picks a free subnet again), or set cascade:network.internalSubnet");
    }
    const secrets = writeSecrets(path.join(WORK_DIR, "secrets"), [...secretFilesOf(mainpc.deployScript), ...secretFilesOf(pc2.deployScript)]);

    const pc2First = await deployPc2First(pc2, secrets.dir);
    log(`pc2 deploy.sh before mainpc's: ${pc2First.failure ? "failed" : "succeeded"} in ${pc2First.seconds.toFixed(1)} s`);

    const anchor = gpuNetworks([mainpc]);
    log(`workaround for the engine's GPU task rejections: an idle service on ${anchor.join(", ")} before the GPU group (engine/acceptance/anchor.ts)`);
    // Both settle before either failure is reported: a rejected anchor must not leave deploy.sh running.
    const [deployed, anchored] = await Promise.allSettled([
        runDeployScript(mainpc, secrets.dir, deployTimeout(mainpc)),
        anchorNetworks(anchor, await nodeOf("mainpc"), STANDIN_IMAGE),
    ]);
    if (deployed.status === "rejected") {
        throw deployed.reason;
    }
    if (anchored.status === "rejected") {
        throw anchored.reason;
    }
    const mainpcRun = deployed.value;
    log(`mainpc deploy.sh: ${mainpcRun.wallSeconds.toFixed(1)} s`);
    const pc2Run = await runDeployScript(pc2, secrets.dir, deployTimeout(pc2));
    log(`pc2 deploy.sh: ${pc2Run.wallSeconds.toFixed(1)} s`);
    return { advertised, secrets, mainpc, pc2, gpuVariant, phased: [mainpcRun, pc2Run], pc2First };
}
