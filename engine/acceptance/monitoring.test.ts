import { expect } from "chai";
import { ALERTS } from "../../model/monitoring/rules";
import { docker } from "./docker";
import { MACHINES } from "./engines";
import { acceptance } from "./hooks";
import { allServices, containerOf, machineOfService, service } from "./lookup";
import { expectedTargets, targetDifferences, targetKey, topologyAgentCount, type ExpectedTarget, type TargetLabels } from "./monitoring-targets";
import { PrometheusApi, type Alert } from "./prometheus-api";
import type { RenderedService } from "./rendered";
import { done, notYet, waitFor } from "./wait";

// The deployed Prometheus and blackbox exporter (the local images of Debian's packages) watching both
// machines, read through Prometheus's own HTTP API: every agent's probe on every task, the hubs'
// metrics, each node's exporter; then an agent told to fail (the stand-in's CASCADE_FAIL_AGENTS, as
// the Day-2 checks stage it) alerts by the generated rule and clears when it recovers. The bounds of
// the waits are for the swarm to converge (Prometheus re-resolves tasks.<agent> every 30 s, the DNS
// service discovery's default); the only timing checked is the rule's own: its `for`, to within an
// evaluation interval, as Prometheus recorded it in its ALERTS series.

/** Converging after a change: a task replaced, re-resolved, probed. */
const CONVERGE_MS = 240_000;
const POLL_MS = 1_000;

const prometheus = async () => new PrometheusApi(await containerOf(service(acceptance(), "prometheus").name));

const alertLine = (a: Alert) => `${a.labels.alertname ?? "?"} ${a.state} ${targetKey(a.labels)}`;

/** Waits until the probes of every agent on every task are up, exactly as expected, and nothing alerts. */
async function everyTargetUp(api: PrometheusApi): Promise<ExpectedTarget[]> {
    return waitFor("every agent's probe up on every task, and no alert", { timeoutMs: CONVERGE_MS, intervalMs: POLL_MS * 3 }, async () => {
        const expected = await expectedTargets(acceptance());
        const probes = await api.query('probe_success{job=~"health-.*"}');
        const differences = targetDifferences(probes, expected.map(targetKey), targetKey);
        const alerts = (await api.alerts()).map(alertLine);
        return differences.length === 0 && alerts.length === 0 ? done(expected) : notYet([...differences, ...alerts.map((a) => `alert: ${a}`)].join("; "));
    });
}

/** The first timestamp at which the series of each alert state has a sample. */
function firstTimes(series: readonly { metric: Readonly<Record<string, string>>; values: readonly (readonly [number, string])[] }[]): Record<string, number> {
    return Object.fromEntries(series.map((s) => [s.metric.alertstate ?? "?", Math.min(...s.values.map(([t]) => t))]));
}

