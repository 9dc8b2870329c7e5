import type * as k8s from "@pulumi/kubernetes";
import type { GroupModel } from "../../model/types";
import { cascadeNamespaceSelector } from "./labels";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Swarm's cascade-external network, as address blocks: anywhere, both address families. */
const ANYWHERE = [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "::/0" } }];

/** The namespace Kubernetes' DNS runs in; every namespace carries its own name as this label. */
const DNS_NAMESPACE = { "kubernetes.io/metadata.name": "kube-system" };

/** A policy of the namespace's traffic rules, by the suffix of its name. */
export interface NamedPolicy {
    readonly name: string;
    readonly spec: NetworkPolicySpec;
}

/**
 * The internal network as NetworkPolicies: every pod of the namespace denies all traffic, then may
 * talk with every Cascade namespace (of both machines' stacks) and resolve names. Only a group the
 * Swarm target puts on cascade-external (it publishes ports or needs egress) reaches outside, and
 * only its published agent ports accept connections from outside.
 */
export function networkPoliciesOf(group: Pick<GroupModel, "external" | "publishedPorts">, prefix: string): NamedPolicy[] {
    const cascade = [{ namespaceSelector: { matchLabels: cascadeNamespaceSelector(prefix) } }];
    const policies: NamedPolicy[] = [
        { name: "default-deny", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
        {
            name: "allow-cascade",
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: cascade }], egress: [{ to: cascade }] },
        },
        {
            name: "allow-dns",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{
                    to: [{ namespaceSelector: { matchLabels: DNS_NAMESPACE } }],
                    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                }],
            },
        },
    ];
    if (group.external) {
        policies.push({ name: "allow-egress", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: ANYWHERE }] } });
    }
    if (group.publishedPorts.length > 0) {
        policies.push({
            name: "allow-published",
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{ from: ANYWHERE, ports: group.publishedPorts.map((port) => ({ protocol: "TCP", port })) }],
            },
        });
    }
    return policies;
}
