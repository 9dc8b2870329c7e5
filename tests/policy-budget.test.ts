import { expect } from "chai";
import { formatMemory } from "../config/units";
import type { MachineFacts, PolicyFacts } from "../policy/facts";
import { allViolations, changed, containerSpec, policyRun, verdicts, violations, workloadName, type PolicyRun } from "./support/policy";

// The budget rules over the resources the program registers (S6): reservations x replicas must fit
// each machine (mandatory), limits x replicas above capacity x overcommit ratio are reported
// (advisory), agents' memory limits must fit their group's, GPUs only where the machine has them.
// Expected numbers come from the model, never from the seed's text.

const cpus = (n: number) => String(Math.round(n * 1000) / 1000);
const MB = 1024 * 1024;

/** The model's reserved CPUs as the engine holds them: a standalone container reserves no CPU. */
function engineReservedCpus(run: PolicyRun): number {
    const standalone = run.model.groups.filter((g) => g.runAs === "standalone").reduce((sum, g) => sum + g.resources.reservations.cpus * g.replicas, 0);
    return run.model.budget.reserved.cpus - standalone;
}

function withCapacity(facts: PolicyFacts, machine: string, change: Partial<MachineFacts["capacity"]>): PolicyFacts {
    const own = facts.machines.get(machine);
    if (!own) {
        throw new Error(`no facts for ${machine}`);
    }
    return { ...facts, machines: new Map([[machine, { ...own, capacity: { ...own.capacity, ...change } }]]) };
}

