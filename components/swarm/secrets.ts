import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { secretValue, type StackSecrets } from "../stack-input";
import type { SecretFileModel } from "../../model/types";
import { formerComponentChild } from "../aliases";
import { contentHash, contentName, secretPrefix } from "../../model/docker-names";
import { dockerLabels, labelsOf } from "../labels";

/** A Docker secret as services reference it. */
export interface SecretReference {
    readonly id: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    readonly file: SecretFileModel;
}

/** Arguments of a machine's Docker secrets. */
export interface SwarmSecretsArgs {
    /** The machine component that owns them. */
    readonly parent: pulumi.Resource;
    /** The Swarm manager's provider. */
    readonly provider: docker.Provider;
    readonly machine: string;
    /** Which secret files the groups mount (from the model). */
    readonly files: readonly SecretFileModel[];
    /** Their values, as Pulumi secrets from the stack config. */
    readonly values: StackSecrets;
}

/**
 * Docker secrets for the Redis password and the CurveZMQ certificates, `<name>-<file key>`, by file key.
 * A Docker secret is immutable, so its name carries a hash of its content: rotating a value in the stack
 * config creates a new secret, moves the services to it, then removes the old one. The stack config
 * (encrypted) is the durable copy, so these copies are not retained on delete: old credentials must
 * not linger.
 */
export function swarmSecrets(name: string, args: SwarmSecretsArgs): ReadonlyMap<string, SecretReference> {
    const references = new Map<string, SecretReference>();
    for (const file of args.files) {
        const value = secretValue(args.values, file);
        // A short content hash is not secret; unwrapping it keeps the name readable in previews.
        const hash = pulumi.unsecret(value.apply(contentHash));
        const secret = new docker.Secret(
            `${name}-${file.key}`,
            {
                name: hash.apply((h) => contentName(secretPrefix(args.machine, file.key), h)),
                data: value.apply((v) => Buffer.from(v, "utf8").toString("base64")),
                labels: dockerLabels(labelsOf({ machine: args.machine })),
            },
            { parent: args.parent, provider: args.provider, aliases: [formerComponentChild(args.parent, "cascade:swarm:Secrets", name)] },
        );
        references.set(file.key, { id: secret.id, name: secret.name, file });
    }
    return references;
}
