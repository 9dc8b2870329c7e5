import { expect } from "chai";
import { AMTOOL_MISSING, BLACKBOX, BLACKBOX_MISSING, checkAlertmanagerConfig, checkBlackboxConfig, checkConfig, checkRules, commandPath, promtoolPath, PROMTOOL_MISSING, testRules } from "./support/monitoring/promtool";
import { ruleTests } from "./support/monitoring/rule-tests";
import { stackModel } from "./support/monitoring/models";
import type { CascadeModel } from "../model/types";
import { ruleGroups, rulesFile } from "../model/monitoring/rules";
import { group, writeTopology } from "./support/topology-file";

// The real promtool on what the program generates: the config and rules must load, and unit tests
// generated from the topology prove every alert fires for the right agent after its group's start
// period and not one evaluation before. promtool runs once per file, never once per agent.

/** An agent the committed topology does not have, and a group the stack config turns off. */
const unknownTopology = () => stackModel("mainpc", {
    "cascade:topology": writeTopology((t) => group(t, "cascade-auxiliary").agents.push({ name: "WatchdogAgent", port: 5990, healthPort: 6990 })),
    "cascade:groups": { "cascade-personality": { enabled: false } },
});

// The rules do not depend on the platform or on the edits, only on what is watched: the unit tests,
// the slow part, run once, on the committed topology.
const variants: [string, () => CascadeModel, boolean][] = [
    ["mainpc on Swarm", () => stackModel("mainpc"), true],
    ["mainpc on Swarm, with an agent added and a group disabled", unknownTopology, false],
    ["mainpc with Alertmanager and Grafana, scraping every 5s", () => stackModel("mainpc", {
        "cascade:monitoring": { prometheus: { scrapeInterval: "5s" }, alertmanager: { enabled: true, webhookUrl: "http://alerts.example:5001/" }, grafana: { enabled: true } },
    }), false],
];

describe("monitoring under the real promtool", function () {
    before(function () {
        if (promtoolPath() === undefined) {
            if (process.env.CI === "true") {
                throw new Error(`${PROMTOOL_MISSING}: CI must run these tests`);
            }
            console.log(`      SKIPPED: ${PROMTOOL_MISSING}`);
            this.skip();
        }
    });

    for (const [name, build, unitTests] of variants) {
        describe(name, () => {
            const model = build();
            const { prometheus, rules } = model.monitoring.files;

            it("generates a config and rules", () => {
                expect(prometheus, "prometheus.yml").to.be.a("string");
                expect(rules, "rules").to.be.a("string");
            });

            it("passes promtool check config", () => {
                const result = checkConfig(prometheus ?? "", rules ?? "");
                expect(result.ok, result.output).to.equal(true);
            });

            it("passes promtool check rules (lint included)", () => {
                const result = checkRules(rules ?? "");
                expect(result.ok, result.output).to.equal(true);
            });

            if (!unitTests) {
                return;
            }
            it("passes the promtool unit tests generated from the topology: every agent, group and machine", () => {
                const tests = ruleTests(model.monitoring.machines);
                const agents = model.monitoring.machines.flatMap((m) => m.groups.flatMap((g) => g.agents));
                expect(agents.length, "agents watched").to.equal(69);
                const result = testRules(rules ?? "", tests.file);
                expect(result.ok, `${result.output}\ncases:\n${tests.cases.join("\n")}`).to.equal(true);
            });
        });
    }

    it("watches the added agent and not the disabled group", () => {
        const model = unknownTopology();
        const prometheus = model.monitoring.files.prometheus ?? "";
        expect(prometheus).to.contain("health-mainpc-watchdogagent").and.contain("tasks.watchdogagent.cascade-auxiliary.cascade");
        expect(prometheus).to.not.contain("cascade-personality");
        expect(ruleTests(model.monitoring.machines).cases).to.include("CascadeAgentDown mainpc/cascade-auxiliary/WatchdogAgent after 30s");
        // The rules and the dashboard follow too: nothing left of the disabled group (the dashboard's
        // panels select a group's agents by label, so the added one shows in its group's row).
        expect(model.monitoring.files.rules).to.not.contain("cascade-personality");
        expect(model.monitoring.files.dashboards.mainpc).to.contain("cascade-auxiliary").and.not.contain("cascade-personality");
    });

    it("on Kubernetes with the Prometheus operator, each stack's rules pass promtool check rules", () => {
        for (const stack of ["mainpc", "pc2"] as const) {
            const model = stackModel(stack, { "cascade:platform": "kubernetes", "cascade:monitoring": { prometheusOperator: { enabled: true } } });
            expect(model.monitoring.machines.map((m) => m.name)).to.deep.equal([stack]);
            const result = checkRules(model.monitoring.files.rules ?? "");
            expect(result.ok, result.output).to.equal(true);
        }
    });

    it("the unit tests catch an alert that fires one evaluation early (the tests can fail)", () => {
        const model = stackModel("mainpc");
        const machine = model.monitoring.machines[0];
        const one = [{ ...machine, groups: [machine.groups[0]] }];
        const tests = ruleTests(one);
        const step = Number(/evaluation_interval: (\d+)s/.exec(tests.file)?.[1]);
        const early = ruleGroups(one).map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, forSeconds: r.forSeconds - step })) }));
        expect(testRules(rulesFile(ruleGroups(one)), tests.file).ok, "the right rules pass").to.equal(true);
        const result = testRules(rulesFile(early), tests.file);
        expect(result.ok, result.output).to.equal(false);
        expect(result.output).to.contain(machine.groups[0].agents[0].agent);
    });

    it("a broken rule fails promtool check rules (the check can fail)", () => {
        const result = checkRules("groups:\n  - name: broken\n    rules:\n      - alert: X\n        expr: probe_success ==\n");
        expect(result.ok).to.equal(false);
    });
});

