import type { Context } from "mocha";
import { cleanup } from "./cleanup";
import { claimEngine, setUp, type Acceptance } from "./setup";
import { readState } from "./state";

// Mocha root hooks (engine/acceptance/mocharc.json requires this file): before any test, the engine is
// prepared and both stacks are deployed from their rendered files; after all of them, or after a
// failure anywhere, everything the run created is removed. The tests read the deployment through
// `acceptance()`.

/** Generous bounds for the hooks as a whole; each step inside has its own, shorter one. */
const SET_UP_TIMEOUT_MS = 10 * 60_000;
const CLEAN_UP_TIMEOUT_MS = 3 * 60_000;

let current: Acceptance | undefined;

export function acceptance(): Acceptance {
    if (!current) {
        throw new Error("the stacks were not deployed (see the root before-all hook's error)");
    }
    return current;
}

const log = (line: string) => console.log(`  [acceptance] ${line}`);

async function cleanUpOrThrow(): Promise<void> {
    const problems = await cleanup(log);
    if (problems.length > 0) {
        throw new Error(`cleanup left objects behind; the next run (or the bash entry's trap) retries:\n  ${problems.join("\n  ")}`);
    }
}

export const mochaHooks = {
    async beforeAll(this: Context): Promise<void> {
        this.timeout(SET_UP_TIMEOUT_MS);
        if (readState()) {
            log("a previous run did not finish its cleanup; finishing it first");
            await cleanUpOrThrow();
        }
        await claimEngine();
        current = await setUp(log);
    },
    async afterAll(this: Context): Promise<void> {
        this.timeout(CLEAN_UP_TIMEOUT_MS);
        await cleanUpOrThrow();
    },
};
