import type { GroupModel } from "../model/types";

// Labels on every Docker and Kubernetes object this program creates. The policy pack and the offline
// plan read them to find a resource's machine and group, so the keys are a compatibility contract.

export const LABEL = {
    machine: "cascade.machine",
    group: "cascade.group",
    phase: "cascade.phase",
    /** The group runs real-time agents: the only ones allowed CAP_SYS_NICE. */
    realtime: "cascade.realtime",
    /** A volume holding data that must outlive the stack. */
    data: "cascade.data",
    managedBy: "cascade.managed-by",
    /** Kubernetes: selects one workload's pods (a group's, or Redis's beside the core group's). */
    workload: "cascade.workload",
    /** Kubernetes: the agent a Service belongs to. */
    agent: "cascade.agent",
    /** Kubernetes: on every Cascade namespace; NetworkPolicies select Cascade's namespaces by it. */
    namespacePrefix: "cascade.namespace-prefix",
} as const;

export function groupLabels(group: GroupModel): Record<string, string> {
    return {
        [LABEL.machine]: group.machine,
        [LABEL.group]: group.name,
        [LABEL.phase]: String(group.phase),
        [LABEL.realtime]: String(group.agents.some((a) => a.realtimePriority)),
        [LABEL.managedBy]: "pulumi",
    };
}

/** Docker's list form of a label map: [{label, value}]. */
export function dockerLabels(labels: Readonly<Record<string, string>>): { label: string; value: string }[] {
    return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
