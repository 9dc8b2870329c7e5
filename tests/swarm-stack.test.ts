import { expect } from "chai";
import { loadTopology } from "../config/load";
import { resource, runStack, TYPES, type StackRun } from "./support/program";

// The pieces around the groups: networks, volumes, secrets, Redis, deployment phases, and the two
// machine stacks working together.

const topology = loadTopology("config/topology.yaml");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const runs: Record<string, StackRun> = {};
before(async () => {
    runs.mainpc = await runStack("mainpc");
    runs.pc2 = await runStack("pc2");
});

const names = (run: StackRun, type: string) => run.resources.filter((r) => r.type === type).map((r) => r.name);

describe("networks (seed section 3, S7)", () => {
    it("creates cascade-internal as an internal, attachable overlay on 172.20.0.0/16", () => {
        const network = resource(runs.mainpc, TYPES.network, "cascade-internal-network");
        expect(network.parent).to.equal("mainpc");
        expect(network.options.provider).to.equal("mainpc-manager");
        expect(network.inputs).to.deep.include({ name: "cascade-internal", driver: "overlay", attachable: true, internal: true, ipamConfigs: [{ subnet: "172.20.0.0/16", gateway: "172.20.0.1" }] });
        expect(network.options.deleteBeforeReplace).to.equal(true);
    });

    it("creates cascade-external as an attachable overlay with egress", () => {
        const network = resource(runs.mainpc, TYPES.network, "cascade-external-network");
        expect(network.inputs).to.deep.include({ name: "cascade-external", driver: "overlay", attachable: true, internal: false });
        expect(network.inputs).to.not.have.property("ipamConfigs");
    });

    it("lets an operator move the internal subnet", async () => {
        const run = await runStack("mainpc", { "cascade:network": { internalSubnet: "10.44.0.0/16" } });
        expect(resource(run, TYPES.network, "cascade-internal-network").inputs).to.deep.include({ ipamConfigs: [{ subnet: "10.44.0.0/16", gateway: "10.44.0.1" }] });
    });

    it("joins cascade-external only from groups that publish ports or need egress", () => {
        const external = (runs.mainpc.outputs.networks as { external: { id: string } }).external.id;
        const joined = [...runs.mainpc.resources, ...runs.pc2.resources]
            .filter((r) => r.type === TYPES.service && JSON.stringify(r.inputs).includes(`"id":"${external}"`))
            .map((r) => r.name);
        expect(joined).to.deep.equal(["cascade-ai-engine-service", "cascade-request-handler-service", "cascade-pc2-apps-service"]);
    });
});

describe("volumes (data is sacred)", () => {
    // The seed's volumes, and Prometheus's time series (monitoring runs on MainPC's stack).
    const seedVolumes = ["unified_memory", "redis_data", "model_cache", "model_configs", "memory_data", "learning_data", "training_checkpoints", "logs", "prometheus_data"];

    it("creates every seed volume and Prometheus's on MainPC, protected and retained on delete", () => {
        expect(names(runs.mainpc, TYPES.volume).sort()).to.deep.equal(seedVolumes.map((v) => `cascade_${v}-volume`).sort());
        for (const volume of seedVolumes) {
            const r = resource(runs.mainpc, TYPES.volume, `cascade_${volume}-volume`);
            expect(r.parent).to.equal("mainpc");
            expect(r.inputs).to.deep.include({ name: `cascade_${volume}`, driver: "local" });
            expect(r.options).to.include({ protect: true, retainOnDelete: true });
        }
    });

    it("creates PC2's volumes on PC2's own engine", () => {
        const volume = resource(runs.pc2, TYPES.volume, "cascade_logs-volume");
        expect(volume.options.provider).to.equal("pc2-engine");
        expect(resource(runs.pc2, "pulumi:providers:docker", "pc2-engine").inputs).to.include({ host: "unix:///var/run/docker.sock" });
        expect(resource(runs.pc2, "pulumi:providers:docker", "pc2-manager").inputs).to.include({ host: "ssh://cascade@mainpc" });
    });

    it("lets the operator lift the protection explicitly", async () => {
        const run = await runStack("mainpc", { "cascade:data": { protect: false, retainOnDelete: false } });
        expect(resource(run, TYPES.volume, "cascade_model_cache-volume").options).to.include({ protect: false, retainOnDelete: false });
    });

    it("mounts unified_memory on a directory and tells the app the database file (S4)", () => {
        const core = resource(runs.mainpc, TYPES.service, "cascade-core-service").inputs as { taskSpec: { containerSpec: { env: Record<string, string>; mounts: { target: string }[] } } };
        expect(core.taskSpec.containerSpec.mounts.map((m) => m.target)).to.include("/data/unified_memory");
        expect(core.taskSpec.containerSpec.env.UNIFIED_MEMORY_DB).to.equal("/data/unified_memory/unified_memory.db");
    });
});

