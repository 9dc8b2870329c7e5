import { z } from "zod";
import { duration, labels, port } from "./values";

// The stack config's `monitoring` key: Prometheus, its exporters, and the optional Alertmanager and
// Grafana. The stack that owns the shared resources (MainPC) runs them; every stack runs a node
// exporter on its own machine. Images are pinned releases, never `latest` (S9).

/** An image reference with an explicit tag or digest. */
const pinnedImage = z.string().regex(/^[a-z0-9.\-_/:]+(:[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}|@sha256:[a-f0-9]{64})$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a pinned image. Fix: write a repository with a release tag, e.g. prom/prometheus:v2.53.4`,
}).refine((image) => !/:latest$/.test(image), {
    error: "an image tagged latest makes previews meaningless. Fix: pin a release tag, e.g. prom/prometheus:v2.53.4",
});

/** Prometheus's --storage.tsdb.retention.time: a number and one of its units. */
const retention = z.string().regex(/^\d+(ms|s|m|h|d|w|y)$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a Prometheus retention. Fix: write a number and a unit, e.g. 15d or 12h`,
});

const httpUrl = z.url({
    protocol: /^https?$/,
    error: (issue) => `${JSON.stringify(issue.input)} is not an http(s) URL. Fix: write the receiver's webhook URL, e.g. http://alerts.example:5001/`,
});

const prometheusSettings = z.strictObject({
    image: pinnedImage.default("prom/prometheus:v2.53.4"),
    /** How long samples are kept on the protected prometheus_data volume. */
    retention: retention.default("15d"),
    /** How often every target is scraped and the rules evaluated, in whole seconds. */
    scrapeInterval: duration.refine((seconds) => Number.isInteger(seconds) && seconds >= 1, {
        error: "the scrape interval must be whole seconds, at least 1s. Fix: write it like 15s or 1m",
    }).default(15),
    /** Publish the UI on this port of the machine (it then also joins the external network); unset keeps it internal. */
    publishedPort: port.optional(),
});

const alertmanagerSettings = z.strictObject({
    enabled: z.boolean().default(false),
    image: pinnedImage.default("prom/alertmanager:v0.27.0"),
    /** Where alerts go: a webhook receiver (Alertmanager's `webhook_configs`). */
    webhookUrl: httpUrl.optional(),
});

const grafanaSettings = z.strictObject({
    enabled: z.boolean().default(false),
    image: pinnedImage.default("grafana/grafana:11.6.0"),
    /** Publish the UI on this port of the machine (it then also joins the external network). */
    publishedPort: port.optional(),
});

const operatorSettings = z.strictObject({
    enabled: z.boolean().default(false),
    /** The blackbox exporter the operator's Prometheus probes through, as host:port. */
    blackboxExporter: z.string().regex(/^[a-z0-9.-]+:\d+$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not host:port. Fix: write the blackbox exporter's Service, e.g. blackbox-exporter.monitoring.svc:9115`,
    }).default("blackbox-exporter.monitoring.svc:9115"),
    /** The namespace of the cluster's Prometheus and blackbox exporter: the agents' health ports accept it. */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a namespace name. Fix: use lower-case letters, digits and '-', e.g. monitoring`,
    }).default("monitoring"),
    /** Labels the operator's Prometheus selects its objects by (kube-prometheus-stack: `release: <its release>`). */
    labels: labels.default({}),
});

export const monitoringSchema = z.strictObject({
    /** false leaves monitoring out of the stack entirely. */
    enabled: z.boolean().default(true),
    prometheus: prometheusSettings.default(prometheusSettings.parse({})),
    blackboxImage: pinnedImage.default("prom/blackbox-exporter:v0.25.0"),
    nodeExporterImage: pinnedImage.default("prom/node-exporter:v1.8.2"),
    alertmanager: alertmanagerSettings.default(alertmanagerSettings.parse({})),
    grafana: grafanaSettings.default(grafanaSettings.parse({})),
    /**
     * Kubernetes only: the cluster runs the Prometheus operator, so each stack creates Probe,
     * ServiceMonitor and PrometheusRule objects for it.
     */
    prometheusOperator: operatorSettings.default(operatorSettings.parse({})),
}).refine((m) => !m.alertmanager.enabled || m.alertmanager.webhookUrl !== undefined, {
    path: ["alertmanager", "webhookUrl"],
    error: "Alertmanager is enabled without a receiver. Fix: set cascade:monitoring.alertmanager.webhookUrl, or enabled: false",
});

export type MonitoringSettings = z.output<typeof monitoringSchema>;
