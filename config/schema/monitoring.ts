import { z } from "zod";
import { show } from "../errors";
import { duration, imageReference, labels, notA, port, text } from "./values";

// The stack config's `monitoring` key: Prometheus, its exporters, and the optional Alertmanager and
// Grafana. The stack that owns the shared resources (MainPC) runs them; every stack runs a node
// exporter on its own machine. Images are pinned releases, never `latest` (S9).

const boolean = z.boolean(notA("true or false", "write true or false, without quotes"));

/** An image reference with a release tag or a digest: an untagged or `latest` one makes previews meaningless. */
const pinnedImage = imageReference.superRefine((image, ctx) => {
    const tagged = /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.exec(image.replace(/^[^/]*\//, "")) !== null || image.includes("@sha256:");
    if (!tagged || /:latest$/.test(image)) {
        ctx.addIssue({ code: "custom", message: `${show(image)} is not a pinned image. Fix: add a release tag (never latest), e.g. prom/prometheus:v2.53.4` });
    }
});

/** Prometheus's --storage.tsdb.retention.time: a whole number and one of its units. */
const retention = text(/^\d+(ms|s|m|h|d|w|y)$/, "a Prometheus retention", "write a whole number and a unit, e.g. 15d or 12h");

const httpUrl = z.url({ protocol: /^https?$/, ...notA("an http(s) URL", "write the receiver's webhook URL, e.g. http://alerts.example:5001/") });

const prometheusSettings = z.strictObject({
    image: pinnedImage.default("prom/prometheus:v2.53.4"),
    /** How long samples are kept on the protected prometheus_data volume. */
    retention: retention.default("15d"),
    /** How often every target is scraped and the rules evaluated, in whole seconds. */
    scrapeInterval: duration.refine((seconds) => Number.isInteger(seconds) && seconds >= 1, {
        error: "is not a scrape interval of whole seconds, at least 1s (Prometheus reads no fraction of a second there, and a scrape may not outlast its interval). Fix: write it like 15s or 1m",
    }).default(15),
    /** Publish the UI on this port of the machine (it then also joins the external network); unset keeps it internal. */
    publishedPort: port.optional(),
});

const alertmanagerSettings = z.strictObject({
    enabled: boolean.default(false),
    image: pinnedImage.default("prom/alertmanager:v0.27.0"),
    /** Where alerts go: a webhook receiver (Alertmanager's `webhook_configs`). */
    webhookUrl: httpUrl.optional(),
});

const grafanaSettings = z.strictObject({
    enabled: boolean.default(false),
    image: pinnedImage.default("grafana/grafana:11.6.0"),
    /** Publish the UI on this port of the machine (it then also joins the external network). */
    publishedPort: port.optional(),
});

const operatorSettings = z.strictObject({
    enabled: boolean.default(false),
    /** The blackbox exporter the operator's Prometheus probes through, as host:port. */
    blackboxExporter: text(/^[a-z0-9.-]+:\d+$/, "host:port", "write the blackbox exporter's Service, e.g. blackbox-exporter.monitoring.svc:9115")
        .default("blackbox-exporter.monitoring.svc:9115"),
    /** The namespace of the cluster's Prometheus and blackbox exporter: the agents' health ports accept it. */
    namespace: text(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a namespace name", "use lower-case letters, digits and '-', e.g. monitoring").default("monitoring"),
    /** Labels the operator's Prometheus selects its objects by (kube-prometheus-stack: `release: <its release>`). */
    labels: labels.default({}),
});

export const monitoringSchema = z.strictObject({
    /** false leaves monitoring out of the stack entirely. */
    enabled: boolean.default(true),
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
    error: "is missing while Alertmanager is enabled: it would have no receiver. Fix: set cascade:monitoring.alertmanager.webhookUrl, or enabled: false",
});

export type MonitoringSettings = z.output<typeof monitoringSchema>;