describe("secrets", () => {
    it("stores each secret file as a Docker secret whose name follows its content", () => {
        const secrets = runs.mainpc.resources.filter((r) => r.type === TYPES.secret);
        expect(secrets.map((s) => s.name)).to.deep.equal([
            "mainpc-secrets-redis-password",
            "mainpc-secrets-zmq-client-key",
            "mainpc-secrets-zmq-client-key-secret",
            "mainpc-secrets-zmq-server-key",
            "mainpc-secrets-zmq-server-key-secret",
        ]);
        const redis = secrets[0].inputs as { name: string; data: Record<string, string> };
        expect(redis.name).to.match(/^cascade-mainpc-redis-password-[0-9a-f]{12}$/);
        expect(redis.data).to.have.property(SECRET_SIG);
        expect(Buffer.from(redis.data.value, "base64").toString()).to.equal("plan-placeholder-redis-password");
    });

    it("gives a rotated value a new secret name", async () => {
        const rotated = await runStack("mainpc", { "cascade:redisPassword": "another-password-of-24-chars" });
        const before = (resource(runs.mainpc, TYPES.secret, "mainpc-secrets-redis-password").inputs as { name: string }).name;
        const after = (resource(rotated, TYPES.secret, "mainpc-secrets-redis-password").inputs as { name: string }).name;
        expect(after).to.not.equal(before);
    });

    it("never puts a secret value in a service spec", () => {
        for (const run of Object.values(runs)) {
            for (const service of run.resources.filter((r) => r.type === TYPES.service)) {
                expect(JSON.stringify(service.inputs), service.name).to.not.match(/plan-placeholder/);
            }
        }
    });

    it("leaves out SECURE_ZMQ certificates when the operator turns CurveZMQ off", async () => {
        const run = await runStack("mainpc", { "cascade:secureZmq": "false", "cascade:zmqCertificates": undefined });
        expect(names(run, TYPES.secret)).to.deep.equal(["mainpc-secrets-redis-password"]);
        const env = (resource(run, TYPES.service, "cascade-core-service").inputs as { taskSpec: { containerSpec: { env: Record<string, string> } } }).taskSpec.containerSpec.env;
        expect(env.SECURE_ZMQ).to.equal("0");
        expect(env).to.not.have.property("ZMQ_CERTIFICATES_DIR");
    });
});

describe("Redis (the seed's async pub/sub)", () => {
    interface RedisInputs {
        name: string;
        taskSpec: {
            containerSpec: { image: string; commands: string[]; healthcheck: { tests: string[] }; mounts: unknown[]; secrets: { fileName: string }[] };
            networksAdvanceds: { id: string; aliases: string[] }[];
            placement: { constraints: string[] };
        };
        endpointSpec: { ports: unknown[] };
    }
    let redis: RedisInputs;
    before(() => {
        redis = resource(runs.mainpc, TYPES.service, "cascade-core-redis-service").inputs as unknown as RedisInputs;
    });

    it("runs append-only on redis_data with its password read from the secret file", () => {
        expect(redis.name).to.equal("cascade-redis");
        expect(redis.taskSpec.containerSpec.image).to.equal("redis:7.2-alpine");
        expect(redis.taskSpec.containerSpec.commands).to.deep.equal([
            "sh", "-c", "exec redis-server --appendonly yes --dir /data --port 6379 --requirepass \"$(cat /run/secrets/redis-password)\"",
        ]);
        expect(redis.taskSpec.containerSpec.mounts).to.deep.equal([{ type: "volume", source: "cascade_redis_data", target: "/data", readOnly: false }]);
        expect(redis.taskSpec.containerSpec.secrets.map((s) => s.fileName)).to.deep.equal(["/run/secrets/redis-password"]);
    });

    it("has its own healthcheck and stays on the internal network, unpublished", () => {
        expect(redis.taskSpec.containerSpec.healthcheck.tests).to.deep.equal(["CMD-SHELL", "REDISCLI_AUTH=\"$(cat /run/secrets/redis-password)\" redis-cli -p 6379 ping | grep -q PONG"]);
        const internal = (runs.mainpc.outputs.networks as { internal: { id: string } }).internal.id;
        expect(redis.taskSpec.networksAdvanceds).to.deep.equal([{ id: internal, aliases: ["redis.cascade-core.cascade"] }]);
        expect(redis.endpointSpec.ports).to.deep.equal([]);
        expect(redis.taskSpec.placement.constraints).to.deep.equal(["node.labels.system == mainpc"]);
    });

    it("comes up before the core group", () => {
        expect(resource(runs.mainpc, TYPES.service, "cascade-core-service").options.dependsOn).to.deep.equal(["cascade-core-redis"]);
    });
});

