import { z } from "zod";

// Reads object keys out of a schema through zod's public API: the schema classes (instanceof
// z.ZodObject, .shape, .element, .valueType) and each schema's typed `.def` (zod 4's ZodType.def, of
// which `_def` is the deprecated alias), not the internal `_zod` record.

/** Strips the wrappers that do not change an object's keys (optional, default, transforms). */
function unwrap(schema: z.ZodType): z.ZodType {
    let current = schema;
    for (;;) {
        const def = current.def;
        const inner = "innerType" in def ? def.innerType : def.type === "pipe" && "in" in def ? def.in : undefined;
        if (!(inner instanceof z.ZodType)) {
            return current;
        }
        current = inner;
    }
}

/**
 * The keys an object schema accepts at a data path, so that an unknown key can be answered with
 * "did you mean ...". Returns [] where the path does not lead to an object schema.
 */
export function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let current: z.ZodType | undefined = unwrap(schema);
    for (const key of path) {
        let next: unknown;
        if (current instanceof z.ZodObject) {
            next = (current.shape as Record<string, unknown>)[String(key)];
        } else if (current instanceof z.ZodArray) {
            next = current.element;
        } else if (current instanceof z.ZodRecord) {
            next = current.valueType;
        } else {
            return [];
        }
        current = next instanceof z.ZodType ? unwrap(next) : undefined;
    }
    return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}
