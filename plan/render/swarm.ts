import type { Plan } from "../assemble";
import { renderContext, TYPE, type DockerHost } from "./context";
import { CONFIGS_DIR, composeFile, stackFiles } from "./documents";
import type { RenderedFile } from "./files";
import { networkSpecs, networksFile, volumeSpecs } from "./infrastructure";
import { readme } from "./readme";
import { deployScript } from "./script";
import { dockerSecrets, type SecretFile } from "./secrets";

// `--render DIR` for a Swarm stack: the planned resources as native files an operator can read and
// apply by hand. Everything is written from the captured resources (what Pulumi would create), not
// from the model. Layout of DIR:
//   networks.yml       the overlay networks (only on the stack that creates them), for review and
//                      `docker stack config`; deploy.sh creates them with `docker network create`
//   <phase>-<group>.yml one Swarm stack file per group (Redis in its group's file), deployed with
//                      `docker stack deploy -c FILE cascade`
//   compose.yml        the standalone containers (S1), for Debian's docker-compose 1.29
//   deploy.sh          volumes, networks, secrets, then each phase, waiting for health
//   README.md          the same, for operators, with the secret files to supply

export function renderSwarm(plan: Plan): RenderedFile[] {
    const context = renderContext(plan);
    const header = (what: string) =>
        `Rendered by \`npm run plan -- --stack ${plan.stack} --render\` from the resources planned with ${plan.stackFile.file}.\n${what}\nSecret values are not in this file; README.md says how to supply them.`;
    const networks = networkSpecs(context);
    const volumes = volumeSpecs(context);
    const secrets = dockerSecrets(context);
    const stacks = stackFiles(context, header);
    const compose = composeFile(context, header);
    const hosts = new Map<string, DockerHost>();
    for (const host of [...networks, ...volumes, ...secrets].map((x) => x.host)
        .concat(stacks.map((s) => s.host), compose?.containers.map((c) => c.rendered.host) ?? [])) {
        hosts.set(host.variable, host);
    }
    const secretFiles = new Map<string, SecretFile>();
    for (const file of [...secrets.flatMap((s) => (s.file ? [s.file] : [])), ...(compose?.containers.flatMap((c) => [...c.rendered.secrets.values()]) ?? [])]) {
        secretFiles.set(file.relative, file);
    }
    // The Docker configs' contents, as Pulumi would create them, for the stack files' `configs:` entries.
    const configs = context.planned.filter((p) => p.captured.type === TYPE.config).map((p) => ({
        path: `${CONFIGS_DIR}/${String(p.props.name)}`,
        content: Buffer.from(String(p.props.data), "base64").toString("utf8"),
    }));
    // A stack that creates no network uses MainPC's (cascade:mainpc.stack, or found by name when that
    // is ""): it needs the mainpc stack deployed first either way.
    const usedNetworks = [...new Set([...stacks.flatMap((s) => s.services.flatMap((w) => [...w.networks])), ...(compose?.containers.flatMap((c) => [...c.rendered.networks]) ?? [])])].sort();
    const requires = plan.referenced ? plan.referenced.file.replace(/^Pulumi\.(.+)\.yaml$/, "$1") : networks.length === 0 && usedNetworks.length > 0 ? "mainpc" : undefined;
    const files: RenderedFile[] = [
        ...configs,
        ...(networks.length > 0 ? [{ path: "networks.yml", content: networksFile(networks, header) }] : []),
        ...stacks.map((s) => ({ path: s.file, content: s.text })),
        ...(compose ? [{ path: compose.file, content: compose.text }] : []),
        {
            path: "deploy.sh",
            executable: true,
            content: deployScript({
                stack: plan.stack,
                header: header("Applies the files of this directory in Pulumi's order. Usage: CASCADE_SECRETS_DIR=/path/to/secrets ./deploy.sh"),
                hosts: [...hosts.values()],
                volumes,
                networks,
                secrets,
                stackFiles: stacks,
                compose,
                requires,
                requiredNetworks: requires ? usedNetworks : undefined,
                machineHost: volumes[0]?.host,
            }),
        },
        {
            path: "README.md",
            content: readme({
                stack: plan.stack,
                configFile: plan.stackFile.file,
                networksFile: networks.length > 0 ? "networks.yml" : undefined,
                stackFiles: stacks,
                compose,
                secretFiles: [...secretFiles.values()].sort((a, b) => a.relative.localeCompare(b.relative)),
                hosts: [...hosts.values()],
                requires,
                configsDir: configs.length > 0 ? CONFIGS_DIR : undefined,
            }),
        },
    ];
    return files;
}
