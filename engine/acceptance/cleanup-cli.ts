import { cleanup } from "./cleanup";

// `tsx engine/acceptance/cleanup-cli.ts`: the bash entry's trap runs it after mocha, whatever happened
// to mocha (killed by the suite's time limit, interrupted). Nothing to do when mocha's after hook has
// already cleaned up. Exit 1 when something could not be removed; the messages say what.

cleanup((line) => console.log(line)).then(
    (problems) => {
        problems.forEach((p) => console.error(`cleanup: ${p}`));
        process.exitCode = problems.length > 0 ? 1 : 0;
    },
    (error: unknown) => {
        console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    },
);
