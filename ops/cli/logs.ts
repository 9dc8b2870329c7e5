import { parseLogsArgs, UsageError, USAGES } from "../args";
import { findTarget, printLogs, TargetError } from "../logs";
import { EXIT, main, plannedStacks } from "./run";

// `npm run logs -- <agent|group>`: see USAGES.logs.

async function run(argv: readonly string[]): Promise<number> {
    const args = parseLogsArgs(argv);
    if (args === "help") {
        process.stdout.write(`${USAGES.logs}\n`);
        return EXIT.ok;
    }
    const stacks = plannedStacks(args);
    let target;
    try {
        target = findTarget(stacks, args.target);
    } catch (error) {
        throw error instanceof TargetError ? new UsageError("logs", error.message) : error;
    }
    await printLogs(target, args, (line) => process.stdout.write(`${line}\n`));
    return EXIT.ok;
}

main(run);
