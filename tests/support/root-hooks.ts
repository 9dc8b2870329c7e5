import { stopPacks } from "./pack";

// Mocha's root hooks (loaded by .mocharc.json): what several test files share ends once, after all of them.
export const mochaHooks = {
    afterAll: stopPacks,
};
