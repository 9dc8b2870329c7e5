import * as path from "path";

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

/** Parses argv (without node and the script); returns "help" for --help. */
export function parseArgs(argv: readonly string[]): PlanArgs | "help" {
    let stack: string | undefined;
    let configFile: string | undefined;
    let policyConfigFile: string | undefined;
    let renderDir: string | undefined;
    let json = false;
    let graph = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = (): string => {
            const next = inline ?? argv[++i];
            if (next === undefined || next === "" || (inline === undefined && next.startsWith("--"))) {
                throw new UsageError(`${flag} needs a value`);
            }
            return next;
        };
        switch (flag) {
            case "--help":
            case "-h":
                return "help";
            case "--stack":
                stack = value();
                break;
            case "--config":
                configFile = value();
                break;
            case "--policy-config":
                policyConfigFile = value();
                break;
            case "--render":
                renderDir = value();
                break;
            case "--json":
                json = true;
                break;
            case "--graph":
                graph = true;
                break;
            default:
                throw new UsageError(`unknown argument "${arg}"`);
        }
    }
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
