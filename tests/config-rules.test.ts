import { expectRefused, kubernetes, type BadInput } from "./support/bad-input";
import { agent, group } from "./support/topology-file";

// Issue 11: every mistake an operator can make in a stack file or the topology, on both platforms,
// is refused before anything is registered, with a message that names the file, the key path, what
// is wrong in plain words and the fix. One row per rule (several for rules with several causes).

const capacity = (changes: Record<string, unknown>) => ({ "cascade:capacity": { cpus: 32, memory: "80G", gpus: 1, ...changes } });
const images = (changes: Record<string, unknown>) => ({ "cascade:images": { registry: "cascade", tag: "2025.07.30", ...changes } });
const k8s = (settings: Record<string, unknown>) => ({ ...kubernetes, "cascade:kubernetes": settings });

const STACK_NAMESPACES: readonly BadInput[] = [
    { title: "a misspelled namespace", config: { "cascde:budget": { overcommitRatio: 2 } }, file: "stack", at: "cascde:budget", says: ["unknown namespace \"cascde\"", "would be ignored", "Fix: did you mean \"cascade:budget\"?"] },
    { title: "a namespace in the wrong case", config: { "Cascade:secureZmq": "false" }, file: "stack", at: "Cascade:secureZmq", says: ["unknown namespace \"Cascade\"", "did you mean \"cascade:secureZmq\"?"] },
    { title: "a key without a namespace", config: { budget: { overcommitRatio: 2 } }, file: "stack", at: "budget", says: ["has no namespace", "Fix: write it as cascade:budget"] },
    { title: "a default Docker provider setting", config: { "docker:host": "ssh://cascade@mainpc" }, file: "stack", at: "docker:host", says: ["default docker provider, which this program never uses", "Fix: use cascade:docker.managerHost and cascade:docker.engineHost"] },
    { title: "a default Kubernetes provider setting", config: { "kubernetes:context": "home" }, file: "stack", at: "kubernetes:context", says: ["default kubernetes provider", "Fix: use cascade:kubernetes.context"] },
    { title: "another program's namespace", config: { "aws:region": "eu-west-1" }, file: "stack", at: "aws:region", says: ["unknown namespace \"aws\"", "Fix: remove it"] },
    { title: "no settings at all (written outside config:)", config: { "cascade:machine": undefined, "cascade:capacity": undefined, "cascade:images": undefined }, file: "stack", at: "config", says: ["(1 problem)", "holds none of the settings every stack needs", "Fix: write them under config:"] },
];

