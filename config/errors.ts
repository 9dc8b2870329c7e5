import { distance } from "fastest-levenshtein";
import type { z } from "zod";
import { isRecord } from "../lib/unknown";
import { objectKeysAt } from "./schema-keys";

/** One problem in the operator's input, located precisely enough to fix without reading code. */
export interface ConfigProblem {
    /** The file the operator edits: `config/topology.yaml` or `Pulumi.<stack>.yaml`. */
    readonly file: string;
    /** The key path inside that file, for example `groups[cascade-core].agents[ServiceRegistry].port`. */
    readonly path: string;
    /** What is wrong. */
    readonly message: string;
    /** What to do about it. */
    readonly fix: string;
}

/**
 * The one error type of the validation layer, thrown before any resource is registered when the
 * topology, the stack config or the stack file is invalid. Its message lists every problem found,
 * not only the first, so one edit can fix them all.
 */
export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.file}: ${p.path}: ${p.message}\n    Fix: ${p.fix}`);
    return `Invalid Cascade configuration (${count}):\n${lines.join("\n")}`;
}

/** Throws a ConfigError when there is anything to report. */
export function throwIfProblems(problems: readonly ConfigProblem[]): void {
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
}

/**
 * Renders a zod issue path, naming array elements by their `name` when they have one, so that
 * `groups.2.agents.1.port` reads `groups[cascade-request-handler].agents[NLUAgent].port`.
 */
export function renderPath(prefix: string, path: readonly PropertyKey[], raw: unknown): string {
    let rendered = prefix;
    let node: unknown = raw;
    for (const key of path) {
        const child = isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined;
        if (typeof key === "number") {
            const name = isRecord(child) && typeof child.name === "string" ? child.name : String(key);
            rendered += `[${name}]`;
        } else {
            rendered += rendered === "" ? String(key) : `.${String(key)}`;
        }
        node = child;
    }
    return rendered === "" ? "(top level)" : rendered;
}

/** Turns zod's issues into problems that name the file, the key path and a fix. */
export function problemsFromZod(
    error: z.ZodError,
    schema: z.ZodType,
    file: string,
    raw: unknown,
    pathPrefix = "",
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                problems.push({
                    file,
                    path: renderPath(pathPrefix, [...issue.path, key], raw),
                    message: `unknown key "${key}"`,
                    fix: unknownKeyFix(key, objectKeysAt(schema, issue.path)),
                });
            }
            continue;
        }
        const { message, fix } = describeIssue(issue, objectKeysAt(schema, issue.path));
        problems.push({ file, path: renderPath(pathPrefix, issue.path, raw), message, fix });
    }
    return problems;
}

/**
 * Message and fix of one zod issue. The schemas word their own checks as "<message>. Fix: <fix>";
 * zod's built-in checks are worded for programmers ("Invalid input: expected object, received
 * string"), so those are reworded here from the issue's data, never from zod's text.
 */
function describeIssue(issue: z.core.$ZodIssue, keys: readonly string[]): { message: string; fix: string } {
    const input = (issue as { input?: unknown }).input;
    // A schema's own wording wins, also for a bad record key (its issue wraps the key's issues).
    const own = [issue, ...(issue.code === "invalid_key" ? issue.issues : [])].map((i) => i.message).find((m) => /\sFix:\s/.test(m));
    if (own) {
        const [message, fix] = own.split(/\.?\s+Fix:\s+/, 2);
        return { message, fix };
    }
    if (input === undefined) {
        return { message: "is missing", fix: keys.length > 0 ? `add it, with the keys ${keys.join(", ")}` : "add this key: it is required and has no default" };
    }
    if (input === null) {
        return { message: "is empty", fix: "write its value after the colon, or remove the key" };
    }
    switch (issue.code) {
        case "invalid_type":
            return wrongType(issue.expected, input, keys);
        case "invalid_value": {
            const allowed = issue.values.map((v) => JSON.stringify(v));
            const suggestion = typeof input === "string" ? closest(input, issue.values.map(String)) : undefined;
            return {
                message: `${show(input)} is not one of ${allowed.join(", ")}`,
                fix: suggestion ? `did you mean "${suggestion}"?` : `use one of: ${allowed.join(", ")}`,
            };
        }
        case "too_small":
            return issue.origin === "array"
                ? { message: `has ${Array.isArray(input) ? input.length : 0} entries, fewer than ${String(issue.minimum)}`, fix: `give it at least ${String(issue.minimum)}` }
                : issue.origin === "string"
                    ? { message: `is shorter than ${String(issue.minimum)} characters`, fix: `write at least ${String(issue.minimum)} characters` }
                    : { message: `${show(input)} is below the minimum of ${String(issue.minimum)}`, fix: `use a value of at least ${String(issue.minimum)}` };
        case "too_big":
            return issue.origin === "string"
                ? { message: `is longer than ${String(issue.maximum)} characters`, fix: `write at most ${String(issue.maximum)} characters` }
                : { message: `${show(input)} is above the maximum of ${String(issue.maximum)}`, fix: `use a value of at most ${String(issue.maximum)}` };
        default:
            return { message: `${show(input)} is not a valid value here`, fix: "the README's configuration section lists every key and its format" };
    }
}

const TYPE_WORDS: Readonly<Record<string, readonly [string, string]>> = {
    object: ["a map of keys", "write it as a map of keys"],
    record: ["a map", "write it as a map, e.g. { name: value }"],
    array: ["a list", "write it as a list, e.g. [a, b]"],
    boolean: ["true or false", "write true or false, without quotes"],
    number: ["a number", "write a number, without quotes or units"],
    int: ["a whole number", "write a whole number, without quotes or units"],
    string: ["text", "quote the value, e.g. \"1.0\""],
};

function wrongType(expected: string, input: unknown, keys: readonly string[]): { message: string; fix: string } {
    const [noun, fix] = TYPE_WORDS[expected] ?? [expected, `write ${expected} here`];
    return {
        message: `${show(input)} is ${kindOf(input)}, not ${noun}`,
        fix: expected === "object" && keys.length > 0 ? `${fix}: ${keys.join(", ")}` : fix,
    };
}

/** What kind of YAML value the operator wrote, in words. */
function kindOf(value: unknown): string {
    if (Array.isArray(value)) {
        return "a list";
    }
    switch (typeof value) {
        case "string":
            return "text";
        case "number":
            return Number.isInteger(value) ? "a whole number" : "a number";
        case "boolean":
            return "true/false";
        case "object":
            return "a map";
        default:
            return typeof value;
    }
}

/** A value as the operator would recognise it, shortened so that a pasted blob stays readable. */
export function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function unknownKeyFix(key: string, known: readonly string[]): string {
    const suggestion = closest(key, known);
    const list = known.length > 0 ? `known keys here: ${known.join(", ")}` : "this object takes no keys";
    return suggestion ? `did you mean "${suggestion}"? (${list})` : `remove it (${list})`;
}

/** The candidate nearest to a misspelled word, when one is near enough to be what was meant. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
    for (const candidate of candidates) {
        const d = distance(word.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

/** "did you mean X? (or one of: ...)" when a near name exists, else "use one of: ...". */
export function chooseFrom(word: string, candidates: readonly string[], what = "use one of"): string {
    if (candidates.length === 0) {
        return `${what}: (none are defined yet)`;
    }
    const suggestion = closest(word, candidates);
    const list = candidates.join(", ");
    return suggestion ? `did you mean "${suggestion}"? (${what}: ${list})` : `${what}: ${list}`;
}
