import { config } from "chai";
import type { Context } from "mocha";
import { setUp, type Acceptance } from "./setup";

// Mocha root hooks (engine/acceptance/mocharc.json requires this file): before any test, both stacks
// are deployed from their rendered files on the run's two-node swarm. Nothing is removed here: the
// engines are the run's own, and engine/run-acceptance.sh stops them (by PID) and deletes their data
// when mocha ends, however it ends. The tests read the deployment through `acceptance()`.

/** A generous bound for the hook as a whole; each step inside has its own, shorter one. */
const SET_UP_TIMEOUT_MS = 10 * 60_000;

let current: Acceptance | undefined;

export function acceptance(): Acceptance {
    if (!current) {
        throw new Error("the stacks were not deployed (see the root before-all hook's error)");
    }
    return current;
}

const log = (line: string) => console.log(`  [acceptance] ${line}`);

// A failed assertion on a deploy's output shows the whole of it.
config.truncateThreshold = 0;

export const mochaHooks = {
    async beforeAll(this: Context): Promise<void> {
        this.timeout(SET_UP_TIMEOUT_MS);
        current = await setUp(log);
    },
};
