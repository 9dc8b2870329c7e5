import { LABEL } from "../../components/labels";
import { labelMap } from "../../captured/labels";
import { TYPE, type DockerHost, type Planned, type RenderContext } from "./context";
import { RenderError } from "./fields";
import { renderContainer, type RenderedContainer } from "./container";
import { renderService, type RenderedService } from "./service";
import { secretNameReference } from "./secrets";
import { composeYaml } from "./yaml";

// Groups the rendered services into files: one Swarm stack file per group (Redis goes into the file
// of the group it belongs to, by its cascade.group label), and one Compose file for every standalone
// container. Networks, volumes and secrets are created by deploy.sh first, so the files declare them
// `external: true` with their Docker `name:`.

export interface StackFile {
    readonly file: string;
    readonly group: string;
    readonly phase: number;
    /** The Docker host `docker stack deploy` talks to: the Swarm manager its services are created on. */
    readonly host: DockerHost;
    readonly services: readonly RenderedService[];
    readonly text: string;
}

export interface ComposeFile {
    readonly file: string;
    readonly containers: readonly { readonly rendered: RenderedContainer; readonly phase: number }[];
    readonly text: string;
}

const STACK_FILE_VERSION = "3.8";

/** The directory of DIR that holds the Docker configs' files (the monitoring services' configuration). */
export const CONFIGS_DIR = "configs";

function externals(names: Iterable<string>): Record<string, unknown> {
    return Object.fromEntries([...names].sort().map((name) => [name, { external: true, name }]));
}

function groupOf(planned: Planned, dockerName: string): string {
    return labelMap(planned.props.labels)[LABEL.group] ?? dockerName;
}

export function stackFiles(context: RenderContext, header: (what: string) => string): StackFile[] {
    const groups = new Map<string, { phase: number; services: RenderedService[] }>();
    for (const planned of context.planned.filter((p) => p.captured.type === TYPE.service)) {
        const rendered = renderService(planned, context);
        const group = groupOf(planned, rendered.dockerName);
        const entry = groups.get(group) ?? { phase: context.phaseOf(planned), services: [] };
        entry.phase = Math.min(entry.phase, context.phaseOf(planned));
        entry.services.push(rendered);
        groups.set(group, entry);
    }
    return [...groups.entries()]
        .sort(([, a], [, b]) => a.phase - b.phase)
        .map(([group, { phase, services }]) => {
            const secrets = new Map(services.flatMap((s) => [...s.secrets.entries()]));
            const document = {
                version: STACK_FILE_VERSION,
                services: Object.fromEntries(services.map((s) => [s.key, s.definition])),
                networks: externals(new Set(services.flatMap((s) => [...s.networks]))),
                volumes: externals(new Set(services.flatMap((s) => [...s.volumes]))),
                secrets: Object.fromEntries([...secrets.keys()].sort().map((key) => [key, { external: true, name: "" }])),
                // `docker stack deploy` creates each config from its file, under the name Pulumi gives it.
                configs: Object.fromEntries([...new Set(services.flatMap((s) => [...s.configs]))].sort().map((name) => [name, { name, file: `./${CONFIGS_DIR}/${name}` }])),
            };
            const interpolated = [...secrets.entries()].map(([key, secret]) => ({ path: ["secrets", key, "name"], value: secretNameReference(secret.file, secret.plannedName) }));
            const file = `${phase}-${group}.yml`;
            const hosts = new Set(services.map((s) => s.host.host));
            if (hosts.size > 1) {
                throw new RenderError(`cannot render ${file}: the services of ${group} are created on different Docker hosts (${[...hosts].join(", ")})`);
            }
            const text = composeYaml(header(`Swarm stack file of ${group} (phase ${phase}): docker stack deploy -c ${file} cascade`), withoutEmpty(document), interpolated);
            return { file, group, phase, host: services[0].host, services, text };
        });
}

export function composeFile(context: RenderContext, header: (what: string) => string): ComposeFile | undefined {
    const containers = context.planned
        .filter((p) => p.captured.type === TYPE.container)
        .map((planned) => ({ rendered: renderContainer(planned, context), phase: context.phaseOf(planned) }))
        .sort((a, b) => a.phase - b.phase);
    if (containers.length === 0) {
        return undefined;
    }
    const secrets = new Map(containers.flatMap((c) => [...c.rendered.secrets.entries()]));
    const document = {
        services: Object.fromEntries(containers.map((c) => [c.rendered.key, c.rendered.definition])),
        networks: externals(new Set(containers.flatMap((c) => [...c.rendered.networks]))),
        volumes: externals(new Set(containers.flatMap((c) => [...c.rendered.volumes]))),
        secrets: Object.fromEntries([...secrets.keys()].sort().map((key) => [key, { file: "" }])),
    };
    const interpolated = [...secrets.entries()].map(([key, file]) => ({ path: ["secrets", key, "file"], value: `\${CASCADE_SECRETS_DIR:-./secrets}/${file.relative}` }));
    const file = "compose.yml";
    const text = composeYaml(header(`Compose file of the standalone containers (S1): docker-compose -p cascade -f ${file} up -d`), withoutEmpty(document), interpolated);
    return { file, containers, text };
}

/** Top-level maps with nothing in them are left out (an empty `secrets:` reads as a mistake). */
function withoutEmpty(document: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(document).filter(([key, value]) => key === "services" || typeof value !== "object" || value === null || Object.keys(value).length > 0));
}
