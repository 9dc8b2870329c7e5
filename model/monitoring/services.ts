import type { MonitoringSettings } from "../../config/schema/monitoring";
import type { HealthModel, MachineModel, MountModel, Resources, RestartPolicyModel, UpdatePolicyModel } from "../types";
import type { HostMount, MonitoringFile, MonitoringRole, MonitoringService } from "./types";
import { nodeExporterName } from "./watch";

// The monitoring services as Cascade groups: pinned to their machine, with resources counted in the
// machine's budget, a healthcheck, a restart policy, every capability dropped, and no Docker socket.

/** The label every monitoring service carries as its group (budgets, policies and the plan read it). */
export const MONITORING_GROUP = "cascade-monitoring";
/** Monitoring comes up before the groups it watches, and waits for none of them. */
export const MONITORING_PHASE = 0;

/** Ports inside the containers: the projects' own defaults. */
export const PORTS: Readonly<Record<MonitoringRole, number>> = {
    prometheus: 9090,
    blackbox: 9115,
    "node-exporter": 9100,
    alertmanager: 9093,
    grafana: 3000,
};

/** Per replica. Small on purpose: they watch, they do not compete with the agents. */
const RESOURCES: Readonly<Record<MonitoringRole, Resources>> = {
    prometheus: { limits: { cpus: 1, memoryBytes: 2 * 1024 ** 3 }, reservations: { cpus: 0.25, memoryBytes: 512 * 1024 ** 2 }, gpus: 0 },
    blackbox: { limits: { cpus: 0.25, memoryBytes: 128 * 1024 ** 2 }, reservations: { cpus: 0.05, memoryBytes: 32 * 1024 ** 2 }, gpus: 0 },
    "node-exporter": { limits: { cpus: 0.25, memoryBytes: 128 * 1024 ** 2 }, reservations: { cpus: 0.05, memoryBytes: 32 * 1024 ** 2 }, gpus: 0 },
    alertmanager: { limits: { cpus: 0.25, memoryBytes: 256 * 1024 ** 2 }, reservations: { cpus: 0.05, memoryBytes: 64 * 1024 ** 2 }, gpus: 0 },
    grafana: { limits: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, reservations: { cpus: 0.1, memoryBytes: 128 * 1024 ** 2 }, gpus: 0 },
};

/** Health endpoints each project serves. */
const HEALTH_PATHS: Readonly<Record<MonitoringRole, string>> = {
    prometheus: "/-/healthy",
    blackbox: "/-/healthy",
    "node-exporter": "/",
    alertmanager: "/-/healthy",
    grafana: "/api/health",
};

/** Data volumes of the monitoring services (protected like every data volume). */
export const MONITORING_VOLUMES = {
    prometheus_data: { description: "Prometheus time series (retention: cascade:monitoring.prometheus.retention)", target: "/prometheus" },
    grafana_data: { description: "Grafana's database (users, annotations)", target: "/var/lib/grafana" },
} as const;

export const monitoringDnsName = (role: MonitoringRole | string, suffix: string) => `${role}.${MONITORING_GROUP}.${suffix}`;

export interface ServiceDefaults {
    readonly machine: MachineModel;
    readonly suffix: string;
    readonly healthTiming: Pick<HealthModel, "intervalSeconds" | "timeoutSeconds" | "retries" | "startPeriodSeconds">;
    readonly restartPolicy: RestartPolicyModel;
    readonly updatePolicy: UpdatePolicyModel;
    readonly endpointMode: "vip" | "dnsrr";
    readonly volume: (key: keyof typeof MONITORING_VOLUMES) => MountModel;
}

function healthOf(role: MonitoringRole, defaults: ServiceDefaults): HealthModel {
    const port = PORTS[role];
    const path = HEALTH_PATHS[role];
    // The images are busybox- or alpine-based: wget is there, curl is not.
    return { ...defaults.healthTiming, ports: [port], path, command: `wget -q -T ${defaults.healthTiming.timeoutSeconds} -O /dev/null http://127.0.0.1:${port}${path}` };
}

interface ServiceSpec {
    readonly role: MonitoringRole;
    readonly name: string;
    readonly dnsLabel: string;
    readonly image: string;
    readonly args: readonly string[];
    readonly mounts?: readonly MountModel[];
    readonly hostMounts?: readonly HostMount[];
    readonly files?: readonly MonitoringFile[];
    readonly publishedPort?: number;
    readonly egress?: boolean;
}

