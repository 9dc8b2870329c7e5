import type { KubernetesSettings } from "../../config/schema/stack";
import type { CascadeModel } from "../../model/types";
import { namespaceName } from "../../model/kubernetes-names";
import { MONITORING_GROUP } from "../../model/monitoring/services";
import { monitoringNamespaceName } from "../../model/kubernetes-names";
import { monitoringServiceName } from "./monitoring-workloads";

/**
 * CoreDNS rewrite rules that make the seed's names (`<agent>.<group>.cascade`, as the model and the
 * agents' environment write them) resolve to the agents' Services (`<agent>.<namespace>.svc.<domain>`),
 * one rule per group of this stack. Kubernetes cannot serve a three-label name under a Service
 * without them; the rules go into the cluster's Corefile (README, "Kubernetes"), and `answer auto`
 * writes the seed's name back into the answer so clients see the name they asked for.
 */
export function coreDnsRewrites(model: CascadeModel, settings: KubernetesSettings): string[] {
    const suffix = escape(model.dnsSuffix);
    const rule = (names: string, group: string, namespace: string) =>
        `rewrite name regex ^(${names})\\.${escape(group)}\\.${suffix}\\.$ {1}.${namespace}.svc.${settings.clusterDomain}. answer auto`;
    // This stack's monitoring services (`prometheus.cascade-monitoring.cascade`, ...), by name: the
    // other machine stack's node exporter lives in that stack's own monitoring namespace.
    const monitoring = model.monitoring.operator ? [] : model.monitoring.services.map((s) => escape(monitoringServiceName(s)));
    return [
        ...model.groups.map((group) => rule(".+", group.name, namespaceName(settings.namespacePrefix, group))),
        ...(monitoring.length > 0 ? [rule(monitoring.join("|"), MONITORING_GROUP, monitoringNamespaceName(settings.namespacePrefix, model.machine.name))] : []),
    ];
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
