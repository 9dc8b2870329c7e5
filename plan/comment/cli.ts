import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import { stackNames } from "../../config/stack-document";
import { checkoutBase, headLabel, type BaseTree } from "./base-tree";
import { commentMarkdown, failingStacks, type StackOutcome } from "./markdown";
import { planStack } from "./run-plan";
import { parseCommentArgs, USAGE, UsageError } from "./usage";

// `npm run --silent plan:comment -- --base-ref REF`: the PR comment of the offline plan, on stdout.
// The workflow posts it; run locally it prints the same comment. Exit status in ./usage.ts.

const EXIT = { ok: 0, blocked: 1, invalid: 2, internal: 3 } as const;

async function run(argv: readonly string[]): Promise<number> {
    const args = parseCommentArgs(argv);
    if (args === "help") {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
    }
    const known = stackNames();
    const unknown = args.stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        throw new UsageError(`no stack ${unknown.join(", ")}: the stacks are ${known.join(", ")} (Pulumi.<NAME>.yaml)`);
    }
    const stacks = args.stacks.length > 0 ? args.stacks : known;
    // Both revisions read the file from here: the base's copy lives in a temporary directory.
    const policyConfig = args.policyConfigFile === undefined ? undefined : path.resolve(args.policyConfigFile);
    if (policyConfig !== undefined && !fs.existsSync(policyConfig)) {
        throw new UsageError(`cannot read the policy config ${args.policyConfigFile}`);
    }
    const base: BaseTree | undefined = args.baseRef === undefined ? undefined : checkoutBase(args.baseRef);
    try {
        const outcomes: StackOutcome[] = await Promise.all(stacks.map(async (stack) => {
            const [head, baseOutcome] = await Promise.all([
                planStack(PROJECT_ROOT, stack, policyConfig),
                base === undefined ? undefined
                    : fs.existsSync(path.join(base.directory, `Pulumi.${stack}.yaml`)) ? planStack(base.directory, stack, policyConfig) : "absent" as const,
            ]);
            return { stack, head, base: baseOutcome };
        }));
        process.stdout.write(commentMarkdown({ head: headLabel(), base: base?.label, stacks: outcomes }));
        return failingStacks(outcomes).length > 0 ? EXIT.blocked : EXIT.ok;
    } finally {
        base?.remove();
    }
}

run(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        if (error instanceof UsageError) {
            process.stderr.write(`${error.message}\n`);
            process.exitCode = EXIT.invalid;
        } else {
            process.stderr.write(`internal error in plan:comment (please report it):\n${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
            process.exitCode = EXIT.internal;
        }
    },
);
