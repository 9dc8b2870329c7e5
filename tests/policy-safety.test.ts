import { expect } from "chai";
import { LABEL } from "../components/labels";
import { changed, containerSpec, policyRun, verdicts, violations, workloadName, type PolicyRun } from "./support/policy";

// Least privilege, checked on every workload the program registers: no privileged containers,
// capabilities from an allow-list (SYS_NICE only on real-time workloads, SYS_ADMIN only with the
// operator's opt-in and always flagged), no Docker socket, no secret in plain environment.

/** Every workload of a run with its group, driven from the model. */
function workloads(run: PolicyRun) {
    return run.model.groups.map((group) => ({ group, name: workloadName(run.model, group.name) }));
}

/** Adds capabilities to a service or a container. */
function addCapabilities(props: Record<string, unknown>, caps: readonly string[]): void {
    if ("taskSpec" in props) {
        const spec = containerSpec(props);
        spec.capAdds = [...((spec.capAdds as string[] | undefined) ?? []), ...caps];
    } else {
        const capabilities = (props.capabilities ?? {}) as { adds?: string[] };
        props.capabilities = { ...capabilities, adds: [...(capabilities.adds ?? []), ...caps] };
    }
}

describe("policy: no privileged containers", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("passes the seed: no workload is privileged", () => {
        expect(violations(verdicts(mainpc), "no-privileged")).to.deep.equal([]);
    });

    it("fails a privileged container, naming it and its machine", () => {
        const standalone = mainpc.model.groups.filter((g) => g.runAs === "standalone");
        expect(standalone.length).to.be.greaterThan(0);
        for (const group of standalone) {
            const name = workloadName(mainpc.model, group.name);
            const found = violations(verdicts(mainpc, changed(mainpc.views, name, (props) => { props.privileged = true; })), "no-privileged");
            expect(found.map((v) => v.resource)).to.deep.equal([name]);
            expect(found[0].message).to.contain(`${name} (container, group ${group.name}) on mainpc runs privileged`);
        }
    });
});

