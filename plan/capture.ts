import * as pulumi from "@pulumi/pulumi";
import type { Capture, CapturedResource } from "../captured/resource";
import { forgetAbandonedPromises, recordEveryRegistration } from "../components/sdk-internals";
import type { ProgramOptions } from "../components/stack-input";
// index.ts exports a function and registers nothing when loaded, so importing it before the mocks
// are set is safe: a program that registered resources at import time would do so before setMocks,
// against no monitor (Pulumi's unit-testing guide sets the mocks before importing such a program).
import cascade = require("../index");
import { DOCKER_TYPES } from "../components/resource-types";

// Runs the real program (index.ts) under the SDK's mock runtime and records every resource it
// registers: its type token, name, parent, the inputs the provider would receive, and the options
// that matter to operators (dependsOn, protect, retainOnDelete, deleteBeforeReplace, provider).
// The offline plan, the policy checks in the tests and the benchmarks all read this one record.

export interface CaptureRequest {
    readonly project: string;
    readonly stack: string;
    /** Pulumi's flat config map, as `pulumi.runtime.allConfig()` returns it. */
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    /** Outputs of other stacks, by fully qualified name, for StackReferences. */
    readonly stackOutputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** Passed to the program: the config file named in its error messages. */
    readonly programOptions?: ProgramOptions;
    /** Preview mode (default true), as `pulumi preview` runs the program. */
    readonly preview?: boolean;
    /** The program to run; index.ts by default (the benchmark's SDK floor runs a trivial one). */
    readonly program?: (options?: ProgramOptions) => unknown;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** A deterministic fake id, shaped like Docker's 64-hex ids so readers of the plan see what to expect. */
function fakeId(type: string, name: string): string {
    let hash = 0;
    for (const char of `${type}/${name}`) {
        hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
    }
    return `${name}-${hash.toString(16).padStart(8, "0")}`;
}

class RecordingMocks implements pulumi.runtime.Mocks {
    readonly inputs = new Map<string, Record<string, unknown>>();
    readonly ids = new Map<string, string>();

    constructor(private readonly stackOutputs: CaptureRequest["stackOutputs"]) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        this.inputs.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
        if (args.type === "pulumi:pulumi:StackReference") {
            const stackName = String((args.inputs as { name?: unknown }).name);
            const outputs = this.stackOutputs?.[stackName];
            if (!outputs) {
                throw new Error(`stack ${stackName} has no outputs in this plan; plan that stack first or set cascade:mainpc.stack to ""`);
            }
            return { id: stackName, state: { name: stackName, outputs, secretOutputNames: [] } };
        }
        const id = fakeId(args.type, args.name);
        this.ids.set(`${args.type}::${args.name}`, id);
        return { id, state: { ...args.inputs } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (args.token === DOCKER_TYPES.getNetwork) {
            const name = String((args.inputs as { name?: unknown }).name);
            return { id: fakeId(DOCKER_TYPES.network, name), name, driver: "overlay" };
        }
        throw new Error(`the plan has no mock for the function ${args.token}`);
    }
}

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent?: pulumi.Resource;
    readonly opts: pulumi.CustomResourceOptions;
}

/** Every resource the program constructed, in order, and each resource object's name (parents, providers and dependsOn refer to objects). */
class Registrations {
    readonly recorded: Recorded[] = [];
    readonly names = new Map<pulumi.Resource, string>();

    record(args: pulumi.ResourceTransformationArgs): void {
        this.names.set(args.resource, args.name);
        this.recorded.push({ type: args.type, name: args.name, custom: args.resource instanceof pulumi.CustomResource, parent: args.opts.parent, opts: args.opts });
    }

    /** The program's own resources: the root stack resource is the SDK's. */
    ofProgram(): Recorded[] {
        return this.recorded.filter((r) => r.type !== STACK_TYPE);
    }
}

const registeredByFailedRun = new WeakMap<object, readonly string[]>();

/**
 * What a failed run had registered before it failed (`type name` each), so tests can prove that bad
 * input stops the program before anything is registered. Undefined for errors captureProgram did not throw.
 */
export function registeredBeforeFailure(error: unknown): readonly string[] | undefined {
    return typeof error === "object" && error !== null ? registeredByFailedRun.get(error) : undefined;
}

