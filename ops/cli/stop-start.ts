import { parseStopStartArgs, UsageError, USAGES } from "../args";
import { ScaleError, selectWorkloads, startGroups, stopGroups } from "../scale";
import { EXIT, main, plannedStacks } from "./run";

// `npm run stop` and `npm run start` (the first argument, from package.json): see USAGES.stop/start.

const STATE_NOTE = `Pulumi's state still records the planned replicas: plain \`pulumi up\` shows no change and leaves
these groups stopped, but \`pulumi refresh\` (or \`up --refresh\`) records them as stopped, after which
\`pulumi up\` starts them again, and a refresh deletes a stopped standalone container (the provider's
must_run) for \`pulumi up\` to create anew. Run \`npm run start\` before any refresh or up.`;

async function run(argv: readonly string[]): Promise<number> {
    const command = argv[0] === "start" ? "start" : "stop";
    const args = parseStopStartArgs(command, argv.slice(1));
    if (args === "help") {
        process.stdout.write(`${USAGES[command]}\n`);
        return EXIT.ok;
    }
    const [stack] = plannedStacks({ files: new Map([[args.stack, args.files.get(args.stack) ?? ""]]) });
    const log = (line: string) => process.stdout.write(`${line}\n`);
    try {
        selectWorkloads(stack, args.groups);
    } catch (error) {
        throw error instanceof ScaleError ? new UsageError(command, error.message) : error;
    }
    const what = args.groups.length > 0 ? args.groups.join(", ") : `every group of ${args.stack}`;
    try {
        if (command === "stop") {
            await stopGroups(stack, args.groups, args.timeoutSeconds * 1000, log);
            log(`stopped: ${what} (volumes, secrets and networks untouched)\n${STATE_NOTE}`);
        } else {
            await startGroups(stack, args.groups, args.timeoutSeconds * 1000, log);
            log(`started: ${what}, healthy at the planned replicas and image`);
        }
    } catch (error) {
        if (error instanceof ScaleError) {
            process.stderr.write(`${command} FAILED: ${error.message}\n`);
            return EXIT.notOk;
        }
        throw error;
    }
    return EXIT.ok;
}

main(run);