describe("deployment phases gate on health", () => {
    it("makes every group wait for all groups of the previous phase on its stack", () => {
        for (const run of Object.values(runs)) {
            const groups = topology.groups.filter((g) => g.machine === run.stack);
            for (const group of groups) {
                const previous = Math.max(0, ...groups.filter((g) => g.phase < group.phase).map((g) => g.phase));
                const expected = groups.filter((g) => g.phase === previous).map((g) => g.name);
                const dependsOn = resource(run, TYPES.group, group.name).options.dependsOn.filter((d) => d.startsWith("cascade-"));
                expect(dependsOn, group.name).to.deep.equal(expected);
            }
        }
    });

    it("orders MainPC as the seed's phases: core, AI engine, handlers and memory, then the rest", () => {
        const phases = runs.mainpc.outputs.phases as { phase: number; groups: string[] }[];
        expect(phases).to.deep.equal([
            { phase: 1, groups: ["cascade-core"] },
            { phase: 2, groups: ["cascade-ai-engine"] },
            { phase: 3, groups: ["cascade-request-handler", "cascade-memory-learning"] },
            { phase: 4, groups: ["cascade-audio-realtime", "cascade-personality", "cascade-auxiliary"] },
        ]);
    });

    it("waits for the volumes a group mounts", () => {
        expect(resource(runs.mainpc, TYPES.group, "cascade-memory-learning").options.dependsOn).to.include.members([
            "cascade_memory_data-volume", "cascade_learning_data-volume", "cascade_training_checkpoints-volume", "cascade_logs-volume",
        ]);
    });

    it("skips a disabled group and lets the next phase wait for what is left", async () => {
        const run = await runStack("mainpc", { "cascade:groups": { "cascade-auxiliary": { enabled: false } } });
        expect(names(run, TYPES.group)).to.not.include("cascade-auxiliary");
        expect(Object.keys(run.outputs.serviceDirectory as object)).to.not.include("executor.cascade-auxiliary.cascade");
    });

    it("resolves names to task IPs and publishes on the node with endpointMode dnsrr", async () => {
        const run = await runStack("mainpc", { "cascade:swarm": { endpointMode: "dnsrr" }, "cascade:groups": { "cascade-request-handler": { replicas: 1 } } });
        const handler = resource(run, TYPES.service, "cascade-request-handler-service").inputs as { endpointSpec: unknown };
        expect(handler.endpointSpec).to.deep.equal({ mode: "dnsrr", ports: [{ targetPort: 26002, publishedPort: 26002, protocol: "tcp", publishMode: "host" }] });
        const redis = resource(run, TYPES.service, "cascade-core-redis-service").inputs as { endpointSpec: unknown };
        expect(redis.endpointSpec).to.deep.equal({ mode: "dnsrr", ports: [] });
    });

    it("applies replica overrides within the scaling bounds", async () => {
        const run = await runStack("mainpc", { "cascade:groups": { "cascade-request-handler": { replicas: 5 } } });
        expect((resource(run, TYPES.service, "cascade-request-handler-service").inputs as { mode: unknown }).mode).to.deep.equal({ replicated: { replicas: 5 } });
    });
});

