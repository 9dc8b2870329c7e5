import { parseOptions } from "../args";

// Command-line arguments of `npm run plan:comment`. Parsing only.

export const USAGE = `Usage: npm run --silent plan:comment -- [--base-ref REF] [--stack NAME]... [--policy-config FILE]

Plans every stack offline (npm run plan -- --stack NAME --json), compares each with the plan of the
commit REF, and prints the pull-request comment (markdown) on stdout.

Options:
  --base-ref REF          a commit to compare with (e.g. origin/main, or HEAD^1 on a PR merge commit);
                          without it the comment shows the plans alone
  --stack NAME            plan only this stack (repeatable); default: every Pulumi.<NAME>.yaml
  --policy-config FILE    policy pack config for both plans (as for npm run plan)
  --help                  print this help

Exit status: 0 when every stack plans and passes its mandatory policies, 1 when one does not (the
comment says which), 2 when the arguments or the base ref are invalid, 3 on an internal error.`;

export class UsageError extends Error {
    constructor(message: string) {
        super(`${message}\n\n${USAGE}`);
        this.name = "UsageError";
    }
}

export interface CommentArgs {
    readonly baseRef?: string;
    readonly stacks: readonly string[];
    readonly policyConfigFile?: string;
}

export function parseCommentArgs(argv: readonly string[]): CommentArgs | "help" {
    const values = parseOptions(argv, {
        "base-ref": { type: "string" },
        stack: { type: "string", multiple: true },
        "policy-config": { type: "string" },
    }, (message) => new UsageError(message));
    if (values.help) {
        return "help";
    }
    return { baseRef: values["base-ref"], stacks: values.stack ?? [], policyConfigFile: values["policy-config"] };
}
