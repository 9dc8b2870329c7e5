import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, RedisModel } from "../../model/types";
import { labelsOf } from "../labels";
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
 * Pulumi does not wait for a claim: its create awaiter (untilCoreV1PersistentVolumeClaimReady in
 * pulumi-kubernetes provider/pkg/await/awaiters.go) waits for Pending under a WaitForFirstConsumer
 * storage class and for Bound otherwise, five minutes at most. A claim retained by `pulumi destroy` and
 * adopted again on the next `pulumi up` is already Bound, so under WaitForFirstConsumer (k3s's
 * local-path) that wait could only fail. The workload's rollout, which Pulumi does wait for, cannot
 * finish before its claims are bound anyway.
 */
export const CLAIM_ANNOTATIONS = { "pulumi.com/skipAwait": "true" } as const;

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
                labels: labelsOf({ machine: args.machine, data: true }),
                annotations: CLAIM_ANNOTATIONS,
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
