import { expect } from "chai";
import { imageTag } from "../policy/rules/images";
import { changed, containerSpec, policyRun, verdicts, violations, workloadName, type PolicyRun } from "./support/policy";

// What keeps the system running and reachable as designed: health-gated, restarting workloads; data
// volumes that survive `pulumi destroy`; the internal network really internal (S7); published ports
// unique where they are taken; images pinned to a release (S9).

const REDIS_SERVICE = "cascade-core-redis-service";

function allWorkloads(run: PolicyRun): string[] {
    return [...run.model.groups.map((g) => workloadName(run.model, g.name)), ...(run.model.redis ? [REDIS_SERVICE] : [])];
}

describe("policy: healthcheck and restart policy on every workload", () => {
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
    });

    it("passes the seed on both machines", () => {
        expect(violations(verdicts(mainpc), "healthcheck-and-restart")).to.deep.equal([]);
        expect(violations(verdicts(pc2), "healthcheck-and-restart")).to.deep.equal([]);
    });

    it("fails every workload, Redis included, without a healthcheck", () => {
        for (const run of [mainpc, pc2]) {
            for (const name of allWorkloads(run)) {
                const views = changed(run.views, name, (props) => {
                    if ("taskSpec" in props) {
                        containerSpec(props).healthcheck = { tests: ["NONE"] };
                    } else {
                        delete props.healthcheck;
                    }
                });
                const found = violations(verdicts(run, views), "healthcheck-and-restart");
                expect(found.map((v) => v.resource), name).to.deep.equal([name]);
                expect(found[0].message).to.contain("has no healthcheck: without a healthcheck the next phase starts before it works");
            }
        }
    });

    it("fails every workload whose restart policy is none", () => {
        for (const run of [mainpc, pc2]) {
            for (const name of allWorkloads(run)) {
                const views = changed(run.views, name, (props) => {
                    if ("taskSpec" in props) {
                        (props.taskSpec as { restartPolicy: { condition: string } }).restartPolicy.condition = "none";
                    } else {
                        props.restart = "no";
                    }
                });
                const found = violations(verdicts(run, views), "healthcheck-and-restart");
                expect(found.map((v) => v.resource), name).to.deep.equal([name]);
                expect(found[0].message).to.contain("has no restart policy");
            }
        }
    });
});

describe("policy: data volumes protected from deletion", () => {
    it("passes the seed: every data volume is protected and retained", async () => {
        const run = await policyRun("mainpc");
        expect(run.model.volumes.length).to.be.greaterThan(0);
        expect(violations(verdicts(run), "data-volumes-protected")).to.deep.equal([]);
    });

    it("fails every data volume when the operator lifts both protections", async () => {
        const run = await policyRun("mainpc", { "cascade:data": { protect: false, retainOnDelete: false } });
        const found = violations(verdicts(run), "data-volumes-protected");
        expect(found.map((v) => v.resource)).to.deep.equal(run.model.volumes.map((v) => `${v.name}-volume`));
        expect(found.map((v) => v.message)).to.deep.equal(run.model.volumes.map((v) =>
            `data volume ${v.name} on mainpc is not protected (nor retained on delete): pulumi destroy would delete its data. Set cascade:data.protect (and cascade:data.retainOnDelete) to true.`));
    });

    it("passes a volume that is only retained on delete", async () => {
        const run = await policyRun("pc2", { "cascade:data": { protect: false, retainOnDelete: true } });
        expect(violations(verdicts(run), "data-volumes-protected")).to.deep.equal([]);
    });

    it("counts only protect where retainOnDelete cannot be seen (inside the pack)", async () => {
        const run = await policyRun("pc2", { "cascade:data": { protect: false, retainOnDelete: true } });
        const asInThePack = run.views.map((v) => ({ ...v, options: { protect: v.options.protect } }));
        const found = violations(verdicts(run, asInThePack), "data-volumes-protected");
        expect(found.map((v) => v.resource)).to.deep.equal(run.model.volumes.map((v) => `${v.name}-volume`));
        expect(found[0].message).to.contain("retainOnDelete cannot be seen by the policy engine");
    });
});

describe("policy: the internal network really internal (S7)", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("passes the seed", () => {
        expect(violations(verdicts(mainpc), "internal-network-internal")).to.deep.equal([]);
    });

    it("fails the internal network created without internal: true", () => {
        const internal = mainpc.model.networks.internal.name;
        for (const value of [false, undefined]) {
            const views = changed(mainpc.views, `${internal}-network`, (props) => {
                if (value === undefined) {
                    delete props.internal;
                } else {
                    props.internal = value;
                }
            });
            const found = violations(verdicts(mainpc, views), "internal-network-internal");
            expect(found.map((v) => v.resource)).to.deep.equal([`${internal}-network`]);
            expect(found[0].message).to.contain(`network ${internal} is declared internal in the topology but would be created with internal: ${value ?? "unset"}`);
        }
    });

    it("does not ask the external network to be internal", () => {
        const external = mainpc.model.networks.external;
        expect(external.internal).to.equal(false);
        const views = changed(mainpc.views, `${external.name}-network`, (props) => { props.internal = false; });
        expect(violations(verdicts(mainpc, views), "internal-network-internal")).to.deep.equal([]);
    });
});

