import * as path from "path";
import { STACK_NAMESPACE } from "../../plan/render/context";
import { managerApi, read } from "./api";
import { check } from "./exec";
import type { RenderedContainer, StackFile } from "./rendered";
import { engineOf } from "./engines";
import { machineOfGroup } from "./groups";

// The commands an operator types to apply one rendered file by hand (the rendered README's "apply alone
// with" column), with the environment deploy.sh would give them: the secrets directory and no
// registry lookups. Stack files go to the manager (DOCKER_HOST), containers to their machine's engine.

const DEPLOY_TIMEOUT_MS = 120_000;

export function operatorEnvironment(secretsDir: string): Record<string, string> {
    return { CASCADE_SECRETS_DIR: secretsDir, CASCADE_RESOLVE_IMAGE: "never" };
}

/**
 * The secret names a stack file reads from the environment (`${CASCADE_SECRET_X:-planned name}`):
 * deploy.sh exports the names it created, which end in a hash of the file, unlike the planned ones.
 * Outside deploy.sh they are found among the secrets by their planned prefix.
 */
async function secretEnvironment(stackFileText: string): Promise<Record<string, string>> {
    const existing = (await read("listing the secrets", () => managerApi().listSecrets())).flatMap((s) => (s.Spec?.Name ? [s.Spec.Name] : []));
    const env: Record<string, string> = {};
    for (const [, variable, planned] of stackFileText.matchAll(/\$\{(CASCADE_SECRET_[A-Z0-9_]+):-([^}]+)\}/g)) {
        const prefix = planned.replace(/-[0-9a-f]{12}$/, "-");
        const matches = existing.filter((name) => name.startsWith(prefix) && /^[0-9a-f]{12}$/.test(name.slice(prefix.length)));
        if (matches.length !== 1) {
            throw new Error(`expected one secret named ${prefix}<hash> for ${variable}, found ${matches.length}: deploy the stack with its deploy.sh first`);
        }
        env[variable] = matches[0];
    }
    return env;
}

/** `docker stack deploy -c FILE <namespace>` of one rendered stack file. */
export async function deployStackFile(dir: string, file: StackFile, secretsDir: string, namespace: string = STACK_NAMESPACE): Promise<void> {
    const env = { ...operatorEnvironment(secretsDir), ...(await secretEnvironment(file.text)) };
    await check("docker", ["stack", "deploy", "--resolve-image", "never", "-c", path.join(dir, file.file), namespace], { env, timeoutMs: DEPLOY_TIMEOUT_MS });
}

/** `docker-compose -p cascade -f compose.yml up -d --no-deps <key>` of one standalone container. */
export async function upContainer(dir: string, container: RenderedContainer, secretsDir: string): Promise<void> {
    await check("docker-compose", ["-p", STACK_NAMESPACE, "-f", path.join(dir, "compose.yml"), "up", "-d", "--no-deps", container.key], {
        env: { ...operatorEnvironment(secretsDir), DOCKER_HOST: engineOf(machineOfGroup(container.group)) },
        timeoutMs: DEPLOY_TIMEOUT_MS,
    });
}

/** `docker-compose ... rm --stop --force`: the container goes, its named volumes stay. */
export async function removeContainer(dir: string, container: RenderedContainer, secretsDir: string): Promise<void> {
    await check("docker-compose", ["-p", STACK_NAMESPACE, "-f", path.join(dir, "compose.yml"), "rm", "--stop", "--force", container.key], {
        env: { ...operatorEnvironment(secretsDir), DOCKER_HOST: engineOf(machineOfGroup(container.group)) },
        timeoutMs: DEPLOY_TIMEOUT_MS,
    });
}
