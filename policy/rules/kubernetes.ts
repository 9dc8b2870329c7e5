import { z } from "zod";
import { DROP_ALL, runsAsNonRoot, SECCOMP_PROFILE, SECCOMP_PROFILES } from "../../model/pod-security";
import { asArray, asString, isRecord, propAt } from "../../lib/unknown";
import type { PolicyResourceView } from "../resource";
import { workloadsOf } from "../readers";
import { describe } from "../workload";
import { defineRule, type Finding } from "./types";
import { KUBERNETES_TYPES } from "../../components/resource-types";

// Rules for what only Kubernetes has. Budgets, privileged containers, capabilities, the Docker socket,
// secrets in the environment, health and `latest` images are checked for Kubernetes workloads by the
// platform-neutral rules, through the readers in policy/readers/kubernetes-*.ts.

const POD_WORKLOADS = new Set<string>([KUBERNETES_TYPES.deployment, KUBERNETES_TYPES.statefulSet, KUBERNETES_TYPES.daemonSet, KUBERNETES_TYPES.job]);

export const hostPathMounts = defineRule({
    name: "host-path-mounts",
    description: "No workload mounts a host path (Kubernetes hostPath volumes, Docker bind mounts) outside an allow-list of device directories an operator may opt into (/dev/snd for privileged audio), except read-only mounts of the kernel's /proc and /sys (the node exporter).",
    enforcementLevel: "mandatory",
    scope: "resource",
    config: z.strictObject({
        /** Host paths a workload may mount. */
        allowed: z.array(z.string()).default(["/dev/snd"]),
        /** Host paths a workload may mount read-only: the kernel's views the node exporter reads. */
        readOnly: z.array(z.string()).default(["/proc", "/sys"]),
    }),
    check({ resources, facts, config }) {
        const trim = (p: string) => p.replace(/\/+$/, "");
        const allowed = new Set(config.allowed.map(trim));
        const readOnly = new Set(config.readOnly.map(trim));
        const permitted = (w: { readonly readOnlyHostPaths: readonly string[] }, p: string) =>
            allowed.has(trim(p)) || (readOnly.has(trim(p)) && w.readOnlyHostPaths.includes(p));
        return workloadsOf(resources, facts).flatMap((w) => w.hostPaths.filter((p) => !permitted(w, p)).map((hostPath) => ({
            resource: w.resource.name,
            urn: w.resource.urn,
            message: `${describe(w)}${w.machine ? ` on ${w.machine}` : ""} mounts the host path ${hostPath}: whoever controls the container can read or change the host there. Use a claim or a device plugin instead, or add the path to this policy's allow-list in the pack config.`,
        })));
    },
});

/** A container's problems against the least-privilege baseline, in words. */
function containerFindings(pod: unknown, container: unknown): string[] {
    const context = propAt(container, "securityContext");
    const podContext = propAt(pod, "securityContext");
    const privileged = propAt(context, "privileged") === true;
    const adds = asArray(propAt(context, "capabilities", "add"));
    const problems: string[] = [];
    if (!asArray(propAt(context, "capabilities", "drop")).map(String).includes(DROP_ALL)) {
        problems.push(`does not drop ${DROP_ALL} capabilities`);
    }
    // A privileged container cannot also forbid escalation; no-privileged reports it instead.
    if (!privileged && propAt(context, "allowPrivilegeEscalation") !== false) {
        problems.push("may escalate privileges (set allowPrivilegeEscalation: false)");
    }
    const seccomp = asString(propAt(context, "seccompProfile", "type")) ?? asString(propAt(podContext, "seccompProfile", "type"));
    if (seccomp === undefined || !SECCOMP_PROFILES.includes(seccomp)) {
        problems.push(`runs ${seccomp === undefined ? "without a seccomp profile" : `with seccomp ${seccomp}`} (use ${SECCOMP_PROFILE})`);
    }
    // A container that adds capabilities runs as root (runsAsNonRoot says why); capabilities-allow-list
    // decides whether it may add them.
    const nonRoot = propAt(context, "runAsNonRoot") ?? propAt(podContext, "runAsNonRoot");
    if (runsAsNonRoot({ capabilities: adds, privileged }) && nonRoot !== true) {
        problems.push("may run as root (set runAsNonRoot: true and a runAsUser)");
    }
    return problems;
}

export const kubernetesPodSecurity = defineRule({
    name: "kubernetes-pod-security",
    description: "Every container of a Kubernetes workload drops all capabilities, cannot escalate privileges, runs with seccomp RuntimeDefault, and runs as non-root unless it adds a capability (which only root can use).",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources }) {
        return resources.filter((r) => POD_WORKLOADS.has(r.type)).flatMap((resource): Finding[] => {
            const pod = propAt(resource.props, "spec", "template", "spec");
            const containers = [...asArray(propAt(pod, "containers")), ...asArray(propAt(pod, "initContainers"))];
            return containers.flatMap((container) => {
                const problems = containerFindings(pod, container);
                return problems.length === 0 ? [] : [{
                    resource: resource.name,
                    urn: resource.urn,
                    message: `${resource.name}: container ${asString(propAt(container, "name")) ?? "(unnamed)"} ${problems.join("; ")}.`,
                }];
            });
        });
    },
});

/** A NetworkPolicy that selects every pod of its namespace and allows nothing in or out. */
function isDefaultDeny(policy: PolicyResourceView): boolean {
    const selector = propAt(policy.props, "spec", "podSelector");
    const selectsAll = isRecord(selector) && asArray(selector.matchExpressions).length === 0 && Object.keys(isRecord(selector.matchLabels) ? selector.matchLabels : {}).length === 0;
    const types = asArray(propAt(policy.props, "spec", "policyTypes")).map(String);
    return selectsAll && types.includes("Ingress") && types.includes("Egress")
        && asArray(propAt(policy.props, "spec", "ingress")).length === 0 && asArray(propAt(policy.props, "spec", "egress")).length === 0;
}

const namespaceOf = (resource: PolicyResourceView) => asString(propAt(resource.props, "metadata", "namespace"));

export const kubernetesNamespaceIsolation = defineRule({
    name: "kubernetes-namespace-isolation",
    description: "Every namespace that runs a Kubernetes workload denies all traffic by default (a NetworkPolicy; the internal network really internal, S7) and has a ResourceQuota (the machine's budget, enforced by the cluster).",
    enforcementLevel: "mandatory",
    scope: "stack",
    check({ resources }) {
        const denied = new Set(resources.filter((r) => r.type === KUBERNETES_TYPES.networkPolicy && isDefaultDeny(r)).map(namespaceOf));
        const budgeted = new Set(resources.filter((r) => r.type === KUBERNETES_TYPES.quota).map(namespaceOf));
        return resources.filter((r) => POD_WORKLOADS.has(r.type)).flatMap((resource): Finding[] => {
            const namespace = namespaceOf(resource) ?? "default";
            const missing = [
                ...(denied.has(namespace) ? [] : ["default-deny NetworkPolicy (every pod may be reached from anywhere and reach anything)"]),
                ...(budgeted.has(namespace) ? [] : ["ResourceQuota (nothing in the cluster holds it to its machine's budget)"]),
            ];
            return missing.length === 0 ? [] : [{
                resource: resource.name,
                urn: resource.urn,
                message: `${resource.name} runs in namespace ${namespace}, which has no ${missing.join(" and no ")}. Deploy it with the Cascade program, which creates both with the namespace.`,
            }];
        });
    },
});
