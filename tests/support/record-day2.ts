import * as fs from "fs";
import { plannedStacks } from "../../ops/cli/run";
import { parseStatusArgs } from "../../ops/args";
import { takeSnapshot } from "../../ops/observe";

// Records what a real engine answers for the Day-2 status (the engine API's own JSON, as dockerode
// returns it) into a fixture of tests/fixtures/day2/, for tests/day2-status.test.ts:
//   npx tsx tests/support/record-day2.ts <fixture.json> --config-dir tests/fixtures/day2
// against a swarm deployed from those stack configs (see tests/fixtures/day2/README.md).

async function record(file: string, argv: readonly string[]): Promise<void> {
    const args = parseStatusArgs(argv);
    if (args === "help") {
        throw new Error("usage: record-day2.ts <fixture.json> [status options]");
    }
    const snapshot = await takeSnapshot(plannedStacks(args));
    fs.writeFileSync(file, `${JSON.stringify(snapshot, null, 1)}\n`);
}

record(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
});
