import { expect } from "chai";
import { run } from "./exec";
import { netnsOf } from "./engines";
import { acceptance } from "./hooks";
import { allContainers, allServices, containerOf, machineOfGroup, TOPOLOGY_GROUPS } from "./lookup";
import { failedProbes, probeAgents } from "./probe";
import type { RenderedAgent } from "./rendered";

// `<agent>.<group>.cascade` across groups and across machines, from inside the groups' own containers,
// on the internal overlay: what the agents rely on to find each other (seed section 3).

const INTERNAL_SUBNET = "172.20.0.0/16";

function agentsOf(groups: readonly string[]): RenderedAgent[] {
    const a = acceptance();
    return [...allServices(a), ...allContainers(a)].filter((w) => groups.includes(w.group)).flatMap((w) => w.agents);
}

function groupsOn(machine: string, except = ""): string[] {
    return TOPOLOGY_GROUPS.filter((g) => g.machine === machine && g.name !== except).map((g) => g.name);
}

function serviceOfGroup(group: string): string {
    const found = allServices(acceptance()).find((s) => s.group === group);
    if (!found) {
        throw new Error(`no rendered service for ${group}`);
    }
    return found.name;
}

/** GET / on 127.0.0.1 inside a machine's network namespace, where its engine publishes host-mode ports. */
async function fetchOnMachine(machine: string, port: number): Promise<string> {
    const result = await run("ip", ["netns", "exec", netnsOf(machine), "curl", "-sS", "-m", "5", `http://127.0.0.1:${port}/`]);
    return result.code === 0 ? result.stdout.trim() : `curl exited ${String(result.code)}: ${result.stderr.trim()}`;
}

describe("service discovery on the overlay", function () {
    it("from cascade-core (MainPC), every agent of every other group on both machines resolves and answers on its port", async function () {
        const agents = agentsOf([...groupsOn("mainpc", "cascade-core"), ...groupsOn("pc2")]);
        const results = await probeAgents(await containerOf(serviceOfGroup("cascade-core")), agents);
        expect(failedProbes(results, agents, INTERNAL_SUBNET)).to.deep.equal([]);
        expect(agents.length, "agents probed").to.be.greaterThan(50);
    });

    it("from cascade-pc2-apps (PC2), every MainPC agent resolves and answers on its port", async function () {
        const agents = agentsOf(groupsOn("mainpc"));
        const results = await probeAgents(await containerOf(serviceOfGroup("cascade-pc2-apps")), agents);
        expect(failedProbes(results, agents, INTERNAL_SUBNET)).to.deep.equal([]);
    });

    it("PC2's ObservabilityHub reaches MainPC's hub at the MAINPC_HUB_ENDPOINT the program gave it", async function () {
        const hub = agentsOf(["cascade-pc2-core"]).find((agent) => agent.env.MAINPC_HUB_ENDPOINT !== undefined);
        const endpoint = new URL(hub?.env.MAINPC_HUB_ENDPOINT ?? "http://missing");
        const target = agentsOf(groupsOn("mainpc")).find((agent) => agent.dnsName === endpoint.hostname && agent.port === Number(endpoint.port));
        expect(target, `a MainPC agent at ${endpoint.host}`).to.not.equal(undefined);
        const [result] = await probeAgents(await containerOf(serviceOfGroup("cascade-pc2-core")), [{ dnsName: endpoint.hostname, port: Number(endpoint.port) }]);
        expect(result.reply).to.equal(target?.name);
    });

    it("a published port answers on its machine (127.0.0.1 in its network namespace) with its agent", async function () {
        const published = allServices(acceptance()).flatMap((s) => s.published.map((port) => ({ port, machine: machineOfGroup(s.group), agent: s.agents.find((a) => a.port === port) })));
        expect(published.length, "published ports in the render").to.be.greaterThan(0);
        for (const { port, machine, agent } of published) {
            expect(await fetchOnMachine(machine, port), `${machine} 127.0.0.1:${port}`).to.equal(agent?.name);
        }
    });
});
