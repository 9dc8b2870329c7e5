import * as path from "path";
import { parseArgs as parseArgv, type ParseArgsConfig } from "util";

// Command-line arguments of `npm run plan`. Parsing only: what each option does lives elsewhere.

export interface PlanArgs {
    readonly stack: string;
    /** Another stack config file instead of Pulumi.<stack>.yaml. */
    readonly configFile?: string;
    /** A policy pack config file (the format of `pulumi preview --policy-pack-config`). */
    readonly policyConfigFile?: string;
    readonly json: boolean;
    readonly graph: boolean;
    /** Write native Swarm/Compose files into this directory. */
    readonly renderDir?: string;
}

export const USAGE = `Usage: npm run plan -- --stack <stack> [options]

Runs the Cascade program offline, under Pulumi's mock runtime, and prints what \`pulumi up\` would create.

Options:
  --stack NAME            the stack to plan (mainpc, pc2, ...); its config is Pulumi.<NAME>.yaml
  --config FILE           read this stack config file instead (e.g. a draft); --stack defaults to
                          <NAME> when FILE is named Pulumi.<NAME>.yaml
  --policy-config FILE    policy pack config (as for pulumi preview --policy-pack-config)
  --json                  print one JSON document instead of the text plan
  --graph                 print a Mermaid diagram of groups, phases and networks instead
  --render DIR            also write native Swarm stack files, a Compose file and a deploy script to DIR
  --help                  print this help

Exit status: 0 when no mandatory policy fails, 1 when one does, 2 when the config or the arguments are invalid.`;

export class UsageError extends Error {
    constructor(message: string) {
        super(`${message}\n\n${USAGE}`);
        this.name = "UsageError";
    }
}

/**
 * Node's util.parseArgs, strict, with no positionals and with --help (-h): a parse error, or an option
 * given an empty value (`--stack=`, which parseArgs takes as a string), becomes `usage(message)`.
 * The command-line interfaces of plan/ all parse through here.
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: O, usage: (message: string) => Error) {
    let values;
    try {
        ({ values } = parseArgv({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }));
    } catch (error) {
        throw usage((error as Error).message);
    }
    const empty = Object.entries(values).find(([, value]) => value === "" || (Array.isArray(value) && value.includes("")));
    if (empty && !(values as { help?: boolean }).help) {
        throw usage(`--${empty[0]} needs a value`);
    }
    return values;
}

/** Parses argv (without node and the script); returns "help" for --help. */
export function parseArgs(argv: readonly string[]): PlanArgs | "help" {
    const values = parseOptions(argv, {
        stack: { type: "string" },
        config: { type: "string" },
        "policy-config": { type: "string" },
        render: { type: "string" },
        json: { type: "boolean" },
        graph: { type: "boolean" },
    }, (message) => new UsageError(message));
    if (values.help) {
        return "help";
    }
    const { stack, config: configFile, "policy-config": policyConfigFile, render: renderDir, json = false, graph = false } = values;
    if (json && graph) {
        throw new UsageError("--json and --graph each print a document of their own: choose one");
    }
    const fromFile = configFile ? /^Pulumi\.(.+)\.yaml$/.exec(path.basename(configFile))?.[1] : undefined;
    const resolved = stack ?? fromFile;
    if (!resolved) {
        throw new UsageError(configFile ? `name the stack of ${configFile} with --stack` : "--stack is required");
    }
    return { stack: resolved, configFile, policyConfigFile, renderDir, json, graph };
}
