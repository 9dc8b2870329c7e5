import { loadTopology } from "../../../config/load";
import type { TopologyAgent, TopologyGroup } from "../../../config/schema/topology";

// Expectations computed from config/topology.yaml (the seed as data), independently of the model and
// the components, in the units Kubernetes writes.

export const topology = loadTopology("config/topology.yaml");

export function groupsOf(machine: string): TopologyGroup[] {
    return topology.groups.filter((g) => g.machine === machine);
}

/** With the default prefix, a group's namespace is the group's own name. */
export const namespaceOf = (group: Pick<TopologyGroup, "name">) => group.name;

export function cpu(cores: number): string {
    return Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

export function memory(bytes: number): string {
    const GIB = 1024 ** 3;
    const MIB = 1024 ** 2;
    return bytes % GIB === 0 ? `${bytes / GIB}Gi` : `${bytes / MIB}Mi`;
}

/** The mounts the seed gives a group: the defaults (logs), the group's, then its agents'. */
export function mountsOf(group: TopologyGroup): { volume: string; target: string }[] {
    const all = [...topology.defaults.volumes, ...group.volumes, ...group.agents.flatMap((a) => a.volumes)];
    return all.filter((m, i) => all.findIndex((o) => o.target === m.target) === i).map((m) => ({ volume: m.volume, target: m.target }));
}

export const claimOf = (volume: string) => volume.replace(/_/g, "-");

/** The seed's healthcheck: every non-optional agent's health endpoint on localhost. */
export function healthCommand(group: TopologyGroup): string {
    return `! { ${group.agents.filter((a) => !a.optional).map((a) => `curl -fsS -m 2 -o /dev/null http://127.0.0.1:${a.healthPort}/health 2>/dev/null || echo 'unhealthy: ${a.name} (${a.healthPort})';`).join(" ")} } | grep .`;
}

export const serviceOf = (agent: TopologyAgent) => agent.name.toLowerCase();

/** Groups the Swarm target puts on cascade-external: they publish a port or need egress. */
export function isExternal(group: TopologyGroup): boolean {
    return group.egress || group.agents.some((a) => a.loadBalanced);
}

export function isAutoscaled(group: TopologyGroup): boolean {
    return group.scaling !== undefined && group.scaling.max > group.scaling.min;
}
