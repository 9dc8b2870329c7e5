import { textTable, type Cell } from "../plan/text-table";
import { canonicalImage, tagOf } from "./match";
import type { StatusReport, WorkloadStatus } from "./status";

// The status report as the operator reads it (one table, group by group and agent by agent, then what
// is wrong) and as scripts read it (--json: the report itself).


function imageCell(w: WorkloadStatus): string {
    const planned = tagOf(w.plannedImage);
    if (w.runningImages.length === 0) {
        return `- (plan ${planned})`;
    }
    const running = [...new Set(w.runningImages.map(tagOf))];
    return running.length === 1 && running[0] === planned && w.runningImages.every((i) => canonicalImage(i) === canonicalImage(w.plannedImage)) ? planned : `${running.join(",")} (plan ${planned})`;
}

function agentState(w: WorkloadStatus, failing: boolean): string {
    if (failing) {
        return "FAILING";
    }
    if (w.healthy >= w.desired && w.desired > 0) {
        return "ok";
    }
    return w.failingAgents.length > 0 ? "ok" : "?";
}

function rows(w: WorkloadStatus): Cell[][] {
    const restarts = w.restartsWindow === "last hour" ? String(w.restarts) : `${w.restarts} (total)`;
    // A group runs one workload of its name; Redis and each monitoring service are named beside theirs.
    const name = w.redis ? `${w.name} (Redis)` : w.name === w.group ? w.group : `${w.name} (${w.group})`;
    const group: Cell[] = [w.ok ? "ok" : "FAIL", w.machine, name, "", w.nodes.join(",") || "-", `${w.healthy}/${w.desired}`, imageCell(w), w.update, restarts];
    const agents = w.agents.map((a): Cell[] => ["", "", "", a.name, "", agentState(w, a.failing), "", "", ""]);
    return [group, ...agents];
}

function details(w: WorkloadStatus): string[] {
    if (w.ok) {
        return [];
    }
    const where = `${w.group}${w.name === w.group ? "" : ` (${w.name})`} on ${w.machine}`;
    const lines = w.problems.map((p) => `  ${where}: ${p}`);
    if (w.failingAgents.length > 0) {
        lines.push(`  ${where}: failing agents: ${w.failingAgents.map((a) => `${a} on ${w.machine}`).join(", ")}`);
    }
    if (w.healthOutput) {
        lines.push(`  ${where}: last health output:`, ...w.healthOutput.split("\n").map((l) => `      ${l}`));
    }
    return lines;
}

export function statusText(report: StatusReport): string {
    const table = textTable(
        ["", "machine", "group", "agent", "node", "healthy", "image", "update", "restarts 1h"],
        report.workloads.flatMap(rows),
    );
    const nodes = report.nodes.length > 0
        ? textTable(["node", "machine", "state", "availability"], report.nodes.map((n) => [n.hostname, n.machine ?? "(not a cascade machine)", n.state, n.availability]))
        : "";
    const problems = [
        ...report.engines.map((e) => `  ${e.machine}: ${e.error}`),
        ...report.volumes.filter((v) => !v.present).map((v) => `  ${v.machine}: volume ${v.name} is missing on its engine (pulumi up creates it empty; if its data was moved, restore it first)`),
        ...report.workloads.flatMap(details),
    ];
    const verdict = report.ok
        ? `status: every group healthy at its planned image (${report.workloads.length} workloads, at ${report.at})`
        : `status: NOT OK: ${report.workloads.filter((w) => !w.ok).length} of ${report.workloads.length} workloads${report.engines.length > 0 ? `, ${report.engines.length} engine problems` : ""}${report.volumes.some((v) => !v.present) ? `, ${report.volumes.filter((v) => !v.present).length} volumes missing` : ""} (at ${report.at})`;
    const present = report.volumes.filter((v) => v.present);
    const volumes = present.length > 0 ? `volumes present: ${[...new Set(present.map((v) => v.machine))].map((m) => `${m} ${present.filter((v) => v.machine === m).map((v) => v.name).join(", ")}`).join("; ")}` : "";
    return [table, "", nodes, volumes, ...(problems.length > 0 ? ["", "Problems:", ...problems] : []), "", verdict].filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n");
}

export function statusJson(report: StatusReport): string {
    return JSON.stringify(report, null, 2);
}
