import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import { MONITORING_GROUP } from "../model/monitoring/services";
import { takeSnapshot, type Snapshot } from "../ops/observe";
import { plannedStack, type PlannedStack } from "../ops/planned";
import { exitCodeOf, judge, type StatusReport } from "../ops/status";
import { statusJson, statusText } from "../ops/status-view";

// `npm run status` judged from engine API responses recorded on a real Docker engine in Swarm mode
// (tests/fixtures/day2/README.md says how they were made): the rendered stacks of the fixture configs
// deployed with their deploy.sh, then one agent told to fail, an update rolled back, the groups stopped.

const DIR = "tests/fixtures/day2";
const stacks = (...names: string[]): PlannedStack[] => names.map((s) => plannedStack(s, `${DIR}/Pulumi.${s}.yaml`));
const recorded = (name: string): Snapshot => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, DIR, `${name}.json`), "utf8")) as Snapshot;
const workload = (report: StatusReport, group: string) => {
    const found = report.workloads.find((w) => w.group === group && !w.redis);
    if (!found) {
        throw new Error(`no ${group} in the report`);
    }
    return found;
};

interface Case {
    readonly fixture: string;
    readonly stacks: readonly string[];
    readonly exit: 0 | 1;
    readonly check: (report: StatusReport, text: string) => void;
}

const CASES: readonly Case[] = [
    {
        fixture: "healthy", stacks: ["mainpc"], exit: 0,
        check: (report, text) => {
            for (const w of report.workloads) {
                expect(w.nodes, w.name).to.deep.equal(["cas14"]);
                expect(w.healthy, w.name).to.equal(w.desired);
                for (const agent of w.agents) {
                    expect(text, agent.name).to.match(new RegExp(`^\\s+${agent.name}\\s+ok$`, "m"));
                }
            }
            expect(report.volumes.map((v) => [v.name, v.present])).to.deep.equal([["cascade_unified_memory", true], ["cascade_redis_data", true], ["cascade_logs", true]]);
            expect(text).to.match(/^status: every group healthy at its planned image/m);
        },
    },
    {
        fixture: "failing-agent", stacks: ["mainpc"], exit: 1,
        check: (report, text) => {
            const personality = workload(report, "cascade-personality");
            expect(personality.failingAgents).to.deep.equal(["MoodTrackerAgent"]);
            expect(personality.healthOutput).to.equal("unhealthy: MoodTrackerAgent (6704)");
            expect(personality.update).to.equal("paused");
            expect(personality.restarts).to.be.greaterThan(0);
            expect(text).to.include("failing agents: MoodTrackerAgent on mainpc");
            expect(text).to.match(/^\s+MoodTrackerAgent\s+FAILING$/m);
            expect(workload(report, "cascade-core").ok).to.equal(true);
        },
    },
    {
        fixture: "rolled-back", stacks: ["mainpc"], exit: 1,
        check: (report, text) => {
            const personality = workload(report, "cascade-personality");
            expect(personality.update).to.equal("rolled back");
            expect(text).to.include("cascade-personality on mainpc: last update rolled back: rollback completed");
        },
    },
    {
        fixture: "stopped", stacks: ["mainpc"], exit: 1,
        check: (report) => {
            for (const w of report.workloads) {
                expect(w.healthy, w.name).to.equal(0);
                expect(w.failingAgents, w.name).to.deep.equal([]);
                expect(w.problems.join("\n"), w.name).to.include(`scaled to 0 replicas (stopped: npm run start -- --stack mainpc --group ${w.group})`);
            }
            expect(report.volumes.every((v) => v.present), "volumes kept by stop").to.equal(true);
        },
    },
    {
        fixture: "pc2-unplaced", stacks: ["mainpc", "pc2"], exit: 1,
        check: (report, text) => {
            const pc2 = workload(report, "cascade-pc2-core");
            expect(pc2.machine).to.equal("pc2");
            expect(pc2.pending.map((p) => p.reason)).to.deep.equal(["no suitable node (scheduling constraints not satisfied on 1 node)"]);
            expect(report.engines.map((e) => e.error)).to.deep.equal(["no Swarm node carries system=pc2: label pc2's node (docker node update --label-add)"]);
            expect(text).to.match(/cascade-pc2-core on pc2: task \w+ pending: no suitable node/);
            expect(report.workloads.filter((w) => w.machine === "mainpc").every((w) => w.ok)).to.equal(true);
        },
    },

];

