import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { PROJECT_ROOT } from "../config/load";
import { PolicyConfigError } from "../policy/config";
import { mandatoryViolations } from "../policy/evaluate";
import { parseArgs, USAGE, UsageError, type PlanArgs } from "./args";
import { assemblePlan, type Plan } from "./assemble";
import { mermaidGraph } from "./graph";
import { RenderError } from "./render/fields";

// `npm run plan -- --stack <stack>`: the offline plan. Exit status 0 when no mandatory policy fails,
// 1 when one does, 2 when the arguments or the config are invalid (the message alone, no stack
// trace), 3 on an internal error (with its stack trace: that is a bug to report).

const EXIT = { ok: 0, mandatoryFailed: 1, invalid: 2, internal: 3 } as const;

/**
 * Errors that are the operator's to fix: their message says what and how, a stack trace would not.
 * @pulumi/pulumi is required only for an error none of ours is: the plan loaded it already when it
 * ran the program, and a usage or config error is reported without loading it (plan/assemble.ts).
 */
function isOperatorError(error: unknown): error is Error {
    return error instanceof ConfigError || error instanceof UsageError || error instanceof PolicyConfigError || error instanceof RenderError
        || (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).RunError.isInstance(error);
}

function readPolicyConfig(file: string | undefined): unknown {
    if (file === undefined) {
        return undefined;
    }
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new UsageError(`cannot read the policy config ${file}`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (error) {
        throw new UsageError(`the policy config ${file} is not JSON: ${(error as Error).message}`);
    }
}

/**
 * --config is relative to the working directory; the plan reads files relative to the project. Inside
 * the project the file keeps a relative name, which is how every message names it.
 */
function configFileOf(file: string | undefined): string | undefined {
    if (file === undefined) {
        return undefined;
    }
    const absolute = path.resolve(process.cwd(), file);
    const relative = path.relative(PROJECT_ROOT, absolute);
    return relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
}

/** The passphrase as the Pulumi CLI takes it (pkg/secrets/passphrase/manager.go readPassphrase): PULUMI_CONFIG_PASSPHRASE, or the trimmed content of PULUMI_CONFIG_PASSPHRASE_FILE. */
function passphraseFromEnvironment(): string | undefined {
    const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined || !file) {
        return process.env.PULUMI_CONFIG_PASSPHRASE;
    }
    try {
        return fs.readFileSync(file, "utf8").trim();
    } catch {
        throw new UsageError(`cannot read PULUMI_CONFIG_PASSPHRASE_FILE ${file}`);
    }
}

/** The views of a plan load @pulumi/pulumi (as assembling one does), so they are required only once there is a plan. */
function views(): typeof import("./json") & typeof import("./report") & typeof import("./render") {
    return { ...(require("./json") as typeof import("./json")), ...(require("./report") as typeof import("./report")), ...(require("./render") as typeof import("./render")) };
}

function output(plan: Plan, args: PlanArgs): string {
    const { planJson, textReport } = views();
    if (args.json) {
        return JSON.stringify(planJson(plan), null, 2);
    }
    return args.graph ? mermaidGraph(plan.model) : textReport(plan);
}

async function run(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv);
    if (args === "help") {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.ok;
    }
    const policyConfig = readPolicyConfig(args.policyConfigFile);
    const plan = await assemblePlan({ stack: args.stack, configFile: configFileOf(args.configFile), policyConfig, passphrase: passphraseFromEnvironment() });
    const { renderPlan, staleFiles, writeRendered } = views();
    // Rendered before anything is printed: a plan that cannot be rendered is reported alone.
    const rendered = args.renderDir === undefined ? undefined : renderPlan(plan);
    process.stdout.write(`${output(plan, args)}\n`);
    if (args.renderDir !== undefined && rendered) {
        const stale = staleFiles(args.renderDir, rendered);
        writeRendered(args.renderDir, rendered);
        // Only the document goes to stdout with --json and --graph, so that it can be piped.
        const log = args.json || args.graph ? process.stderr : process.stdout;
        log.write(`\nRendered ${rendered.length} files into ${args.renderDir}: ${rendered.map((f) => f.path).join(", ")}\n`);
        if (stale.length > 0) {
            log.write(`Note: ${args.renderDir} also holds ${stale.join(", ")}, which this plan did not write; remove them before applying the directory by hand.\n`);
        }
    }
    return mandatoryViolations(plan.verdicts).length > 0 ? EXIT.mandatoryFailed : EXIT.ok;
}

run(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        if (isOperatorError(error)) {
            process.stderr.write(`${error.message}\n`);
            process.exitCode = EXIT.invalid;
        } else {
            process.stderr.write(`internal error in the plan (please report it):\n${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
            process.exitCode = EXIT.internal;
        }
    },
);
