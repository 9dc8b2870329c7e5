import { setTimeout as sleep } from "timers/promises";
import { parseStatusArgs, USAGES } from "../args";
import { takeSnapshot } from "../observe";
import { exitCodeOf, judge } from "../status";
import { statusJson, statusText } from "../status-view";
import { EXIT, main, plannedStacks } from "./run";

// `npm run status`: see USAGES.status.

/** Redraws in place: home the cursor and clear the screen, as watch(1) does. */
const CLEAR = "\u001b[H\u001b[2J";

async function run(argv: readonly string[]): Promise<number> {
    const args = parseStatusArgs(argv);
    if (args === "help") {
        process.stdout.write(`${USAGES.status}\n`);
        return EXIT.ok;
    }
    const stacks = plannedStacks(args);
    if (args.watchSeconds === undefined) {
        const report = judge(stacks, await takeSnapshot(stacks));
        process.stdout.write(`${args.json ? statusJson(report) : statusText(report)}\n`);
        return exitCodeOf(report);
    }
    const interval = args.watchSeconds * 1000;
    for (;;) {
        const report = judge(stacks, await takeSnapshot(stacks));
        process.stdout.write(`${process.stdout.isTTY ? CLEAR : ""}${statusText(report)}\n(refreshing every ${args.watchSeconds} s; Ctrl-C to stop)\n`);
        process.exitCode = exitCodeOf(report);
        await sleep(interval);
    }
}

main(run);
