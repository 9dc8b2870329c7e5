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

/** What an object's labels describe; each label is set only when given, always in this order. */
export interface LabelledAs {
    readonly machine?: string;
    readonly group?: string;
    readonly phase?: number;
    readonly realtime?: boolean;
    readonly data?: boolean;
}

/** The one label map of every object this program creates, Docker and Kubernetes alike. */
export function labelsOf(of: LabelledAs): Record<string, string> {
    return {
        ...(of.machine !== undefined ? { [LABEL.machine]: of.machine } : {}),
        ...(of.group !== undefined ? { [LABEL.group]: of.group } : {}),
        ...(of.phase !== undefined ? { [LABEL.phase]: String(of.phase) } : {}),
        ...(of.realtime !== undefined ? { [LABEL.realtime]: String(of.realtime) } : {}),
        ...(of.data !== undefined ? { [LABEL.data]: String(of.data) } : {}),
        [LABEL.managedBy]: "pulumi",
    };
}

export function groupLabels(group: GroupModel): Record<string, string> {
    return labelsOf({ machine: group.machine, group: group.name, phase: group.phase, realtime: group.agents.some((a) => a.realtimePriority) });
}

/** Docker's list form of a label map: [{label, value}]. */
export function dockerLabels(labels: Readonly<Record<string, string>>): { label: string; value: string }[] {
    return Object.entries(labels).map(([label, value]) => ({ label, value }));
}
