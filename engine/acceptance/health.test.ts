import { expect } from "chai";
import { containerOfTask, currentTasks, inspectContainer, inspectContainers, inspectNetwork, inspectService } from "./docker";
import { acceptance } from "./hooks";
import { groupWorkloads, standalone, TOPOLOGY_GROUPS } from "./lookup";

// After both deploy.sh runs: every group of the topology is up as the plan rendered it, and the
// internal network is what the seed asks for.

describe("both stacks deployed from their rendered files", function () {
    for (const group of TOPOLOGY_GROUPS) {
        it(`${group.name} (${group.machine}): every service has its rendered replicas running, every task healthy`, async function () {
            const { services, containers } = groupWorkloads(acceptance(), group.name);
            for (const rendered of services) {
                const spec = await inspectService(rendered.name);
                expect(spec.Spec.Mode.Replicated?.Replicas, `${rendered.name} desired replicas`).to.equal(rendered.replicas);
                const tasks = await currentTasks(rendered.name);
                expect(tasks.map((t) => t.Status.State), `${rendered.name} task states`).to.deep.equal(Array<string>(rendered.replicas).fill("running"));
                const refs = await Promise.all(tasks.map(containerOfTask));
                const views = await inspectContainers(refs.flatMap((r) => (r ? [r] : [])));
                expect(views.map((c) => c.State.Health?.Status), `${rendered.name} container health`).to.deep.equal(Array<string>(rendered.replicas).fill("healthy"));
            }
            for (const rendered of containers) {
                const view = await inspectContainer(standalone(rendered));
                expect([view.State.Status, view.State.Health?.Status], `${rendered.name} state and health`).to.deep.equal(["running", "healthy"]);
            }
        });
    }

    it("the standalone audio container runs on the overlay with its aliases and its host device", async function () {
        const [audio] = acceptance().mainpc.containers;
        expect(audio, "a rendered standalone container").to.not.equal(undefined);
        const view = await inspectContainer(standalone(audio));
        expect(view.State.Running).to.equal(true);
        for (const [network, aliases] of audio.networks) {
            expect(Object.keys(view.NetworkSettings.Networks), `${audio.name} networks`).to.include(network);
            expect(view.NetworkSettings.Networks[network].Aliases ?? [], `${audio.name} aliases on ${network}`).to.include.members([...aliases]);
        }
        const devices = (view.HostConfig.Devices ?? []).map((d) => d.PathOnHost);
        expect(devices, "mapped host devices").to.include.members(audio.devices.map((d) => d.split(":")[0]));
    });

    it("cascade-internal is an overlay with subnet 172.20.0.0/16, internal and attachable", async function () {
        const rendered = acceptance().mainpc.networks.find((n) => n.name === "cascade-internal");
        expect(rendered, "the rendered network").to.deep.include({ internal: true, attachable: true, subnets: ["172.20.0.0/16"] });
        const network = await inspectNetwork("cascade-internal");
        expect({
            driver: network.Driver,
            scope: network.Scope,
            internal: network.Internal,
            attachable: network.Attachable,
            subnets: (network.IPAM.Config ?? []).map((c) => c.Subnet),
        }).to.deep.equal({ driver: "overlay", scope: "swarm", internal: true, attachable: true, subnets: ["172.20.0.0/16"] });
    });
});

describe("deploy order", function () {
    it("pc2's deploy.sh before mainpc's fails at once with \"deploy mainpc first\" and creates nothing", function () {
        const { failure, created } = acceptance().pc2First;
        expect(failure, "the failure").to.match(/deploy mainpc first/);
        expect(created, "Cascade objects on the engines").to.deep.equal([]);
    });
});