describe("the two machine stacks work together", () => {
    it("creates PC2's groups through the manager, pinned to PC2, with MainPC's networks", () => {
        expect(names(runs.pc2, TYPES.network)).to.deep.equal([]);
        expect(resource(runs.pc2, "pulumi:pulumi:StackReference", "pc2-owner-stack").inputs).to.include({ name: "organization/cascade/mainpc" });
        const mainpcNetworks = runs.mainpc.outputs.networks as { internal: { id: string } };
        for (const group of ["cascade-pc2-core", "cascade-pc2-apps"]) {
            const service = resource(runs.pc2, TYPES.service, `${group}-service`).inputs as { taskSpec: { placement: { constraints: string[] }; networksAdvanceds: { id: string }[] } };
            expect(service.taskSpec.placement.constraints).to.deep.equal(["node.labels.system == pc2"]);
            expect(service.taskSpec.networksAdvanceds[0].id).to.equal(mainpcNetworks.internal.id);
            expect(resource(runs.pc2, TYPES.group, group).options.provider).to.equal("pc2-manager");
        }
    });

    it("tells PC2's observability hub where MainPC's hub is", () => {
        const service = resource(runs.pc2, TYPES.service, "cascade-pc2-core-service").inputs as { taskSpec: { containerSpec: { env: Record<string, string> } } };
        const manifest = JSON.parse(service.taskSpec.containerSpec.env.CASCADE_AGENTS) as { name: string; env: Record<string, string>; config?: Record<string, string> }[];
        const hub = manifest.find((a) => a.name === "ObservabilityHub");
        expect(hub?.env).to.deep.equal({ MAINPC_HUB_ENDPOINT: "http://observabilityhub.cascade-core.cascade:9000" });
        expect(hub?.config).to.deep.equal({ scope: "pc2_agents" });
        expect(runs.mainpc.outputs.observabilityHub).to.equal("http://observabilityhub.cascade-core.cascade:9000");
    });

    it("looks the networks up by name when no mainpc stack is referenced", async () => {
        const run = await runStack("pc2", { "cascade:mainpc": { stack: "" } }, { stackOutputs: {} });
        expect(names(run, "pulumi:pulumi:StackReference")).to.deep.equal([]);
        const service = resource(run, TYPES.service, "cascade-pc2-apps-service").inputs as { taskSpec: { networksAdvanceds: { id: string }[] } };
        expect(service.taskSpec.networksAdvanceds.map((n) => n.id)).to.deep.equal([
            (run.outputs.networks as { internal: { id: string } }).internal.id,
            (run.outputs.networks as { external: { id: string } }).external.id,
        ]);
        expect((run.outputs.networks as { internal: { name: string } }).internal.name).to.equal("cascade-internal");
    });

    it("fails with a clear message when the referenced stack has no networks output", async () => {
        const error = await runStack("pc2", {}, { stackOutputs: { "organization/cascade/mainpc": {} } }).then(() => undefined, (e: unknown) => e);
        expect(String(error)).to.contain("stack organization/cascade/mainpc exports no usable \"networks\" output");
    });

    it("exports a service directory of every agent with its DNS name, ports and group", () => {
        for (const run of Object.values(runs)) {
            const directory = run.outputs.serviceDirectory as Record<string, { agent: string; group: string; port: number; healthPort: number }>;
            const agents = topology.groups.filter((g) => g.machine === run.stack).flatMap((g) => g.agents.map((a) => ({ g, a })));
            expect(Object.keys(directory)).to.have.length(agents.length);
            for (const { g, a } of agents) {
                expect(directory[`${a.name}.${g.name}.cascade`.toLowerCase()]).to.deep.include({ agent: a.name, group: g.name, port: a.port, healthPort: a.healthPort });
            }
        }
        expect(Object.keys(runs.mainpc.outputs.serviceDirectory as object)).to.have.length(47);
        expect(Object.keys(runs.pc2.outputs.serviceDirectory as object)).to.have.length(22);
    });
});

describe("what the engine really runs (a rolled-back update leaves Pulumi's state ahead of it)", () => {
    it("exports, for every group and Redis, the commands that show Swarm's last update and every task", () => {
        for (const run of Object.values(runs)) {
            const status = run.outputs.workloadStatus as Record<string, { runsAs: string; name: string; status: string; details: string }>;
            const groups = topology.groups.filter((g) => g.machine === run.stack);
            const manager = run.stack === "pc2" ? "ssh://cascade@mainpc" : "unix:///var/run/docker.sock";
            expect(Object.keys(status).sort()).to.deep.equal([...groups.map((g) => g.name), ...(run.stack === "mainpc" ? ["cascade-redis"] : [])].sort());
            for (const group of groups.filter((g) => g.name !== "cascade-audio-realtime")) {
                expect(status[group.name]).to.deep.equal({
                    runsAs: "service",
                    name: group.name,
                    status: `docker -H ${manager} service inspect --format '{{json .UpdateStatus}}' ${group.name}`,
                    details: `docker -H ${manager} service ps --no-trunc ${group.name}`,
                });
            }
        }
        expect(runs.mainpc.outputs.workloadStatus).to.deep.include({
            "cascade-audio-realtime": {
                runsAs: "container",
                name: "cascade-audio-realtime",
                status: "docker -H unix:///var/run/docker.sock inspect --format '{{.State.Status}} {{json .State.Health.Status}}' cascade-audio-realtime",
                details: "docker -H unix:///var/run/docker.sock inspect --format '{{json .State.Health.Log}}' cascade-audio-realtime",
            },
        });
    });
});
