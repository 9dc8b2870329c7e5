// What the program registers, as plan/capture.ts records it from a run under the SDK's mocks: each
// resource's type token, name, parent, the inputs its provider would receive, and the options that
// matter to operators. The plan, its views and renders, the policy checks and the tests read this
// record; none of them runs the program again.

export interface CapturedOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    /** Input paths whose changes the engine ignores (values the engine fills in that the program cannot predict). */
    readonly ignoreChanges: readonly string[];
    /** Names of the resources this one explicitly waits for. */
    readonly dependsOn: readonly string[];
    /** Name of the explicit provider, if any (inherited providers are not listed). */
    readonly provider?: string;
}

export interface CapturedResource {
    /** The Pulumi type token, e.g. `docker:index/service:Service` or `cascade:swarm:Group`. */
    readonly type: string;
    readonly name: string;
    /** The parent's name; undefined for the root stack's direct children. */
    readonly parent?: string;
    /** Provider resources and components are not "custom" in the plan's sense. */
    readonly custom: boolean;
    /** The id the mocks gave a custom resource; other resources' inputs refer to it (network ids). */
    readonly id?: string;
    /** Inputs as the provider receives them (secrets are masked by the caller that knows them). */
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly options: CapturedOptions;
}

export interface Capture {
    readonly resources: readonly CapturedResource[];
    readonly outputs: Readonly<Record<string, unknown>>;
}
