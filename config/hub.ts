import type { Topology, TopologyAgent, TopologyGroup } from "./schema/topology";

/**
 * The agent that MAINPC_HUB_ENDPOINT points at when `cascade:mainpc.hubEndpoint` is not set: the
 * ObservabilityHub of the machine that owns the shared resources (the seed's PC2 agents report to
 * MainPC's hub). Undefined when that machine runs none.
 */
export function observabilityHub(topology: Topology, ownerMachine: string): { readonly group: TopologyGroup; readonly agent: TopologyAgent } | undefined {
    for (const group of topology.groups.filter((g) => g.machine === ownerMachine)) {
        const agent = group.agents.find((a) => a.name === "ObservabilityHub");
        if (agent) {
            return { group, agent };
        }
    }
    return undefined;
}
