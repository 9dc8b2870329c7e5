import { runStack, type ConfigEdits } from "./support/program";
import { expectRejected } from "./support/rejection";
import { agent, group, writeTopology, writeTopologyText } from "./support/topology-file";

// Every kind of bad input issue 2 names, fed to the real program: each stops it with a message that
// names the file, the key path and the fix, before a single resource is registered.

interface BadInput {
    readonly title: string;
    /** Builds the config edits (called lazily so topology files are written per case). */
    readonly edits: () => ConfigEdits;
    /** Secret keys handed over as plain text. */
    readonly plaintext?: readonly string[];
    /** Fragments the message must contain, in order of appearance not required. */
    readonly expected: readonly string[];
}

const topology = (edit: Parameters<typeof writeTopology>[0]) => ({ "cascade:topology": writeTopology(edit) });

const cases: readonly BadInput[] = [
    {
        title: "an unknown stack config key, with a suggestion",
        edits: () => ({ "cascade:capcity": { cpus: 1 } }),
        expected: ["Pulumi.mainpc.yaml: cascade:capcity: unknown key \"capcity\"", "did you mean \"capacity\"?"],
    },
    {
        title: "an unknown key inside a stack config object",
        edits: () => ({ "cascade:images": { tag: "1.0", regsitry: "x" } }),
        expected: ["cascade:images.regsitry: unknown key \"regsitry\"", "did you mean \"registry\"?"],
    },
    {
        title: "an unknown key in the topology",
        edits: () => topology((t) => { agent(t, "cascade-core", "ServiceRegistry").health_port = 8200; }),
        expected: ["groups[cascade-core].agents[ServiceRegistry].health_port: unknown key \"health_port\"", "did you mean \"healthPort\"?"],
    },
    {
        title: "a wrong type in the stack config",
        edits: () => ({ "cascade:capacity": { cpus: 32, memory: "80G", gpus: "one" } }),
        expected: ["cascade:capacity.gpus: \"one\" is not a whole number of at least 0", "Fix: write a whole number of at least 0"],
    },
    {
        title: "a failure ratio finer than the Docker provider keeps",
        edits: () => topology((t) => { group(t, "cascade-request-handler").updateConfig = { parallelism: 1, delay: "10s", failureAction: "rollback", monitor: "30s", maxFailureRatio: 0.25, order: "stop-first" }; }),
        expected: ["groups[cascade-request-handler].updateConfig.maxFailureRatio: 0.25 is not a ratio in tenths", "Fix: write it with one decimal at most"],
    },
    {
        title: "a wrong type in the topology",
        edits: () => topology((t) => { agent(t, "cascade-request-handler", "NLUAgent").port = "5709a"; }),
        expected: ["groups[cascade-request-handler].agents[NLUAgent].port: \"5709a\" is not a port number", "Fix: write a whole number from 1 to 65535"],
    },
    {
        title: "a duplicate agent name in a group",
        edits: () => topology((t) => { agent(t, "cascade-personality", "ToneDetector").name = "EmpathyAgent"; }),
        expected: ["groups[cascade-personality].agents[EmpathyAgent]: agent \"EmpathyAgent\" appears 2 times in cascade-personality", "Fix: remove the duplicate or rename it"],
    },
    {
        title: "a duplicate agent name on a machine",
        edits: () => topology((t) => { agent(t, "cascade-auxiliary", "Executor").name = "GoalManager"; }),
        expected: ["groups[cascade-auxiliary].agents[GoalManager]: agent \"GoalManager\" also exists in cascade-request-handler on mainpc", "agent names are unique on a machine"],
    },
    {
        title: "a port used twice on a machine",
        edits: () => topology((t) => { agent(t, "cascade-auxiliary", "Executor").port = 7200; }),
        expected: ["groups[cascade-auxiliary].agents[Executor].port: port 7200 is already used on mainpc by cascade-core/ServiceRegistry (port)", "Fix: choose a port that no other agent on mainpc uses"],
    },
    {
        title: "a health port that collides with another agent's port",
        edits: () => topology((t) => { agent(t, "cascade-pc2-apps", "TutorAgent").healthPort = 7140; }),
        expected: ["groups[cascade-pc2-apps].agents[TutorAgent].healthPort: port 7140 is already used on pc2 by cascade-pc2-core/MemoryOrchestratorService (port)"],
    },
    {
        title: "depends_on naming an unknown agent",
        edits: () => topology((t) => { agent(t, "cascade-core", "ObservabilityHub").dependsOn = ["SystemDigitalTwn"]; }),
        expected: ["groups[cascade-core].agents[ObservabilityHub].dependsOn: \"SystemDigitalTwn\" is not an agent of cascade-core", "groups are ordered by their phase"],
    },
    {
        title: "a depends_on cycle",
        edits: () => topology((t) => {
            const pc2 = group(t, "cascade-pc2-core");
            pc2.agents[1].dependsOn = [pc2.agents[2].name];
            pc2.agents[2].dependsOn = [pc2.agents[1].name];
        }),
        expected: ["dependency cycle: MemoryOrchestratorService -> ResourceManager -> MemoryOrchestratorService", "Fix: remove one of these dependsOn entries"],
    },
    {
        title: "a startup order that contradicts depends_on",
        edits: () => topology((t) => { agent(t, "cascade-core", "SystemDigitalTwin").startupOrder = 1; }),
        expected: ["groups[cascade-core].agents[SystemDigitalTwin].startupOrder: SystemDigitalTwin starts at 1 but depends on ServiceRegistry, which starts at 1"],
    },
    {
        title: "a reservation larger than its limit",
        edits: () => topology((t) => { group(t, "cascade-personality").resources.reservations.memory = "6G"; }),
        expected: ["groups[cascade-personality].resources.reservations.memory: reserves 6G but is limited to 4G", "Fix: lower the reservation to at most 4G or raise the limit"],
    },
    {
        title: "agents' memory limits above their group's limit",
        edits: () => topology((t) => { agent(t, "cascade-ai-engine", "ModelManagerSuite").memoryLimit = "20G"; }),
        expected: ["groups[cascade-ai-engine].agents: the agents' memory limits add up to 32.50G, more than the group's limit of 32G"],
    },
    {
        title: "replicas above the request handlers' scaling bound",
        edits: () => ({ "cascade:groups": { "cascade-request-handler": { replicas: 6 } } }),
        expected: ["cascade:groups.cascade-request-handler.replicas: 6 replicas is outside cascade-request-handler's scaling bounds (1 to 5: seed section 6: request handlers 1-5 replicas)"],
    },
    {
        title: "replicas below a group's scaling bound",
        edits: () => ({ "cascade:groups": { "cascade-memory-learning": { replicas: 1 } } }),
        expected: ["cascade:groups.cascade-memory-learning.replicas: 1 replicas is outside cascade-memory-learning's scaling bounds (exactly 2: seed section 6: active-passive, 2 replicas)"],
    },
    {
        title: "replicas of a standalone group other than one",
        edits: () => topology((t) => { group(t, "cascade-audio-realtime").replicas = 2; }),
        expected: ["groups[cascade-audio-realtime].replicas: 2 replicas, but a group with host devices, ulimits or host groups runs as one standalone container (S1)"],
    },
    {
        title: "a GPU reservation on a standalone group",
        edits: () => topology((t) => { group(t, "cascade-audio-realtime").gpus = 1; }),
        expected: ["groups[cascade-audio-realtime].gpus: a group with host devices, ulimits or host groups runs as a standalone container (S1)", "Fix: split the GPU work into a group of its own"],
    },
    {
        title: "several replicas of a group that publishes a port under dnsrr",
        edits: () => ({ "cascade:swarm": { endpointMode: "dnsrr" } }),
        expected: ["cascade:groups.cascade-request-handler.replicas: cascade-request-handler publishes a port and runs 3 replicas, but with endpointMode dnsrr", "Fix: set cascade:groups.cascade-request-handler.replicas to 1, or use cascade:swarm.endpointMode vip"],
    },
    {
        title: "a GPU group on a machine without a GPU",
        edits: () => ({ "cascade:capacity": { cpus: 32, memory: "80G", gpus: 0 } }),
        expected: ["cascade:capacity.gpus: cascade-ai-engine reserves 1 GPU but mainpc has 0", "disable the group with cascade:groups.cascade-ai-engine.enabled: false"],
    },
    {
        title: "a malformed CIDR",
        edits: () => ({ "cascade:network": { internalSubnet: "172.20.1.0/16" } }),
        expected: ["cascade:network.internalSubnet: \"172.20.1.0/16\" is not an IPv4 network", "Fix: write it like 172.20.0.0/16"],
    },
    {
        title: "a malformed memory size",
        edits: () => ({ "cascade:capacity": { cpus: 32, memory: "80X", gpus: 1 } }),
        expected: ["cascade:capacity.memory: \"80X\" is not a memory size", "Fix: write a number with a binary unit, e.g. 512M or 2G"],
    },
    {
        title: "a malformed CPU count",
        edits: () => topology((t) => { group(t, "cascade-core").resources.limits.cpus = "two"; }),
        expected: ["groups[cascade-core].resources.limits.cpus: \"two\" is not a CPU count", "Fix: write a positive number of cores"],
    },
    {
        title: "a secret stored in plain text",
        edits: () => ({}),
        plaintext: ["cascade:redisPassword"],
        expected: ["cascade:redisPassword: is stored in plain text", "pulumi config set --secret cascade:redisPassword"],
    },
    {
        title: "an unknown machine",
        edits: () => ({ "cascade:machine": "pc3" }),
        expected: ["cascade:machine: unknown machine \"pc3\"", "use one of: mainpc, pc2"],
    },
    {
        title: "an override for a group of the other machine",
        edits: () => ({ "cascade:groups": { "cascade-pc2-apps": { replicas: 1 } } }),
        expected: ["cascade:groups.cascade-pc2-apps: cascade-pc2-apps runs on pc2, not on mainpc", "set it in the pc2 stack's config instead"],
    },
    {
        title: "SECURE_ZMQ without certificates",
        edits: () => ({ "cascade:zmqCertificates": "{}" }),
        expected: ["cascade:zmqCertificates: secureZmq is on but no CurveZMQ certificates are configured"],
    },
    {
        title: "a topology file that is not YAML",
        edits: () => ({ "cascade:topology": writeTopologyText("groups:\n  - name: [unclosed\n") }),
        expected: [": line 3: Flow sequence in block collection must be sufficiently indented", "Fix: correct the YAML syntax at that line"],
    },
    {
        title: "a missing image tag",
        edits: () => ({ "cascade:images": { registry: "cascade" } }),
        expected: ["cascade:images.tag: is missing", "Fix: add this key: it is required and has no default"],
    },
];

describe("bad input stops the program before anything is registered", () => {
    for (const bad of cases) {
        it(`rejects ${bad.title}`, () =>
            expectRejected(runStack("mainpc", bad.edits(), { stackOutputs: {}, plaintext: bad.plaintext }), bad.expected));
    }
});
