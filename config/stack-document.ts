import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { chooseFrom, closest, ConfigError, show, throwIfProblems, type ConfigProblem } from "./errors";

// The files the operator writes, read as files before their content is validated: a stack file or a
// topology that is not YAML, is binary, or keeps its settings where Pulumi never looks is reported as
// such, instead of as a list of "missing" keys. Also the rules across stack files: one stack per machine.

export const NAMESPACE = "cascade";

/** The project root: where Pulumi.yaml and config/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The top-level keys of a Pulumi stack file (pulumi/pulumi sdk/go/common/workspace ProjectStack). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/** Namespaces besides ours that a stack file may hold: the engine's own settings. */
const OTHER_NAMESPACES = new Set(["pulumi"]);

const problem = (file: string, at: string, message: string, fix: string): ConfigProblem => ({ file, path: at, message, fix });

/**
 * Parses a YAML file's text into plain data, or throws a ConfigError naming the file: binary content,
 * YAML syntax errors with their line, and a top level that is not a map are reported as what they are.
 */
export function parseYamlMap(text: string, file: string, example: string): Record<string, unknown> {
    // A NUL byte or bytes that are not UTF-8 (decoded as U+FFFD) mean the file is not text at all.
    if (/[\u0000\uFFFD]/.test(text)) {
        throw new ConfigError([problem(file, "(file)", "is not UTF-8 text: it holds binary data or another encoding", `replace it with YAML saved as UTF-8, as in ${example}`)]);
    }
    const document = parseDocument(text);
    if (document.errors.length > 0) {
        throw new ConfigError(document.errors.map((e) =>
            problem(file, `line ${e.linePos?.[0].line ?? "?"}`, e.message.split("\n")[0], "correct the YAML syntax at that line")));
    }
    const data: unknown = document.toJS();
    if (data === null || data === undefined) {
        throw new ConfigError([problem(file, "(file)", "is empty", `write its settings, as in ${example}`)]);
    }
    if (typeof data !== "object" || Array.isArray(data)) {
        throw new ConfigError([problem(file, "(top level)", `is ${Array.isArray(data) ? "a list" : `the single value ${show(data)}`}, not a map of keys`, `write its settings as keys, as in ${example}`)]);
    }
    return data as Record<string, unknown>;
}

/** A stack file's top level: `config:` (always a map here) beside the secrets provider's keys. */
export interface StackDocument {
    readonly config: Record<string, unknown>;
    readonly [key: string]: unknown;
}

/**
 * A Pulumi stack file, checked as a file. Settings written at the top level (`cascade:machine:`
 * without `config:` above it) are ignored by Pulumi, so they are reported where they are.
 */
export function parseStackDocument(text: string, file: string): StackDocument {
    const document = parseYamlMap(text, file, "Pulumi.mainpc.yaml");
    const problems: ConfigProblem[] = [];
    for (const key of Object.keys(document).filter((k) => !STACK_FILE_KEYS.includes(k))) {
        if (key.includes(":")) {
            problems.push(problem(file, key, "is at the top level of the file, where Pulumi does not read it", "indent it under config: (every setting of a stack lives under config:)"));
        } else {
            const suggestion = closest(key, STACK_FILE_KEYS);
            problems.push(problem(file, key, `unknown top-level key "${key}"`,
                suggestion ? `did you mean "${suggestion}"? (a stack file holds: ${STACK_FILE_KEYS.join(", ")})` : `remove it (a stack file holds: ${STACK_FILE_KEYS.join(", ")})`));
        }
    }
    const config = document.config;
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config))) {
        problems.push(problem(file, "config", `is ${show(config)}, not a map of settings`, "write the settings under it, one per line, e.g. cascade:machine: mainpc"));
    }
    throwIfProblems(problems);
    return { ...document, config: (config ?? {}) as Record<string, unknown> };
}

/**
 * Keys of the flat config map that this program would silently ignore: a misspelled namespace
 * (`cascde:budget`), a key without one, or another program's namespace. `docker:` and `kubernetes:`
 * configure default providers, which this program never uses: its providers are explicit.
 */