describe("monitoring: Prometheus watches every agent of both machines", function () {
    this.timeout(CONVERGE_MS * 2);

    it("every agent's health endpoint is probed on every task, up, labelled with its machine, group, agent and optionality; nothing alerts", async function () {
        const expected = await everyTargetUp(await prometheus());
        const agents = new Set(expected.map((t) => `${t.machine}/${t.agent}`));
        expect(agents.size, "agents probed").to.equal(topologyAgentCount());
        expect([...new Set(expected.map((t) => t.machine))].sort(), "machines").to.deep.equal([...MACHINES]);
        const replicated = expected.filter((t) => expected.filter((u) => u.agent === t.agent && u.machine === t.machine).length > 1);
        expect(replicated.length, "probes of agents in replicated groups (one per task)").to.be.greaterThan(0);
        console.log(`      (${agents.size} agents, ${expected.length} probes: one per agent per task)`);
    });

    it("the ObservabilityHubs' metrics are scraped on every task, and each machine's node exporter", async function () {
        const api = await prometheus();
        const hubs = (await expectedTargets(acceptance())).filter((t) => t.metricsPath !== undefined);
        expect(hubs.map((t) => t.machine).sort(), "hubs with a metricsPath").to.include.members([...MACHINES]);
        const scrapeKey = (l: TargetLabels) => `${l.machine ?? "?"} ${l.group ?? "?"} ${l.agent ?? "?"} task=${l.task ?? "?"}`;
        await waitFor("every hub's metrics scraped", { timeoutMs: CONVERGE_MS, intervalMs: POLL_MS * 3 }, async () => {
            const differences = targetDifferences(await api.query('up{job=~"metrics-.*"}'), hubs.map(scrapeKey), scrapeKey);
            return differences.length === 0 ? done(undefined) : notYet(differences.join("; "));
        });
        // The hubs' own samples arrive with the agent's labels, as the dashboards read them.
        const samples = await api.query("cascade_standin_up");
        expect(samples.map((s) => scrapeKey(s.metric)).sort()).to.deep.equal(hubs.map(scrapeKey).sort());
        const nodes = await api.query('up{job="node"}');
        expect(nodes.map((s) => [s.metric.machine, s.value[1]]).sort(), "node exporters up").to.deep.equal(MACHINES.map((m) => [m, "1"]));
        const memory = await api.query('node_memory_MemTotal_bytes{job="node"}');
        expect(memory.map((s) => s.metric.machine).sort(), "machines' memory, which the budget rules read").to.deep.equal([...MACHINES]);
    });

    it("an optional agent told to fail turns its alert pending, then firing after the rule's `for`, naming machine, group and agent; it clears when the agent recovers", async function () {
        const a = acceptance();
        const expected = await expectedTargets(a);
        const failing = expected.find((t) => t.optional === "true" && allServices(a).some((s) => s.group === t.group));
        if (!failing) {
            throw new Error("no optional agent runs in a service: the topology has none to fail without failing its group");
        }
        const target: RenderedService | undefined = allServices(a).find((s) => s.group === failing.group && s.agents.some((x) => x.name === failing.agent));
        if (!target) {
            throw new Error(`no rendered service runs ${failing.agent}`);
        }
        const api = await prometheus();
        const machine = machineOfService(a, target.name);
        const ruleGroup = (await api.rules()).find((g) => g.name === `${machine}/${failing.group}`);
        const rule = ruleGroup?.rules.find((r) => r.name === ALERTS.optionalAgentDown);
        if (!ruleGroup || rule?.duration === undefined) {
            throw new Error(`Prometheus has no ${ALERTS.optionalAgentDown} rule with a duration in group ${machine}/${failing.group}`);
        }
        const forSeconds = rule.duration;
        const mine = (alert: Alert) => alert.labels.alertname === ALERTS.optionalAgentDown && alert.labels.agent === failing.agent;
        const started = await api.now();
        await docker(["service", "update", "--detach", "--env-add", `CASCADE_FAIL_AGENTS=${failing.agent}`, target.name]);
        try {
            const states: string[] = [];
            const firing = await waitFor(`${ALERTS.optionalAgentDown} firing for ${failing.agent}`, { timeoutMs: CONVERGE_MS, intervalMs: POLL_MS }, async () => {
                const alert = (await api.alerts()).find(mine);
                if (alert && states[states.length - 1] !== alert.state) {
                    states.push(alert.state);
                }
                return alert?.state === "firing" ? done(alert) : notYet(alert ? alertLine(alert) : "no alert");
            });
            expect(states, "the alert's states, in the order seen").to.deep.equal(["pending", "firing"]);
            expect(firing.labels, "the firing alert's labels").to.deep.include({ machine, group: failing.group, agent: failing.agent, optional: "true", severity: "warning" });
            const tasks = (await expectedTargets(a)).filter((t) => t.agent === failing.agent && t.machine === machine).map((t) => t.task);
            expect(tasks, "the alert's task is the agent's running task").to.include(firing.labels.task);
            // When it turned pending and firing, as Prometheus recorded it (one sample a second).
            const series = await api.queryRange(`ALERTS{alertname="${ALERTS.optionalAgentDown}",agent="${failing.agent}"}`, Math.floor(started), Math.ceil(await api.now()), 1);
            const first = firstTimes(series);
            const pendingFor = first.firing - first.pending;
            console.log(`      (${failing.agent} on ${machine}: pending, then firing ${pendingFor} s later; the rule's for: ${forSeconds} s, evaluated every ${ruleGroup.interval} s)`);
            expect(pendingFor, "seconds from pending to firing").to.be.within(forSeconds - 1, forSeconds + ruleGroup.interval + 1);
        } finally {
            await docker(["service", "update", "--detach", "--env-rm", "CASCADE_FAIL_AGENTS", target.name]);
        }
        await waitFor(`${failing.agent}'s alert to clear`, { timeoutMs: CONVERGE_MS, intervalMs: POLL_MS * 3 }, async () => {
            const alert = (await api.alerts()).find(mine);
            return alert ? notYet(alertLine(alert)) : done(undefined);
        });
        await everyTargetUp(api);
    });
});
