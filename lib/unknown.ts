// Readers for values whose shape nothing has checked yet: parsed YAML, zod's issue inputs, resource
// inputs as a provider receives them. Each returns undefined (or empty) instead of throwing, so the
// caller says what it expected. Nothing here knows about Cascade.

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested property, or undefined when any step is missing. */
export function propAt(value: unknown, ...path: readonly string[]): unknown {
    let current = value;
    for (const key of path) {
        if (!isRecord(current)) {
            return undefined;
        }
        current = current[key];
    }
    return current;
}

export function asArray(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return Number(value);
    }
    return undefined;
}
