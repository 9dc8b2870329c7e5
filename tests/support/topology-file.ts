import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "../../config/load";

// Writes edited copies of config/topology.yaml to a temporary directory, so tests can feed the program
// a topology with one deliberate mistake through the `cascade:topology` stack setting.

/** The committed topology as plain YAML data (before validation, as an operator would edit it). */
export interface RawTopology {
    groups: RawGroup[];
    networks: { internal: Record<string, unknown>; external: Record<string, unknown>; dnsSuffix: string };
    [key: string]: unknown;
}
export interface RawGroup {
    name: string;
    agents: RawAgent[];
    resources: { limits: Record<string, unknown>; reservations: Record<string, unknown> };
    [key: string]: unknown;
}
export interface RawAgent {
    name: string;
    [key: string]: unknown;
}

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-topology-"));
let counter = 0;

export function committedTopology(): RawTopology {
    return parse(fs.readFileSync(path.join(PROJECT_ROOT, "config/topology.yaml"), "utf8")) as RawTopology;
}

export function group(topology: RawTopology, name: string): RawGroup {
    const found = topology.groups.find((g) => g.name === name);
    if (!found) {
        throw new Error(`no group ${name} in the topology`);
    }
    return found;
}

export function agent(topology: RawTopology, groupName: string, agentName: string): RawAgent {
    const found = group(topology, groupName).agents.find((a) => a.name === agentName);
    if (!found) {
        throw new Error(`no agent ${agentName} in ${groupName}`);
    }
    return found;
}

/** Writes an edited topology and returns its absolute path. */
export function writeTopology(edit: (topology: RawTopology) => void): string {
    const topology = committedTopology();
    edit(topology);
    const file = path.join(directory, `topology-${++counter}.yaml`);
    fs.writeFileSync(file, stringify(topology));
    return file;
}

/** Writes raw text as a topology file (for syntax errors). */
export function writeTopologyText(text: string): string {
    const file = path.join(directory, `topology-${++counter}.yaml`);
    fs.writeFileSync(file, text);
    return file;
}