describe("policy: capabilities from an allow-list", () => {
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
    });

    it("passes the seed: only the real-time group adds SYS_NICE, and it is labelled real-time", () => {
        for (const run of [mainpc, pc2]) {
            expect(violations(verdicts(run), "capabilities-allow-list")).to.deep.equal([]);
            for (const { group } of workloads(run)) {
                const realtime = group.agents.some((a) => a.realtimePriority);
                if (group.capabilities.includes("SYS_NICE")) {
                    expect(realtime, `${group.name} adds SYS_NICE`).to.equal(true);
                }
            }
        }
    });

    it("fails SYS_NICE on every workload that is not real-time", () => {
        for (const run of [mainpc, pc2]) {
            for (const { group, name } of workloads(run).filter(({ group: g }) => !g.agents.some((a) => a.realtimePriority))) {
                const found = violations(verdicts(run, changed(run.views, name, (props) => addCapabilities(props, ["SYS_NICE"]))), "capabilities-allow-list");
                expect(found.map((v) => v.resource), group.name).to.deep.equal([name]);
                expect(found[0].message).to.contain(`adds capability SYS_NICE: SYS_NICE is allowed only on real-time workloads (label ${LABEL.realtime}=true)`);
            }
        }
    });

    it("fails a capability outside the allow-list, and passes it once the pack config allows it", () => {
        const name = workloadName(mainpc.model, mainpc.model.groups[0].name);
        const views = changed(mainpc.views, name, (props) => addCapabilities(props, ["CAP_NET_ADMIN"]));
        const found = violations(verdicts(mainpc, views), "capabilities-allow-list");
        expect(found.map((v) => v.resource)).to.deep.equal([name]);
        expect(found[0].message).to.contain("adds capability NET_ADMIN: NET_ADMIN is not on the allow-list (allowed: none; real-time only: SYS_NICE)");
        expect(violations(verdicts(mainpc, views, { "capabilities-allow-list": { allowed: ["NET_ADMIN"] } }), "capabilities-allow-list")).to.deep.equal([]);
    });

    it("fails SYS_ADMIN without the operator's opt-in, and flags it in any case", () => {
        const group = mainpc.model.groups.find((g) => g.runAs === "standalone");
        const name = workloadName(mainpc.model, group?.name ?? "");
        const all = verdicts(mainpc, changed(mainpc.views, name, (props) => addCapabilities(props, ["SYS_ADMIN"])));
        const found = violations(all, "capabilities-allow-list");
        expect(found.map((v) => v.resource)).to.deep.equal([name]);
        expect(found[0].message).to.contain("SYS_ADMIN is close to root and real-time scheduling needs SYS_NICE, not SYS_ADMIN (S3)");
        expect(violations(all, "sys-admin-flagged").map((v) => [v.resource, v.enforcementLevel])).to.deep.equal([[name, "advisory"]]);
    });

    it("lets cascade:audio.allowSysAdmin opt in: allowed, but still flagged as advisory", async () => {
        const run = await policyRun("mainpc", { "cascade:audio": { allowSysAdmin: true } });
        const holders = run.model.groups.filter((g) => g.capabilities.includes("SYS_ADMIN"));
        expect(holders.length).to.be.greaterThan(0);
        const all = verdicts(run);
        expect(violations(all, "capabilities-allow-list")).to.deep.equal([]);
        const flagged = violations(all, "sys-admin-flagged");
        expect(flagged.map((v) => v.resource)).to.deep.equal(holders.map((g) => workloadName(run.model, g.name)));
        expect(flagged[0].message).to.contain("holds SYS_ADMIN, which is close to root");
    });

    it("passes sys-admin-flagged on the seed", () => {
        expect(violations(verdicts(mainpc), "sys-admin-flagged")).to.deep.equal([]);
        expect(violations(verdicts(pc2), "sys-admin-flagged")).to.deep.equal([]);
    });
});

describe("policy: no Docker socket", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("passes the seed: no workload mounts a host path", () => {
        expect(violations(verdicts(mainpc), "no-docker-socket")).to.deep.equal([]);
    });

    for (const source of ["/var/run/docker.sock", "/run/docker.sock", "/var/run", "/"]) {
        it(`fails a bind mount of ${source} on every workload`, () => {
            for (const { name } of workloads(mainpc)) {
                const views = changed(mainpc.views, name, (props) => {
                    const mount = { type: "bind", source, target: "/host" };
                    if ("taskSpec" in props) {
                        containerSpec(props).mounts = [...((containerSpec(props).mounts as unknown[]) ?? []), mount];
                    } else {
                        props.mounts = [...((props.mounts as unknown[]) ?? []), mount];
                    }
                });
                const found = violations(verdicts(mainpc, views), "no-docker-socket");
                expect(found.map((v) => v.resource)).to.deep.equal([name]);
                expect(found[0].message).to.contain(`mounts ${source}, which exposes the Docker socket`);
            }
        });
    }

    it("passes a bind mount elsewhere", () => {
        const name = workloadName(mainpc.model, mainpc.model.groups[0].name);
        const views = changed(mainpc.views, name, (props) => { containerSpec(props).mounts = [{ type: "bind", source: "/srv/models", target: "/models" }]; });
        expect(violations(verdicts(mainpc, views), "no-docker-socket")).to.deep.equal([]);
    });
});

