import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engine from "@pulumi/pulumi/proto/engine_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resource from "@pulumi/pulumi/proto/resource_pb";

// A small stand-in for the Pulumi engine: the ResourceMonitor and Engine gRPC services that a program
// started by `@pulumi/pulumi/cmd/run` talks to. It records every registration and answers as the
// engine does in a preview (no ids, outputs = inputs) or an update (ids, outputs = inputs), and
// answers a StackReference read with the outputs it is given. It decides nothing and never runs a
// provider: it is there so the program runs through the SDK's real entry point.

export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The parent's URN; undefined for the stack itself. */
    readonly parentUrn?: string;
    readonly custom: boolean;
    /** The properties as the SDK serialized them (secrets and unknowns in the SDK's wire form). */
    readonly properties: Record<string, unknown>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependencies: readonly string[];
    /** The explicit provider reference (`<urn>::<id>`), if any. */
    readonly provider: string;
    /** How the resource was registered: "register", or "read" for a ReadResource (StackReference). */
    readonly via: "register" | "read";
    /**
     * The old URNs its aliases name. The double announces no `aliasSpecs`, so the SDK computes them
     * itself (allAliases in @pulumi/pulumi resource.ts) from the URNs this double gave the parents.
     */
    readonly aliasUrns: readonly string[];
}

export interface Recording {
    readonly resources: RegisteredResource[];
    /** registerResourceOutputs by URN, the stack's included. */
    readonly outputs: Map<string, Record<string, unknown>>;
    /** The engine log (severity and message), where the SDK reports errors. */
    readonly logs: { severity: number; message: string }[];
    /** The root stack URN the program announced. */
    root?: string;
}

export interface EngineDoubleOptions {
    readonly project: string;
    readonly stack: string;
    readonly dryRun: boolean;
    /** Outputs of other stacks by their full name, for reads of pulumi:pulumi:StackReference. */
    readonly stackOutputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface EngineDouble {
    readonly address: string;
    readonly recording: Recording;
    stop(): Promise<void>;
}

/**
 * The features the engine announces (SupportsFeature). A real engine supports more; these are the
 * ones that change what the SDK sends, answered as today's engine answers them.
 */
const FEATURES = new Set(["secrets", "resourceReferences"]);

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The URN the engine gives a resource: the parent's type chain (without the stack) `$`-joined with its own. */
function urnOf(options: EngineDoubleOptions, recording: Recording, type: string, name: string, parentUrn: string): string {
    const parent = recording.resources.find((r) => r.urn === parentUrn);
    const chain = parent && parent.type !== STACK_TYPE ? `${parent.urn.split("::")[2]}$${type}` : type;
    return `urn:pulumi:${options.stack}::${options.project}::${chain}::${name}`;
}

function fail(callback: grpc.sendUnaryData<never>, message: string): void {
    callback({ code: grpc.status.UNIMPLEMENTED, details: message, name: "EngineDouble", message, metadata: new grpc.Metadata() });
}

export async function startEngineDouble(options: EngineDoubleOptions): Promise<EngineDouble> {
    const recording: Recording = { resources: [], outputs: new Map(), logs: [] };
    let ids = 0;
    const server = new grpc.Server();
    server.addService(ResourceMonitorService, {
        supportsFeature(call: grpc.ServerUnaryCall<resource.SupportsFeatureRequest, resource.SupportsFeatureResponse>, callback: grpc.sendUnaryData<resource.SupportsFeatureResponse>) {
            callback(null, new resource.SupportsFeatureResponse().setHassupport(FEATURES.has(call.request.getId())));
        },
        registerResource(call: grpc.ServerUnaryCall<resource.RegisterResourceRequest, resource.RegisterResourceResponse>, callback: grpc.sendUnaryData<resource.RegisterResourceResponse>) {
            const request = call.request;
            const urn = urnOf(options, recording, request.getType(), request.getName(), request.getParent());
            const properties = request.getObject()?.toJavaScript() ?? {};
            recording.resources.push({
                type: request.getType(),
                name: request.getName(),
                urn,
                parentUrn: request.getParent() || undefined,
                custom: request.getCustom(),
                properties,
                protect: request.getProtect() ?? false,
                retainOnDelete: request.getRetainondelete() ?? false,
                dependencies: request.getDependenciesList(),
                provider: request.getProvider(),
                via: "register",
                aliasUrns: request.getAliasurnsList(),
            });
            const response = new resource.RegisterResourceResponse().setUrn(urn).setObject(Struct.fromJavaScript(properties as Record<string, never>));
            // In a preview the engine knows no id of a resource it would create; after an update it does.
            if (request.getCustom() && !options.dryRun) {
                response.setId(`${request.getName()}-id-${++ids}`);
            }
            callback(null, response);
        },
        readResource(call: grpc.ServerUnaryCall<resource.ReadResourceRequest, resource.ReadResourceResponse>, callback: grpc.sendUnaryData<resource.ReadResourceResponse>) {
            const request = call.request;
            if (request.getType() !== "pulumi:pulumi:StackReference") {
                fail(callback, `the engine double reads only StackReferences, not ${request.getType()}`);
                return;
            }
            const outputs = options.stackOutputs?.[request.getId()];
            if (!outputs) {
                fail(callback, `no outputs for stack ${request.getId()}`);
                return;
            }
            const urn = urnOf(options, recording, request.getType(), request.getName(), request.getParent());
            recording.resources.push({
                type: request.getType(), name: request.getName(), urn, parentUrn: request.getParent() || undefined, custom: true,
                properties: request.getProperties()?.toJavaScript() ?? {}, protect: false, retainOnDelete: false,
                dependencies: request.getDependenciesList(), provider: request.getProvider(), via: "read", aliasUrns: [],
            });
            const state = { name: request.getId(), outputs, secretOutputNames: [] };
            callback(null, new resource.ReadResourceResponse().setUrn(urn).setProperties(Struct.fromJavaScript(state as unknown as Record<string, never>)));
        },
        registerResourceOutputs(call: grpc.ServerUnaryCall<resource.RegisterResourceOutputsRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
            recording.outputs.set(call.request.getUrn(), call.request.getOutputs()?.toJavaScript() ?? {});
            callback(null, new Empty());
        },
        signalAndWaitForShutdown(_call: grpc.ServerUnaryCall<Empty, Empty>, callback: grpc.sendUnaryData<Empty>) {
            callback(null, new Empty());
        },
    });
    server.addService(EngineService, {
        log(call: grpc.ServerUnaryCall<engine.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) {
            recording.logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
            callback(null, new Empty());
        },
        getRootResource(_call: grpc.ServerUnaryCall<engine.GetRootResourceRequest, engine.GetRootResourceResponse>, callback: grpc.sendUnaryData<engine.GetRootResourceResponse>) {
            callback(null, new engine.GetRootResourceResponse().setUrn(recording.root ?? ""));
        },
        setRootResource(call: grpc.ServerUnaryCall<engine.SetRootResourceRequest, engine.SetRootResourceResponse>, callback: grpc.sendUnaryData<engine.SetRootResourceResponse>) {
            recording.root = call.request.getUrn();
            callback(null, new engine.SetRootResourceResponse());
        },
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    return {
        address: `127.0.0.1:${port}`,
        recording,
        stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
    };
}
