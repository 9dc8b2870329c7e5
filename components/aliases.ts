import * as pulumi from "@pulumi/pulumi";

/**
 * The alias of a resource that was the child of a component `type` `name` under `parent` and is now
 * a child of `parent` itself: its old URN carries the component's type (resource.NewURN in
 * pulumi/sdk/go/common/resource/urn.go), so without this alias the engine would replace it.
 */
export function formerComponentChild(parent: pulumi.Resource, type: string, name: string): pulumi.Alias {
    return { parent: pulumi.createUrn(name, type, parent) };
}
