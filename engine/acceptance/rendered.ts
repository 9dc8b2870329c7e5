import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { LABEL } from "../../components/labels";
import { STACK_NAMESPACE } from "../../plan/render/context";

// Reads a directory that `npm run plan -- --render DIR` wrote: what the plan says should exist. The
// assertions compare the engine against these files (service names, replicas, agents and their DNS
// names and ports, networks, volumes), so the suite checks what the plan renders, not a copy of it.

const agentSchema = z.object({
    name: z.string(),
    dnsName: z.string(),
    port: z.number(),
    healthPort: z.number(),
    env: z.record(z.string(), z.string()).default({}),
});
export type RenderedAgent = z.infer<typeof agentSchema>;

const mountSchema = z.object({ type: z.string(), source: z.string().optional(), target: z.string() });
const networksSchema = z.record(z.string(), z.object({ aliases: z.array(z.string()).optional() }).nullable());
const environmentSchema = z.record(z.string(), z.string()).default({});

const serviceSchema = z.object({
    image: z.string(),
    environment: environmentSchema,
    volumes: z.array(mountSchema).default([]),
    networks: networksSchema.default({}),
    ports: z.array(z.object({ target: z.number(), published: z.number().optional() })).default([]),
    deploy: z.object({
        replicas: z.number().default(1),
        resources: z.object({
            reservations: z.object({
                generic_resources: z.array(z.object({ discrete_resource_spec: z.object({ kind: z.string(), value: z.number() }) })).default([]),
            }).default({ generic_resources: [] }),
        }).default({ reservations: { generic_resources: [] } }),
    }),
});

const containerSchema = z.object({
    container_name: z.string(),
    image: z.string(),
    environment: environmentSchema,
    volumes: z.array(mountSchema).default([]),
    networks: networksSchema.default({}),
    devices: z.array(z.string()).default([]),
    labels: z.record(z.string(), z.string()).default({}),
});

const networkSchema = z.object({
    internal: z.boolean().default(false),
    attachable: z.boolean().default(false),
    ipam: z.object({ config: z.array(z.object({ subnet: z.string().optional() })) }).optional(),
});

interface Workload {
    /** The key in its file. */
    readonly key: string;
    readonly group: string;
    readonly agents: readonly RenderedAgent[];
    readonly environment: Readonly<Record<string, string>>;
    readonly networks: ReadonlyMap<string, readonly string[]>;
    /** Named volumes: source -> mount target. */
    readonly volumes: ReadonlyMap<string, string>;
}

export interface RenderedService extends Workload {
    /** The Swarm service name after `docker stack deploy ... cascade`. */
    readonly name: string;
    readonly replicas: number;
    readonly gpus: number;
    /** Ports published on the node. */
    readonly published: readonly number[];
}

export interface RenderedContainer extends Workload {
    readonly name: string;
    readonly phase: number;
    readonly devices: readonly string[];
}

export interface StackFile {
    readonly file: string;
    readonly phase: number;
    readonly group: string;
    readonly services: readonly RenderedService[];
    readonly text: string;
}

export interface RenderedNetwork {
    readonly name: string;
    readonly internal: boolean;
    readonly attachable: boolean;
    readonly subnets: readonly string[];
}

/** The parts of `npm run plan -- --json` the suite reads: the planned resources and network names. */
export interface PlannedJson {
    readonly resources: readonly { readonly type: string; readonly name: string; readonly inputs: Readonly<Record<string, unknown>> }[];
    readonly networkNames: Readonly<Record<string, string>>;
}

export interface Rendered {
    readonly dir: string;
    /** The plan the files were rendered from (set by render.ts). */
    readonly plan?: PlannedJson;
    readonly stackFiles: readonly StackFile[];
    readonly containers: readonly RenderedContainer[];
    readonly networks: readonly RenderedNetwork[];
    readonly deployScript: string;
}

function readYaml(file: string): Record<string, unknown> {
    return z.record(z.string(), z.unknown()).parse(parse(fs.readFileSync(file, "utf8")));
}

/** Values in the files double every literal `$` for Compose; the manifest is read as the container gets it. */
const unescape = (text: string) => text.replace(/\$\$/g, "$");

function workload(key: string, environment: Readonly<Record<string, string>>, volumes: z.infer<typeof mountSchema>[], networks: z.infer<typeof networksSchema>): Workload {
    const manifest = environment.CASCADE_AGENTS;
    return {
        key,
        group: environment.CASCADE_GROUP ?? key,
        agents: manifest === undefined ? [] : z.array(agentSchema).parse(JSON.parse(unescape(manifest))),
        environment: Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, unescape(v)])),
        networks: new Map(Object.entries(networks).map(([name, entry]) => [name, entry?.aliases ?? []])),
        volumes: new Map(volumes.filter((v) => v.type === "volume" && v.source).map((v) => [v.source ?? "", v.target])),
    };
}

function stackFile(dir: string, file: string, phase: number, group: string): StackFile {
    const document = readYaml(path.join(dir, file));
    const services = Object.entries(z.record(z.string(), serviceSchema).parse(document.services)).map(([key, s]): RenderedService => ({
        ...workload(key, s.environment, s.volumes, s.networks),
        name: `${STACK_NAMESPACE}_${key}`,
        replicas: s.deploy.replicas,
        gpus: s.deploy.resources.reservations.generic_resources.reduce((sum, r) => sum + r.discrete_resource_spec.value, 0),
        published: s.ports.flatMap((p) => (p.published === undefined ? [] : [p.published])),
    }));
    return { file, phase, group, services, text: fs.readFileSync(path.join(dir, file), "utf8") };
}

export function readRendered(dir: string): Rendered {
    const files = fs.readdirSync(dir).sort();
    const stackFiles = files
        .map((file) => ({ file, match: /^(\d+)-(.+)\.yml$/.exec(file) }))
        .flatMap(({ file, match }) => (match ? [stackFile(dir, file, Number(match[1]), match[2])] : []))
        .sort((a, b) => a.phase - b.phase);
    const compose = files.includes("compose.yml") ? readYaml(path.join(dir, "compose.yml")) : { services: {} };
    const containers = Object.entries(z.record(z.string(), containerSchema).parse(compose.services)).map(([key, c]): RenderedContainer => ({
        ...workload(key, c.environment, c.volumes, c.networks),
        name: c.container_name,
        phase: Number(c.labels[LABEL.phase]),
        devices: c.devices,
    }));
    const networkDocument = files.includes("networks.yml") ? readYaml(path.join(dir, "networks.yml")) : { networks: {} };
    const networks = Object.entries(z.record(z.string(), networkSchema).parse(networkDocument.networks)).map(([name, n]) => ({
        name,
        internal: n.internal,
        attachable: n.attachable,
        subnets: (n.ipam?.config ?? []).flatMap((c) => (c.subnet ? [c.subnet] : [])),
    }));
    return { dir, stackFiles, containers, networks, deployScript: fs.readFileSync(path.join(dir, "deploy.sh"), "utf8") };
}
