import { networksOf, workloadsOf } from "../readers";
import { describe, type PublishedPort, type Workload } from "../workload";
import { defineRule, type Finding } from "./types";

// S7: the internal network must really be internal; and a port can be published only once where it
// is taken (the routing mesh takes an ingress port on every node of the swarm).

export const internalNetworkInternal = defineRule({
    name: "internal-network-internal",
    description: "Every network the topology declares internal is created with internal: true (no egress, no published ports).",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources, facts }) {
        return networksOf(resources)
            .filter((n) => facts.internalNetworks.has(n.name) && !n.internal)
            .map((n) => ({
                resource: n.resource.name,
                urn: n.resource.urn,
                message: `network ${n.name} is declared internal in the topology but would be created with internal: ${String(n.resource.props.internal ?? "unset")}: its containers could reach and be reached from outside. Create it with internal: true (S7).`,
            }));
    },
});

interface Use {
    readonly workload: Workload;
    readonly port: PublishedPort;
}

/** Two uses of one port collide when either takes it swarm-wide, or both take it on the same machine. */
function collide(a: Use, b: Use): boolean {
    return a.port.protocol === b.port.protocol
        && (a.port.scope === "swarm" || b.port.scope === "swarm" || a.workload.machine === b.workload.machine);
}

export const uniquePublishedPorts = defineRule({
    name: "unique-published-ports",
    description: "No two workloads publish the same port where it is taken: on the same machine, or anywhere in the swarm for routing-mesh (ingress) ports.",
    enforcementLevel: "mandatory",
    scope: "stack",
    check({ resources, facts }) {
        const byPort = new Map<number, Use[]>();
        for (const workload of workloadsOf(resources, facts)) {
            for (const port of workload.publishedPorts) {
                const uses = byPort.get(port.port);
                if (uses) {
                    uses.push({ workload, port });
                } else {
                    byPort.set(port.port, [{ workload, port }]);
                }
            }
        }
        const findings: Finding[] = [];
        for (const [port, uses] of byPort) {
            uses.forEach((use, index) => {
                const earlier = uses.slice(0, index).find((other) => collide(use, other));
                if (earlier) {
                    const where = use.port.scope === "swarm" || earlier.port.scope === "swarm" ? "in the swarm (routing mesh)" : `on ${use.workload.machine ?? "the same machine"}`;
                    findings.push({
                        resource: use.workload.resource.name,
                        urn: use.workload.resource.urn,
                        message: `${describe(use.workload)} publishes ${use.port.protocol} port ${port}, which ${describe(earlier.workload)} already publishes ${where}. Give one of them another port.`,
                    });
                }
            });
        }
        return findings;
    },
});
