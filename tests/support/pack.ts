import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { PROJECT_ROOT } from "../../config/load";
import type { PolicyResourceView } from "../../policy/resource";

// Runs the policy pack (policy/index.ts) as `pulumi preview --policy-pack policy` does: in a process
// of its own, where constructing the PolicyPack starts the analyzer's gRPC server and prints its
// port; then talks to it over gRPC like the Pulumi engine. Tests never import policy/index.ts.

export interface RunningPack {
    readonly client: AnalyzerClient;
    stop(): void;
}

export function startPack(): Promise<RunningPack> {
    return new Promise((resolve, reject) => {
        const child: ChildProcess = spawn(process.execPath, ["--require", "tsx/cjs", "policy/index.ts"], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.once("exit", (code) => reject(new Error(`the pack exited (${String(code)}) before it listened:\n${stderr}`)));
        child.stdout?.once("data", (chunk: Buffer) => {
            const port = Number(chunk.toString().trim().split("\n")[0]);
            const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            resolve({
                client,
                stop: () => {
                    client.close();
                    child.removeAllListeners("exit");
                    child.kill();
                },
            });
        });
    });
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
