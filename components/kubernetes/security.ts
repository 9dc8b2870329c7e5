import type * as k8s from "@pulumi/kubernetes";
import { DROP_ALL, runsAsNonRoot, SECCOMP_PROFILE } from "../../model/pod-security";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;

/** What a workload needs beyond the least-privilege default. */
export interface PrivilegeNeeds {
    /** Capabilities to add; every other one is dropped. */
    readonly capabilities: readonly string[];
    /** Host group ids (the audio group) the processes also belong to. */
    readonly groupIds: readonly number[];
    /** The operator opted into a privileged container (audio without the device plugin). */
    readonly privileged: boolean;
    /** The non-root user, group and fsGroup. */
    readonly runAsUser: number;
}


/**
 * Pod level: seccomp RuntimeDefault, the host groups, and for non-root pods one user, group and
 * fsGroup, so that claims and secret files (group-readable) work whatever user the image declares.
 */
export function podSecurityContext(needs: PrivilegeNeeds): PodSecurityContext {
    const identity = runsAsNonRoot(needs)
        ? { runAsNonRoot: true, runAsUser: needs.runAsUser, runAsGroup: needs.runAsUser, fsGroup: needs.runAsUser, fsGroupChangePolicy: "OnRootMismatch" }
        // Explicitly root: with an image whose USER is not root, the added capability would be inert.
        : { runAsNonRoot: false, runAsUser: 0 };
    return {
        ...identity,
        ...(needs.groupIds.length > 0 ? { supplementalGroups: [...needs.groupIds] } : {}),
        seccompProfile: { type: SECCOMP_PROFILE },
    };
}

/**
 * Container level: drop every capability and add back only the workload's own. A privileged
 * container cannot also forbid privilege escalation (the API server rejects the pair), so the
 * opt-in replaces that setting rather than contradicting it.
 */
export function containerSecurityContext(needs: PrivilegeNeeds): SecurityContext {
    return {
        ...(needs.privileged ? { privileged: true } : { allowPrivilegeEscalation: false }),
        capabilities: { drop: [DROP_ALL], ...(needs.capabilities.length > 0 ? { add: [...needs.capabilities] } : {}) },
    };
}

/** The Pod Security Admission level the namespace enforces: restricted unless the pod cannot be. */
export function podSecurityLevel(needs: PrivilegeNeeds): "restricted" | "privileged" {
    // Restricted allows no added capability but NET_BIND_SERVICE and no root; baseline does not
    // allow SYS_NICE either, so a real-time or privileged group's namespace is privileged.
    return runsAsNonRoot(needs) ? "restricted" : "privileged";
}
