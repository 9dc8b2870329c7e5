import type { TopologyAgent } from "./schema/topology";

// The agents' startup order within a group, derived once: the validator refuses a cycle
// (findCycle) and a startupOrder at or before a dependency's, the model numbers the agents
// (startupOrders), and the agents manifest carries those numbers to the image's supervisor, which
// starts the agents by them and derives nothing of its own.

/** The first dependency cycle found, as a path that starts and ends on the same name. */
export function findCycle(nodes: readonly { name: string; dependsOn: readonly string[] }[]): string[] | undefined {
    const edges = new Map(nodes.map((n) => [n.name, n.dependsOn]));
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (name: string): string[] | undefined => {
        if (state.get(name) === "done") {
            return undefined;
        }
        if (state.get(name) === "visiting") {
            return [...stack.slice(stack.indexOf(name)), name];
        }
        state.set(name, "visiting");
        stack.push(name);
        for (const next of edges.get(name) ?? []) {
            const cycle = visit(next);
            if (cycle) {
                return cycle;
            }
        }
        stack.pop();
        state.set(name, "done");
        return undefined;
    };
    for (const node of nodes) {
        const cycle = visit(node.name);
        if (cycle) {
            return cycle;
        }
    }
    return undefined;
}

/**
 * The seed's startup_order where given; otherwise one more than the latest of the agent's
 * dependencies, so agents without dependencies start together at 1.
 */
export function startupOrders(agents: readonly TopologyAgent[]): Map<string, number> {
    const byName = new Map(agents.map((a) => [a.name, a]));
    const orders = new Map<string, number>();
    const orderOf = (agent: TopologyAgent, seen: ReadonlySet<string>): number => {
        const known = orders.get(agent.name);
        if (known !== undefined) {
            return known;
        }
        const deps = agent.dependsOn.map((d) => byName.get(d)).filter((d): d is TopologyAgent => d !== undefined && !seen.has(d.name));
        const next = new Set([...seen, agent.name]);
        const order = agent.startupOrder ?? 1 + Math.max(0, ...deps.map((d) => orderOf(d, next)));
        orders.set(agent.name, order);
        return order;
    };
    for (const agent of agents) {
        orderOf(agent, new Set());
    }
    return orders;
}
