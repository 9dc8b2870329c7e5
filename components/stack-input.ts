import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config/errors";
import type { SecretFileModel } from "../model/types";
import { loadStack, type LoadedStack } from "../model/load";
import { withPeers } from "../model/peers";
import { configSecretKeys } from "./sdk-internals";

// The only place that reads Pulumi's config. It validates everything (config/load.ts) and derives the
// model (model/load.ts) before the program registers a single resource, and turns the secret values
// into Pulumi secrets that never enter the model.

export interface ProgramOptions {
    /** The config file named in error messages; defaults to Pulumi.<stack>.yaml. */
    readonly stackFile?: string;
}

/** Secret values, as Pulumi secrets: encrypted in state, masked in previews. */
export interface StackSecrets {
    readonly redisPassword: pulumi.Output<string>;
    /** CurveZMQ certificate files by file name. */
    readonly zmqCertificates: Readonly<Record<string, pulumi.Output<string>>>;
}

/** The secret's value from the stack config. */
export function secretValue(values: StackSecrets, file: SecretFileModel): pulumi.Output<string> {
    if (file.configKey === "redisPassword") {
        return values.redisPassword;
    }
    const value = file.entry === undefined ? undefined : values.zmqCertificates[file.entry];
    if (!value) {
        throw new Error(`no value for secret file ${file.key}`);
    }
    return value;
}

export interface StackInput extends LoadedStack {
    readonly secrets: StackSecrets;
}

/** Reads, validates and models this stack's config; a bad config ends the program with its message only. */
export function readStackInput(options: ProgramOptions = {}): StackInput {
    const stack = pulumi.getStack();
    try {
        const config = pulumi.runtime.allConfig();
        const loaded = withPeers(loadStack({
            config,
            secretKeys: configSecretKeys(config),
            stackFile: options.stackFile ?? `Pulumi.${stack}.yaml`,
            identity: { project: pulumi.getProject(), stack },
        }));
        const certificates = Object.fromEntries(
            Object.entries(loaded.config.zmqCertificates).map(([file, content]) => [file, pulumi.secret(content)]),
        );
        return {
            ...loaded,
            secrets: { redisPassword: pulumi.secret(loaded.config.redisPassword), zmqCertificates: certificates },
        };
    } catch (error) {
        if (error instanceof ConfigError) {
            // RunError ends the program with this message alone, without a stack trace.
            throw new pulumi.RunError(error.message);
        }
        throw error;
    }
}
