import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, RedisModel } from "../../model/types";
import { LABEL } from "../labels";
import { claimName } from "../../model/kubernetes-names";
import { claimSize } from "./quota";

/** Arguments of one namespace's claims. */
export interface ClaimsArgs {
    readonly namespace: pulumi.Input<string>;
    readonly machine: string;
    /** Topology volume keys, one claim each. */
    readonly volumes: readonly string[];
    readonly settings: KubernetesSettings;
    /** The stack config's `data` settings, as for Swarm volumes. */
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly parent: pulumi.Resource;
}

/**
 * A PersistentVolumeClaim per volume, named after the topology's volume key so that a rename of a
 * group or stack never orphans data. Protected and retained on delete by the same stack settings as
 * Swarm volumes: `pulumi destroy` leaves them (and, with a Retain storage class, their volumes).
 */
export function claims(name: string, args: ClaimsArgs): k8s.core.v1.PersistentVolumeClaim[] {
    return args.volumes.map((volume) => new k8s.core.v1.PersistentVolumeClaim(
        `${name}-${claimName(volume)}`,
        {
            metadata: {
                name: claimName(volume),
                namespace: args.namespace,
                labels: { [LABEL.machine]: args.machine, [LABEL.data]: "true", [LABEL.managedBy]: "pulumi" },
            },
            spec: {
                accessModes: [args.settings.volumeAccessMode],
                ...(args.settings.storageClassName ? { storageClassName: args.settings.storageClassName } : {}),
                resources: { requests: { storage: claimSize(args.settings, volume) } },
            },
        },
        { parent: args.parent, protect: args.protect, retainOnDelete: args.retainOnDelete },
    ));
}

/**
 * The volumes a group's own claims hold: each mounted volume once. Redis owns its claim; a group that
 * also mounts Redis's volume (as the seed's core did) shares Redis's claim in their namespace.
 */
export function groupClaimVolumes(group: Pick<GroupModel, "mounts">, redis: Pick<RedisModel, "mount"> | undefined): string[] {
    return [...new Set(group.mounts.map((m) => m.volume))].filter((volume) => volume !== redis?.mount.volume);
}
