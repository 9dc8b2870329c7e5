import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { buildModel, type ModelIdentity } from "../model/build";
import type { CascadeModel } from "../model/types";
import { validateStack, validateTopology, type Sources } from "../model/validate";
import { ConfigError, plainIssueMessage, problemsFromZod, throwIfProblems, type ConfigProblem } from "./errors";
import { SECRET_KEYS, stackConfigSchema, type StackConfig } from "./schema/stack";
import { topologySchema, type Topology } from "./schema/topology";

// The edge of the program: files and raw config in, a validated model out. Nothing here registers
// resources, so a ConfigError thrown here stops `pulumi up` before anything changes.

export const NAMESPACE = "cascade";

/** The project root: where Pulumi.yaml and config/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Reads and validates a topology file (path relative to the project root, or absolute). */
export function loadTopology(file: string): Topology {
    const absolute = path.resolve(PROJECT_ROOT, file);
    let text: string;
    try {
        text = fs.readFileSync(absolute, "utf8");
    } catch {
        throw new ConfigError([{ file, path: "(file)", message: `cannot read ${absolute}`, fix: "check cascade:topology in the stack config" }]);
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
    const document = parseDocument(text);
    if (document.errors.length > 0) {
        throw new ConfigError(document.errors.map((e) => ({
            file,
            path: `line ${e.linePos?.[0].line ?? "?"}`,
            message: e.message.split("\n")[0],
            fix: "correct the YAML syntax at that line",
        })));
    }
    const raw: unknown = document.toJS();
    const parsed = topologySchema.safeParse(raw, { reportInput: true, error: plainIssueMessage });
    if (!parsed.success) {
        throw new ConfigError(problemsFromZod(parsed.error, topologySchema, file, raw));
    }
    throwIfProblems(validateTopology(parsed.data, file));
    return parsed.data;
}

/**
 * Turns Pulumi's flat config map (`cascade:capacity` -> JSON text) into the object the schema reads.
 * Keys of other namespaces (for example `docker:host`) are not ours and are left alone.
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

export interface LoadInput {
    /** Pulumi's flat config map. */
    readonly config: Readonly<Record<string, string>>;
    /** Fully qualified keys that Pulumi holds as secrets. */
    readonly secretKeys: ReadonlySet<string>;
    /** The file the operator edits for this stack, named in every message. */
    readonly stackFile: string;
    readonly identity: ModelIdentity;
}

export interface LoadedStack {
    /** The files the operator edits, named in every message about them. */
    readonly sources: Sources;
    readonly topology: Topology;
    readonly config: StackConfig;
    readonly model: CascadeModel;
}

/** Validates everything and derives the model; throws one ConfigError listing every problem. */
export function loadStack(input: LoadInput): LoadedStack {
    const raw = stackConfigFromPulumi(input.config);
    const problems = plaintextSecretProblems(raw, input.secretKeys, input.stackFile);
    const parsed = stackConfigSchema.safeParse(raw, { reportInput: true, error: plainIssueMessage });
    if (!parsed.success) {
        const prefixed = problemsFromZod(parsed.error, stackConfigSchema, input.stackFile, raw, `${NAMESPACE}:`);
        throw new ConfigError([...problems, ...prefixed.map(fixConfigPath)]);
    }
    throwIfProblems(problems);
    const topology = loadTopology(parsed.data.topology);
    const sources: Sources = { topologyFile: parsed.data.topology, stackFile: input.stackFile };
    throwIfProblems(validateStack(topology, parsed.data, sources));
    return { sources, topology, config: parsed.data, model: buildModel(topology, parsed.data, input.identity) };
}

/** `cascade:.capacity` reads `cascade:capacity`: the namespace is not an object key. */
function fixConfigPath(problem: ConfigProblem): ConfigProblem {
    return { ...problem, path: problem.path.replace(`${NAMESPACE}:.`, `${NAMESPACE}:`) };
}
