import { expect } from "chai";
import { loadTopology } from "../config/load";
import { loadStack } from "../model/load";
import { readStackFile } from "../config/stack-file";
import { findCycle } from "../config/startup";
import { formatMemory, isIpv4Cidr, parseCpus, parseDuration, parseMemory } from "../config/units";
import type { CascadeModel } from "../model/types";

// The pure model: value formats, and the numbers counted by hand from the seed's tables (9 groups, 69
// agents, 94 distinct ports on MainPC and 44 on PC2).

const GIB = 1024 ** 3;

function model(stack: "mainpc" | "pc2"): CascadeModel {
    const file = readStackFile(`Pulumi.${stack}.yaml`);
    return loadStack({ config: file.config, secretKeys: new Set(file.secretKeys), stackFile: file.file, identity: { project: "cascade", stack } }).model;
}

describe("value formats", () => {
    const memory: [string, number | undefined][] = [
        ["512M", 512 * 1024 ** 2], ["2G", 2 * GIB], ["1.5g", 1.5 * GIB], ["80GiB", 80 * GIB], ["1024", 1024], ["64k", 65536],
        ["80X", undefined], ["", undefined], ["-1G", undefined], ["G", undefined],
    ];
    for (const [text, bytes] of memory) {
        it(`reads memory ${JSON.stringify(text)} as ${bytes ?? "invalid"}`, () => expect(parseMemory(text)).to.equal(bytes));
    }

    it("formats memory back into the units operators write", () => {
        expect([2 * GIB, 512 * 1024 ** 2, 32.5 * GIB, 1536, 1024 ** 4].map(formatMemory)).to.deep.equal(["2G", "512M", "32.50G", "1536B", "1T"]);
    });

    it("reads CPUs as the seed writes them and rejects the rest", () => {
        expect([parseCpus("2.0"), parseCpus(8), parseCpus("0.5"), parseCpus("two"), parseCpus(0), parseCpus("-2")]).to.deep.equal([2, 8, 0.5, undefined, undefined, undefined]);
    });

    it("reads durations as Go and Compose write them", () => {
        const cases: [string, number][] = [["10s", 10], ["90s", 90], ["2m", 120], ["500ms", 0.5], ["1h", 3600], ["1m30s", 90]];
        for (const [text, seconds] of cases) {
            expect(parseDuration(text), text).to.equal(seconds);
        }
        expect(parseDuration("10 seconds")).to.equal(undefined);
    });

    it("accepts only IPv4 networks whose host bits are zero", () => {
        expect(["172.20.0.0/16", "10.0.0.0/8", "0.0.0.0/0"].map(isIpv4Cidr)).to.deep.equal([true, true, true]);
        expect(["172.20.1.0/16", "172.20.0.0/33", "300.1.0.0/16", "172.20.0.0", "fd00::/8"].map(isIpv4Cidr)).to.deep.equal([false, false, false, false, false]);
    });
});

describe("the seed's tables, counted", () => {
    const topology = loadTopology("config/topology.yaml");

    it("has 9 groups and 69 agents: 7 groups with 47 agents on MainPC, 2 with 22 on PC2", () => {
        expect(topology.groups).to.have.length(9);
        expect(topology.groups.flatMap((g) => g.agents)).to.have.length(69);
        expect(topology.groups.filter((g) => g.machine === "mainpc").flatMap((g) => g.agents)).to.have.length(47);
        expect(topology.groups.filter((g) => g.machine === "pc2").flatMap((g) => g.agents)).to.have.length(22);
    });

    it("uses 94 distinct ports on MainPC and 44 on PC2", () => {
        for (const [machine, count] of [["mainpc", 94], ["pc2", 44]] as const) {
            const ports = topology.groups.filter((g) => g.machine === machine).flatMap((g) => g.agents.flatMap((a) => [a.port, a.healthPort]));
            expect(new Set(ports).size, machine).to.equal(count);
        }
    });

    it("has ObservabilityHub on both machines (names are unique per machine, not globally)", () => {
        const hubs = topology.groups.flatMap((g) => g.agents.filter((a) => a.name === "ObservabilityHub").map((a) => `${g.machine}:${a.port}/${a.healthPort}`));
        expect(hubs).to.deep.equal(["mainpc:9000/9001", "pc2:9100/9110"]);
    });
});

