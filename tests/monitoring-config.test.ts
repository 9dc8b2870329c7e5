import { expect } from "chai";
import { parse } from "yaml";
import { DATASOURCE } from "../model/monitoring/dashboard";
import { MONITORING_GROUP } from "../model/monitoring/services";
import { stackModel } from "./support/monitoring/models";
import { resource, runStack, TYPES, type StackRun } from "./support/program";
import { expectRejected } from "./support/rejection";

// The stack config's `monitoring` key: every bad value stops the program with its fix before anything
// is registered; the optional Alertmanager and Grafana are deployed like any group when switched on.

const bad: readonly { readonly title: string; readonly monitoring: Record<string, unknown>; readonly expected: readonly string[] }[] = [
    {
        title: "an image tagged latest",
        monitoring: { prometheus: { image: "prom/prometheus:latest" } },
        expected: ["cascade:monitoring.prometheus.image: \"prom/prometheus:latest\" is not a pinned image", "Fix: add a release tag (never latest)"],
    },
    {
        title: "an image without a tag",
        monitoring: { blackboxImage: "prom/blackbox-exporter" },
        expected: ["cascade:monitoring.blackboxImage: \"prom/blackbox-exporter\" is not a pinned image", "e.g. prom/prometheus:v2.53.4"],
    },
    {
        title: "a retention Prometheus cannot read",
        monitoring: { prometheus: { retention: "15 days" } },
        expected: ["cascade:monitoring.prometheus.retention: \"15 days\" is not a Prometheus retention", "Fix: write a whole number and a unit, e.g. 15d"],
    },
    {
        title: "a scrape interval below a second",
        monitoring: { prometheus: { scrapeInterval: "500ms" } },
        expected: ["cascade:monitoring.prometheus.scrapeInterval: is not a scrape interval of whole seconds, at least 1s", "Fix: write it like 15s"],
    },
    {
        title: "Alertmanager on without a receiver",
        monitoring: { alertmanager: { enabled: true } },
        expected: ["cascade:monitoring.alertmanager.webhookUrl: is missing while Alertmanager is enabled", "Fix: set cascade:monitoring.alertmanager.webhookUrl, or enabled: false"],
    },
    {
        title: "a receiver that is not an http(s) URL",
        monitoring: { alertmanager: { enabled: true, webhookUrl: "mailto:ops@example.org" } },
        expected: ["cascade:monitoring.alertmanager.webhookUrl: \"mailto:ops@example.org\" is not an http(s) URL"],
    },
    {
        title: "a blackbox exporter address without a port",
        monitoring: { prometheusOperator: { enabled: true, blackboxExporter: "blackbox.monitoring.svc" } },
        expected: ["cascade:monitoring.prometheusOperator.blackboxExporter: \"blackbox.monitoring.svc\" is not host:port"],
    },
];

describe("monitoring config: bad values stop the program", () => {
    for (const { title, monitoring, expected } of bad) {
        it(`rejects ${title}`, () => expectRejected(runStack("mainpc", { "cascade:monitoring": monitoring }, { stackOutputs: {} }), expected));
    }
});