describe("policy: published ports unique where they are taken", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("passes the seed", () => {
        expect(violations(verdicts(mainpc), "unique-published-ports")).to.deep.equal([]);
    });

    it("fails a second service publishing any port the seed publishes", () => {
        const publishing = mainpc.model.groups.filter((g) => g.publishedPorts.length > 0);
        expect(publishing.length).to.be.greaterThan(0);
        for (const owner of publishing) {
            const other = mainpc.model.groups.find((g) => g.runAs === "service" && g.name !== owner.name);
            const name = workloadName(mainpc.model, other?.name ?? "");
            for (const port of owner.publishedPorts) {
                const views = changed(mainpc.views, name, (props) => {
                    props.endpointSpec = { mode: "vip", ports: [{ targetPort: port, publishedPort: port, protocol: "tcp", publishMode: "ingress" }] };
                });
                const found = violations(verdicts(mainpc, views), "unique-published-ports");
                expect(found).to.have.length(1);
                expect(found[0].message).to.contain(`publishes tcp port ${port}, which`);
                expect(found[0].message).to.contain(workloadName(mainpc.model, owner.name));
                expect(found[0].message).to.contain("in the swarm (routing mesh)");
            }
        }
    });

    it("tells protocols apart", () => {
        const owner = mainpc.model.groups.find((g) => g.publishedPorts.length > 0);
        const other = mainpc.model.groups.find((g) => g.runAs === "service" && g.name !== owner?.name);
        const port = owner?.publishedPorts[0] ?? 0;
        const views = changed(mainpc.views, workloadName(mainpc.model, other?.name ?? ""), (props) => {
            props.endpointSpec = { mode: "vip", ports: [{ targetPort: port, publishedPort: port, protocol: "udp", publishMode: "ingress" }] };
        });
        expect(violations(verdicts(mainpc, views), "unique-published-ports")).to.deep.equal([]);
    });

    it("fails two host-mode ports on the same machine", () => {
        const services = mainpc.model.groups.filter((g) => g.runAs === "service").slice(0, 2).map((g) => workloadName(mainpc.model, g.name));
        let views = mainpc.views;
        for (const name of services) {
            views = changed(views, name, (props) => {
                props.endpointSpec = { mode: "vip", ports: [{ targetPort: 8080, publishedPort: 18080, protocol: "tcp", publishMode: "host" }] };
            });
        }
        const found = violations(verdicts(mainpc, views), "unique-published-ports");
        expect(found.map((v) => v.resource)).to.deep.equal([services[1]]);
        expect(found[0].message).to.contain("already publishes on mainpc");
    });
});

describe("policy: images not on latest (S9)", () => {
    it("passes the seed's pinned release", async () => {
        const run = await policyRun("mainpc");
        expect(violations(verdicts(run), "no-latest-image")).to.deep.equal([]);
    });

    it("reports every group's image as advisory when the tag is latest", async () => {
        for (const stack of ["mainpc", "pc2"] as const) {
            const run = await policyRun(stack, { "cascade:images": { registry: "cascade", tag: "latest" } });
            const found = violations(verdicts(run), "no-latest-image");
            expect(found.map((v) => v.resource)).to.deep.equal(run.model.groups.map((g) => workloadName(run.model, g.name)));
            expect(found.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
            expect(found[0].message).to.contain(`runs ${run.model.groups[0].image}, which is latest`);
        }
    });

    it("names the Redis image's own key when Redis runs an untagged image", async () => {
        const run = await policyRun("mainpc", { "cascade:images": { registry: "cascade", tag: "2025.07.30", redis: "redis" } });
        const found = violations(verdicts(run), "no-latest-image");
        expect(found.map((v) => v.resource)).to.deep.equal(["cascade-core-redis-service"]);
        expect(found[0].message).to.contain("runs redis, which is implicitly latest").and.to.contain("Set cascade:images.redis to a release.");
    });

    it("reads tags as Docker does", () => {
        expect(imageTag("cascade/core")).to.equal("latest");
        expect(imageTag("registry:5000/cascade/core")).to.equal("latest");
        expect(imageTag("registry:5000/cascade/core:2025.07.30")).to.equal("2025.07.30");
        expect(imageTag("cascade/core:latest")).to.equal("latest");
        expect(imageTag("cascade/core@sha256:abc")).to.equal(undefined);
    });
});
