import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../stack-input";
import type { SecretFileModel } from "../../model/types";
import { secretValue } from "../stack-input";
import { contentHash } from "../../model/docker-names";
import { SECRETS_NAME } from "../../model/kubernetes-names";

/** Arguments of one namespace's secret files. */
export interface SecretFilesArgs {
    readonly namespace: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
    /** The files the namespace's pods mount (from the model). */
    readonly files: readonly SecretFileModel[];
    /** Their values, as Pulumi secrets from the stack config. */
    readonly values: StackSecrets;
    readonly parent: pulumi.Resource;
}

export interface SecretFiles {
    readonly secret: k8s.core.v1.Secret;
    /** A short hash of the values, for the pod annotation that restarts pods on rotation. */
    readonly hash: pulumi.Output<string>;
}

/**
 * The Redis password and the CurveZMQ certificates as one Kubernetes Secret per namespace (a pod
 * can mount only its own namespace's Secrets), keyed by the model's file keys. The stack config
 * (encrypted) is the durable copy, so the Secret is neither protected nor retained, as on Swarm.
 */
export function secretFiles(name: string, args: SecretFilesArgs): SecretFiles {
    const values = args.files.map((file) => secretValue(args.values, file));
    const data = pulumi.all(values).apply((plain) =>
        Object.fromEntries(args.files.map((file, i) => [file.key, Buffer.from(plain[i], "utf8").toString("base64")])),
    );
    const secret = new k8s.core.v1.Secret(
        name,
        { metadata: { name: SECRETS_NAME, namespace: args.namespace, labels: { ...args.labels } }, type: "Opaque", data },
        { parent: args.parent, deleteBeforeReplace: true },
    );
    // A short prefix of a SHA-256 reveals nothing useful about 16+ random characters, and an unsecret
    // hash keeps the pod template readable in previews (the Swarm target names secrets so).
    const hash = pulumi.unsecret(pulumi.all(values).apply((plain) =>
        contentHash(plain.map((value, i) => `${args.files[i].key}\0${value}\0`).join(""))));
    return { secret, hash };
}
