import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import type { PolicyResourceView } from "../../policy/resource";
import { engineConfigOf } from "./cli-fixtures";
import { packCommand, packEnvironment, type EngineConfig } from "./language-host";

// Runs the policy pack as `pulumi preview --policy-pack policy` does: through
// `@pulumi/pulumi/cmd/run-policy-pack`, in the policy/ folder, with the previewed stack's config in its
// environment as the language host passes it (support/language-host.ts). Constructing the PolicyPack
// starts the analyzer's gRPC server, which prints its port; the tests then talk to it over gRPC like the
// Pulumi engine. One pack process per stack serves every test file; a root hook stops them.

export interface RunningPack {
    readonly client: AnalyzerClient;
    stop(): void;
}

/**
 * run-policy-pack drops its first argument, the engine's address (cmd/run-policy-pack/index.ts main),
 * and the pack never calls the engine: any address will do.
 */
const UNUSED_ENGINE_ADDRESS = "127.0.0.1:1";

function startPack(stack: string, engine: EngineConfig): Promise<RunningPack> {
    return new Promise((resolve, reject) => {
        const [command, ...args] = packCommand(UNUSED_ENGINE_ADDRESS);
        const child: ChildProcess = spawn(command, args, { cwd: path.join(PROJECT_ROOT, "policy"), env: packEnvironment(stack, engine), stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.once("exit", (code) => reject(new Error(`the pack exited (${String(code)}) before it listened:\n${stderr}`)));
        child.stdout?.once("data", (chunk: Buffer) => {
            const port = Number(chunk.toString().trim().split("\n")[0]);
            const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            child.removeAllListeners("exit");
            resolve({
                client,
                stop: () => {
                    client.close();
                    child.kill();
                },
            });
        });
    });
}

const packs = new Map<string, Promise<RunningPack>>();

/** Stops every pack started; the root hook (support/root-hooks.ts) calls it once all tests ran. */
export async function stopPacks(): Promise<void> {
    for (const pack of packs.values()) {
        (await pack.catch(() => undefined))?.stop();
    }
    packs.clear();
}

/** The pack started for a stack of tests/fixtures/cli-secrets, with that stack's config; started once. */
export function packFor(stack: "mainpc" | "pc2"): Promise<RunningPack> {
    let pack = packs.get(stack);
    if (!pack) {
        pack = startPack(stack, engineConfigOf(stack));
        packs.set(stack, pack);
    }
    return pack;
}

/** A unary call's callback as a promise. */
function settle<T>(resolve: (value: T) => void, reject: (error: Error) => void): (error: grpc.ServiceError | null, response: T) => void {
    return (error, response) => (error ? reject(error) : resolve(response));
}

export function analyzerInfo(pack: RunningPack): Promise<analyzer.AnalyzerInfo> {
    return new Promise((resolve, reject) => pack.client.getAnalyzerInfo(new Empty(), settle(resolve, reject)));
}

export function analyzeStack(pack: RunningPack, request: analyzer.AnalyzeStackRequest): Promise<analyzer.AnalyzeResponse> {
    return new Promise((resolve, reject) => pack.client.analyzeStack(request, settle(resolve, reject)));
}

export function analyze(pack: RunningPack, request: analyzer.AnalyzeRequest): Promise<analyzer.AnalyzeResponse> {
    return new Promise((resolve, reject) => pack.client.analyze(request, settle(resolve, reject)));
}

export function configure(pack: RunningPack, request: analyzer.ConfigureAnalyzerRequest): Promise<Empty> {
    return new Promise((resolve, reject) => pack.client.configure(request, settle(resolve, reject)));
}

/** A neutral view as the engine sends a resource to the analyzer. */
export function analyzerResource(view: PolicyResourceView, stack: string, project = "cascade"): analyzer.AnalyzerResource {
    const options = new analyzer.AnalyzerResourceOptions();
    options.setProtect(view.options.protect);
    const resource = new analyzer.AnalyzerResource();
    resource.setType(view.type);
    resource.setName(view.name);
    resource.setUrn(`urn:pulumi:${stack}::${project}::${view.type}::${view.name}`);
    resource.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(view.props)) as Record<string, never>));
    resource.setOptions(options);
    return resource;
}

export function analyzeRequest(view: PolicyResourceView, stack: string): analyzer.AnalyzeRequest {
    const resource = analyzerResource(view, stack);
    const request = new analyzer.AnalyzeRequest();
    request.setType(resource.getType());
    request.setName(resource.getName());
    request.setUrn(resource.getUrn());
    request.setProperties(resource.getProperties());
    request.setOptions(resource.getOptions());
    return request;
}

/** One policy's entry of the pack config, as the engine sends it (properties are always present). */
export function policyConfig(level: analyzer.EnforcementLevel, properties: Record<string, never> = {}): analyzer.PolicyConfig {
    const config = new analyzer.PolicyConfig();
    config.setEnforcementlevel(level);
    config.setProperties(Struct.fromJavaScript(properties));
    return config;
}

export const LEVEL: Readonly<Record<number, string>> = {
    [analyzer.EnforcementLevel.ADVISORY]: "advisory",
    [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzer.EnforcementLevel.DISABLED]: "disabled",
};

export { analyzer };
