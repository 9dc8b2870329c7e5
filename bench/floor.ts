import * as pulumi from "@pulumi/pulumi";

// The empty-input floor: a trivial program that registers as many component and custom resources as
// a plan did, parented the same way (each custom resource under a component), with trivial inputs.
// Run through the same capture (same mocks, same preview mode), it is what any program of that size
// costs under the mock runtime, whatever its inputs (bench/payload.ts is the floor with them).

class FloorComponent extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("bench:floor:Component", name, {}, opts);
        this.registerOutputs({});
    }
}

class FloorResource extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("bench:floor:Resource", name, { name }, opts);
    }
}

export function floorProgram(components: number, customs: number): () => unknown {
    return () => {
        const parents = Array.from({ length: components }, (_, i) => new FloorComponent(`component-${i}`));
        for (let i = 0; i < customs; i++) {
            new FloorResource(`resource-${i}`, parents.length > 0 ? { parent: parents[i % parents.length] } : {});
        }
        return {};
    };
}