describe("npm run status, from recorded engine responses", () => {
    for (const c of CASES) {
        it(`${c.fixture}: exit ${c.exit}`, () => {
            const report = judge(stacks(...c.stacks), recorded(c.fixture));
            expect(exitCodeOf(report)).to.equal(c.exit);
            c.check(report, statusText(report));
        });
    }

    it("a volume the stack plans but the engine lacks is named, and exits 1", () => {
        const [mainpc] = stacks("mainpc");
        const planned: PlannedStack = { ...mainpc, machine: { ...mainpc.machine, volumes: [...mainpc.machine.volumes, "cascade_model_cache"] } };
        const report = judge([planned], recorded("healthy"));
        expect(exitCodeOf(report)).to.equal(1);
        expect(statusText(report)).to.include("mainpc: volume cascade_model_cache is missing on its engine (pulumi up creates it empty; if its data was moved, restore it first)");
    });

    it("a running image other than the planned one is named, tag against plan, and exits 1", () => {
        const [mainpc] = stacks("mainpc");
        const planned: PlannedStack = { ...mainpc, workloads: mainpc.workloads.map((w) => (w.group === "cascade-core" && !w.redis ? { ...w, image: "cascade/core:dev2" } : w)) };
        const report = judge([planned], recorded("healthy"));
        expect(exitCodeOf(report)).to.equal(1);
        expect(workload(report, "cascade-core").problems).to.deep.equal(["runs cascade/core:dev1, planned cascade/core:dev2"]);
        expect(statusText(report)).to.match(/^FAIL\s+mainpc\s+cascade-core\s+cas14\s+1\/1\s+dev1 \(plan dev2\)/m);
    });

    it("the monitoring services are judged like any group: a stack with monitoring on names each one it lacks, and exits 1", () => {
        // The fixture config with monitoring left at its default (on): the recorded engine runs none.
        const text = fs.readFileSync(path.join(PROJECT_ROOT, DIR, "Pulumi.mainpc.yaml"), "utf8").replace(/^\s*#.*\n\s*cascade:monitoring:\n\s*enabled: false\n/m, "\n");
        expect(text, "the fixture's monitoring switch").to.not.contain("cascade:monitoring");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-status-"));
        try {
            const file = path.join(dir, "Pulumi.mainpc.yaml");
            fs.writeFileSync(file, text);
            const planned = plannedStack("mainpc", file);
            const monitoring = planned.workloads.filter((w) => w.group === MONITORING_GROUP);
            expect(monitoring.map((w) => [w.name, w.machine, w.kind, w.phase])).to.deep.equal([
                ["cascade-prometheus", "mainpc", "service", 0],
                ["cascade-blackbox-exporter", "mainpc", "service", 0],
                ["cascade-node-exporter-mainpc", "mainpc", "service", 0],
            ]);
            const report = judge([planned], recorded("healthy"));
            expect(exitCodeOf(report)).to.equal(1);
            const out = statusText(report);
            for (const w of monitoring) {
                expect(out).to.match(new RegExp(`^FAIL\\s+mainpc\\s+${w.name} \\(${MONITORING_GROUP}\\)\\s+-\\s+0/1`, "m"));
                expect(out).to.include(`${MONITORING_GROUP} (${w.name}) on mainpc: no service ${w.name} on the Swarm manager`);
            }
            expect(out).to.include("mainpc: volume cascade_prometheus_data is missing on its engine");
            expect(report.workloads.filter((w) => w.group !== MONITORING_GROUP).every((w) => w.ok), "the groups, as recorded").to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("--json is the report itself, every planned agent in it", () => {
        const report = judge(stacks("mainpc"), recorded("failing-agent"));
        const parsed = JSON.parse(statusJson(report)) as StatusReport;
        expect(parsed).to.deep.equal(JSON.parse(JSON.stringify(report)));
        const planned = stacks("mainpc")[0].workloads.flatMap((w) => w.agents.map((a) => a.name));
        expect(parsed.workloads.flatMap((w) => w.agents.map((a) => a.name))).to.deep.equal(planned);
        expect(parsed.ok).to.equal(false);
    });

    it("an engine that cannot be reached is named with its machine, host and error, and exits 1", async () => {
        const [mainpc] = stacks("mainpc");
        const host = "unix:///run/cas14-no-such-engine.sock";
        const gone: PlannedStack = { ...mainpc, managerHost: host, machine: { ...mainpc.machine, engineHost: host } };
        const report = judge([gone], await takeSnapshot([gone]));
        expect(exitCodeOf(report)).to.equal(1);
        expect(report.engines.map((e) => e.error)).to.deep.equal([
            `the Swarm manager (cascade:docker.managerHost of mainpc): the Docker engine at ${host} does not answer (listing the swarm's nodes): connect ENOENT /run/cas14-no-such-engine.sock`,
            `mainpc: the Docker engine at ${host} does not answer (ping): connect ENOENT /run/cas14-no-such-engine.sock`,
        ]);
        expect(report.workloads.every((w) => !w.ok && w.problems[0].startsWith("cannot be read: "))).to.equal(true);
    });
});
