import type { z } from "zod";
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
 * Thrown before any resource is registered when the topology or the stack config is invalid.
 * Its message lists every problem found, not only the first, so one edit can fix them all.
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
                const known = objectKeysAt(schema, issue.path);
                problems.push({
                    file,
                    path: renderPath(pathPrefix, [...issue.path, key], raw),
                    message: `unknown key "${key}"`,
                    fix: unknownKeyFix(key, known),
                });
            }
            continue;
        }
        // Format checks carry their own advice after "Fix:"; the generic advice covers the rest.
        const [message, ownFix] = issue.message.split(/\.?\s+Fix:\s+/, 2);
        problems.push({
            file,
            path: renderPath(pathPrefix, issue.path, raw),
            message,
            fix: ownFix ?? fixFor(issue),
        });
    }
    return problems;
}

/**
 * Plain-language messages for the issues zod words for programmers ("Invalid input: expected number,
 * received string"). Passed as the `error` option of safeParse; undefined keeps zod's message.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
    if (issue.code === "invalid_type") {
        const expected = issue.expected === "int" ? "whole number" : issue.expected;
        return issue.input === undefined ? "is missing" : `${JSON.stringify(issue.input)} is not a ${expected}`;
    }
    return undefined;
}

function fixFor(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_type":
            return issue.input === undefined
                ? `add this key (it is required and has no default)`
                : `write a ${issue.expected === "int" ? "whole number" : issue.expected} here`;
        case "invalid_value":
            return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "too_small":
            return `use a value of at least ${String(issue.minimum)}`;
        case "too_big":
            return `use a value of at most ${String(issue.maximum)}`;
        default:
            return "the README's configuration reference lists every key and its format";
    }
}

function unknownKeyFix(key: string, known: readonly string[]): string {
    const suggestion = closest(key, known);
    const list = known.length > 0 ? `known keys here: ${known.join(", ")}` : "this object takes no keys";
    return suggestion ? `did you mean "${suggestion}"? (${list})` : `remove it (${list})`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
