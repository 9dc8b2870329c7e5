import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { CapturedResource } from "../plan/capture";
import { isRecord } from "../lib/unknown";
import type { PolicyResourceView } from "./resource";

// Resources captured under mocks (plan/capture.ts) as the rules see them: secret values unwrapped,
// as @pulumi/policy hands them to the pack.

/**
 * The value inside Pulumi's secret envelope ({<sig key>: <secret sig>, value}), recursively. Parts
 * without secrets are shared, not copied: inputs are large and most hold no secret.
 */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        const items = value.map(unwrapSecrets);
        return items.every((item, i) => item === value[i]) ? value : items;
    }
    if (isRecord(value)) {
        if (value[specialSigKey] === specialSecretSig) {
            return unwrapSecrets(value.value);
        }
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

export function viewOfCaptured(resource: CapturedResource): PolicyResourceView {
    return {
        type: resource.type,
        name: resource.name,
        props: unwrapSecrets(resource.inputs) as Record<string, unknown>,
        options: { protect: resource.options.protect, retainOnDelete: resource.options.retainOnDelete },
    };
}
