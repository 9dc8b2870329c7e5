import { STACK_NAMESPACE, type DockerHost } from "./context";
import type { ComposeFile, StackFile } from "./documents";
import type { SecretFile } from "./secrets";

// DIR/README.md: what each rendered file is, the order to apply them in, the secret files the
// operator supplies, and the environment deploy.sh reads.

export interface ReadmeInput {
    readonly stack: string;
    readonly configFile: string;
    readonly networksFile?: string;
    readonly stackFiles: readonly StackFile[];
    readonly compose?: ComposeFile;
    readonly secretFiles: readonly SecretFile[];
    readonly hosts: readonly DockerHost[];
    readonly requires?: string;
    /** The directory of the Docker configs' files, when there are any. */
    readonly configsDir?: string;
}

export function readme(input: ReadmeInput): string {
    const rows = [
        ...(input.networksFile ? [`| \`${input.networksFile}\` | the overlay networks with every setting (review only: deploy.sh creates them) | \`docker stack config -c ${input.networksFile}\` |`] : []),
        ...input.stackFiles.map((f) => `| \`${f.file}\` | phase ${f.phase}, group ${f.group}: Swarm services ${f.services.map((s) => `\`${STACK_NAMESPACE}_${s.key}\``).join(", ")} | \`docker stack deploy -c ${f.file} ${STACK_NAMESPACE}\` |`),
        ...(input.compose ? [`| \`${input.compose.file}\` | standalone containers ${input.compose.containers.map((c) => `\`${c.rendered.dockerName}\` (phase ${c.phase})`).join(", ")} | \`docker-compose -p ${STACK_NAMESPACE} -f ${input.compose.file} up -d\` |`] : []),
        ...(input.configsDir ? [`| \`${input.configsDir}/\` | the monitoring services' files (prometheus.yml, alert rules, exporter and Grafana settings), as Docker configs | created by \`docker stack deploy\` from the stack files' \`configs:\` |`] : []),
        "| `deploy.sh` | everything above, in order, waiting for health between phases | `CASCADE_SECRETS_DIR=/path/to/secrets ./deploy.sh` |",
    ];
    return [
        `# Cascade stack \`${input.stack}\`: rendered files`,
        "",
        `Written by \`npm run plan -- --stack ${input.stack} --render DIR\` from the resources Pulumi would create with \`${input.configFile}\`.`,
        "`pulumi up` is the way to deploy; these files show the same objects in Docker's own formats, for review",
        "and for applying by hand. Do not edit them: change the stack config and render again.",
        "",
        "## Files",
        "",
        "| file | what | apply alone with |",
        "|---|---|---|",
        ...rows,
        "",
        "## Order (what deploy.sh does)",
        "",
        ...(input.requires ? [`0. The \`${input.requires}\` stack first: it owns the overlay networks this stack joins.`] : []),
        "1. Volumes, on the Docker host of each one's provider (`docker volume create`).",
        "2. Networks (`docker network create`, same settings as networks.yml): `docker stack deploy` creates only",
        "   networks its services use, and would prefix their names.",
        "3. Secrets (`docker secret create`) from the files you supply (below).",
        "4. Each phase in turn: its stack files and containers, then a wait until every service has all its",
        "   tasks running (a task with a healthcheck runs only once healthy) and every container is healthy.",
        "",
        "The stack files and the Compose file declare networks, volumes and secrets `external: true` with their",
        `Docker \`name:\`. Services are deployed in the stack \`${STACK_NAMESPACE}\`, so Swarm names them \`${STACK_NAMESPACE}_<key>\``,
        `(Pulumi names them \`${STACK_NAMESPACE}-<key>\`); networks, volumes, secrets and containers keep Pulumi's names.`,
        "Every `$` of a planned value is written `$$`, as Compose requires; the only interpolations are the",
        "secret names and paths below.",
        "",
        "Run deploy.sh on the machine whose engine runs the standalone containers and volumes (the",
        "`unix://` hosts below): Compose bind-mounts the secret files from the local disk.",
        "",
        "## Secrets",
        "",
        "Secret values are never written here. Put each value in a file, at its mount path under a directory",
        "of your own, owned by root and readable by root only (`chmod 0400`), with exactly the bytes of the",
        "value (`printf %s \"$value\" > file`: a trailing newline would be part of the secret):",
        "",
        ...(input.secretFiles.length > 0 ? input.secretFiles.map((f) => `- \`$CASCADE_SECRETS_DIR/${f.relative}\``) : ["- (none)"]),
        "",
        "deploy.sh names each Docker secret after a hash of its file, as the program does, and exports the name",
        "in `CASCADE_SECRET_<PATH>` for the stack files; without it they use the planned name.",
        "",
        "## Environment of deploy.sh",
        "",
        "- `CASCADE_SECRETS_DIR`: the secrets directory (default `./secrets`).",
        "- `CASCADE_DOCKER_HOST`: one Docker host for everything (a one-node test swarm). Per provider:",
        ...input.hosts.map((h) => `  - \`${h.variable}\` (provider \`${h.provider}\`, planned \`${h.host || "DOCKER_HOST"}\`)`),
        "- `CASCADE_RESOLVE_IMAGE`: `docker stack deploy --resolve-image` (default `always`; `never` when the",
        "  images exist only on the nodes).",
        "",
        "## Check the files",
        "",
        "```sh",
        ...input.stackFiles.map((f) => `docker stack config -c ${f.file}`),
        ...(input.networksFile ? [`docker stack config -c ${input.networksFile}`] : []),
        ...(input.compose ? [`docker-compose -f ${input.compose.file} config`] : []),
        "```",
        "",
        "`docker stack config` needs Docker CLI 23 or later (Debian 12's docker.io 20.10 has no such command);",
        "`docker-compose` is Debian's docker-compose 1.29 package.",
        "",
    ].join("\n");
}
