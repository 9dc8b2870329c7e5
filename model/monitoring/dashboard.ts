import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import type { WatchedGroup, WatchedMachine } from "./types";

// A Grafana dashboard per machine stack, built with Grafana's typed foundation SDK from the watched
// machines: the machine's use against its budget, then a row per group with its replicas healthy
// against desired, the tasks replaced, and each agent's health and probe latency.

/** The provisioned Prometheus data source every panel reads. */
export const DATASOURCE = { type: "prometheus", uid: "cascade-prometheus" } as const;

const query = (expr: string, legend: string) => new DataqueryBuilder().expr(expr).legendFormat(legend).datasource(DATASOURCE);

const q = (labels: Readonly<Record<string, string>>) => `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;

function machinePanels(machine: WatchedMachine): (StatBuilder | TimeseriesBuilder)[] {
    const node = q({ job: "node", machine: machine.name });
    const memory = new TimeseriesBuilder().title(`${machine.name}: memory used vs budget`).unit("bytes").datasource(DATASOURCE).height(8).span(12)
        .withTarget(query(`node_memory_MemTotal_bytes${node} - node_memory_MemAvailable_bytes${node}`, "used"));
    const cpu = new TimeseriesBuilder().title(`${machine.name}: CPUs used vs budget`).unit("short").datasource(DATASOURCE).height(8).span(12)
        .withTarget(query(`sum(rate(node_cpu_seconds_total${q({ job: "node", machine: machine.name })}[5m])) - sum(rate(node_cpu_seconds_total${q({ job: "node", machine: machine.name, mode: "idle" })}[5m]))`, "used"));
    if (machine.budget) {
        memory.withTarget(query(`vector(${machine.budget.memoryBytes})`, "budget"));
        cpu.withTarget(query(`vector(${machine.budget.cpus})`, "budget"));
    }
    return [memory, cpu];
}

function groupRow(group: WatchedGroup): RowBuilder {
    const where = { machine: group.machine, group: group.name };
    const gating = group.agents.some((a) => !a.optional) ? q({ ...where, optional: "false" }) : q(where);
    const row = new RowBuilder(`${group.name} (${group.machine}, ${group.replicas} replica${group.replicas === 1 ? "" : "s"})`)
        .withPanel(new StatBuilder().title("tasks healthy / desired").datasource(DATASOURCE).height(4).span(6)
            .withTarget(query(`count(min by (task) (probe_success${gating}) == 1) or vector(0)`, "healthy"))
            .withTarget(query(`vector(${group.probedTasks})`, "desired")))
        .withPanel(new StatBuilder().title("tasks replaced (1h)").description("Distinct tasks probed in the last hour beyond the desired replicas: each restart or reschedule is a new task.")
            .datasource(DATASOURCE).height(4).span(6)
            .withTarget(query(`clamp_min(count(count by (task) (count_over_time(probe_success${q(where)}[1h]))) - ${group.probedTasks}, 0)`, "replaced")))
        .withPanel(new TimeseriesBuilder().title("agent health (1 up, 0 down)").datasource(DATASOURCE).min(0).max(1).height(8).span(12)
            .withTarget(query(`min by (agent) (probe_success${q(where)})`, "{{agent}}")))
        .withPanel(new TimeseriesBuilder().title("probe latency").unit("s").datasource(DATASOURCE).height(8).span(12)
            .withTarget(query(`max by (agent) (probe_duration_seconds${q(where)})`, "{{agent}}")));
    return row;
}

/** The dashboard of one machine stack, as the JSON Grafana provisions. */
export function stackDashboard(stack: string, machines: readonly WatchedMachine[]): string {
    const dashboard = new DashboardBuilder(`Cascade: ${stack}`)
        .uid(`cascade-${stack}`)
        .tags(["cascade", stack])
        .refresh("30s")
        .time({ from: "now-1h", to: "now" });
    for (const machine of machines) {
        machinePanels(machine).forEach((panel) => dashboard.withPanel(panel));
    }
    for (const group of machines.flatMap((m) => m.groups)) {
        dashboard.withRow(groupRow(group));
    }
    return JSON.stringify(dashboard.build(), null, 2);
}

/** Grafana's provisioning: the data source, and the folder the dashboards are read from. */
export function grafanaProvisioning(prometheusUrl: string, dashboardsDir: string): { datasource: string; dashboards: string } {
    return {
        datasource: JSON.stringify({
            apiVersion: 1,
            datasources: [{ name: "Prometheus", uid: DATASOURCE.uid, type: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true, editable: false }],
        }, null, 2),
        dashboards: JSON.stringify({
            apiVersion: 1,
            providers: [{ name: "cascade", folder: "Cascade", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: dashboardsDir } }],
        }, null, 2),
    };
}
