import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "../config/load";
import { dnsName } from "../model/build";

// Synthetic topologies for the benchmark: the seed's topology (every group of both machines) copied
// `scale` times onto one machine, `bench`. Each copy's phases follow the previous copy's, so every
// group still waits for the groups of one previous phase and the work per group stays the same:
// cost should grow linearly with the scale. Agents get unique names and consecutive ports from 20000
// (a port and a health port each): 100 copies of the seed's 69 agents take 13,800 ports, which fits
// one machine's port space, so one stack holds them all. From 20000, above the ports the program
// refuses to an agent (Redis's 6379, Swarm's 2377 and 7946, Kubernetes' 6443 and 10250).

const FIRST_PORT = 20000;
const LAST_PORT = 65535;
const HUB = "ObservabilityHub";

interface RawAgent {
    name: string;
    port: number;
    healthPort: number;
    dependsOn?: string[];
    [key: string]: unknown;
}

interface RawGroup {
    name: string;
    machine: string;
    phase: number;
    gpus?: number;
    agents: RawAgent[];
    [key: string]: unknown;
}

interface RawTopology {
    machines: Record<string, unknown>;
    redis: { group: string; [key: string]: unknown };
    groups: RawGroup[];
    [key: string]: unknown;
}

export interface SyntheticStack {
    readonly scale: number;
    readonly stack: string;
    /** The stack config file (absolute path). */
    readonly configFile: string;
    readonly groups: number;
    readonly agents: number;
}

function seedTopology(): RawTopology {
    return parse(fs.readFileSync(path.join(PROJECT_ROOT, "config/topology.yaml"), "utf8")) as RawTopology;
}

/**
 * The topology and MainPC's ObservabilityHub in its first copy, as an URL: the program derives the hub
 * from the agent named ObservabilityHub on the machine that owns the shared resources, and every copy's
 * agents are renamed, so the synthetic stack names it in cascade:mainpc.hubEndpoint instead.
 */
function syntheticTopology(scale: number): { topology: RawTopology; hubEndpoint: string } {
    const seed = seedTopology();
    const owner = seed.groups.find((g) => g.name === seed.redis.group)?.machine;
    const dnsSuffix = String((seed.networks as { dnsSuffix?: unknown } | undefined)?.dnsSuffix ?? "cascade");
    let hubEndpoint: string | undefined;
    const phases = Math.max(...seed.groups.map((g) => g.phase));
    let nextPort = FIRST_PORT;
    const takePort = () => {
        if (nextPort > LAST_PORT) {
            throw new Error(`scale ${scale} needs more than the ${LAST_PORT - FIRST_PORT + 1} ports of one machine`);
        }
        return nextPort++;
    };
    const groups: RawGroup[] = [];
    for (let copy = 0; copy < scale; copy++) {
        seed.groups.forEach((group, index) => {
            const rename = (agent: string) => `${agent}X${copy}G${index}`;
            groups.push({
                ...group,
                name: `${group.name}-x${copy}`,
                machine: "bench",
                phase: group.phase + copy * phases,
                agents: group.agents.map((agent) => {
                    const copied = { ...agent, name: rename(agent.name), port: takePort(), healthPort: takePort(), dependsOn: (agent.dependsOn ?? []).map(rename) };
                    if (copy === 0 && group.machine === owner && agent.name === HUB && hubEndpoint === undefined) {
                        hubEndpoint = `http://${dnsName(copied.name, `${group.name}-x${copy}`, dnsSuffix)}:${copied.port}`;
                    }
                    return copied;
                }),
            });
        });
    }
    if (hubEndpoint === undefined) {
        throw new Error(`the seed has no ${HUB} on ${String(owner)}, the machine of ${seed.redis.group}`);
    }
    return {
        topology: {
            ...seed,
            machines: { ...seed.machines, bench: { description: "synthetic benchmark machine", nodeLabels: { system: "bench" } } },
            redis: { ...seed.redis, group: `${seed.redis.group}-x0` },
            groups,
        },
        hubEndpoint,
    };
}

/** Writes the topology and a stack config for it into dir. */
export function writeSyntheticStack(dir: string, scale: number): SyntheticStack {
    const { topology, hubEndpoint } = syntheticTopology(scale);
    const topologyFile = path.join(dir, `topology-x${scale}.yaml`);
    // No anchors and aliases: an operator's topology has none, and resolving thousands of them is slow.
    fs.writeFileSync(topologyFile, stringify(topology, { aliasDuplicateObjects: false }));
    const stack = `bench-x${scale}`;
    const configFile = path.join(dir, `Pulumi.${stack}.yaml`);
    const gpus = topology.groups.reduce((sum, g) => sum + (g.gpus ?? 0), 0);
    fs.writeFileSync(configFile, stringify({
        config: {
            "cascade:machine": "bench",
            "cascade:topology": topologyFile,
            // Big enough that no budget policy fires: the benchmark measures the plan, not a verdict.
            "cascade:capacity": { cpus: 100 * scale, memory: `${256 * scale}G`, gpus: Math.max(1, gpus) },
            "cascade:images": { registry: "cascade", tag: "bench" },
            "cascade:mainpc": { hubEndpoint },
        },
    }));
    return { scale, stack, configFile, groups: topology.groups.length, agents: topology.groups.reduce((sum, g) => sum + g.agents.length, 0) };
}