describe("policy: no secret in plain environment", () => {
    let mainpc: PolicyRun;
    let pc2: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
        pc2 = await policyRun("pc2");
    });

    it("passes the seed: secrets are files, and their variables point to the files", () => {
        for (const run of [mainpc, pc2]) {
            expect(violations(verdicts(run), "no-secret-env")).to.deep.equal([]);
            for (const group of run.model.groups) {
                expect(group.environment.REDIS_PASSWORD_FILE, group.name).to.match(/^\/run\/secrets\//);
            }
        }
    });

    it("fails a secret-looking variable on every workload, and accepts a *_FILE path", () => {
        for (const run of [mainpc, pc2]) {
            for (const { name } of workloads(run)) {
                const set = (variable: string, value: string) => changed(run.views, name, (props) => {
                    if ("taskSpec" in props) {
                        containerSpec(props).env = { ...(containerSpec(props).env as Record<string, string>), [variable]: value };
                    } else {
                        props.envs = [...(props.envs as string[]), `${variable}=${value}`];
                    }
                });
                for (const variable of ["API_TOKEN", "DB_PASSWORD", "OPENAI_API_KEY", "CLIENT_SECRET"]) {
                    const found = violations(verdicts(run, set(variable, "s3cr3t")), "no-secret-env");
                    expect(found.map((v) => v.resource), `${name} ${variable}`).to.deep.equal([name]);
                    expect(found[0].message).to.contain(`sets ${variable} in env: a secret in plain environment`);
                }
                expect(violations(verdicts(run, set("API_TOKEN_FILE", "/run/secrets/api-token")), "no-secret-env")).to.deep.equal([]);
                expect(violations(verdicts(run, set("KEYBOARD_LAYOUT", "us")), "no-secret-env")).to.deep.equal([]);
            }
        }
    });

    it("fails a secret in an agent's env inside the CASCADE_AGENTS manifest", () => {
        const group = mainpc.model.groups.find((g) => g.runAs === "service");
        const name = workloadName(mainpc.model, group?.name ?? "");
        const views = changed(mainpc.views, name, (props) => {
            const env = containerSpec(props).env as Record<string, string>;
            const agents = JSON.parse(env.CASCADE_AGENTS) as { name: string; env: Record<string, string> }[];
            agents[0].env.HF_TOKEN = "hf_abc";
            env.CASCADE_AGENTS = JSON.stringify(agents);
        });
        const found = violations(verdicts(mainpc, views), "no-secret-env");
        expect(found).to.have.length(1);
        expect(found[0].message).to.contain(`sets HF_TOKEN in CASCADE_AGENTS[${group?.agents[0].name}].env`);
    });
});

describe("policy: host paths only read-only for the kernel's views (the node exporter)", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });
    const exporter = "cascade-node-exporter-mainpc-service";
    const mountsOf = (props: Record<string, unknown>) => containerSpec(props).mounts as { source?: string; readOnly?: boolean }[];

    it("passes the node exporter's read-only /proc and /sys", () => {
        expect(mountsOf(mainpc.views.find((v) => v.name === exporter)?.props ?? {}).map((m) => [m.source, m.readOnly])).to.deep.equal([["/proc", true], ["/sys", true]]);
        expect(violations(verdicts(mainpc), "host-path-mounts")).to.deep.equal([]);
    });

    it("fails the same mounts writable, naming each path", () => {
        const views = changed(mainpc.views, exporter, (props) => { mountsOf(props).forEach((m) => { m.readOnly = false; }); });
        const found = violations(verdicts(mainpc, views), "host-path-mounts");
        expect(found.map((v) => v.message)).to.deep.equal(["/proc", "/sys"].map((path) =>
            `${exporter} (Swarm service, group cascade-monitoring) on mainpc mounts the host path ${path}: whoever controls the container can read or change the host there. Use a claim or a device plugin instead, or add the path to this policy's allow-list in the pack config.`));
    });

    it("fails another host path even read-only", () => {
        const views = changed(mainpc.views, exporter, (props) => { containerSpec(props).mounts = [{ type: "bind", source: "/etc", target: "/host/etc", readOnly: true }]; });
        expect(violations(verdicts(mainpc, views), "host-path-mounts").map((v) => v.resource)).to.deep.equal([exporter]);
    });
});
