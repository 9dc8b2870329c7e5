import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";

// What this run changed on the engine beyond the Cascade objects themselves, kept in a file so that
// the cleanup (the mocha after hook, or the bash entry's trap after a crash or a kill) undoes exactly
// that: the swarm only if this run created it, the node labels it added, the image tags it made.
// The file exists from the moment the run owns the engine's Cascade objects until they are removed;
// a run that finds it left behind cleans up first.

export const WORK_DIR = path.join(PROJECT_ROOT, ".engine-work");
const STATE_FILE = path.join(WORK_DIR, "state.json");

export interface RunState {
    readonly swarmCreated: boolean;
    readonly nodeId?: string;
    /** `key=value` node labels this run added (absent before). */
    readonly labelsAdded: readonly string[];
    readonly imageTags: readonly string[];
}

export function readState(): RunState | undefined {
    return fs.existsSync(STATE_FILE) ? (JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as RunState) : undefined;
}

export function writeState(state: RunState): void {
    fs.mkdirSync(WORK_DIR, { recursive: true });
    fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/** Records a change as soon as it is made, so a crash right after it still gets it undone. */
export function updateState(change: (state: RunState) => RunState): RunState {
    const next = change(readState() ?? { swarmCreated: false, labelsAdded: [], imageTags: [] });
    writeState(next);
    return next;
}

export function clearState(): void {
    fs.rmSync(STATE_FILE, { force: true });
}
