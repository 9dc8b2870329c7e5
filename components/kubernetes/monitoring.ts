import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IProbe } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Probe";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { MonitoringSettings } from "../../config/schema/monitoring";
import { agentJob, metricsJob, PROBE_MODULE } from "../../model/monitoring/prometheus";
import { ruleGroups, rulesDocument } from "../../model/monitoring/rules";
import type { WatchedMachine } from "../../model/monitoring/types";
import type { GroupModel } from "../../model/types";
import { groupLabels, LABEL } from "../labels";
import { serviceName } from "../../model/kubernetes-names";

/** Arguments of one machine's objects for the cluster's Prometheus operator. */
export interface KubernetesMonitoringArgs {
    /** This machine, as the model watches it. */
    readonly machine: WatchedMachine;
    /** Its groups with their namespaces (created by the machine). */
    readonly groups: readonly { readonly group: GroupModel; readonly namespace: pulumi.Input<string>; readonly namespaceName: string }[];
    readonly operator: MonitoringSettings["prometheusOperator"];
}

const OPERATOR_API = "monitoring.coreos.com/v1";

/**
 * What the cluster's Prometheus operator needs to watch this machine as the Swarm target's own
 * Prometheus does: a Probe per agent (its health endpoint through the cluster's blackbox exporter,
 * labelled machine, group, agent, optional), a ServiceMonitor per agent that serves metrics, the
 * machine's PrometheusRule, and in each group namespace a NetworkPolicy that lets the monitoring
 * namespace reach the health and metrics ports (the namespace denies everything else by default).
 */
export class KubernetesMonitoring extends pulumi.ComponentResource {
    constructor(name: string, args: KubernetesMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:kubernetes:Monitoring", name, {}, opts);
        const { machine, operator } = args;
        const watched = new Map(machine.groups.map((g) => [g.name, g]));
        for (const { group, namespace, namespaceName } of args.groups) {
            const labels = { ...groupLabels(group), ...operator.labels };
            const agents = watched.get(group.name)?.agents ?? [];
            for (const agent of agents) {
                const host = `${serviceName({ name: agent.agent })}.${namespaceName}.svc`;
                const probe = {
                    apiVersion: OPERATOR_API,
                    kind: "Probe",
                    metadata: { name: `health-${serviceName({ name: agent.agent })}`, namespace: namespaceName, labels },
                    spec: {
                        jobName: agentJob(agent),
                        prober: { url: operator.blackboxExporter, path: "/probe" },
                        module: PROBE_MODULE,
                        targets: {
                            staticConfig: {
                                static: [`http://${host}:${agent.healthPort}${agent.healthPath}`],
                                labels: { machine: agent.machine, group: agent.group, agent: agent.agent, optional: String(agent.optional), task: host },
                            },
                        },
                    },
                } satisfies IProbe;
                new k8s.apiextensions.CustomResource(`${name}-${group.name}-probe-${serviceName({ name: agent.agent })}`,
                    { ...probe, metadata: { ...probe.metadata, namespace } }, { parent: this, deleteBeforeReplace: true });
                if (agent.metricsPath !== undefined) {
                    const monitor = {
                        apiVersion: OPERATOR_API,
                        kind: "ServiceMonitor",
                        metadata: { name: `metrics-${serviceName({ name: agent.agent })}`, namespace: namespaceName, labels },
                        spec: {
                            jobLabel: LABEL.agent,
                            selector: { matchLabels: { [LABEL.group]: group.name, [LABEL.agent]: agent.agent } },
                            endpoints: [{
                                port: "agent",
                                path: agent.metricsPath,
                                relabelings: [
                                    { targetLabel: "job", replacement: metricsJob(agent) },
                                    { targetLabel: "machine", replacement: agent.machine },
                                    { targetLabel: "group", replacement: agent.group },
                                    { targetLabel: "agent", replacement: agent.agent },
                                ],
                            }],
                        },
                    } satisfies IServiceMonitor;
                    new k8s.apiextensions.CustomResource(`${name}-${group.name}-servicemonitor-${serviceName({ name: agent.agent })}`,
                        { ...monitor, metadata: { ...monitor.metadata, namespace } }, { parent: this, deleteBeforeReplace: true });
                }
            }
            const ports = agents.flatMap((a) => [a.healthPort, ...(a.metricsPath !== undefined ? [a.port] : [])]);
            new k8s.networking.v1.NetworkPolicy(`${name}-${group.name}-allow-monitoring`, {
                metadata: { name: "allow-monitoring", namespace, labels: groupLabels(group) },
                spec: {
                    podSelector: {},
                    policyTypes: ["Ingress"],
                    ingress: [{
                        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": operator.namespace } } }],
                        ports: ports.map((port) => ({ protocol: "TCP", port })),
                    }],
                },
            }, { parent: this, deleteBeforeReplace: true });
        }
        const first = args.groups[0];
        if (first) {
            const rule = {
                apiVersion: OPERATOR_API,
                kind: "PrometheusRule",
                metadata: { name: `cascade-${machine.name}`, namespace: first.namespaceName, labels: { ...groupLabels(first.group), ...operator.labels } },
                spec: rulesDocument(ruleGroups([machine])),
            } satisfies IPrometheusRule;
            new k8s.apiextensions.CustomResource(`${name}-rules`, { ...rule, metadata: { ...rule.metadata, namespace: first.namespace } }, { parent: this, deleteBeforeReplace: true });
        }
        this.registerOutputs({});
    }
}