describe("policy: budgets per machine", () => {
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
    });

    it("passes every mandatory policy with the seed's config on both machines", () => {
        for (const run of [mainpc, pc2]) {
            const mandatory = verdicts(run).flatMap((v) => v.violations).filter((v) => v.enforcementLevel === "mandatory");
            expect(mandatory, allViolations(verdicts(run)).join("\n")).to.deep.equal([]);
        }
    });

    it("reports MainPC's limit overcommit as advisory, with the model's totals and every workload", () => {
        const { budget } = mainpc.model;
        const found = violations(verdicts(mainpc), "budget-limits-overcommit");
        expect(found.map((v) => v.enforcementLevel)).to.deep.equal(["advisory", "advisory"]);
        const [cpu, memory] = found.map((v) => v.message);
        expect(cpu).to.contain(`mainpc: limits x replicas add up to ${cpus(budget.limited.cpus)} CPUs`);
        expect(cpu).to.contain(`${cpus(budget.limited.cpus - budget.capacity.cpus)} over the ${cpus(budget.capacity.cpus)} it has`);
        expect(memory).to.contain(`mainpc: limits x replicas add up to ${formatMemory(budget.limited.memoryBytes)} memory`);
        expect(memory).to.contain(`over the ${formatMemory(budget.capacity.memoryBytes)} it has`);
        for (const group of mainpc.model.groups) {
            expect(cpu).to.contain(`${workloadName(mainpc.model, group.name)} ${cpus(group.resources.limits.cpus)} x ${group.replicas}`);
            expect(memory).to.contain(`${workloadName(mainpc.model, group.name)} ${formatMemory(group.resources.limits.memoryBytes)} x ${group.replicas}`);
        }
        expect(cpu).to.contain(`cascade-core-redis-service ${cpus(mainpc.model.redis?.resources.limits.cpus ?? NaN)} x 1`);
    });

    it("finds nothing over budget on PC2", () => {
        const all = verdicts(pc2);
        expect(violations(all, "budget-reservations")).to.deep.equal([]);
        expect(violations(all, "budget-limits-overcommit")).to.deep.equal([]);
        expect(pc2.model.budget.limited.cpus).to.be.at.most(pc2.model.budget.capacity.cpus);
    });

    for (const ratio of [1.25, 1.5]) {
        it(`accepts limits up to capacity x cascade:budget.overcommitRatio ${ratio}`, async () => {
            const run = await policyRun("mainpc", { "cascade:budget": { overcommitRatio: ratio } });
            const { budget } = run.model;
            const expected = [
                ...(budget.limited.cpus > budget.capacity.cpus * ratio ? ["CPUs"] : []),
                ...(budget.limited.memoryBytes > budget.capacity.memoryBytes * ratio ? ["memory"] : []),
            ];
            const found = violations(verdicts(run), "budget-limits-overcommit");
            expect(found.map((v) => (v.message.includes(" CPUs (") ? "CPUs" : "memory"))).to.deep.equal(expected);
            found.forEach((v) => expect(v.message).to.contain(`x overcommit ratio ${ratio})`));
        });
    }

    it("fails when reservations x replicas exceed the machine's CPUs, naming the machine, the largest share and the numbers", async () => {
        const capacity = Math.floor(engineReservedCpus(mainpc)) - 2;
        const run = await policyRun("mainpc", { "cascade:capacity": { cpus: capacity, memory: "80G", gpus: 1, gpuModel: "rtx4090", vram: "24G" } });
        const found = violations(verdicts(run), "budget-reservations");
        expect(found).to.have.length(1);
        const services = run.model.budget.lines.filter((l) => run.model.groups.find((g) => g.name === l.name)?.runAs !== "standalone");
        const largest = [...services].sort((a, b) => b.reserved.cpus - a.reserved.cpus)[0];
        expect(found[0]).to.include({ enforcementLevel: "mandatory", resource: workloadName(run.model, largest.name) });
        expect(found[0].message).to.contain(`mainpc: reservations x replicas add up to ${cpus(engineReservedCpus(run))} CPUs`);
        expect(found[0].message).to.contain(`${cpus(engineReservedCpus(run) - capacity)} over the ${capacity} it has`);
        expect(found[0].message).to.contain("cascade:capacity.cpus in Pulumi.mainpc.yaml");
    });

    it("fails when reservations x replicas exceed the machine's memory", async () => {
        const run = await policyRun("mainpc", { "cascade:capacity": { cpus: 32, memory: "16G", gpus: 1 } });
        const found = violations(verdicts(run), "budget-reservations");
        expect(found).to.have.length(1);
        expect(found[0].message).to.contain(`mainpc: reservations x replicas add up to ${formatMemory(run.model.budget.reserved.memoryBytes)} memory`);
        expect(found[0].message).to.contain("over the 16G it has");
    });

    it("fails when GPU reservations x replicas exceed the machine's GPUs", () => {
        const gpuGroup = mainpc.model.groups.find((g) => g.resources.gpus > 0);
        expect(gpuGroup, "the seed has a GPU group").to.not.equal(undefined);
        const name = workloadName(mainpc.model, gpuGroup?.name ?? "");
        const views = changed(mainpc.views, name, (props) => {
            props.mode = { replicated: { replicas: mainpc.model.machine.capacity.gpus + 1 } };
        });
        const found = violations(verdicts(mainpc, views), "budget-reservations").filter((v) => v.message.includes("GPUs"));
        expect(found).to.have.length(1);
        expect(found[0].resource).to.equal(name);
        expect(found[0].message).to.contain(`add up to ${mainpc.model.machine.capacity.gpus + 1} GPUs`);
    });

    it("fails for a workload without a machine label, or on a machine no stack config describes", () => {
        const name = workloadName(mainpc.model, mainpc.model.groups[0].name);
        const unlabelled = changed(mainpc.views, name, (props) => {
            props.labels = [];
            containerSpec(props).labels = [];
        });
        expect(violations(verdicts(mainpc, unlabelled), "budget-reservations").map((v) => v.message)).to.deep.equal([
            `${name} (Swarm service) has no cascade.machine label, so no machine budget covers it. Label it with the machine it runs on.`,
        ]);
        const elsewhere = changed(mainpc.views, name, (props) => {
            props.labels = [{ label: "cascade.machine", value: "pc9" }];
        });
        const found = violations(verdicts(mainpc, elsewhere), "budget-reservations");
        expect(found).to.have.length(1);
        expect(found[0].message).to.contain(`runs on machine "pc9", which no stack config describes`);
    });
});