/** Runs index.ts under mocks with the given config and returns what it registered. */
export async function captureProgram(request: CaptureRequest): Promise<Capture> {
    const mocks = await startMockRuntime(request);
    const registrations = new Registrations();
    const run = await runProgram(request, registrations);
    if ("failure" in run) {
        if (typeof run.failure === "object" && run.failure !== null) {
            registeredByFailedRun.set(run.failure, registrations.ofProgram().map((r) => `${r.type} ${r.name}`));
        }
        throw run.failure;
    }
    return { resources: capturedResources(registrations, mocks), outputs: await resolveOutputs(run.outputs) };
}

/** A fresh mock runtime for this run, with the stack's config as the engine would hand it over. */
async function startMockRuntime(request: CaptureRequest): Promise<RecordingMocks> {
    const mocks = new RecordingMocks(request.stackOutputs);
    await pulumi.runtime.setMocks(mocks, request.project, request.stack, request.preview ?? true);
    pulumi.runtime.setAllConfig({ ...request.config }, [...request.secretKeys]);
    return mocks;
}

/** Runs the program as the stack's body, recording each resource it constructs; a failure is returned, not thrown. */
async function runProgram(request: CaptureRequest, registrations: Registrations): Promise<{ outputs: Record<string, unknown> } | { failure: unknown }> {
    // A program that throws rejects the stack's promise and, inside the SDK, promises derived from it
    // that nobody awaits. The CLI's language host reports those once; here they are collected so a
    // failed run surfaces as one error instead of a crash of the whole process.
    const stray: unknown[] = [];
    const collect = (reason: unknown) => stray.push(reason);
    process.on("unhandledRejection", collect);
    let outputs: Record<string, unknown> = {};
    let failure: unknown;
    try {
        outputs = (await pulumi.runtime.runInPulumiStack(async () => {
            recordEveryRegistration((args) => registrations.record(args));
            return (request.program ?? cascade)(request.programOptions);
        })) ?? {};
    } catch (error) {
        failure = error;
    } finally {
        await settleRuntime(failure !== undefined);
        process.off("unhandledRejection", collect);
    }
    failure ??= stray[0];
    return failure === undefined ? { outputs } : { failure };
}

/**
 * Drains the mock monitor's queue, so every registration has reached the mocks. After a failure,
 * registrations waiting on a rejected input never finish: those are abandoned after a moment.
 */
async function settleRuntime(failed: boolean): Promise<void> {
    const drained = pulumi.runtime.disconnect();
    await (failed ? Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 200))]) : drained);
    pulumi.runtime.disconnectSync();
    if (failed) {
        forgetAbandonedPromises();
    }
    await new Promise((resolve) => setImmediate(resolve));
}

/** Each recorded resource with the inputs its provider received and the names of the resources its options refer to. */
function capturedResources(registrations: Registrations, mocks: RecordingMocks): CapturedResource[] {
    const { names } = registrations;
    return registrations.ofProgram().map((r): CapturedResource => ({
        type: r.type,
        name: r.name,
        parent: r.parent ? names.get(r.parent) : undefined,
        custom: r.custom,
        id: mocks.ids.get(`${r.type}::${r.name}`),
        inputs: mocks.inputs.get(`${r.type}::${r.name}`) ?? {},
        options: {
            protect: r.opts.protect ?? false,
            retainOnDelete: r.opts.retainOnDelete ?? false,
            deleteBeforeReplace: r.opts.deleteBeforeReplace ?? false,
            ignoreChanges: r.opts.ignoreChanges ?? [],
            dependsOn: dependencyNames(r.opts.dependsOn, names),
            provider: r.opts.provider ? names.get(r.opts.provider) : undefined,
        },
    }));
}

function dependencyNames(dependsOn: pulumi.CustomResourceOptions["dependsOn"], names: ReadonlyMap<pulumi.Resource, string>): string[] {
    if (!dependsOn) {
        return [];
    }
    // The program passes plain arrays of resources; an Output here would be a program change to notice.
    if (pulumi.Output.isInstance(dependsOn)) {
        throw new Error("the plan cannot read dependsOn given as an Output");
    }
    const list = Array.isArray(dependsOn) ? dependsOn : [dependsOn];
    return list.map((d) => names.get(d as pulumi.Resource) ?? "(unknown)");
}

/** Stack outputs with Outputs resolved to plain values. */
async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(outputs)) {
        resolved[key] = await new Promise<unknown>((resolve) => pulumi.output(value as pulumi.Input<object | string | number | boolean>).apply((v: unknown) => resolve(v)));
    }
    return resolved;
}
