import { stringify } from "yaml";
import type { MonitoringSettings } from "../../config/schema/monitoring";
import { monitoringDnsName, PORTS, PROMETHEUS_FILES } from "./services";
import type { WatchedAgent, WatchedGroup, WatchedMachine } from "./types";

// prometheus.yml and the exporters' files, generated from the watched machines. Every probe carries
// the labels the alert rules and dashboards select on: machine, group, agent, optional, task.

/** The blackbox exporter module every agent's health endpoint is probed with. */
export const PROBE_MODULE = "http_2xx";

/** The job that probes one agent: unique, because agent names are unique within a machine. */
export const agentJob = (agent: Pick<WatchedAgent, "machine" | "agent">) => `health-${agent.machine}-${agent.agent.toLowerCase()}`;
export const metricsJob = (agent: Pick<WatchedAgent, "machine" | "agent">) => `metrics-${agent.machine}-${agent.agent.toLowerCase()}`;
export const NODE_JOB = "node";

/**
 * A replaced task leaves its address in the DNS answer Prometheus keeps until its next refresh (30s by
 * default), and its failing probes would count toward the group's `for` (its start period, often 30s
 * too): the engine suite saw a rolling update alert for the task it had just stopped. Re-resolving every
 * scrape interval keeps a stopped task's probes to about one interval.
 */
function targetsOf(group: WatchedGroup, agent: WatchedAgent, port: number, refresh: string): Record<string, unknown> {
    return group.discovery.kind === "tasks"
        ? { dns_sd_configs: [{ names: [`tasks.${agent.dnsName}`], type: "A", port, refresh_interval: refresh }] }
        : { static_configs: [{ targets: [`${agent.dnsName}:${port}`] }] };
}

/** The agent's identity as labels, set by relabelling so that DNS-discovered targets carry them too. */
function identityRelabels(agent: WatchedAgent): Record<string, unknown>[] {
    return [
        // The task: the address without its port (a task's IP on the overlay, or the static name).
        { source_labels: ["__address__"], regex: "(.+):\\d+", target_label: "task", replacement: "$1" },
        { target_label: "machine", replacement: agent.machine },
        { target_label: "group", replacement: agent.group },
        { target_label: "agent", replacement: agent.agent },
    ];
}

function agentProbe(group: WatchedGroup, agent: WatchedAgent, blackbox: string, refresh: string): Record<string, unknown> {
    return {
        job_name: agentJob(agent),
        metrics_path: "/probe",
        params: { module: [PROBE_MODULE] },
        ...targetsOf(group, agent, agent.healthPort, refresh),
        relabel_configs: [
            ...identityRelabels(agent),
            { target_label: "optional", replacement: String(agent.optional) },
            { source_labels: ["__address__"], target_label: "__param_target", replacement: `http://$1${agent.healthPath}` },
            { source_labels: ["__address__"], target_label: "instance" },
            { target_label: "__address__", replacement: blackbox },
        ],
    };
}

function metricsScrape(group: WatchedGroup, agent: WatchedAgent & { metricsPath: string }, refresh: string): Record<string, unknown> {
    return {
        job_name: metricsJob(agent),
        metrics_path: agent.metricsPath,
        ...targetsOf(group, agent, agent.port, refresh),
        relabel_configs: identityRelabels(agent),
    };
}

export interface PrometheusConfigInput {
    readonly settings: MonitoringSettings;
    readonly machines: readonly WatchedMachine[];
    readonly suffix: string;
    readonly alertmanager: boolean;
}

const hasMetrics = (agent: WatchedAgent): agent is WatchedAgent & { metricsPath: string } => agent.metricsPath !== undefined;

export function prometheusConfig(input: PrometheusConfigInput): string {
    const { settings, machines, suffix } = input;
    const blackbox = `${monitoringDnsName("blackbox-exporter", suffix)}:${PORTS.blackbox}`;
    const interval = `${settings.prometheus.scrapeInterval}s`;
    // Prometheus refuses a scrape timeout (10s by default) longer than the interval.
    const timeout = `${Math.min(settings.prometheus.scrapeInterval, 10)}s`;
    const config = {
        global: { scrape_interval: interval, scrape_timeout: timeout, evaluation_interval: interval },
        rule_files: [PROMETHEUS_FILES.rules],
        ...(input.alertmanager
            ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [`${monitoringDnsName("alertmanager", suffix)}:${PORTS.alertmanager}`] }] }] } }
            : {}),
        scrape_configs: [
            { job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${PORTS.prometheus}`] }] },
            { job_name: "blackbox-exporter", static_configs: [{ targets: [blackbox] }] },
            {
                job_name: NODE_JOB,
                static_configs: machines.map((m) => ({
                    targets: [`${monitoringDnsName(`node-exporter-${m.name}`, suffix)}:${PORTS["node-exporter"]}`],
                    labels: { machine: m.name },
                })),
            },
            ...machines.flatMap((m) => m.groups.flatMap((g) => g.agents.filter(hasMetrics).map((a) => metricsScrape(g, a, interval)))),
            ...machines.flatMap((m) => m.groups.flatMap((g) => g.agents.map((a) => agentProbe(g, a, blackbox, interval)))),
        ],
    };
    return stringify(config, { lineWidth: 0 });
}

/** The blackbox exporter's modules: an HTTP GET that must answer 2xx, over IPv4 (the overlay's). */
export function blackboxConfig(timeoutSeconds: number): string {
    return stringify({
        modules: { [PROBE_MODULE]: { prober: "http", timeout: `${timeoutSeconds}s`, http: { preferred_ip_protocol: "ip4", valid_status_codes: [] } } },
    });
}

/** Alertmanager: every alert to the stack config's webhook, grouped by machine and group. */
export function alertmanagerConfig(webhookUrl: string): string {
    return stringify({
        route: { receiver: "cascade", group_by: ["alertname", "machine", "group"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" },
        receivers: [{ name: "cascade", webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
    });
}
