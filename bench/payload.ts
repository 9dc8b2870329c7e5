import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedResource } from "../captured/resource";

// The payload floor: the resources a plan registered (type token, name, parent, provider, dependsOn
// and the inputs the provider received), registered again as bare SDK resources, with no config, model,
// components' logic or policies. Run through the same capture, it is what the SDK itself must pay for
// this payload under the mock runtime: serializing these inputs, resolving these parents and options.

/** What bench/measure-plan.ts writes of a plan for the payload floor to register again. */
export type Payload = readonly Pick<CapturedResource, "type" | "name" | "parent" | "custom" | "inputs" | "options">[];

export function writePayload(file: string, resources: readonly CapturedResource[]): void {
    const payload: Payload = resources.map(({ type, name, parent, custom, inputs, options }) => ({ type, name, parent, custom, inputs, options }));
    fs.writeFileSync(file, JSON.stringify(payload));
}

export function readPayload(file: string): Payload {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Payload;
}

class PayloadComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

// The SDK's resource classes are abstract: a provider package subclasses them, as these do.
class PayloadResource extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

class PayloadProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, inputs: pulumi.Inputs, opts: pulumi.ResourceOptions) {
        super(pkg, name, inputs, opts);
    }
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** The StackReferences of a payload, each answered with no outputs (the payload floor reads none). */
export function referencedStacks(payload: Payload): Record<string, Record<string, unknown>> {
    return Object.fromEntries(payload.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => [String(r.inputs.name), {}]));
}

/** A program registering the payload in its order (a parent registers before its children). */
export function payloadProgram(payload: Payload): () => unknown {
    return () => {
        // Parents and providers are components and providers; dependsOn may name any resource.
        const parents = new Map<string, pulumi.Resource>();
        const all = new Map<string, pulumi.Resource>();
        for (const r of payload) {
            const opts: pulumi.CustomResourceOptions = {
                parent: r.parent === undefined ? undefined : parents.get(r.parent) ?? all.get(r.parent),
                provider: r.options.provider === undefined ? undefined : parents.get(r.options.provider) as pulumi.ProviderResource | undefined,
                dependsOn: r.options.dependsOn.flatMap((d) => all.get(d) ?? []),
                protect: r.options.protect,
                retainOnDelete: r.options.retainOnDelete,
                deleteBeforeReplace: r.options.deleteBeforeReplace,
                ignoreChanges: [...r.options.ignoreChanges],
            };
            const resource = r.custom
                ? new PayloadResource(r.type, r.name, { ...r.inputs }, opts)
                : r.type.startsWith(PROVIDER_PREFIX)
                    ? new PayloadProvider(r.type.slice(PROVIDER_PREFIX.length), r.name, { ...r.inputs }, opts)
                    : new PayloadComponent(r.type, r.name, opts);
            all.set(r.name, resource);
            if (!r.custom) {
                parents.set(r.name, resource);
            }
        }
        return {};
    };
}