describe("the generated blackbox exporter modules under the real exporter", function () {
    before(function () {
        if (commandPath(BLACKBOX) === undefined) {
            if (process.env.CI === "true") {
                throw new Error(`${BLACKBOX_MISSING}: CI must run these tests`);
            }
            console.log(`      SKIPPED: ${BLACKBOX_MISSING}`);
            this.skip();
        }
    });

    it("loads the modules file the program generates", () => {
        const file = stackModel("mainpc").monitoring.services.find((s) => s.role === "blackbox")?.files[0];
        expect(file?.target).to.equal("/etc/blackbox_exporter/config.yml");
        const result = checkBlackboxConfig(file?.content ?? "");
        expect(result.ok, result.output).to.equal(true);
    });

    it("refuses a module whose timeout is not a duration (the check can fail)", () => {
        expect(checkBlackboxConfig("modules:\n  http_2xx:\n    prober: http\n    timeout: forever\n").ok).to.equal(false);
    });
});

describe("the generated Alertmanager config under the real amtool", function () {
    before(function () {
        if (commandPath("amtool") === undefined) {
            if (process.env.CI === "true") {
                throw new Error(`${AMTOOL_MISSING}: CI must run these tests`);
            }
            console.log(`      SKIPPED: ${AMTOOL_MISSING}`);
            this.skip();
        }
    });

    it("accepts the config the program generates for a stack's receiver", () => {
        const model = stackModel("mainpc", { "cascade:monitoring": { alertmanager: { enabled: true, webhookUrl: "http://alerts.example:5001/" } } });
        const file = model.monitoring.services.find((s) => s.role === "alertmanager")?.files[0];
        expect(file, "the Alertmanager service's config file").to.not.equal(undefined);
        const result = checkAlertmanagerConfig(file?.content ?? "");
        expect(result.ok, result.output).to.equal(true);
        expect(result.output).to.contain("1 receivers");
    });

    it("refuses a route to a receiver that does not exist (the check can fail)", () => {
        expect(checkAlertmanagerConfig("route:\n  receiver: nobody\nreceivers:\n  - name: cascade\n").ok).to.equal(false);
    });
});
