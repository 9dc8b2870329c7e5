import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { isExtendedResource, isIpv4OrIpv6Cidr, quantityValue } from "./formats";
import { idOf, type Inventory } from "./inventory";

/** Quota resource names the API server accepts besides `requests.<extended resource>`. */
const STANDARD_QUOTA = new Set([
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
    "services.nodeports", "services.loadbalancers", "cpu", "memory", "requests.cpu", "requests.memory", "requests.storage",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "ephemeral-storage",
]);

/** Rules of single objects the schemas cannot state. */
export function objectViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    for (const quota of inventory.quotas) {
        for (const [name, value] of Object.entries(quota.spec?.hard ?? {})) {
            const extended = name.startsWith("requests.") && isExtendedResource(name.slice("requests.".length));
            if (!STANDARD_QUOTA.has(name) && !extended && !/^count\//.test(name)) {
                violations.push(`${idOf(quota)}: ${name} is not a quota resource (extended resources need the requests. prefix)`);
            }
            if (quantityValue(value) === undefined) {
                violations.push(`${idOf(quota)}: ${name} ${value} is not a quantity`);
            }
        }
    }
    for (const secret of inventory.secrets) {
        for (const [key, value] of Object.entries(secret.data ?? {})) {
            if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
                violations.push(`${idOf(secret)}: key ${key} is not a valid Secret key`);
            }
            if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
                violations.push(`${idOf(secret)}: the value of ${key} is not base64`);
            }
        }
    }
    for (const claim of inventory.claims) {
        if ((claim.spec?.accessModes ?? []).length === 0 || claim.spec?.resources?.requests?.storage === undefined) {
            violations.push(`${idOf(claim)}: a claim needs an access mode and a storage request`);
        }
    }
    for (const policy of inventory.policies) {
        const peers = [...(policy.spec?.ingress ?? []).flatMap((r) => r.from ?? []), ...(policy.spec?.egress ?? []).flatMap((r) => r.to ?? [])];
        for (const peer of peers) {
            if (peer.ipBlock && !isIpv4OrIpv6Cidr(peer.ipBlock.cidr)) {
                violations.push(`${idOf(policy)}: ${peer.ipBlock.cidr} is not a CIDR`);
            }
            if (peer.ipBlock && (peer.namespaceSelector || peer.podSelector)) {
                violations.push(`${idOf(policy)}: a peer with an ipBlock cannot also select namespaces or pods`);
            }
        }
    }
    for (const deployment of inventory.objects.filter((o) => o.kind === "Deployment") as unknown as IDeployment[]) {
        const rolling = deployment.spec?.strategy?.rollingUpdate;
        if (rolling && rolling.maxSurge === 0 && rolling.maxUnavailable === 0) {
            violations.push(`${idOf(deployment)}: maxSurge and maxUnavailable cannot both be 0`);
        }
        if (deployment.spec?.progressDeadlineSeconds !== undefined && deployment.spec.progressDeadlineSeconds <= (deployment.spec.minReadySeconds ?? 0)) {
            violations.push(`${idOf(deployment)}: progressDeadlineSeconds must exceed minReadySeconds`);
        }
    }
    return violations;
}