describe("monitoring with Alertmanager and Grafana switched on", () => {
    const monitoring = { alertmanager: { enabled: true, webhookUrl: "http://alerts.example:5001/" }, grafana: { enabled: true, publishedPort: 3000 } };
    let run: StackRun;
    before(async () => {
        run = await runStack("mainpc", { "cascade:monitoring": monitoring }, { stackOutputs: {} });
    });
    const spec = (name: string) => resource(run, TYPES.service, `${name}-service`).inputs as { taskSpec: { networksAdvanceds: unknown[]; containerSpec: { configs?: { fileName: string }[] } }; endpointSpec: { ports: { publishedPort: number }[] } };

    it("runs both, pinned like every monitoring service, Grafana published and Alertmanager with egress for its receiver", () => {
        expect(spec("cascade-grafana").endpointSpec.ports.map((p) => p.publishedPort)).to.deep.equal([3000]);
        expect(spec("cascade-grafana").taskSpec.networksAdvanceds).to.have.length(2);
        expect(spec("cascade-alertmanager").taskSpec.networksAdvanceds).to.have.length(2);
        expect(spec("cascade-prometheus").taskSpec.networksAdvanceds).to.have.length(1);
    });

    it("provisions the data source and one dashboard per machine into Grafana", () => {
        const files = (spec("cascade-grafana").taskSpec.containerSpec.configs ?? []).map((c) => c.fileName);
        expect(files).to.deep.equal([
            "/etc/grafana/provisioning/datasources/cascade.yml",
            "/etc/grafana/provisioning/dashboards/cascade.yml",
            "/etc/grafana/dashboards/mainpc.json",
            "/etc/grafana/dashboards/pc2.json",
        ]);
    });

    it("points Prometheus at Alertmanager and Alertmanager at the receiver", () => {
        const model = stackModel("mainpc", { "cascade:monitoring": monitoring });
        expect(model.monitoring.files.prometheus).to.contain("alertmanager.cascade-monitoring.cascade:9093");
        const alertmanager = model.monitoring.services.find((s) => s.role === "alertmanager");
        expect(alertmanager?.files[0].content).to.contain("http://alerts.example:5001/");
        expect(model.monitoring.ui.map((u) => [u.name, u.published])).to.deep.equal([["Prometheus", false], ["Alertmanager", false], ["Grafana", true]]);
        expect(model.budget.lines.filter((l) => model.monitoring.services.some((s) => s.name === l.name)).length).to.equal(5);
        expect(model.monitoring.services.every((s) => s.group === MONITORING_GROUP)).to.equal(true);
    });

    it("builds each machine's dashboard from the topology: a row per group with its agents' health and latency", () => {
        const model = stackModel("mainpc");
        for (const machine of model.monitoring.machines) {
            const dashboard = JSON.parse(model.monitoring.files.dashboards[machine.name]) as { uid: string; panels: { type: string; title: string; panels?: { title: string; targets: { expr: string; datasource: unknown }[] }[] }[] };
            expect(dashboard.uid).to.equal(`cascade-${machine.name}`);
            const rows = dashboard.panels.filter((p) => p.type === "row");
            expect(rows.map((r) => r.title.split(" ")[0])).to.deep.equal(machine.groups.map((g) => g.name));
            for (const [i, row] of rows.entries()) {
                const group = machine.groups[i];
                expect(row.panels?.map((p) => p.title)).to.deep.equal(["tasks healthy / desired", "tasks replaced (1h)", "agent health (1 up, 0 down)", "probe latency"]);
                const exprs = (row.panels ?? []).flatMap((p) => p.targets.map((t) => t.expr));
                expect(exprs.every((e) => e.includes(`group="${group.name}"`) || e.startsWith("vector("))).to.equal(true);
                expect((row.panels ?? []).flatMap((p) => p.targets.map((t) => t.datasource))).to.deep.include(DATASOURCE);
            }
            const budget = dashboard.panels.filter((p) => p.type === "timeseries").map((p) => p.title);
            expect(budget).to.deep.equal([`${machine.name}: memory used vs budget`, `${machine.name}: CPUs used vs budget`]);
        }
    });

    it("re-resolves every agent's tasks each scrape interval, so a replaced task's failing probes stop within one", () => {
        const model = stackModel("mainpc", { "cascade:monitoring": { prometheus: { scrapeInterval: "5s" } } });
        const config = parse(model.monitoring.files.prometheus ?? "") as { scrape_configs: { dns_sd_configs?: { refresh_interval?: string }[] }[] };
        const lookups = config.scrape_configs.flatMap((c) => c.dns_sd_configs ?? []);
        expect(lookups.length, "DNS-discovered jobs").to.be.greaterThan(60);
        expect(lookups.filter((l) => l.refresh_interval !== "5s"), "lookups refreshed at another pace").to.deep.equal([]);
    });

    it("leaves both out by default", () => {
        const model = stackModel("mainpc");
        expect(model.monitoring.services.map((s) => s.role)).to.deep.equal(["prometheus", "blackbox", "node-exporter"]);
    });

    it("turns monitoring off entirely, budgets included", () => {
        const model = stackModel("mainpc", { "cascade:monitoring": { enabled: false } });
        expect(model.monitoring.services).to.deep.equal([]);
        expect(model.budget.lines.map((l) => l.name)).to.not.include("cascade-prometheus");
        expect(model.volumes.map((v) => v.key)).to.not.include("prometheus_data");
    });
});
