import * as pulumi from "@pulumi/pulumi";
import { isRecord } from "../lib/unknown";

// Inputs as the SDK hands them to a provider (and to the mocks) carry each secret in an envelope,
// {[specialSigKey]: specialSecretSig, value}, and a value that is known only after apply as
// unknownValue. The SDK exports both markers on pulumi.runtime (sdk/nodejs/runtime/rpc.ts); this is
// the one place that reads them.

/** The text that stands for a value known only after apply (an id during a preview). */
export const UNKNOWN_VALUE: string = pulumi.runtime.unknownValue;

/** True for a secret's envelope; its plaintext is `value`. */
export function isSecretEnvelope(value: unknown): value is Record<string, unknown> & { readonly value: unknown } {
    return isRecord(value) && value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/**
 * The value with every secret envelope replaced by its plaintext, recursively, as @pulumi/policy hands
 * inputs to a pack. Parts without secrets are shared, not copied: inputs are large and most hold no secret.
 */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        const items = value.map(unwrapSecrets);
        return items.every((item, i) => item === value[i]) ? value : items;
    }
    if (isSecretEnvelope(value)) {
        return unwrapSecrets(value.value);
    }
    if (isRecord(value)) {
        let changed = false;
        const entries = Object.entries(value).map(([k, v]) => {
            const unwrapped = unwrapSecrets(v);
            changed ||= unwrapped !== v;
            return [k, unwrapped] as const;
        });
        return changed ? Object.fromEntries(entries) : value;
    }
    return value;
}
