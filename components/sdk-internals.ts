import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";

// The three things this project takes from @pulumi/pulumi that the SDK offers no public API for, or
// only a deprecated one, each with why no public API does the job (the version is pinned in
// package.json). Everything else uses the SDK's public API.

/**
 * The stack config keys that hold a secret. No public API says whether a key is secret:
 * `pulumi.Config.getSecret` wraps any key's value as a secret whether it was stored encrypted or not.
 * `isConfigSecret` (sdk/nodejs/runtime/config.ts, marked internal) reads the list the engine passes
 * (PULUMI_CONFIG_SECRET_KEYS), and the list `setAllConfig` was given under mocks.
 */
export function configSecretKeys(config: Readonly<Record<string, string>>): Set<string> {
    const isSecret = (runtimeConfig as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (!isSecret) {
        throw new Error("this @pulumi/pulumi version no longer exposes isConfigSecret; pin the version in package.json");
    }
    return new Set(Object.keys(config).filter((key) => isSecret(key)));
}

/**
 * Calls `record` for every resource the program constructs, in process, with the resource object and
 * the options it was given (parent, provider, dependsOn, protect, ...), before it registers.
 * `registerStackTransformation` is deprecated in favour of `pulumi.runtime.registerResourceTransform`,
 * but that one cannot do this job: its transforms are run by the engine through the callback server,
 * and the mock monitor never runs them (sdk/nodejs/runtime/mocks.ts registerStackTransform only hands
 * them to Mocks.registerTransform, and MockResourceArgs carries no options to call them with); nor
 * does it receive the resource object that parents and dependsOn refer to.
 */
export function recordEveryRegistration(record: (args: pulumi.ResourceTransformationArgs) => void): void {
    pulumi.runtime.registerStackTransformation((args) => {
        record(args);
        return undefined;
    });
}

/**
 * Forgets the promises the SDK still tracks as pending. The SDK keeps a set of them and warns about
 * each at process exit; the registrations a failed run abandons stay pending for ever, so without
 * this every later run in the same process (the tests, the bench) would end with that warning. Only
 * `leakedPromises` (sdk/nodejs/runtime/debuggable.ts, marked internal) empties the set.
 */
export function forgetAbandonedPromises(): void {
    // Called while a failure is being reported: an SDK without it only brings the warning back.
    const sdk = debuggable as unknown as { leakedPromises?: () => unknown };
    sdk.leakedPromises?.();
}
