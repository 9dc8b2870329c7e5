import { ConfigError } from "../../config/errors";
import { UsageError } from "../args";
import { EngineError } from "../hosts";
import { PlatformError, plannedStack, type PlannedStack } from "../planned";
import type { StackSelection } from "../args";

// The process edge shared by the Day-2 commands: exit status 0 fine, 1 not (or an engine failed),
// 2 bad arguments or config (the message alone), 3 an internal error (with its stack trace: a bug).

export const EXIT = { ok: 0, notOk: 1, invalid: 2, internal: 3 } as const;

export function plannedStacks(selection: StackSelection): PlannedStack[] {
    return [...selection.files].map(([stack, file]) => plannedStack(stack, file));
}

export function main(run: (argv: readonly string[]) => Promise<number>): void {
    // A reader that goes away (`npm run logs -- X --follow | head`) ends the command, quietly.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") {
            throw error;
        }
        process.exit(EXIT.ok);
    });
    run(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            if (error instanceof UsageError || error instanceof ConfigError || error instanceof PlatformError) {
                process.stderr.write(`${error.message}\n`);
                process.exitCode = EXIT.invalid;
            } else if (error instanceof EngineError) {
                process.stderr.write(`${error.message}\n`);
                process.exitCode = EXIT.notOk;
            } else {
                process.stderr.write(`internal error (please report it):\n${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
                process.exitCode = EXIT.internal;
            }
        },
    );
}