describe("budgets (S6)", () => {
    it("adds MainPC's groups up to the seed's 38 CPUs / 106 GB of limits and 19 / 53 of reservations, plus Redis", () => {
        const { budget, groups: seedGroups, monitoring } = model("mainpc");
        const groups = budget.lines.filter((l) => seedGroups.some((g) => g.name === l.name));
        const total = (pick: (l: (typeof groups)[number]) => number) => groups.reduce((sum, l) => sum + pick(l), 0);
        expect(total((l) => l.limited.cpus)).to.equal(38);
        expect(total((l) => l.limited.memoryBytes)).to.equal(106 * GIB);
        expect(total((l) => l.reserved.cpus)).to.equal(19);
        expect(total((l) => l.reserved.memoryBytes)).to.equal(53 * GIB);
        // Plus Redis, and the monitoring services this stack runs (counted like any other group).
        const watch = (pick: (r: (typeof monitoring.services)[number]["resources"]) => number) => monitoring.services.reduce((sum, s) => sum + pick(s.resources), 0);
        expect(budget.lines.map((l) => l.name)).to.include.members(monitoring.services.map((s) => s.name));
        expect(budget.limited).to.deep.equal({ cpus: 39 + watch((r) => r.limits.cpus), memoryBytes: 107 * GIB + watch((r) => r.limits.memoryBytes), gpus: 1 });
        expect(budget.reserved).to.deep.equal({ cpus: 19.25 + watch((r) => r.reservations.cpus), memoryBytes: 53 * GIB + 256 * 1024 ** 2 + watch((r) => r.reservations.memoryBytes), gpus: 1 });
        expect(budget.capacity).to.include({ cpus: 32, memoryBytes: 80 * GIB, gpus: 1 });
    });

    it("adds PC2's groups up to 12 CPUs / 24 GB of limits and 6 / 12 of reservations, with no Redis", () => {
        const { budget } = model("pc2");
        // Plus PC2's own node exporter: 0.25 CPU / 128M limit, 0.05 / 32M reserved.
        expect(budget.lines.map((l) => l.name)).to.deep.equal(["cascade-pc2-core", "cascade-pc2-apps", "cascade-node-exporter-pc2"]);
        expect(budget.limited).to.deep.equal({ cpus: 12.25, memoryBytes: 24 * GIB + 128 * 1024 ** 2, gpus: 0 });
        expect(budget.reserved).to.deep.equal({ cpus: 6.05, memoryBytes: 12 * GIB + 32 * 1024 ** 2, gpus: 0 });
    });
});

describe("derived agent facts", () => {
    it("keeps the seed's startup orders and starts agents without dependencies together", () => {
        const mainpc = model("mainpc");
        const order = (group: string) => mainpc.groups.find((g) => g.name === group)?.agents.map((a) => a.startupOrder);
        expect(order("cascade-core")).to.deep.equal([1, 2, 3, 4]);
        expect(order("cascade-ai-engine")).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(order("cascade-personality")).to.deep.equal([1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it("derives lower-case DNS names and leaves optional agents out of the healthcheck", () => {
        const auxiliary = model("mainpc").groups.find((g) => g.name === "cascade-auxiliary");
        expect(auxiliary?.aliases[0]).to.equal("translationservice.cascade-auxiliary.cascade");
        expect(auxiliary?.health.ports).to.deep.equal([6584, 6582, 6650, 6606, 6624, 6711, 6636]);
        expect(auxiliary?.health.command).to.not.contain("6595");
    });

    it("finds dependency cycles and reports them as a path", () => {
        expect(findCycle([{ name: "a", dependsOn: ["b"] }, { name: "b", dependsOn: ["c"] }, { name: "c", dependsOn: ["a"] }])).to.deep.equal(["a", "b", "c", "a"]);
        expect(findCycle([{ name: "a", dependsOn: ["b"] }, { name: "b", dependsOn: [] }])).to.equal(undefined);
    });
});
