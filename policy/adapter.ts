import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import type { PolicyResourceView } from "./resource";

// @pulumi/policy's arguments as the neutral view the rules read. Types only: importing the module's
// values would not start the pack's server, but policy/index.ts is the one place that constructs it.

export function viewOfPolicyResource(resource: PolicyResource | ResourceValidationArgs): PolicyResourceView {
    return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resource.props,
        // The analyzer protocol carries protect but not retainOnDelete (PolicyResourceOptions).
        options: { protect: resource.opts.protect },
    };
}

/** The stack of a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function stackOfUrn(urn: string): string | undefined {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}
