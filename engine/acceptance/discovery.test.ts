import { expect } from "chai";
import * as http from "http";
import { acceptance } from "./hooks";
import { allContainers, allServices, containerOf, TOPOLOGY_GROUPS } from "./lookup";
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

function fetchLocal(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const request = http.get({ host: "127.0.0.1", port, path: "/", timeout: 5000 }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => { body += chunk.toString(); });
            response.on("end", () => resolve(body.trim()));
        });
        request.on("timeout", () => request.destroy(new Error(`127.0.0.1:${port} did not answer within 5 s`)));
        request.on("error", reject);
    });
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

    it("a published port answers on the node (127.0.0.1) with its agent", async function () {
        const published = allServices(acceptance()).flatMap((s) => s.published.map((port) => ({ port, agent: s.agents.find((a) => a.port === port) })));
        expect(published.length, "published ports in the render").to.be.greaterThan(0);
        for (const { port, agent } of published) {
            expect(await fetchLocal(port), `127.0.0.1:${port}`).to.equal(agent?.name);
        }
    });
});