const STACK_VALUES: readonly BadInput[] = [
    { title: "capacity written as one text", config: { "cascade:capacity": "32 cores, 80G" }, file: "stack", at: "cascade:capacity", says: ["\"32 cores, 80G\" is text, not a map of keys", "Fix: write it as a map of keys: cpus, memory, gpus"] },
    { title: "a missing capacity", config: { "cascade:capacity": undefined }, file: "stack", at: "cascade:capacity", says: ["is missing", "Fix: add it, with the keys cpus, memory, gpus"] },
    { title: "a missing capacity memory", config: { "cascade:capacity": { cpus: 32, gpus: 1 } }, file: "stack", at: "cascade:capacity.memory", says: ["is missing", "Fix: add this key"] },
    { title: "a capacity memory without a unit", config: capacity({ memory: 80 }), file: "stack", at: "cascade:capacity.memory", says: ["80 has no unit, so it would be read as 80 bytes", "Fix: write it with a binary unit, e.g. 80G"] },
    { title: "a capacity memory in quotes without a unit", config: capacity({ memory: "80" }), file: "stack", at: "cascade:capacity.memory", says: ["\"80\" has no unit"] },
    { title: "a capacity memory that is not a size", config: capacity({ memory: "eighty gigs" }), file: "stack", at: "cascade:capacity.memory", says: ["\"eighty gigs\" is not a memory size", "Fix: write a number with a binary unit"] },
    { title: "zero CPUs", config: capacity({ cpus: 0 }), file: "stack", at: "cascade:capacity.cpus", says: ["0 is not a CPU count", "Fix: write a positive number of cores"] },
    { title: "a negative GPU count", config: capacity({ gpus: -1 }), file: "stack", at: "cascade:capacity.gpus", says: ["-1 is not a whole number of at least 0"] },
    { title: "a fractional GPU count", config: capacity({ gpus: 1.5 }), file: "stack", at: "cascade:capacity.gpus", says: ["1.5 is not a whole number of at least 0"] },
    { title: "a VRAM size without a unit", config: capacity({ vram: "24" }), file: "stack", at: "cascade:capacity.vram", says: ["\"24\" has no unit"] },
    { title: "a misspelled platform", config: { "cascade:platform": "kubernets" }, file: "stack", at: "cascade:platform", says: ["\"kubernets\" is not one of \"swarm\", \"kubernetes\"", "Fix: did you mean \"kubernetes\"?"] },
    { title: "a misspelled machine", config: { "cascade:machine": "mainpcc" }, file: "stack", at: "cascade:machine", says: ["unknown machine \"mainpcc\"", "Fix: did you mean \"mainpc\"?"] },
    { title: "a machine another stack file already deploys", config: { "cascade:machine": "pc2", ...capacity({ gpus: 1 }) }, file: "stack", at: "cascade:machine", says: ["machine \"pc2\" is already deployed by stack pc2 (Pulumi.pc2.yaml)", "Fix: set cascade:machine to the machine this stack deploys"] },
    { title: "a topology file that does not exist", config: { "cascade:topology": "config/topolgy.yaml" }, file: "stack", at: "cascade:topology", says: ["there is no topology file", "Fix: check the path"] },
    { title: "an image tag with a space", config: images({ tag: "latest release" }), file: "stack", at: "cascade:images.tag", says: ["\"latest release\" is not an image tag", "Fix: write the release you built"] },
    { title: "an image tag written as a number", config: images({ tag: 2025 }), file: "stack", at: "cascade:images.tag", says: ["2025 is not an image tag", "in quotes"] },
    { title: "a registry with a space", config: images({ registry: "my registry" }), file: "stack", at: "cascade:images.registry", says: ["\"my registry\" is not an image registry", "in lower case"] },
    { title: "an empty Redis image", config: images({ redis: "" }), file: "stack", at: "cascade:images.redis", says: ["\"\" is not an image reference", "Fix: write it like redis:7.2-alpine"] },
    { title: "a Redis image that is not a reference", config: images({ redis: "Redis Server" }), file: "stack", at: "cascade:images.redis", says: ["\"Redis Server\" is not an image reference"] },
    { title: "a misspelled group override", config: { "cascade:groups": { "cascade-requst-handler": { replicas: 2 } } }, file: "stack", at: "cascade:groups.cascade-requst-handler", says: ["unknown group \"cascade-requst-handler\"", "Fix: did you mean \"cascade-request-handler\"?"] },
    { title: "negative replicas", config: { "cascade:groups": { "cascade-request-handler": { replicas: -1 } } }, file: "stack", at: "cascade:groups.cascade-request-handler.replicas", says: ["-1 replicas is outside cascade-request-handler's scaling bounds (1 to 5", "Fix: use 1 to 5 replicas"] },
    { title: "zero replicas", config: { "cascade:groups": { "cascade-auxiliary": { replicas: 0 } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.replicas", says: ["0 replicas is outside cascade-auxiliary's scaling bounds (at least 1)", "set enabled: false to leave the group out"] },
    { title: "fractional replicas", config: { "cascade:groups": { "cascade-request-handler": { replicas: 2.5 } } }, file: "stack", at: "cascade:groups.cascade-request-handler.replicas", says: ["2.5 is not a replica count", "Fix: write a whole number of replicas"] },
    { title: "a group image override that is not a reference", config: { "cascade:groups": { "cascade-auxiliary": { image: "Cascade Aux:!!" } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.image", says: ["\"Cascade Aux:!!\" is not an image reference (repository name must be lowercase)"] },
    { title: "an empty group image override", config: { "cascade:groups": { "cascade-auxiliary": { image: "" } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.image", says: ["\"\" is not an image reference"] },
    { title: "enabled written as yes", config: { "cascade:groups": { "cascade-auxiliary": { enabled: "no" } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.enabled", says: ["\"no\" is not true or false", "Fix: write true or false, without quotes"] },
    { title: "a placement override that is not a constraint", config: { "cascade:groups": { "cascade-auxiliary": { placement: ["gpu=rtx4090"] } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.placement[0]", says: ["\"gpu=rtx4090\" is not a placement constraint", "Fix: write it like \"node.labels.gpu == rtx4090\""] },
    { title: "an empty nodeLabels override (removes the machine pin)", config: { "cascade:nodeLabels": {} }, file: "stack", at: "cascade:nodeLabels", says: ["is empty, which would remove the machine pin (S5)", "Fix: name at least one label"] },
    { title: "a node label key with a space", config: { "cascade:nodeLabels": { "sys tem": "mainpc" } }, file: "stack", at: "cascade:nodeLabels.sys tem", says: ["\"sys tem\" is not a label key"] },
    { title: "a node label value with a space", config: { "cascade:nodeLabels": { system: "main pc" } }, file: "stack", at: "cascade:nodeLabels.system", says: ["\"main pc\" is not a label value"] },
    { title: "a node label value longer than 63", config: { "cascade:nodeLabels": { system: "m".repeat(64) } }, file: "stack", at: "cascade:nodeLabels.system", says: ["is not a label value", "use at most 63"] },
    { title: "a subnet with no room for tasks (/32)", config: { "cascade:network": { internalSubnet: "172.20.0.0/32" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["172.20.0.0/32 holds 1 address, but the internal network needs at least", "tasks", "Fix: use a /27 or larger"] },
    { title: "a subnet too small for the replicas (/28)", config: { "cascade:network": { internalSubnet: "172.20.0.0/28" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["172.20.0.0/28 holds 16 addresses", "Fix: use a /27 or larger"] },
    { title: "a public subnet", config: { "cascade:network": { internalSubnet: "8.8.0.0/16" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["\"8.8.0.0/16\" is not a private network (it is in the unicast range)", "Fix: use a range in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"] },
    { title: "a loopback subnet", config: { "cascade:network": { internalSubnet: "127.0.0.0/8" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["is not a private network (it is in the loopback range)"] },
    { title: "a subnet without a prefix", config: { "cascade:network": { internalSubnet: "172.20.0.0" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["\"172.20.0.0\" is not an IPv4 network", "Fix: write it like 172.20.0.0/16"] },
    { title: "a subnet on the stack that does not create the networks", stack: "pc2", config: { "cascade:network": { internalSubnet: "172.21.0.0/16" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["has no effect here: the networks are created by the stack of mainpc", "Fix: remove it, and set it in the mainpc stack's config instead"] },
    { title: "a subnet on Kubernetes", config: { ...kubernetes, "cascade:network": { internalSubnet: "172.21.0.0/16" } }, file: "stack", at: "cascade:network.internalSubnet", says: ["has no effect on Kubernetes"] },
    { title: "a misspelled endpoint mode", config: { "cascade:swarm": { endpointMode: "dns" } }, file: "stack", at: "cascade:swarm.endpointMode", says: ["\"dns\" is not one of \"vip\", \"dnsrr\"", "Fix: did you mean \"dnsrr\"?"] },
    { title: "a Docker host without a scheme", config: { "cascade:docker": { managerHost: "mainpc:2376" } }, file: "stack", at: "cascade:docker.managerHost", says: ["\"mainpc:2376\" is not a Docker host", "Fix: write unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host"] },
    { title: "an empty Docker engine host", config: { "cascade:docker": { engineHost: "" } }, file: "stack", at: "cascade:docker.engineHost", says: ["\"\" is not a Docker host"] },
    { title: "a GPU resource kind with a space", config: { "cascade:gpu": { genericResourceKind: "nvidia gpu" } }, file: "stack", at: "cascade:gpu.genericResourceKind", says: ["\"nvidia gpu\" is not a generic resource kind"] },
    { title: "a negative host group id", config: { "cascade:hostGroupIds": { audio: -5 } }, file: "stack", at: "cascade:hostGroupIds.audio", says: ["-5 is not a whole number from 0 to 4294967294"] },
    { title: "a host group id in quotes", config: { "cascade:hostGroupIds": { audio: "29" } }, file: "stack", at: "cascade:hostGroupIds.audio", says: ["\"29\" is not a whole number from 0 to 4294967294"] },
    { title: "a misspelled host group", config: { "cascade:hostGroupIds": { audoi: 29 } }, file: "stack", at: "cascade:hostGroupIds.audoi", says: ["no group joins a host group \"audoi\"", "Fix: did you mean \"audio\"?"] },
    { title: "allowSysAdmin written as yes", config: { "cascade:audio": { allowSysAdmin: "yes" } }, file: "stack", at: "cascade:audio.allowSysAdmin", says: ["\"yes\" is not true or false"] },
    { title: "secureZmq written as maybe", config: { "cascade:secureZmq": "maybe" }, file: "stack", at: "cascade:secureZmq", says: ["\"maybe\" is not true or false"] },
    { title: "an overcommit ratio below 1", config: { "cascade:budget": { overcommitRatio: 0.5 } }, file: "stack", at: "cascade:budget.overcommitRatio", says: ["0.5 is not a ratio of at least 1", "1 allows no overcommit"] },
    { title: "protect written as text", config: { "cascade:data": { protect: "false" } }, file: "stack", at: "cascade:data.protect", says: ["\"false\" is not true or false", "without quotes"] },
    { title: "a log size in megabytes", config: { "cascade:logging": { maxSize: "10MB" } }, file: "stack", at: "cascade:logging.maxSize", says: ["\"10MB\" is not a log size", "Fix: write a whole number followed by k, m or g, e.g. 10m"] },
    { title: "zero log files", config: { "cascade:logging": { maxFile: 0 } }, file: "stack", at: "cascade:logging.maxFile", says: ["0 is not a whole number of at least 1"] },
    { title: "a hub endpoint that is not an http(s) URL", stack: "pc2", config: { "cascade:mainpc": { hubEndpoint: "mainpc:9000" } }, file: "stack", at: "cascade:mainpc.hubEndpoint", says: ["\"mainpc:9000\" is not an http(s) URL", "Fix: write it like http://"] },
    { title: "a hub endpoint with another scheme", stack: "pc2", config: { "cascade:mainpc": { hubEndpoint: "ftp://mainpc:9000" } }, file: "stack", at: "cascade:mainpc.hubEndpoint", says: ["\"ftp://mainpc:9000\" is not an http(s) URL"] },
    { title: "a mainpc stack name with a space", stack: "pc2", config: { "cascade:mainpc": { stack: "organization/cascade/main pc" } }, file: "stack", at: "cascade:mainpc.stack", says: ["is not a stack name", "Fix: write <organization>/<project>/<stack>"] },
    { title: "a short Redis password", config: { "cascade:redisPassword": "short" }, file: "stack", at: "cascade:redisPassword", says: ["the Redis password is shorter than 16 characters", "pulumi config set --secret cascade:redisPassword"] },
    { title: "a certificate file name with a space", config: { "cascade:zmqCertificates": { "server key": "x" } }, file: "stack", at: "cascade:zmqCertificates.server key", says: ["\"server key\" is not a certificate file name"] },
    { title: "an empty certificate", config: { "cascade:zmqCertificates": { "server.key": "" } }, file: "stack", at: "cascade:zmqCertificates.server.key", says: ["is empty", "Fix: set the certificate file's content"] },
    { title: "two certificate names that become one secret", config: { "cascade:zmqCertificates": { "server.key": "a", "server_key": "b" } }, file: "stack", at: "cascade:zmqCertificates.server_key", says: ["\"server_key\" and \"server.key\" both become the secret zmq-server-key", "Fix: rename one of them"] },
    { title: "an unknown key under swarm", config: { "cascade:swarm": { endpointmode: "vip" } }, file: "stack", at: "cascade:swarm.endpointmode", says: ["unknown key \"endpointmode\"", "did you mean \"endpointMode\"?"] },
];

const KUBERNETES_SETTINGS: readonly BadInput[] = [
    { title: "an empty node selector (removes the machine pin)", config: k8s({ nodeSelector: {} }), file: "stack", at: "cascade:kubernetes.nodeSelector", says: ["is empty, which would remove the machine pin (S5)"] },
    { title: "a node selector label longer than 63", config: k8s({ nodeSelector: { [`${"l".repeat(64)}`]: "mainpc" } }), file: "stack", at: `cascade:kubernetes.nodeSelector.${"l".repeat(64)}`, says: ["is not a label key", "at most 63"] },
    { title: "a storage class with a space", config: k8s({ storageClassName: "Fast SSD" }), file: "stack", at: "cascade:kubernetes.storageClassName", says: ["\"Fast SSD\" is not a storage class (a Kubernetes object name)"] },
    { title: "a runtime class in upper case", config: k8s({ gpuRuntimeClassName: "NVIDIA" }), file: "stack", at: "cascade:kubernetes.gpuRuntimeClassName", says: ["\"NVIDIA\" is not a runtime class (a Kubernetes object name)"] },
    { title: "a toleration with a value under Exists", config: k8s({ gpuTolerations: [{ key: "nvidia.com/gpu", operator: "Exists", value: "true" }] }), file: "stack", at: "cascade:kubernetes.gpuTolerations[0]", says: ["has a value but operator Exists", "Fix: remove value, or set operator: Equal"] },
    { title: "a toleration operator in lower case", config: k8s({ gpuTolerations: [{ key: "nvidia.com/gpu", operator: "exists" }] }), file: "stack", at: "cascade:kubernetes.gpuTolerations[0].operator", says: ["\"exists\" is not one of \"Exists\", \"Equal\"", "did you mean \"Exists\"?"] },
    { title: "a toleration effect misspelled", config: k8s({ gpuTolerations: [{ key: "nvidia.com/gpu", effect: "NoSchedul" }] }), file: "stack", at: "cascade:kubernetes.gpuTolerations[0].effect", says: ["did you mean \"NoSchedule\"?"] },
    { title: "a CPU target above 100", config: k8s({ cpuUtilizationTarget: 150 }), file: "stack", at: "cascade:kubernetes.cpuUtilizationTarget", says: ["150 is not a whole number from 1 to 100", "Fix: write a whole number from 1 to 100"] },
    { title: "root as the user", config: k8s({ runAsUser: 0 }), file: "stack", at: "cascade:kubernetes.runAsUser", says: ["0 is not a whole number from 1 to 2147483647"] },
    { title: "a zero volume size", config: k8s({ volumeSize: "0Gi" }), file: "stack", at: "cascade:kubernetes.volumeSize", says: ["\"0Gi\" is not a storage size", "larger than 0"] },
    { title: "a volume size in GB", config: k8s({ volumeSize: "10GB" }), file: "stack", at: "cascade:kubernetes.volumeSize", says: ["\"10GB\" is not a storage size"] },
    { title: "a volume size without a unit", config: k8s({ volumeSizes: { model_cache: "200" } }), file: "stack", at: "cascade:kubernetes.volumeSizes.model_cache", says: ["\"200\" is not a storage size"] },
    { title: "a misspelled volume in volumeSizes", config: k8s({ volumeSizes: { model_cach: "200Gi" } }), file: "stack", at: "cascade:kubernetes.volumeSizes.model_cach", says: ["unknown volume \"model_cach\"", "did you mean \"model_cache\"?"] },
    { title: "a misspelled access mode", config: k8s({ volumeAccessMode: "ReadWriteOne" }), file: "stack", at: "cascade:kubernetes.volumeAccessMode", says: ["did you mean \"ReadWriteOnce\"?"] },
    { title: "a cluster domain in upper case", config: k8s({ clusterDomain: "Cluster.Local" }), file: "stack", at: "cascade:kubernetes.clusterDomain", says: ["\"Cluster.Local\" is not a DNS domain"] },
    { title: "an audio resource under kubernetes.io", config: k8s({ audioDeviceResource: "kubernetes.io/audio" }), file: "stack", at: "cascade:kubernetes.audioDeviceResource", says: ["\"kubernetes.io/audio\" is not an extended resource name"] },
    { title: "a misspelled Kubernetes setting", config: k8s({ nodeSelecter: { system: "mainpc" } }), file: "stack", at: "cascade:kubernetes.nodeSelecter", says: ["unknown key \"nodeSelecter\"", "did you mean \"nodeSelector\"?"] },
    { title: "a placement override on Kubernetes", config: { ...kubernetes, "cascade:groups": { "cascade-auxiliary": { placement: ["node.labels.gpu == rtx4090"] } } }, file: "stack", at: "cascade:groups.cascade-auxiliary.placement", says: ["placement constraints are Swarm's: on Kubernetes they would be ignored"] },
    { title: "a published agent whose Service name is too long", config: kubernetes, topology: (t) => { agent(t, "cascade-request-handler", "RequestCoordinator").name = `R${"c".repeat(59)}`; }, file: "topology", at: `groups[cascade-request-handler].agents[R${"c".repeat(59)}].name`, says: ["its Kubernetes Service name", "-public\" is longer than 63 characters", "Fix: shorten the agent's name in the topology to at most 56 characters"] },
    { title: "a host device without a device plugin", config: kubernetes, topology: (t) => { group(t, "cascade-audio-realtime").devices = ["/dev/snd", "/dev/video0"]; }, file: "topology", at: "groups[cascade-audio-realtime].devices", says: ["/dev/video0 has no device-plugin resource on Kubernetes", "Fix: remove /dev/video0"] },
    { title: "a namespace prefix too long for a group", config: k8s({ namespacePrefix: "p".repeat(50) }), file: "stack", at: "cascade:kubernetes.namespacePrefix", says: ["for cascade-memory-learning is not a DNS-1123 label", "Fix: use a prefix of at most 47"] },
];

const TOPOLOGY: readonly BadInput[] = [
    { title: "an agent on Redis's port", topology: (t) => { agent(t, "cascade-auxiliary", "TranslationService").port = 6379; }, file: "topology", at: "groups[cascade-auxiliary].agents[TranslationService].port", says: ["port 6379 is already used on mainpc by Redis (redis.port)", "Fix: choose a port that no other agent on mainpc uses"] },
    { title: "a health port on Redis's port", topology: (t) => { agent(t, "cascade-core", "ServiceRegistry").healthPort = 6379; }, file: "topology", at: "groups[cascade-core].agents[ServiceRegistry].healthPort", says: ["port 6379 is already used on mainpc by Redis"] },
    { title: "Redis on an agent's port", topology: (t) => { (t.redis as Record<string, unknown>).port = 7200; }, file: "topology", at: "groups[cascade-core].agents[ServiceRegistry].port", says: ["port 7200 is already used on mainpc by Redis (redis.port)"] },
    { title: "a health port equal to the agent's port", topology: (t) => { agent(t, "cascade-auxiliary", "TranslationService").healthPort = 5595; }, file: "topology", at: "groups[cascade-auxiliary].agents[TranslationService].healthPort", says: ["is the same as the agent's port 5595", "Fix: give the health endpoint a port of its own"] },
    { title: "an agent name longer than a DNS label (Swarm)", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").name = `N${"x".repeat(63)}`; }, file: "topology", at: `groups[cascade-auxiliary].agents[N${"x".repeat(63)}].name`, says: ["has 64 characters, more than the 63 of a DNS label", "Fix: shorten it to at most 63 characters"] },
    { title: "a group name longer than a Swarm service name", topology: (t) => { group(t, "cascade-auxiliary").name = `cascade-${"a".repeat(56)}`; }, file: "topology", at: `groups[cascade-${"a".repeat(56)}].name`, says: ["has 64 characters, more than the 63 a Swarm service name, a DNS label and a Kubernetes label value allow"] },
    { title: "two agents whose names differ only in case", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").name = "NluAgent"; }, file: "topology", at: "groups[cascade-auxiliary].agents[NluAgent]", says: ["has the same DNS name as cascade-request-handler/NLUAgent on mainpc (DNS is case-blind)"] },
    { title: "a published port the Swarm manager listens on", topology: (t) => { agent(t, "cascade-request-handler", "RequestCoordinator").port = 2377; }, file: "topology", at: "groups[cascade-request-handler].agents[RequestCoordinator].port", says: ["port 2377 is published on every node, where Swarm's cluster management listens on it"] },
    { title: "a port published on both machines", topology: (t) => { Object.assign(agent(t, "cascade-pc2-apps", "TutorAgent"), { port: 26002, loadBalanced: true }); }, file: "topology", at: "groups[cascade-pc2-apps].agents[TutorAgent].port", says: ["port 26002 is also published by cascade-request-handler on mainpc", "Fix: publish one of them on another port"] },
    { title: "a missing health port", topology: (t) => { delete agent(t, "cascade-auxiliary", "NLLBAdapter").healthPort; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].healthPort", says: ["is missing", "Fix: add this key"] },
    { title: "a port with letters", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").healthPort = "6582x"; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].healthPort", says: ["\"6582x\" is not a port number", "Fix: write a whole number from 1 to 65535"] },
    { title: "a port above 65535", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").port = 70000; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].port", says: ["70000 is not a port number"] },
    { title: "port 0", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").port = 0; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].port", says: ["0 is not a port number"] },
    { title: "a startup order of 0", topology: (t) => { agent(t, "cascade-core", "ServiceRegistry").startupOrder = 0; }, file: "topology", at: "groups[cascade-core].agents[ServiceRegistry].startupOrder", says: ["0 is not a whole number of at least 1"] },
    { title: "a misspelled GPU access", topology: (t) => { agent(t, "cascade-ai-engine", "ModelManagerSuite").gpuAccess = "requird"; }, file: "topology", at: "groups[cascade-ai-engine].agents[ModelManagerSuite].gpuAccess", says: ["did you mean \"required\"?"] },
    { title: "an agent that requires a GPU in a group without one", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").gpuAccess = "required"; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].gpuAccess", says: ["NLLBAdapter requires a GPU, but cascade-auxiliary reserves none", "Fix: set gpus: 1 on cascade-auxiliary, or gpuAccess: optional"] },
    { title: "an agent memory limit without a unit", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").memoryLimit = 512; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].memoryLimit", says: ["512 has no unit"] },
    { title: "an agent config value that is not text", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").config = { batch: 5 }; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLBAdapter].config.batch", says: ["5 is not text", "Fix: quote the value"] },
    { title: "an agent name with a hyphen", topology: (t) => { agent(t, "cascade-auxiliary", "NLLBAdapter").name = "NLLB-Adapter"; }, file: "topology", at: "groups[cascade-auxiliary].agents[NLLB-Adapter].name", says: ["\"NLLB-Adapter\" is not an agent name"] },
    { title: "a misspelled capability", topology: (t) => { group(t, "cascade-audio-realtime").capabilities = ["SYS_NICEE"]; }, file: "topology", at: "groups[cascade-audio-realtime].capabilities[0]", says: ["\"SYS_NICEE\" is not one of", "Fix: did you mean \"SYS_NICE\"?"] },
    { title: "a capability with the CAP_ prefix", topology: (t) => { group(t, "cascade-audio-realtime").capabilities = ["CAP_SYS_NICE"]; }, file: "topology", at: "groups[cascade-audio-realtime].capabilities[0]", says: ["did you mean \"SYS_NICE\"?"] },
    { title: "a device that is not a path", topology: (t) => { group(t, "cascade-audio-realtime").devices = ["snd"]; }, file: "topology", at: "groups[cascade-audio-realtime].devices[0]", says: ["\"snd\" is not a host device", "Fix: name a device node under /dev"] },
    { title: "a device outside /dev", topology: (t) => { group(t, "cascade-audio-realtime").devices = ["/home/cascade/snd"]; }, file: "topology", at: "groups[cascade-audio-realtime].devices[0]", says: ["is not a host device"] },
    { title: "a soft ulimit above the hard one", topology: (t) => { group(t, "cascade-audio-realtime").ulimits = [{ name: "rtprio", soft: 99, hard: 95 }]; }, file: "topology", at: "groups[cascade-audio-realtime].ulimits[rtprio].soft", says: ["the soft limit 99 is above the hard limit 95"] },
    { title: "a ulimit set twice", topology: (t) => { group(t, "cascade-audio-realtime").ulimits = [{ name: "rtprio", soft: 95, hard: 95 }, { name: "rtprio", soft: 90, hard: 90 }]; }, file: "topology", at: "groups[cascade-audio-realtime].ulimits[rtprio]", says: ["ulimit rtprio is set twice"] },
    { title: "a misspelled ulimit", topology: (t) => { group(t, "cascade-audio-realtime").ulimits = [{ name: "rtpri", soft: 95, hard: 95 }]; }, file: "topology", at: "groups[cascade-audio-realtime].ulimits[rtpri].name", says: ["did you mean \"rtprio\"?"] },
    { title: "a host group name with a space", topology: (t) => { group(t, "cascade-audio-realtime").supplementaryGroups = ["Audio Group"]; }, file: "topology", at: "groups[cascade-audio-realtime].supplementaryGroups[0]", says: ["\"Audio Group\" is not a host group name"] },
    { title: "a memory limit below what a container needs", topology: (t) => { group(t, "cascade-auxiliary").resources = { limits: { cpus: 1, memory: "4M" }, reservations: { cpus: 0.5, memory: "4M" } }; }, file: "topology", at: "groups[cascade-auxiliary].resources.limits.memory", says: ["4M is below the 6M a container needs at least"] },
    { title: "a CPU limit below what Docker can set", topology: (t) => { group(t, "cascade-auxiliary").resources = { limits: { cpus: 0.001, memory: "1G" }, reservations: { cpus: 0.001, memory: "512M" } }; }, file: "topology", at: "groups[cascade-auxiliary].resources.limits.cpus", says: ["0.001 CPUs is below the 0.01 Docker can limit a container to"] },
    { title: "a missing limit memory", topology: (t) => { delete group(t, "cascade-auxiliary").resources.limits.memory; }, file: "topology", at: "groups[cascade-auxiliary].resources.limits.memory", says: ["is missing"] },
    { title: "resources written as text", topology: (t) => { (group(t, "cascade-auxiliary") as Record<string, unknown>).resources = "2 cpus, 4G"; }, file: "topology", at: "groups[cascade-auxiliary].resources", says: ["\"2 cpus, 4G\" is text, not a map of keys", "Fix: write it as a map of keys: limits, reservations"] },
    { title: "zero replicas in the topology", topology: (t) => { group(t, "cascade-auxiliary").replicas = 0; }, file: "topology", at: "groups[cascade-auxiliary].replicas", says: ["0 is not a whole number of at least 1"] },
    { title: "a misspelled machine", topology: (t) => { group(t, "cascade-auxiliary").machine = "mainpcc"; }, file: "topology", at: "groups[cascade-auxiliary].machine", says: ["unknown machine \"mainpcc\"", "did you mean \"mainpc\"?"] },
    { title: "an image repository with a space", topology: (t) => { group(t, "cascade-auxiliary").image = "Aux Image"; }, file: "topology", at: "groups[cascade-auxiliary].image", says: ["\"Aux Image\" is not an image repository"] },
    { title: "phase 0", topology: (t) => { group(t, "cascade-auxiliary").phase = 0; }, file: "topology", at: "groups[cascade-auxiliary].phase", says: ["0 is not a whole number of at least 1"] },
    { title: "a group name without the cascade- prefix", topology: (t) => { group(t, "cascade-auxiliary").name = "auxiliary"; }, file: "topology", at: "groups[auxiliary].name", says: ["\"auxiliary\" is not a group name", "Fix: write cascade-<lower-case words joined by ->"] },
    { title: "a misspelled restart condition", topology: (t) => { group(t, "cascade-auxiliary").restartPolicy = { condition: "on_failure", delay: "5s", maxAttempts: 3, window: "2m" }; }, file: "topology", at: "groups[cascade-auxiliary].restartPolicy.condition", says: ["did you mean \"on-failure\"?"] },
    { title: "a zero healthcheck interval", topology: (t) => { group(t, "cascade-auxiliary").healthcheck = { interval: "0s", timeout: "5s", retries: 3, startPeriod: "10s", path: "/health" }; }, file: "topology", at: "groups[cascade-auxiliary].healthcheck.interval", says: ["is zero", "Fix: write a duration longer than 0"] },
    { title: "a healthcheck timeout in words", topology: (t) => { group(t, "cascade-auxiliary").healthcheck = { interval: "10s", timeout: "5 seconds", retries: 3, startPeriod: "10s", path: "/health" }; }, file: "topology", at: "groups[cascade-auxiliary].healthcheck.timeout", says: ["\"5 seconds\" is not a duration", "Fix: write it like 10s"] },
    { title: "a failure ratio above 1", topology: (t) => { group(t, "cascade-auxiliary").updateConfig = { parallelism: 1, delay: "10s", failureAction: "rollback", monitor: "30s", maxFailureRatio: 2, order: "stop-first" }; }, file: "topology", at: "groups[cascade-auxiliary].updateConfig.maxFailureRatio", says: ["2 is not a ratio from 0 to 1"] },
    { title: "a misspelled update order", topology: (t) => { group(t, "cascade-auxiliary").updateConfig = { parallelism: 1, delay: "10s", failureAction: "rollback", monitor: "30s", maxFailureRatio: 0, order: "start_first" }; }, file: "topology", at: "groups[cascade-auxiliary].updateConfig.order", says: ["did you mean \"start-first\"?"] },
    { title: "a machine without node labels", topology: (t) => { (t.machines as Record<string, Record<string, unknown>>).mainpc.nodeLabels = {}; }, file: "topology", at: "machines.mainpc.nodeLabels", says: ["is empty, which would remove the machine pin (S5)"] },
    { title: "a topology subnet with no room for tasks", topology: (t) => { t.networks.internal.subnet = "172.20.0.0/30"; }, file: "topology", at: "networks.internal.subnet", says: ["172.20.0.0/30 holds 4 addresses, but the internal network needs at least"] },
    { title: "overlapping network subnets", topology: (t) => { t.networks.external.subnet = "172.20.128.0/17"; }, file: "topology", at: "networks.external.subnet", says: ["172.20.128.0/17 overlaps the internal network's 172.20.0.0/16"] },
    { title: "an external network marked internal", topology: (t) => { t.networks.external.internal = true; }, file: "topology", at: "networks.external.internal", says: ["the external network is internal"] },
    { title: "a network name with a dot", topology: (t) => { t.networks.internal.name = "cascade.internal"; }, file: "topology", at: "networks.internal.name", says: ["\"cascade.internal\" is not a network name"] },
    { title: "a DNS suffix in upper case", topology: (t) => { t.networks.dnsSuffix = "Cascade"; }, file: "topology", at: "networks.dnsSuffix", says: ["\"Cascade\" is not a DNS suffix"] },
    { title: "a misspelled Redis group", topology: (t) => { (t.redis as Record<string, unknown>).group = "cascade-kore"; }, file: "topology", at: "redis.group", says: ["unknown group \"cascade-kore\"", "did you mean \"cascade-core\"?"] },
    { title: "a Redis port with a protocol", topology: (t) => { (t.redis as Record<string, unknown>).port = "6379/tcp"; }, file: "topology", at: "redis.port", says: ["\"6379/tcp\" is not a port number"] },
    { title: "a misspelled Redis volume", topology: (t) => { (t.redis as Record<string, unknown>).volume = { volume: "redis_dat", target: "/data" }; }, file: "topology", at: "redis.volume.volume", says: ["unknown volume \"redis_dat\"", "did you mean \"redis_data\"?"] },
    { title: "a misspelled mounted volume", topology: (t) => { agent(t, "cascade-core", "SystemDigitalTwin").volumes = [{ volume: "unified_memry", target: "/data/unified_memory" }]; }, file: "topology", at: "groups[cascade-core].agents[SystemDigitalTwin].volumes[0].volume", says: ["did you mean \"unified_memory\"?"] },
    { title: "a volume variable name with a hyphen", topology: (t) => { (t.volumes as Record<string, Record<string, unknown>>).logs.env = { "LOG-DIR": "." }; }, file: "topology", at: "volumes.logs.env.LOG-DIR", says: ["\"LOG-DIR\" is not an environment variable name"] },
    { title: "an environment value that is not text", topology: (t) => { group(t, "cascade-auxiliary").environment = { DEBUG: true }; }, file: "topology", at: "groups[cascade-auxiliary].environment.DEBUG", says: ["true is not text: environment values must be strings", "Fix: quote the value"] },
    { title: "an environment name with a hyphen", topology: (t) => { group(t, "cascade-auxiliary").environment = { "MY-VAR": "1" }; }, file: "topology", at: "groups[cascade-auxiliary].environment.MY-VAR", says: ["\"MY-VAR\" is not an environment variable name"] },
    { title: "a misspelled top-level key", topology: (t) => { (t as Record<string, unknown>).group = []; }, file: "topology", at: "group", says: ["unknown key \"group\"", "did you mean \"groups\"?"] },
    { title: "a topology file that is binary", topology: "\u0000\u0001\u0002binary\u0000", file: "topology", at: "(file)", says: ["is not a text file: it holds binary data"] },
    { title: "a topology file that is a list", topology: "- one\n- two\n", file: "topology", at: "(top level)", says: ["is a list, not a map of keys"] },
    { title: "an empty topology file", topology: "", file: "topology", at: "(file)", says: ["is empty"] },
];

const ALL = [
    ["stack file namespaces", STACK_NAMESPACES],
    ["stack file values", STACK_VALUES],
    ["Kubernetes settings and names", KUBERNETES_SETTINGS],
    ["topology", TOPOLOGY],
] as const;

describe("issue 11: every malformed input is refused before anything is registered", () => {
    it("covers at least 100 malformed inputs", () => {
        const count = ALL.reduce((sum, [, cases]) => sum + cases.length, 0);
        if (count < 100) {
            throw new Error(`only ${count} cases`);
        }
    });
    for (const [title, cases] of ALL) {
        describe(title, () => {
            for (const bad of cases) {
                it(`refuses ${bad.title}`, () => expectRefused(bad));
            }
        });
    }
});
