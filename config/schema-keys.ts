import type { z } from "zod";

/** The subset of zod's internal definition this walker reads; zod 4 exposes it as `_zod.def`. */
interface SchemaDefinition {
    readonly type: string;
    readonly shape?: Record<string, z.ZodType>;
    readonly element?: z.ZodType;
    readonly innerType?: z.ZodType;
    readonly valueType?: z.ZodType;
    readonly in?: z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
    return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** Strips the wrappers that do not change an object's keys (optional, default, transforms). */
function unwrap(schema: z.ZodType): z.ZodType {
    let current = schema;
    for (;;) {
        const def = definitionOf(current);
        const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
        if (!inner) {
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
        if (!current) {
            return [];
        }
        const def = definitionOf(current);
        if (def.type === "object" && def.shape) {
            current = def.shape[String(key)];
        } else if (def.type === "array") {
            current = def.element;
        } else if (def.type === "record") {
            current = def.valueType;
        } else {
            return [];
        }
        current = current ? unwrap(current) : undefined;
    }
    const def = current ? definitionOf(current) : undefined;
    return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}
