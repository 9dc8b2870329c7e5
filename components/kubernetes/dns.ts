import type { KubernetesSettings } from "../../config/schema/stack";
import type { CascadeModel } from "../../model/types";
import { namespaceName } from "../../model/kubernetes-names";

/**
 * CoreDNS rewrite rules that make the seed's names (`<agent>.<group>.cascade`, as the model and the
 * agents' environment write them) resolve to the agents' Services (`<agent>.<namespace>.svc.<domain>`),
 * one rule per group of this stack. Kubernetes cannot serve a three-label name under a Service
 * without them; the rules go into the cluster's Corefile (README, "Kubernetes"), and `answer auto`
 * writes the seed's name back into the answer so clients see the name they asked for.
 */
export function coreDnsRewrites(model: CascadeModel, settings: KubernetesSettings): string[] {
    const suffix = escape(model.dnsSuffix);
    return model.groups.map((group) => {
        const target = `${namespaceName(settings.namespacePrefix, group)}.svc.${settings.clusterDomain}`;
        return `rewrite name regex ^(.+)\\.${escape(group.name)}\\.${suffix}\\.$ {1}.${target}. answer auto`;
    });
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