describe("policy: agents' memory limits within the group's", () => {
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
    });

    it("passes for every group of the seed", () => {
        expect(violations(verdicts(mainpc), "agent-memory-within-group-limit")).to.deep.equal([]);
        expect(violations(verdicts(pc2), "agent-memory-within-group-limit")).to.deep.equal([]);
    });

    it("fails for every group whose agents declare memory, once its limit is below their sum", () => {
        const groups = [mainpc, pc2].flatMap((run) => run.model.groups.filter((g) => g.agentMemoryBytes !== undefined).map((g) => ({ run, group: g })));
        expect(groups.length).to.be.greaterThan(0);
        for (const { run, group } of groups) {
            const total = group.agentMemoryBytes ?? 0;
            const limit = Math.floor((total - MB) / MB) * MB;
            const name = workloadName(run.model, group.name);
            const views = changed(run.views, name, (props) => {
                if (group.runAs === "service") {
                    (props.taskSpec as { resources: { limits: { memoryBytes: number } } }).resources.limits.memoryBytes = limit;
                } else {
                    props.memory = limit / MB;
                }
            });
            const found = violations(verdicts(run, views), "agent-memory-within-group-limit");
            expect(found.map((v) => v.resource), group.name).to.deep.equal([name]);
            expect(found[0].message).to.contain(`group ${group.name}`);
            expect(found[0].message).to.contain(`add up to ${formatMemory(total)}, more than the group's limit of ${formatMemory(limit)} per replica`);
            for (const agent of group.agents.filter((a) => a.memoryLimitBytes !== undefined)) {
                expect(found[0].message).to.contain(`${agent.name} ${formatMemory(agent.memoryLimitBytes ?? 0)}`);
            }
        }
    });
});

describe("policy: GPU reservations", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("passes the seed's GPU group on its GPU machine", () => {
        expect(violations(verdicts(mainpc), "gpu-reservations")).to.deep.equal([]);
    });

    it("fails a reservation above the machine's GPUs per replica", () => {
        const group = mainpc.model.groups.find((g) => g.resources.gpus > 0);
        const name = workloadName(mainpc.model, group?.name ?? "");
        const count = mainpc.model.machine.capacity.gpus + 1;
        const views = changed(mainpc.views, name, (props) => {
            const resources = (props.taskSpec as { resources: { reservation: Record<string, unknown> } }).resources;
            resources.reservation.genericResources = { discreteResourcesSpecs: [`${mainpc.model.gpuResourceKind}=${count}`] };
        });
        const found = violations(verdicts(mainpc, views), "gpu-reservations");
        expect(found.map((v) => v.resource)).to.deep.equal([name]);
        expect(found[0].message).to.contain(`reserves ${count} GPUs per replica on mainpc, which has ${mainpc.model.machine.capacity.gpus}`);
    });

    it("fails any GPU reservation on a machine without GPUs", () => {
        const group = mainpc.model.groups.find((g) => g.resources.gpus > 0);
        const found = violations(verdicts(mainpc, mainpc.views, {}, withCapacity(mainpc.facts, "mainpc", { gpus: 0 })), "gpu-reservations");
        expect(found.map((v) => v.resource)).to.deep.equal([workloadName(mainpc.model, group?.name ?? "")]);
        expect(found[0].message).to.contain("on mainpc, which has no GPU");
    });

    it("counts only the machine's GPU kind", () => {
        const group = mainpc.model.groups.find((g) => g.resources.gpus > 0);
        const name = workloadName(mainpc.model, group?.name ?? "");
        const views = changed(mainpc.views, name, (props) => {
            const resources = (props.taskSpec as { resources: { reservation: Record<string, unknown> } }).resources;
            resources.reservation.genericResources = { discreteResourcesSpecs: ["fpga=4"] };
        });
        expect(violations(verdicts(mainpc, views), "gpu-reservations")).to.deep.equal([]);
    });
});