function service(spec: ServiceSpec, defaults: ServiceDefaults): MonitoringService {
    const { machine } = defaults;
    const published = spec.publishedPort === undefined ? [] : [spec.publishedPort];
    return {
        role: spec.role,
        name: spec.name,
        dnsName: monitoringDnsName(spec.dnsLabel, defaults.suffix),
        machine: machine.name,
        group: MONITORING_GROUP,
        image: spec.image,
        port: PORTS[spec.role],
        args: spec.args,
        resources: RESOURCES[spec.role],
        health: healthOf(spec.role, defaults),
        mounts: spec.mounts ?? [],
        hostMounts: spec.hostMounts ?? [],
        files: spec.files ?? [],
        placement: Object.entries(machine.nodeLabels).map(([key, value]) => `node.labels.${key} == ${value}`),
        nodeLabels: machine.nodeLabels,
        publishedPorts: published,
        external: published.length > 0 || spec.egress === true,
        endpointMode: defaults.endpointMode,
        restartPolicy: defaults.restartPolicy,
        updatePolicy: defaults.updatePolicy,
    };
}

/** Every stack's own node exporter: the host's /proc and /sys, read-only, and nothing else of the host. */
export function nodeExporterService(settings: MonitoringSettings, defaults: ServiceDefaults): MonitoringService {
    return service({
        role: "node-exporter",
        name: nodeExporterName(defaults.machine.name),
        dnsLabel: `node-exporter-${defaults.machine.name}`,
        image: settings.nodeExporterImage,
        // The root filesystem is not mounted: it would expose the host's Docker socket to the container.
        args: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--no-collector.filesystem", `--web.listen-address=:${PORTS["node-exporter"]}`],
        hostMounts: [{ source: "/proc", target: "/host/proc" }, { source: "/sys", target: "/host/sys" }],
    }, defaults);
}

export interface OwnerFiles {
    readonly prometheus: string;
    readonly rules: string;
    readonly blackbox: string;
    readonly alertmanager?: string;
    readonly grafanaDatasource?: string;
    readonly grafanaDashboards?: string;
    readonly dashboards: Readonly<Record<string, string>>;
}

export const PROMETHEUS_FILES = { config: "/etc/prometheus/prometheus.yml", rules: "/etc/prometheus/rules/cascade.rules.yml" } as const;

/** The owning stack's Prometheus, blackbox exporter, and (when enabled) Alertmanager and Grafana. */
export function ownerServices(settings: MonitoringSettings, defaults: ServiceDefaults, files: OwnerFiles): MonitoringService[] {
    const prometheus = service({
        role: "prometheus",
        name: "cascade-prometheus",
        dnsLabel: "prometheus",
        image: settings.prometheus.image,
        args: [
            `--config.file=${PROMETHEUS_FILES.config}`,
            "--storage.tsdb.path=/prometheus",
            `--storage.tsdb.retention.time=${settings.prometheus.retention}`,
            `--web.listen-address=:${PORTS.prometheus}`,
        ],
        mounts: [defaults.volume("prometheus_data")],
        files: [
            { key: "prometheus-config", target: PROMETHEUS_FILES.config, content: files.prometheus },
            { key: "prometheus-rules", target: PROMETHEUS_FILES.rules, content: files.rules },
        ],
        publishedPort: settings.prometheus.publishedPort,
    }, defaults);
    const blackbox = service({
        role: "blackbox",
        name: "cascade-blackbox-exporter",
        dnsLabel: "blackbox-exporter",
        image: settings.blackboxImage,
        args: ["--config.file=/etc/blackbox_exporter/config.yml", `--web.listen-address=:${PORTS.blackbox}`],
        files: [{ key: "blackbox-config", target: "/etc/blackbox_exporter/config.yml", content: files.blackbox }],
    }, defaults);
    const alertmanager = settings.alertmanager.enabled && files.alertmanager !== undefined
        ? [service({
            role: "alertmanager",
            name: "cascade-alertmanager",
            dnsLabel: "alertmanager",
            image: settings.alertmanager.image,
            args: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager", `--web.listen-address=:${PORTS.alertmanager}`],
            files: [{ key: "alertmanager-config", target: "/etc/alertmanager/alertmanager.yml", content: files.alertmanager }],
            // The receiver is outside the cluster: the internal network has no egress (S7).
            egress: true,
        }, defaults)]
        : [];
    const grafana = settings.grafana.enabled && files.grafanaDatasource !== undefined && files.grafanaDashboards !== undefined
        ? [service({
            role: "grafana",
            name: "cascade-grafana",
            dnsLabel: "grafana",
            image: settings.grafana.image,
            args: [],
            mounts: [defaults.volume("grafana_data")],
            files: [
                { key: "grafana-datasource", target: "/etc/grafana/provisioning/datasources/cascade.yml", content: files.grafanaDatasource },
                { key: "grafana-dashboards", target: "/etc/grafana/provisioning/dashboards/cascade.yml", content: files.grafanaDashboards },
                ...Object.entries(files.dashboards).map(([name, content]) => ({ key: `grafana-dashboard-${name}`, target: `${GRAFANA_DASHBOARDS_DIR}/${name}.json`, content })),
            ],
            publishedPort: settings.grafana.publishedPort,
        }, defaults)]
        : [];
    return [prometheus, blackbox, ...alertmanager, ...grafana];
}

export const GRAFANA_DASHBOARDS_DIR = "/etc/grafana/dashboards";
