import { stopPacks } from "./pack";

// Mocha's root hooks (loaded by .mocharc.json). In parallel mode each worker runs them around every
// test file (mocha's docs, "Root Hook Plugins"), so what a file shares (the policy packs it started)
// ends with that file and a later file starts its own: nothing outlives the worker that started it.
export const mochaHooks = {
    afterAll: stopPacks,
};
