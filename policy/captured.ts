import type { CapturedResource } from "../captured/resource";
import { unwrapSecrets } from "../captured/secrets";
import type { PolicyResourceView } from "./resource";

// Resources captured under mocks (plan/capture.ts) as the rules see them: secret values unwrapped,
// as @pulumi/policy hands them to the pack.

export function viewOfCaptured(resource: CapturedResource): PolicyResourceView {
    return {
        type: resource.type,
        name: resource.name,
        props: unwrapSecrets(resource.inputs) as Record<string, unknown>,
        options: { protect: resource.options.protect, retainOnDelete: resource.options.retainOnDelete },
    };
}
