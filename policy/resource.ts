// The platform-neutral view of one resource that every policy rule reads. The policy pack builds it
// from @pulumi/policy's arguments (policy/adapter.ts); the offline plan and the tests build it from
// the resources captured under mocks (policy/captured.ts). Rules never see either source directly.

export interface PolicyResourceView {
    /** The Pulumi type token, e.g. `docker:index/service:Service`. */
    readonly type: string;
    /** The resource's Pulumi name (what `pulumi preview` shows). */
    readonly name: string;
    /** The URN, when the source has one: the pack reports violations against it. */
    readonly urn?: string;
    /** Inputs (or, in the pack, the planned state), with secret values already unwrapped. */
    readonly props: Readonly<Record<string, unknown>>;
    readonly options: {
        readonly protect: boolean;
        /**
         * undefined when the source cannot tell: Pulumi's analyzer protocol does not carry
         * retainOnDelete, so inside the pack only `protect` is known.
         */
        readonly retainOnDelete?: boolean;
    };
}

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

/** A label map from Docker's list form ([{label, value}]) or Kubernetes' map form. */
export function labelMap(value: unknown): Record<string, string> {
    if (Array.isArray(value)) {
        const labels: Record<string, string> = {};
        for (const entry of value) {
            const label = asString(propAt(entry, "label"));
            const text = asString(propAt(entry, "value"));
            if (label !== undefined && text !== undefined) {
                labels[label] = text;
            }
        }
        return labels;
    }
    if (isRecord(value)) {
        return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
    return {};
}
