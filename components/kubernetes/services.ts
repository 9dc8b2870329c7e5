import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AgentModel, GroupModel } from "../../model/types";
import { groupLabels, LABEL } from "../labels";
import { groupSelector } from "./labels";
import { agentPortName, healthPortName, publicServiceName, serviceName } from "../../model/kubernetes-names";

/** Arguments of a group's agent Services. */
export interface AgentServicesArgs {
    readonly group: GroupModel;
    readonly namespace: pulumi.Input<string>;
    readonly parent: pulumi.Resource;
}

/**
 * One ClusterIP Service per agent, named after it in the group's namespace, so `<agent>.<namespace>`
 * resolves from any pod like the Swarm alias `<agent>.<group>.cascade` on the overlay. Its ports are
 * the agent's port and health port, targeting the container's named ports. A published agent also
 * gets a LoadBalancer Service with its agent port only (Swarm's routing mesh never publishes health).
 */
export function agentServices(name: string, args: AgentServicesArgs): k8s.core.v1.Service[] {
    const { group } = args;
    return group.agents.flatMap((agent) => [
        service(`${name}-service-${serviceName(agent)}`, args, agent, serviceName(agent), {
            type: "ClusterIP",
            ports: [
                { name: "agent", port: agent.port, targetPort: agentPortName(agent.port), protocol: "TCP" },
                { name: "health", port: agent.healthPort, targetPort: healthPortName(agent.healthPort), protocol: "TCP" },
            ],
        }),
        ...(agent.published
            ? [service(`${name}-public-${serviceName(agent)}`, args, agent, publicServiceName(agent), {
                type: "LoadBalancer",
                ports: [{ name: "agent", port: agent.port, targetPort: agentPortName(agent.port), protocol: "TCP" }],
            })]
            : []),
    ]);
}

function service(
    resourceName: string,
    args: AgentServicesArgs,
    agent: AgentModel,
    name: string,
    spec: Pick<k8s.types.input.core.v1.ServiceSpec, "type" | "ports">,
): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
        resourceName,
        {
            metadata: { name, namespace: args.namespace, labels: { ...groupLabels(args.group), [LABEL.agent]: agent.name } },
            spec: { ...spec, selector: groupSelector(args.group) },
        },
        { parent: args.parent, deleteBeforeReplace: true },
    );
}
