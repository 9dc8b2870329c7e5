import { isRecord } from "../../lib/unknown";

// Reads planned inputs field by field and remembers which ones were read, so that the render refuses
// to write a file that silently leaves out something Pulumi would create: a field no renderer maps is
// reported by path (`taskSpec.containerSpec.user`) instead of being dropped.

export class RenderError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RenderError";
    }
}

/** Values that carry nothing: the provider sends nothing for them either. */
function isEmpty(value: unknown): boolean {
    return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

export class Fields {
    private readonly read = new Set<string>();
    private readonly children: Fields[] = [];

    constructor(private readonly record: Readonly<Record<string, unknown>>, private readonly path: string) {}

    /** The value of a field, marking it as rendered. */
    take(key: string): unknown {
        this.read.add(key);
        return this.record[key];
    }

    /** A nested object, read field by field in turn (an empty one when absent). */
    object(key: string): Fields {
        const value = this.take(key);
        const child = new Fields(isRecord(value) ? value : {}, this.path === "" ? key : `${this.path}.${key}`);
        this.children.push(child);
        return child;
    }

    /** Marks fields that have no native equivalent on purpose (the caller says why). */
    skip(...keys: readonly string[]): void {
        keys.forEach((key) => this.read.add(key));
    }

    /** Paths of fields with a value that nothing read, here and in nested objects. */
    unread(): string[] {
        const own = Object.entries(this.record)
            .filter(([key, value]) => !this.read.has(key) && !isEmpty(value))
            .map(([key]) => (this.path === "" ? key : `${this.path}.${key}`));
        return [...own, ...this.children.flatMap((c) => c.unread())];
    }

    /** Throws when some planned field would be left out of the rendered file. */
    assertAllRead(resource: string): void {
        const unread = this.unread();
        if (unread.length > 0) {
            throw new RenderError(`cannot render ${resource}: the render has no native form for ${unread.join(", ")}; extend plan/render so the file shows everything Pulumi would create`);
        }
    }
}
