import { expect } from "chai";
import { loadTopology } from "../config/load";
import type { TopologyGroup } from "../config/schema/topology";
import { resource, runStack, TYPES, type StackRun } from "./support/program";

// What reaches the Docker provider for every group and every agent of the seed's tables, on both
// machine stacks. Expectations are computed from config/topology.yaml (the seed as data) and the
// seed's own numbers, not from the model the program uses.

const topology = loadTopology("config/topology.yaml");
const GIB = 1024 ** 3;

interface ServiceInputs {
    name: string;
    mode: { replicated: { replicas: number } };
    labels: { label: string; value: string }[];
    taskSpec: {
        containerSpec: {
            image: string;
            env: Record<string, string>;
            healthcheck: { tests: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
            mounts: { type: string; source: string; target: string; readOnly: boolean }[];
            secrets: { secretId: string; secretName: string; fileName: string; fileMode: number }[];
            capAdds: string[];
            capDrops: string[];
        };
        resources: {
            limits: { nanoCpus: number; memoryBytes: number };
            reservation: { nanoCpus: number; memoryBytes: number; genericResources?: { discreteResourcesSpecs: string[] } };
        };
        restartPolicy: { condition: string; delay: string; maxAttempts: number; window: string };
        placement: { constraints: string[] };
        networksAdvanceds: { id: string; aliases?: string[] }[];
        logDriver: { name: string; options: Record<string, string> };
    };
    updateConfig: Record<string, unknown>;
    rollbackConfig: Record<string, unknown>;
    endpointSpec: { mode: string; ports: { targetPort: number; publishedPort: number; protocol: string; publishMode: string }[] };
    convergeConfig: { delay: string; timeout: string };
}

interface ManifestEntry {
    name: string;
    dnsName: string;
    port: number;
    healthPort: number;
    startupOrder: number;
    dependsOn: string[];
    optional: boolean;
    memoryLimitBytes?: number;
    env: Record<string, string>;
}

/** The SDK's marker for a secret value as it reaches the provider (and the mocks). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The value inside a secret; fails when the value was not marked secret. */
function unwrapSecret(value: unknown): unknown {
    expect(value, "a secret value").to.have.property(SECRET_SIG);
    return (value as { value: unknown }).value;
}

const dns = (agent: string, group: string) => `${agent}.${group}.cascade`.toLowerCase();
const healthCommand = (group: TopologyGroup) =>
    `! { ${group.agents.filter((a) => !a.optional).map((a) => `curl -fsS -m 2 -o /dev/null http://127.0.0.1:${a.healthPort}/health 2>/dev/null || echo 'unhealthy: ${a.name} (${a.healthPort})';`).join(" ")} } | grep .`;
const machinePin = (machine: string) => `node.labels.system == ${machine}`;

const runs: Record<string, StackRun> = {};
before(async () => {
    runs.mainpc = await runStack("mainpc");
    runs.pc2 = await runStack("pc2");
});

function networkIds(run: StackRun): { internal: string; external: string } {
    const networks = run.outputs.networks as { internal: { id: string }; external: { id: string } };
    return { internal: networks.internal.id, external: networks.external.id };
}

describe("every Swarm service group reaches the provider as the seed describes it", () => {
    for (const group of topology.groups.filter((g) => g.devices.length === 0)) {
        describe(group.name, () => {
            let service: ServiceInputs;
            before(() => {
                service = resource(runs[group.machine], TYPES.service, `${group.name}-service`).inputs as unknown as ServiceInputs;
            });

            it("is a cascade:swarm:Group of its machine with one service child", () => {
                const run = runs[group.machine];
                const component = resource(run, TYPES.group, group.name);
                expect(component.parent).to.equal(group.machine);
                const children = run.resources.filter((r) => r.parent === group.name).map((r) => `${r.type} ${r.name}`);
                const expected = [`${TYPES.service} ${group.name}-service`];
                if (group.name === topology.redis.group) {
                    expected.unshift(`cascade:swarm:Redis ${group.name}-redis`);
                }
                expect(children).to.deep.equal(expected);
            });

            it("runs the group's image at the stack's tag with the seed's replicas", () => {
                expect(service.name).to.equal(group.name);
                expect(service.taskSpec.containerSpec.image).to.equal(`cascade/${group.image}:2025.07.30`);
                expect(service.mode).to.deep.equal({ replicated: { replicas: group.replicas } });
            });

            it("has the seed's limits and reservations in the provider's units", () => {
                const { limits, reservation } = service.taskSpec.resources;
                expect(limits).to.deep.equal({ nanoCpus: group.resources.limits.cpus * 1e9, memoryBytes: group.resources.limits.memory });
                expect(reservation.nanoCpus).to.equal(group.resources.reservations.cpus * 1e9);
                expect(reservation.memoryBytes).to.equal(group.resources.reservations.memory);
                if (group.gpus > 0) {
                    expect(reservation.genericResources).to.deep.equal({ discreteResourcesSpecs: [`gpu=${group.gpus}`] });
                } else {
                    expect(reservation).to.not.have.property("genericResources");
                }
            });

            it("is pinned to its machine, plus the seed's own constraints (S5)", () => {
                expect(service.taskSpec.placement.constraints).to.deep.equal([machinePin(group.machine), ...group.placement]);
            });

            it("has one healthcheck that probes every non-optional agent with the seed's timings", () => {
                expect(service.taskSpec.containerSpec.healthcheck).to.deep.equal({
                    tests: ["CMD-SHELL", healthCommand(group)],
                    interval: "10s",
                    timeout: "5s",
                    retries: 5,
                    startPeriod: "30s",
                });
            });

            it("restarts and updates as the seed says, with a matching rollback", () => {
                expect(service.taskSpec.restartPolicy).to.deep.equal({ condition: "any", delay: "5s", maxAttempts: 10, window: "2m" });
                const common = { parallelism: 1, delay: "10s", monitor: "30s", maxFailureRatio: "0.0", order: "stop-first" };
                expect(service.updateConfig).to.deep.equal({ ...common, failureAction: "rollback" });
                expect(service.rollbackConfig).to.deep.equal({ ...common, failureAction: "pause" });
            });

            it("waits for the rolling update and a rollback of every task before pulumi up gives up", () => {
                // Per batch of one task: the 30 s start period, then 5 retries + 1 probe 10 s + 5 s apart, then the
                // 10 s update delay; the 30 s monitor once. Twice (update, then rollback), never under ten minutes.
                const expected: Record<number, string> = { 1: "10m", 2: "10m", 3: "14m" };
                expect(service.convergeConfig).to.deep.equal({ delay: "5s", timeout: expected[service.mode.replicated.replicas] });
            });

            it("is reachable as <agent>.<group>.cascade for every agent on the internal network", () => {
                const ids = networkIds(runs[group.machine]);
                const [internal, ...rest] = service.taskSpec.networksAdvanceds;
                expect(internal).to.deep.equal({ id: ids.internal, aliases: group.agents.map((a) => dns(a.name, group.name)) });
                const needsExternal = group.egress || group.agents.some((a) => a.loadBalanced);
                expect(rest).to.deep.equal(needsExternal ? [{ id: ids.external }] : []);
            });

            it("publishes only its load-balanced agents' ports (S7)", () => {
                expect(service.endpointSpec).to.deep.equal({
                    mode: "vip",
                    ports: group.agents.filter((a) => a.loadBalanced).map((a) => ({ targetPort: a.port, publishedPort: a.port, protocol: "tcp", publishMode: "ingress" })),
                });
            });

            it("passes its agents manifest with ports, order, dependencies and memory limits", () => {
                const manifest = JSON.parse(service.taskSpec.containerSpec.env.CASCADE_AGENTS) as ManifestEntry[];
                expect(manifest.map((m) => m.name)).to.deep.equal(group.agents.map((a) => a.name));
                for (const agent of group.agents) {
                    const entry = manifest.find((m) => m.name === agent.name);
                    expect(entry, agent.name).to.include({ dnsName: dns(agent.name, group.name), port: agent.port, healthPort: agent.healthPort, optional: agent.optional });
                    expect(entry?.dependsOn).to.deep.equal(agent.dependsOn);
                    expect(entry?.memoryLimitBytes).to.equal(agent.memoryLimit);
                    expect(entry?.startupOrder).to.equal(agent.startupOrder ?? (agent.dependsOn.length === 0 ? 1 : entry?.startupOrder));
                    expect(entry?.env).to.include(agent.environment);
                }
            });

            it("gets the machine's, the group's and the service endpoints' environment", () => {
                const env = service.taskSpec.containerSpec.env;
                expect(env).to.include(topology.machines[group.machine].environment);
                expect(env).to.include(group.environment);
                expect(env).to.include({
                    SECURE_ZMQ: "1",
                    CASCADE_GROUP: group.name,
                    CASCADE_MACHINE: group.machine,
                    REDIS_HOST: "redis.cascade-core.cascade",
                    REDIS_PORT: "6379",
                    REDIS_PASSWORD_FILE: "/run/secrets/redis-password",
                    ZMQ_CERTIFICATES_DIR: "/run/secrets/zmq",
                    LOG_DIR: "/var/log/cascade",
                });
            });

            it("mounts its volumes on directories and its secrets read-only for root", () => {
                const { mounts, secrets } = service.taskSpec.containerSpec;
                const expected = [{ volume: "logs", target: "/var/log/cascade" }, ...group.volumes, ...group.agents.flatMap((a) => a.volumes)];
                expect(mounts).to.deep.equal(expected.map((m) => ({ type: "volume", source: `cascade_${m.volume}`, target: m.target, readOnly: false })));
                expect(secrets.map((s) => [s.fileName, s.fileMode])).to.deep.equal([
                    ["/run/secrets/redis-password", 0o400],
                    ["/run/secrets/zmq/client.key", 0o400],
                    ["/run/secrets/zmq/client.key_secret", 0o400],
                    ["/run/secrets/zmq/server.key", 0o400],
                    ["/run/secrets/zmq/server.key_secret", 0o400],
                ]);
            });

            it("drops every capability, rotates its logs and labels itself for the policies", () => {
                expect(service.taskSpec.containerSpec.capDrops).to.deep.equal(["ALL"]);
                expect(service.taskSpec.containerSpec.capAdds).to.deep.equal([]);
                expect(service.taskSpec.logDriver).to.deep.equal({ name: "json-file", options: { "max-size": "10m", "max-file": "3" } });
                expect(service.labels).to.deep.include({ label: "cascade.machine", value: group.machine });
                expect(service.labels).to.deep.include({ label: "cascade.group", value: group.name });
            });

            it("is replaced by removing the old service first, since its name is fixed", () => {
                expect(resource(runs[group.machine], TYPES.service, `${group.name}-service`).options.deleteBeforeReplace).to.equal(true);
            });
        });
    }
});

describe("the audio group runs as a standalone container (S1, S3)", () => {
    const audio = topology.groups.find((g) => g.name === "cascade-audio-realtime");
    interface ContainerInputs {
        name: string;
        image: string;
        devices: { hostPath: string; containerPath: string; permissions: string }[];
        capabilities: { adds: string[]; drops: string[] };
        ulimits: { name: string; soft: number; hard: number }[];
        groupAdds: string[];
        privileged?: boolean;
        memory: number;
        memoryReservation: number;
        cpus: string;
        envs: string[];
        securityOpts: string[];
        healthcheck: Record<string, unknown>;
        networksAdvanced: { name: string; aliases?: string[] }[];
        restart: string;
        wait: boolean;
        waitTimeout: number;
        uploads: unknown;
        mounts: { type: string; source: string; target: string }[];
        logOpts: Record<string, string>;
    }
    let container: ContainerInputs;
    before(() => {
        container = resource(runs.mainpc, TYPES.container, "cascade-audio-realtime-container").inputs as unknown as ContainerInputs;
    });

    it("maps /dev/snd and grants SYS_NICE, an rtprio ulimit and the audio group, never SYS_ADMIN", () => {
        expect(audio).to.not.equal(undefined);
        expect(container.devices).to.deep.equal([{ hostPath: "/dev/snd", containerPath: "/dev/snd", permissions: "rwm" }]);
        expect(container.capabilities).to.deep.equal({ adds: ["CAP_SYS_NICE"], drops: ["ALL"] });
        expect(container.ulimits).to.deep.equal([{ name: "rtprio", soft: 95, hard: 95 }]);
        expect(container.groupAdds).to.deep.equal(["29"]);
        expect(container.privileged).to.equal(undefined);
        expect(container.securityOpts).to.deep.equal(["no-new-privileges:true"]);
    });

    it("has the seed's resources in container units (MB, decimal CPUs)", () => {
        expect(container.memory).to.equal(4 * 1024);
        expect(container.memoryReservation).to.equal(2 * 1024);
        expect(container.cpus).to.equal("2.0");
    });

    it("joins the overlay with every agent's alias and waits until healthy", () => {
        const ids = networkIds(runs.mainpc);
        expect(container.networksAdvanced).to.deep.equal([{ name: ids.internal, aliases: audio?.agents.map((a) => dns(a.name, "cascade-audio-realtime")) }]);
        expect(container.healthcheck).to.deep.equal({ tests: ["CMD-SHELL", audio ? healthCommand(audio) : ""], interval: "10s", timeout: "5s", retries: 5, startPeriod: "30s" });
        expect(container.restart).to.equal("unless-stopped");
        expect(container.wait).to.equal(true);
        expect(container.waitTimeout).to.equal(30 + 6 * 15);
    });

    it("receives its secrets as root-only files marked secret, never as environment", () => {
        const uploads = unwrapSecret(container.uploads) as { file: string; permissions: string }[];
        expect(uploads.map((u) => [u.file, u.permissions])).to.deep.equal([
            ["/run/secrets/redis-password", "0400"],
            ["/run/secrets/zmq/client.key", "0400"],
            ["/run/secrets/zmq/client.key_secret", "0400"],
            ["/run/secrets/zmq/server.key", "0400"],
            ["/run/secrets/zmq/server.key_secret", "0400"],
        ]);
        expect(container.envs.join("\n")).to.not.contain("plan-placeholder");
        expect(container.envs).to.include("REDIS_PASSWORD_FILE=/run/secrets/redis-password");
    });

    it("adds SYS_ADMIN only when the operator opts in", async () => {
        const run = await runStack("mainpc", { "cascade:audio": { allowSysAdmin: true } });
        const inputs = resource(run, TYPES.container, "cascade-audio-realtime-container").inputs as unknown as ContainerInputs;
        expect(inputs.capabilities).to.deep.equal({ adds: ["CAP_SYS_NICE", "CAP_SYS_ADMIN"], drops: ["ALL"] });
    });
});

describe("the seed's memory units", () => {
    it("reads the ai-engine's 32G limit as 32 GiB, as Docker does", () => {
        const engine = topology.groups.find((g) => g.name === "cascade-ai-engine");
        expect(engine?.resources.limits.memory).to.equal(32 * GIB);
    });
});
