import { ruleGroups } from "../model/monitoring/rules";
import type { CascadeModel } from "../model/types";
import { formatMemory } from "../config/units";
import { textTable } from "./text-table";

// The plan's monitoring section, read from the model: what Prometheus watches on each machine, the
// alert rules it evaluates, and where to open the UIs.

export function monitoringSection(model: CascadeModel): string[] {
    const { monitoring } = model;
    const services = monitoring.services.map((s) => s.name).join(", ");
    if (!monitoring.enabled) {
        return ["Monitoring: off (cascade:monitoring.enabled is false)."];
    }
    if (model.platform === "kubernetes" && !monitoring.operator) {
        return ["Monitoring: none on Kubernetes without the Prometheus operator (set cascade:monitoring.prometheusOperator.enabled: true to create Probe, ServiceMonitor and PrometheusRule objects for it)."];
    }
    if (!monitoring.owner && !monitoring.operator) {
        return [`Monitoring: this stack runs ${services}; the stack that owns the shared resources runs Prometheus and watches ${model.machine.name} from there.`];
    }
    const targets = textTable(
        ["machine", "groups", "agents probed", "tasks (replicas)", "metrics scrapes", "budget watched", "read from"],
        monitoring.machines.map((m) => [
            m.name,
            m.groups.length,
            m.groups.reduce((n, g) => n + g.agents.length, 0),
            m.groups.reduce((n, g) => n + g.replicas, 0),
            m.groups.reduce((n, g) => n + g.agents.filter((a) => a.metricsPath !== undefined).length, 0),
            m.budget ? `${m.budget.cpus} CPUs, ${formatMemory(m.budget.memoryBytes)}` : "no",
            m.source,
        ]),
    );
    const rules = ruleGroups(monitoring.machines).flatMap((g) => g.rules);
    const counts = new Map<string, number>();
    rules.forEach((r) => counts.set(`${r.alert} (${r.labels.severity}, for ${r.forSeconds}s)`, (counts.get(`${r.alert} (${r.labels.severity}, for ${r.forSeconds}s)`) ?? 0) + 1));
    const where = monitoring.operator
        ? "the cluster's Prometheus operator (Probe, ServiceMonitor and PrometheusRule objects)"
        : services;
    return [
        `Monitoring: ${where}; every agent's health endpoint probed through the blackbox exporter on every task, labelled machine, group, agent, optional, task.`,
        targets,
        `Alert rules (${rules.length}): ${[...counts.entries()].map(([rule, n]) => `${n} x ${rule}`).join(", ")}.`,
        ...monitoring.ui.map((ui) => `Open ${ui.name}: ${ui.url}`),
    ];
}
