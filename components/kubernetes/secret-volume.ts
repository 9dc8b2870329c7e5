import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import type { SecretFileModel } from "../../model/types";
import { SECRETS_NAME } from "../../model/kubernetes-names";

/** The volume and mount that put secret files at the targets the model (and Swarm) uses. */
export interface SecretVolume {
    readonly volume: k8s.types.input.core.v1.Volume;
    readonly mount: k8s.types.input.core.v1.VolumeMount;
}

export const SECRETS_VOLUME = "secrets";

/** Owner and group read only: the group is the pod's fsGroup, so a non-root process reads them. */
const SECRET_FILE_MODE = 0o440;

/**
 * One secret volume on the targets' common directory (/run/secrets), each file at its relative
 * path (redis-password, zmq/<file>), instead of one subPath mount per file: subPath files never see
 * a rotated value. The pods do not mount a service account token, which Kubernetes would otherwise
 * try to place under /var/run/secrets, inside this read-only volume when /var/run links to /run.
 */
export function secretVolume(files: readonly SecretFileModel[]): SecretVolume {
    const directory = commonDirectory(files.map((f) => f.target));
    if (directory === "/") {
        throw new Error(`secret files ${files.map((f) => f.target).join(", ")} share no directory to mount a secret volume on`);
    }
    return {
        volume: {
            name: SECRETS_VOLUME,
            secret: {
                secretName: SECRETS_NAME,
                defaultMode: SECRET_FILE_MODE,
                items: files.map((f) => ({ key: f.key, path: path.posix.relative(directory, f.target) })),
            },
        },
        mount: { name: SECRETS_VOLUME, mountPath: directory, readOnly: true },
    };
}

function commonDirectory(targets: readonly string[]): string {
    const parts = targets.map((t) => path.posix.dirname(t).split("/"));
    const common: string[] = [];
    for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) {
        common.push(parts[0][i]);
    }
    return common.join("/") || "/";
}
