import type { TopologyGroup } from "./schema/topology";

// Key paths of the topology as messages name them: `groups[cascade-core].agents[ServiceRegistry]`.

export const groupPath = (g: Pick<TopologyGroup, "name">) => `groups[${g.name}]`;
export const agentPath = (g: Pick<TopologyGroup, "name">, agent: string) => `${groupPath(g)}.agents[${agent}]`;
