// The least-privilege rules of a Kubernetes pod, written once: the components build security
// contexts from them (components/kubernetes/security.ts) and the policy pack checks the recorded
// pods against them (policy/rules/kubernetes.ts).

/** Every container drops every capability, then adds back only its own. */
export const DROP_ALL = "ALL";

/** The seccomp profiles a container may run with: the runtime's default, or a node-local one. */
export const SECCOMP_PROFILES: readonly string[] = ["RuntimeDefault", "Localhost"];

/** The seccomp profile the program sets. */
export const SECCOMP_PROFILE = "RuntimeDefault";

/**
 * Whether the workload can run as a non-root user. Capabilities added to a non-root user reach only
 * its bounding set: Kubernetes sets no ambient capabilities, and allowPrivilegeEscalation false (no
 * new privileges) also blocks file capabilities. A group that needs CAP_SYS_NICE for real-time
 * scheduling must therefore run as root, holding that capability and nothing else.
 */
export function runsAsNonRoot(needs: { readonly capabilities: readonly unknown[]; readonly privileged: boolean }): boolean {
    return needs.capabilities.length === 0 && !needs.privileged;
}
