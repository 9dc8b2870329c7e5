import * as fs from "fs";
import * as path from "path";
import { parseArgs, type ParseArgsConfig } from "util";
import { PROJECT_ROOT } from "../config/load";
import { stackNames } from "../config/stack-document";

// Command-line arguments of the Day-2 commands (status, logs, stop, start), parsed with Node's
// util.parseArgs. Parsing only; a bad argument is a UsageError (exit 2) naming it, with the usage.

export const USAGES = {
    status: `Usage: npm run status -- [--stack S]... [--json] [--watch [--interval SECONDS]] [--config-dir DIR]

Reads the Docker engines the stack configs name and prints, group by group and agent by agent, where
each runs, how many tasks are healthy, the running image against the planned one, the last update,
restarts, failing agents and pending tasks. Both stacks by default.
Exit status: 0 everything healthy at its planned image, 1 not, 2 bad arguments or config.`,
    logs: `Usage: npm run logs -- <agent|group> [--since DURATION|TIME] [--follow] [--tail N] [--stack S] [--config-dir DIR]

Prints a group's logs from its service (through the Swarm manager) or its container (on its machine's
engine), each line prefixed with machine and task; for an agent, only the lines that name it.
Exit status: 0 done, 1 an engine failed, 2 bad arguments or config.`,
    stop: `Usage: npm run stop -- --stack S [--group G]... [--timeout SECONDS] [--config-dir DIR]

Takes groups down on the engines (services scaled to 0, containers stopped), dependents first.
Volumes, secrets, networks and the Pulumi state are not touched (README, "Day 2").
Exit status: 0 every group is down, 1 one is not, 2 bad arguments or config.`,
    start: `Usage: npm run start -- --stack S [--group G]... [--timeout SECONDS] [--config-dir DIR]

Brings stopped groups back to their planned replicas, phase by phase, each waiting for health.
Exit status: 0 every group is healthy, 1 one is not, 2 bad arguments or config.`,
} as const;

export type Command = keyof typeof USAGES;

export class UsageError extends Error {
    constructor(command: Command, message: string) {
        super(`${message}\n\n${USAGES[command]}`);
        this.name = "UsageError";
    }
}

/** Where the stack files are read from, and which stacks. */
export interface StackSelection {
    /** Stack config files, by stack, in the order given (or sorted). */
    readonly files: ReadonlyMap<string, string>;
}

export interface StatusArgs extends StackSelection {
    readonly json: boolean;
    readonly watchSeconds?: number;
}

export interface LogsArgs extends StackSelection {
    readonly target: string;
    readonly since?: string;
    readonly follow: boolean;
    readonly tail?: number;
}

export interface StopStartArgs extends StackSelection {
    readonly stack: string;
    readonly groups: readonly string[];
    readonly timeoutSeconds: number;
}

const common = {
    stack: { type: "string", multiple: true },
    "config-dir": { type: "string" },
    help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(command: Command, argv: readonly string[], options: O, allowPositionals: boolean) {
    try {
        return parseArgs({ args: [...argv], options: { ...common, ...options }, allowPositionals, strict: true });
    } catch (error) {
        throw new UsageError(command, (error as Error).message);
    }
}

function positiveNumber(command: Command, flag: string, value: string | undefined, fallback?: number): number | undefined {
    if (value === undefined) {
        return fallback;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
        throw new UsageError(command, `${flag} must be a positive number of seconds (got "${value}")`);
    }
    return n;
}

/** The stacks' files: Pulumi.<stack>.yaml in the project, or in --config-dir. */
function selection(command: Command, stacks: readonly string[] | undefined, configDir: string | undefined): StackSelection {
    const dir = configDir === undefined ? PROJECT_ROOT : path.resolve(configDir);
    let available: string[];
    try {
        available = configDir === undefined ? stackNames() : fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
    } catch (error) {
        throw new UsageError(command, `--config-dir ${configDir}: ${(error as Error).message}`);
    }
    const chosen = stacks && stacks.length > 0 ? [...new Set(stacks)] : available;
    const unknown = chosen.filter((s) => !available.includes(s));
    if (unknown.length > 0) {
        throw new UsageError(command, `no stack config for ${unknown.map((s) => `"${s}"`).join(", ")} in ${dir} (stacks there: ${available.join(", ") || "none"})`);
    }
    if (chosen.length === 0) {
        throw new UsageError(command, `no Pulumi.<stack>.yaml in ${dir}`);
    }
    return { files: new Map(chosen.map((s) => [s, configDir === undefined ? `Pulumi.${s}.yaml` : path.join(dir, `Pulumi.${s}.yaml`)])) };
}

export function parseStatusArgs(argv: readonly string[]): StatusArgs | "help" {
    const { values } = parse("status", argv, { json: { type: "boolean" }, watch: { type: "boolean" }, interval: { type: "string" } }, false);
    if (values.help) {
        return "help";
    }
    if (values.json && values.watch) {
        throw new UsageError("status", "--watch redraws a table; --json prints one document: choose one");
    }
    if (values.interval !== undefined && !values.watch) {
        throw new UsageError("status", "--interval needs --watch");
    }
    return {
        ...selection("status", values.stack, values["config-dir"]),
        json: values.json ?? false,
        watchSeconds: values.watch ? positiveNumber("status", "--interval", values.interval, 5) : undefined,
    };
}

export function parseLogsArgs(argv: readonly string[]): LogsArgs | "help" {
    const { values, positionals } = parse("logs", argv, { since: { type: "string" }, follow: { type: "boolean", short: "f" }, tail: { type: "string" } }, true);
    if (values.help) {
        return "help";
    }
    if (positionals.length !== 1) {
        throw new UsageError("logs", positionals.length === 0 ? "name an agent or a group" : `name one agent or group (got ${positionals.join(", ")})`);
    }
    if (values.since !== undefined && !/^(\d+(\.\d+)?[smhd]|\d+|\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?)$/.test(values.since)) {
        throw new UsageError("logs", `--since takes a duration (10m, 2h), a Unix time or an ISO date (got "${values.since}")`);
    }
    const tail = values.tail === undefined ? undefined : Number(values.tail);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
        throw new UsageError("logs", `--tail takes a number of lines (got "${values.tail}")`);
    }
    return { ...selection("logs", values.stack, values["config-dir"]), target: positionals[0], since: values.since, follow: values.follow ?? false, tail };
}

export function parseStopStartArgs(command: "stop" | "start", argv: readonly string[]): StopStartArgs | "help" {
    const { values } = parse(command, argv, { group: { type: "string", multiple: true }, timeout: { type: "string" } }, false);
    if (values.help) {
        return "help";
    }
    if (!values.stack || values.stack.length !== 1) {
        throw new UsageError(command, `--stack is required, once: ${command} acts on one machine's stack at a time`);
    }
    return {
        ...selection(command, values.stack, values["config-dir"]),
        stack: values.stack[0],
        groups: [...new Set(values.group ?? [])],
        timeoutSeconds: positiveNumber(command, "--timeout", values.timeout, 300) ?? 300,
    };
}