export function namespaceProblems(keys: readonly string[], file: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? "" : key.slice(0, colon);
        const name = key.slice(colon + 1);
        if (namespace === NAMESPACE || OTHER_NAMESPACES.has(namespace)) {
            continue;
        }
        if (colon < 0) {
            problems.push(problem(file, key, "has no namespace, so Pulumi does not hand it to this program", `write it as ${NAMESPACE}:${key}`));
        } else if (closest(namespace, [NAMESPACE]) !== undefined) {
            problems.push(problem(file, key, `unknown namespace "${namespace}": the program reads only ${NAMESPACE}: keys, so this setting would be ignored`, `did you mean "${NAMESPACE}:${name}"?`));
        } else if (namespace === "docker" || namespace === "kubernetes") {
            problems.push(problem(file, key, `configures Pulumi's default ${namespace} provider, which this program never uses (its providers are explicit), so it would be ignored`,
                namespace === "docker" ? `use ${NAMESPACE}:docker.managerHost and ${NAMESPACE}:docker.engineHost` : `use ${NAMESPACE}:kubernetes.context`));
        } else {
            problems.push(problem(file, key, `unknown namespace "${namespace}": the program reads only ${NAMESPACE}: keys, so this setting would be ignored`, `remove it, or write it as ${NAMESPACE}:${name} if it is one of this program's settings`));
        }
    }
    return problems;
}

/** The settings every stack file needs; when all are missing, the file's settings are elsewhere. */
const REQUIRED = ["machine", "capacity", "images"];

/**
 * One problem instead of three "is missing" when a stack has none of its required settings: they
 * are most often written at the top level of the file, where Pulumi does not read them.
 */
export function noSettingsProblem(raw: Readonly<Record<string, unknown>>, file: string): ConfigProblem | undefined {
    return REQUIRED.some((key) => key in raw) ? undefined : problem(file, "config", `holds none of the settings every stack needs (${REQUIRED.map((k) => `${NAMESPACE}:${k}`).join(", ")})`,
        `write them under config: (indented below it), as in Pulumi.mainpc.yaml`);
}

/** The stacks that have a config file in the project: Pulumi.<stack>.yaml. */
export function stackNames(): string[] {
    return fs.readdirSync(PROJECT_ROOT)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** "there is no Pulumi.foo.yaml" with the stacks that do have a file, for a stack name given by hand. */
export function missingStackFile(file: string): ConfigError {
    const stacks = stackNames();
    const stack = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1];
    return new ConfigError([problem(file, "(file)", "does not exist",
        stack !== undefined && stacks.length > 0
            ? `${chooseFrom(stack, stacks, "the stacks with a config file are")}; or create ${file} for a new stack`
            : `check the path${stacks.length > 0 ? `; the stacks with a config file are: ${stacks.join(", ")}` : ""}`)]);
}

/**
 * One stack per machine: another stack file that deploys the same machine (a copied Pulumi.pc2.yaml
 * that still says `machine: mainpc`) would create the same services twice. Files that do not parse
 * are that stack's own problem and are skipped here.
 */
export function machineClaimProblems(stack: string, machine: string, file: string): ConfigProblem[] {
    const others: string[] = [];
    for (const name of stackNames().filter((n) => n !== stack)) {
        const other = `Pulumi.${name}.yaml`;
        try {
            const { config } = parseStackDocument(fs.readFileSync(path.join(PROJECT_ROOT, other), "utf8"), other);
            if (config[`${NAMESPACE}:machine`] === machine) {
                others.push(`${name} (${other})`);
            }
        } catch {
            continue;
        }
    }
    return others.length === 0 ? [] : [problem(file, `${NAMESPACE}:machine`,
        `machine "${machine}" is already deployed by stack ${others.join(" and ")}: two stacks would create the same services`,
        `set ${NAMESPACE}:machine to the machine this stack deploys, or remove the other stack's file`)];
}
