import * as fs from "fs";
import * as path from "path";
import { ConfigError, problemsFromZod, throwIfProblems, type ConfigProblem } from "./errors";
import { SECRET_KEYS, stackConfigSchema, type StackConfig } from "./schema/stack";
import { topologySchema, type Topology } from "./schema/topology";
import { machineClaimProblems, NAMESPACE, namespaceProblems, noSettingsProblem, parseYamlMap, PROJECT_ROOT } from "./stack-document";
import { validateTopology, type Sources } from "./validate";
import { validateStack } from "./validate-stack";

// The edge of the program and its validation of the operator's files: files and raw config in, a
// validated topology and stack config out (model/load.ts derives the model from them). Nothing here
// registers resources, so a ConfigError thrown here stops `pulumi up` (and the plan) before anything
// changes. The rules themselves live in the schemas (one value at a time), in config/validate*.ts
// (across values and files) and in stack-document.ts (the files); model/validate-platform.ts checks
// what only the derived model shows.

export { NAMESPACE, PROJECT_ROOT };

/** Reads and validates a topology file (path relative to the project root, or absolute). */
export function loadTopology(file: string, stackFile?: string): Topology {
    const absolute = path.resolve(PROJECT_ROOT, file);
    let text: string;
    try {
        text = fs.readFileSync(absolute, "utf8");
    } catch {
        throw new ConfigError([stackFile === undefined
            ? { file, path: "(file)", message: `cannot read ${absolute}`, fix: "check the path" }
            : { file: stackFile, path: `${NAMESPACE}:topology`, message: `there is no topology file ${absolute}`, fix: "check the path (relative to the project), or remove the key to use config/topology.yaml" }]);
    }
    // The plan loads a topology, then runs the program, which loads it again: parsing and validating a
    // large topology dominates both, so a valid one is remembered by its exact text.
    const cached = validatedTopologies.get(absolute);
    if (cached?.text === text) {
        return cached.topology;
    }
    const topology = parseTopology(text, file);
    validatedTopologies.set(absolute, { text, topology });
    return topology;
}

const validatedTopologies = new Map<string, { readonly text: string; readonly topology: Topology }>();

function parseTopology(text: string, file: string): Topology {
    const raw = parseYamlMap(text, file, "config/topology.yaml");
    const parsed = topologySchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
        throw new ConfigError(problemsFromZod(parsed.error, topologySchema, file, raw));
    }
    throwIfProblems(validateTopology(parsed.data, file));
    return parsed.data;
}

/**
 * Turns Pulumi's flat config map (`cascade:capacity` -> JSON text) into the object the schema reads.
 * Keys of other namespaces are not read (namespaceProblems reports the ones that look like mistakes).
 */
export function stackConfigFromPulumi(config: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith(`${NAMESPACE}:`)) {
            continue;
        }
        const name = key.slice(NAMESPACE.length + 1);
        raw[name] = decodeValue(name, value);
    }
    return raw;
}

/** Structured values arrive as JSON text; plain values stay strings (a numeric password stays text). */
function decodeValue(name: string, value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed) as unknown;
        } catch {
            return value;
        }
    }
    if (!(SECRET_KEYS as readonly string[]).includes(name) && (trimmed === "true" || trimmed === "false")) {
        return trimmed === "true";
    }
    return value;
}

/** Secret keys must be stored encrypted: a plain-text password in a committed file is a leak. */
function plaintextSecretProblems(raw: Record<string, unknown>, secretKeys: ReadonlySet<string>, file: string): ConfigProblem[] {
    return SECRET_KEYS.filter((key) => key in raw && !secretKeys.has(`${NAMESPACE}:${key}`)).map((key) => ({
        file,
        path: `${NAMESPACE}:${key}`,
        message: "is stored in plain text",
        fix: `remove it from ${file} and set it again with: pulumi config set --secret ${NAMESPACE}:${key} ...`,
    }));
}

/** Which stack of which project: the stack names its file and the machine claims of the others. */
export interface StackIdentity {
    readonly project: string;
    readonly stack: string;
}

export interface LoadInput {
    /** Pulumi's flat config map. */
    readonly config: Readonly<Record<string, string>>;
    /** Fully qualified keys that Pulumi holds as secrets. */
    readonly secretKeys: ReadonlySet<string>;
    /** The file the operator edits for this stack, named in every message. */
    readonly stackFile: string;
    readonly identity: StackIdentity;
    /**
     * Whether to read the checkout's other stack files for the one-stack-per-machine rule (default
     * true). The policy pack judges the config the engine handed it and reads no stack file.
     */
    readonly checkOtherStacks?: boolean;
}

export interface ValidatedStack {
    /** The files the operator edits, named in every message about them. */
    readonly sources: Sources;
    readonly topology: Topology;
    readonly config: StackConfig;
}

/** Validates the stack config and its topology; throws one ConfigError listing every problem. */
export function validateStackConfig(input: LoadInput): ValidatedStack {
    const file = input.stackFile;
    const raw = stackConfigFromPulumi(input.config);
    const problems = [...namespaceProblems(Object.keys(input.config), file), ...plaintextSecretProblems(raw, input.secretKeys, file)];
    const parsed = stackConfigSchema.safeParse(raw, { reportInput: true });
    const noSettings = noSettingsProblem(raw, file);
    if (noSettings) {
        problems.push(noSettings);
    }
    if (!parsed.success) {
        const schemaProblems = problemsFromZod(parsed.error, stackConfigSchema, file, raw, `${NAMESPACE}:`).map(fixConfigPath);
        // Without any settings, "machine is missing" and the like would only repeat that one problem.
        problems.push(...schemaProblems.filter((p) => !(noSettings && p.message === "is missing" && !p.path.includes("."))));
    }
    // The topology is read even when the stack config is invalid, so that one run lists both files' problems.
    const topologyFile = parsed.success ? parsed.data.topology : typeof raw.topology === "string" && raw.topology !== "" ? raw.topology : "config/topology.yaml";
    let topology: Topology | undefined;
    try {
        topology = loadTopology(topologyFile, file);
    } catch (error) {
        if (!(error instanceof ConfigError)) {
            throw error;
        }
        problems.push(...error.problems);
    }
    if (!parsed.success || topology === undefined) {
        throw new ConfigError(problems);
    }
    const config = parsed.data;
    const sources: Sources = { topologyFile, stackFile: file };
    problems.push(...validateStack(topology, config, sources));
    if (input.checkOtherStacks ?? true) {
        problems.push(...machineClaimProblems(input.identity.stack, config.machine, file));
    }
    throwIfProblems(problems);
    return { sources, topology, config };
}

/** `cascade:.capacity` reads `cascade:capacity`: the namespace is not an object key. */
function fixConfigPath(problem: ConfigProblem): ConfigProblem {
    return { ...problem, path: problem.path.replace(`${NAMESPACE}:.`, `${NAMESPACE}:`) };
}
