import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { MachineModel } from "../../model/types";
import { groupLabels, LABEL } from "../labels";
import { cascadeNamespaceSelector } from "./labels";
import { QUOTA_NAME } from "../../model/kubernetes-names";
import { networkPoliciesOf } from "./network-policies";
import { machineCapacityAnnotation, quotaHard, type NamespaceBudgetInput } from "./quota";

/** Arguments of a group's namespace. */
export interface GroupNamespaceArgs extends NamespaceBudgetInput {
    /** `<prefix>-<group short name>`. */
    readonly name: string;
    readonly prefix: string;
    readonly machine: MachineModel;
    /** The Pod Security Admission level the namespace enforces. */
    readonly podSecurity: "restricted" | "privileged";
    /**
     * Deleting a namespace deletes its claims, and with the usual Delete reclaim policy their data:
     * a namespace that holds claims is protected and retained like the claims themselves.
     */
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly parent: pulumi.Resource;
    readonly provider: k8s.Provider;
}

export interface GroupNamespace {
    /** The namespace's name, once it exists: resources that use it wait for it. */
    readonly name: pulumi.Output<string>;
    /** The namespace, its quota and its policies: the group's pods start only once all exist. */
    readonly resources: readonly pulumi.Resource[];
}

/**
 * One group's namespace: the Namespace with its Pod Security level, the ResourceQuota that is the
 * group's share of its machine's budget, and the NetworkPolicies that stand for Swarm's networks.
 * Resource names start with the namespace's name, which no other resource of the stack uses.
 */
export function groupNamespace(args: GroupNamespaceArgs): GroupNamespace {
    const labels = { ...groupLabels(args.group), ...cascadeNamespaceSelector(args.prefix) };
    const namespace = new k8s.core.v1.Namespace(
        `${args.name}-namespace`,
        {
            metadata: {
                name: args.name,
                labels: {
                    ...labels,
                    "pod-security.kubernetes.io/enforce": args.podSecurity,
                    "pod-security.kubernetes.io/enforce-version": "latest",
                },
            },
        },
        { parent: args.parent, provider: args.provider, protect: args.protect, retainOnDelete: args.retainOnDelete },
    );
    const metadata = (name: string) => ({ name, namespace: namespace.metadata.name, labels });
    const quota = new k8s.core.v1.ResourceQuota(
        `${args.name}-quota`,
        {
            metadata: { ...metadata(QUOTA_NAME), annotations: { [`${LABEL.machine}-capacity`]: machineCapacityAnnotation(args.machine) } },
            spec: { hard: quotaHard(args) },
        },
        { parent: args.parent, provider: args.provider, deleteBeforeReplace: true },
    );
    const policies = networkPoliciesOf(args.group, args.prefix).map((policy) => new k8s.networking.v1.NetworkPolicy(
        `${args.name}-${policy.name}`,
        { metadata: metadata(policy.name), spec: policy.spec },
        { parent: args.parent, provider: args.provider, deleteBeforeReplace: true },
    ));
    return { name: namespace.metadata.name, resources: [namespace, quota, ...policies] };
}
