import type { Capture, CapturedResource } from "../../captured/resource";
import { captureProgram } from "../../plan/capture";
import { readStackFile } from "../../config/stack-file";
import { DOCKER_TYPES } from "../../components/resource-types";

// Runs the real program under mocks with a stack's committed config, optionally edited, the way the
// tests and the plan do. Edits are Pulumi's flat config keys (`cascade:capacity`) with object values.

export type ConfigEdits = Readonly<Record<string, unknown | undefined>>;

export interface StackRun extends Capture {
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
}

/** Applies edits to a flat config map; `undefined` removes a key. */
export function editConfig(config: Readonly<Record<string, string>>, edits: ConfigEdits): Record<string, string> {
    const result: Record<string, string> = { ...config };
    for (const [key, value] of Object.entries(edits)) {
        if (value === undefined) {
            delete result[key];
        } else {
            result[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return result;
}

export interface RunOptions {
    /** Outputs of other stacks for StackReferences; by default pc2 gets mainpc's. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
    /** Secret keys to hand to the program as plain text, as if stored unencrypted. */
    readonly plaintext?: readonly string[];
}

/**
 * Successful runs by their complete input, shared by every test file of this process: the program is
 * deterministic in its config, and most files start from the same few configurations. Each caller gets
 * its own copy, so a test that changes what it got cannot change what another test reads. Failed runs
 * are not kept: each bad input is a run of its own and its error object is checked where it was made.
 */
const runs = new Map<string, Promise<Capture>>();

function capture(request: Parameters<typeof captureProgram>[0]): Promise<Capture> {
    const key = JSON.stringify([request.stack, Object.entries(request.config).sort(), request.secretKeys, request.stackOutputs ?? null]);
    let run = runs.get(key);
    if (!run) {
        run = captureProgram(request);
        runs.set(key, run);
        run.catch(() => runs.delete(key));
    }
    return run.then((done) => structuredClone(done));
}

/** The committed stack file, with edits, run through index.ts under mocks (once per distinct input). */
export async function runStack(stack: "mainpc" | "pc2", edits: ConfigEdits = {}, options: RunOptions = {}): Promise<StackRun> {
    const file = readStackFile(`Pulumi.${stack}.yaml`);
    const config = editConfig(file.config, edits);
    const stackOutputs = options.stackOutputs
        ?? (stack === "pc2" ? { "organization/cascade/mainpc": (await runStack("mainpc")).outputs } : undefined);
    const secretKeys = file.secretKeys.filter((key) => !(options.plaintext ?? []).includes(key));
    const captured = await capture({ project: "cascade", stack, config, secretKeys, stackOutputs });
    return { ...captured, stack, config };
}

/** The one resource with this type and name; fails loudly when it is missing or ambiguous. */
export function resource(run: Capture, type: string, name: string): CapturedResource {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${run.resources.map((r) => `${r.type} ${r.name}`).join(", ")}`);
    }
    return found[0];
}

export const TYPES = { ...DOCKER_TYPES, group: "cascade:swarm:Group" } as const;
