import { isRecord } from "../../lib/unknown";
import { labelMap } from "../../captured/labels";

// Provider units back to Compose syntax: nano-CPUs to CPUs, bytes and megabytes to exact memory sizes
// (@pulumi/docker: a Service's `memoryBytes` is bytes and `nanoCpus` 1e-9 CPU, a Container's `memory`
// is MB); and `$` escaped, because Compose and `docker stack deploy` interpolate `${VAR}` in every
// string, while the planned values mean a literal `$`.

/** nano-CPUs (1e-9 CPU) as Compose's decimal CPU string: 2500000000 -> "2.5". */
export function cpusFromNano(nanoCpus: number): string {
    return String(Math.round(nanoCpus) / 1e9);
}

/** Bytes as an exact Compose size, in the largest unit that divides them ("32g", "1536m", "1000b"). */
export function memoryFromBytes(bytes: number): string {
    for (const [unit, size] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
        if (bytes >= size && bytes % size === 0) {
            return `${bytes / size}${unit}`;
        }
    }
    return `${bytes}b`;
}

/** Container memory inputs are megabytes. */
export function memoryFromMegabytes(megabytes: number): string {
    return memoryFromBytes(megabytes * 1024 * 1024);
}

/** Every string in a document with `$` doubled, so Compose reads it literally. */
export function escapeDollars<T>(value: T): T {
    if (typeof value === "string") {
        return value.replace(/\$/g, "$$$$") as T;
    }
    if (Array.isArray(value)) {
        return value.map(escapeDollars) as T;
    }
    if (isRecord(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)])) as T;
    }
    return value;
}

/** Label list ([{label, value}]) as a Compose label map; none when the list is empty. */
export function labelsMap(value: unknown): Record<string, string> | undefined {
    return Array.isArray(value) && value.length > 0 ? labelMap(value) : undefined;
}

/** Drops unset entries (undefined, empty lists and maps) so the YAML shows only what is set. */
export function compact<T extends Record<string, unknown>>(record: T): Partial<T> {
    return Object.fromEntries(Object.entries(record).filter(([, v]) => !isUnset(v))) as Partial<T>;
}

function isUnset(value: unknown): boolean {
    return value === undefined || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

/** A list of strings, or undefined when there is none. */
export function strings(value: unknown): string[] | undefined {
    return Array.isArray(value) && value.length > 0 ? value.map(String) : undefined;
}

/** A map with string values (environment, options), or undefined when empty. */
export function stringMap(value: unknown): Record<string, string> | undefined {
    return isRecord(value) && Object.keys(value).length > 0 ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : undefined;
}
