import type { MonitoringSettings } from "../../config/schema/monitoring";
import type { Topology } from "../../config/schema/topology";
import type { MountModel } from "../types";
import { grafanaProvisioning, stackDashboard } from "./dashboard";
import { alertmanagerConfig, blackboxConfig, prometheusConfig } from "./prometheus";
import { ruleGroups, rulesFile } from "./rules";
import { GRAFANA_DASHBOARDS_DIR, MONITORING_VOLUMES, monitoringDnsName, nodeExporterService, ownerServices, PORTS, type ServiceDefaults } from "./services";
import type { MonitoringModel, MonitoringService, MonitoringUi } from "./types";
import { watchedMachines, type MachineView } from "./watch";

// The monitoring part of a stack's model. The stack that owns the shared resources (MainPC: the
// manager, the networks and Redis) runs Prometheus for every machine, because the other stacks already
// depend on it and one Prometheus sees every task through the overlay; every stack runs the node
// exporter of its own machine, so each machine's budget counts its own exporter.

export interface MonitoringInput {
    readonly topology: Topology;
    readonly settings: MonitoringSettings;
    readonly platform: "swarm" | "kubernetes";
    readonly owner: boolean;
    /** This stack's machine and groups, first; then the other machines' from their stack files. */
    readonly views: readonly MachineView[];
    readonly defaults: Omit<ServiceDefaults, "volume">;
    readonly dnsName: (agent: string, group: string) => string;
    readonly isStandalone: (group: Topology["groups"][number]) => boolean;
    readonly volumeName: (key: string) => string;
}

export const DISABLED_MONITORING: MonitoringModel = { enabled: false, owner: false, operator: false, machines: [], services: [], ui: [], files: { dashboards: {} } };

function uiOf(service: MonitoringService, title: string): MonitoringUi {
    const published = service.publishedPorts[0];
    return published !== undefined
        ? { name: title, url: `http://<${service.machine} address>:${published}/`, published: true }
        : { name: title, url: `http://${service.dnsName}:${service.port}/ (overlay only: set cascade:monitoring.${service.role}.publishedPort to open it)`, published: false };
}

export function monitoringOf(input: MonitoringInput): MonitoringModel {
    const { settings, defaults, topology } = input;
    if (!settings.enabled) {
        return DISABLED_MONITORING;
    }
    const volume = (key: keyof typeof MONITORING_VOLUMES): MountModel =>
        ({ volume: key, volumeName: input.volumeName(key), target: MONITORING_VOLUMES[key].target, readOnly: false });
    const serviceDefaults: ServiceDefaults = { ...defaults, volume };
    if (input.platform === "kubernetes" && settings.prometheusOperator.enabled) {
        return operatorMonitoring(input);
    }
    const nodeExporter = nodeExporterService(settings, serviceDefaults);
    if (!input.owner) {
        return { enabled: true, owner: false, operator: false, machines: [], services: [nodeExporter], ui: [], files: { dashboards: {} } };
    }
    const machines = watchedMachines(topology, input.views, input.platform, input.dnsName, input.isStandalone);
    const alertmanager = settings.alertmanager.enabled && settings.alertmanager.webhookUrl !== undefined;
    const prometheus = prometheusConfig({ settings, machines, suffix: defaults.suffix, alertmanager });
    const rules = rulesFile(ruleGroups(machines));
    const dashboards = Object.fromEntries(machines.map((m) => [m.name, stackDashboard(m.name, [m])]));
    const provisioning = grafanaProvisioning(`http://${monitoringDnsName("prometheus", defaults.suffix)}:${PORTS.prometheus}`, GRAFANA_DASHBOARDS_DIR);
    const owned = ownerServices(settings, serviceDefaults, {
            prometheus,
            rules,
            blackbox: blackboxConfig(defaults.healthTiming.timeoutSeconds),
            alertmanager: alertmanager && settings.alertmanager.webhookUrl ? alertmanagerConfig(settings.alertmanager.webhookUrl) : undefined,
            grafanaDatasource: provisioning.datasource,
            grafanaDashboards: provisioning.dashboards,
            dashboards,
        });
    const titles: Readonly<Record<string, string>> = { prometheus: "Prometheus", alertmanager: "Alertmanager", grafana: "Grafana" };
    return {
        enabled: true,
        owner: true,
        operator: false,
        machines,
        services: [...owned, nodeExporter],
        ui: owned.filter((s) => titles[s.role] !== undefined).map((s) => uiOf(s, titles[s.role])),
        files: { prometheus, rules, dashboards },
    };
}

/**
 * On Kubernetes whose cluster runs the Prometheus operator (the stack says so), each stack watches its
 * own machine through it (Probe, ServiceMonitor and PrometheusRule objects,
 * components/kubernetes/monitoring.ts) and runs no monitoring workload of its own, so nothing is
 * budgeted. Without the operator a Kubernetes stack runs the same services as on Swarm.
 */
function operatorMonitoring(input: MonitoringInput): MonitoringModel {
    const own = input.views.slice(0, 1);
    // The cluster's own node exporter carries no `machine` label, so the budget rules would select
    // nothing: the namespaces' ResourceQuotas hold the budget there instead.
    const machines = watchedMachines({ ...input.topology, machines: { [own[0].machine.name]: input.topology.machines[own[0].machine.name] } }, own, "kubernetes", input.dnsName, input.isStandalone)
        .map((m) => ({ ...m, budget: undefined }));
    return {
        enabled: true,
        owner: input.owner,
        operator: true,
        machines,
        services: [],
        ui: [],
        files: { rules: rulesFile(ruleGroups(machines)), dashboards: Object.fromEntries(machines.map((m) => [m.name, stackDashboard(m.name, [m])])) },
    };
}
