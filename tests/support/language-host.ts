import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/load";
import { startEngineDouble, type EngineDoubleOptions, type Recording } from "./engine-double";

// Starts the program and the policy pack exactly as pulumi-language-nodejs does
// (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go), so that a test goes through
// @pulumi/pulumi's own entry points, Pulumi.yaml, package.json `main`, tsconfig and the export:
// - the program: `node <@pulumi/pulumi>/cmd/run --monitor A --engine A --organization O --project P
//   --root-directory DIR --stack S --pwd DIR [--dry-run] --parallel N <entry point>` (constructArguments),
//   with the stack's decrypted config in PULUMI_CONFIG as {"<namespace>:config:<name>": text}
//   (constructConfig), the secret keys in PULUMI_CONFIG_SECRET_KEYS (constructConfigSecretKeys), and
//   PULUMI_NODEJS_TYPESCRIPT=true unless Pulumi.yaml's runtime option `typescript` is false
//   (parseOptions). `--sync` is left out: it serves synchronous invokes, which the program makes none of.
// - the pack (RunPlugin, kind analyzer): `node <@pulumi/pulumi>/cmd/run-policy-pack <engine> <pack dir>`
//   with the pack directory as working directory and the config the engine sent in ConfigureStack as
//   PULUMI_CONFIG ({"<namespace>:<name>": text}), with PULUMI_NODEJS_STACK, _PROJECT, _ORGANIZATION, _DRY_RUN.

export const ORGANIZATION = "organization";

/** What the engine holds for a stack: its decrypted config and the keys that are secret. */
export interface EngineConfig {
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
}

export interface ProgramRunRequest extends EngineConfig {
    readonly stack: string;
    readonly dryRun: boolean;
    readonly stackOutputs?: EngineDoubleOptions["stackOutputs"];
}

export interface ProgramRun {
    readonly exitCode: number | null;
    readonly stderr: string;
    readonly recording: Recording;
}

interface ProjectFile {
    readonly name: string;
    readonly main?: string;
    readonly runtime: string | { readonly name: string; readonly options?: { readonly typescript?: boolean } };
}

function projectFile(): ProjectFile {
    return parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** The environment of the test process without its own Pulumi settings (the mock runtime's, CI's). */
function baseEnvironment(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("PULUMI_")));
}

/** The program's PULUMI_CONFIG: each `namespace:name` key as `namespace:config:name`. */
function programConfig(config: Readonly<Record<string, string>>): string {
    return JSON.stringify(Object.fromEntries(Object.entries(config).map(([key, value]) => {
        const colon = key.indexOf(":");
        return [`${key.slice(0, colon)}:config:${key.slice(colon + 1)}`, value];
    })));
}

function collect(child: ReturnType<typeof spawn>): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
    });
}

/** Runs index.ts through `@pulumi/pulumi/cmd/run` against a recording engine double. */
export async function runProgram(request: ProgramRunRequest): Promise<ProgramRun> {
    const project = projectFile();
    const double = await startEngineDouble({ project: project.name, stack: request.stack, dryRun: request.dryRun, stackOutputs: request.stackOutputs });
    const runtime = typeof project.runtime === "string" ? { name: project.runtime } : project.runtime;
    const args = [
        path.dirname(require.resolve("@pulumi/pulumi/cmd/run", { paths: [PROJECT_ROOT] })),
        "--monitor", double.address, "--engine", double.address,
        "--organization", ORGANIZATION, "--project", project.name,
        "--root-directory", PROJECT_ROOT, "--stack", request.stack, "--pwd", PROJECT_ROOT,
        ...(request.dryRun ? ["--dry-run"] : []),
        "--parallel", "4",
        project.main ?? ".",
    ];
    const env = {
        ...baseEnvironment(),
        PULUMI_CONFIG: programConfig(request.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.secretKeys),
        ...(runtime.options?.typescript === false ? {} : { PULUMI_NODEJS_TYPESCRIPT: "true" }),
    };
    try {
        const { exitCode, stderr } = await collect(spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
        return { exitCode, stderr, recording: double.recording };
    } finally {
        await double.stop();
    }
}

/** The pack's process environment, as the language host builds it from ConfigureStack. */
export function packEnvironment(stack: string, engine: EngineConfig, dryRun = true): NodeJS.ProcessEnv {
    return {
        ...baseEnvironment(),
        PULUMI_CONFIG: JSON.stringify(engine.config),
        PULUMI_NODEJS_ORGANIZATION: ORGANIZATION,
        PULUMI_NODEJS_PROJECT: projectFile().name,
        PULUMI_NODEJS_STACK: stack,
        PULUMI_NODEJS_DRY_RUN: String(dryRun),
    };
}

/** The command line that starts the pack in the policy/ folder: [program, ...args]. */
export function packCommand(engineAddress: string): string[] {
    const packDir = path.join(PROJECT_ROOT, "policy");
    return [process.execPath, path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] })), engineAddress, packDir];
}
