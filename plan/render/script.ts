import type { DockerHost } from "./context";
import { STACK_NAMESPACE } from "./context";
import type { ComposeFile, StackFile } from "./documents";
import type { NetworkSpec, VolumeSpec } from "./infrastructure";
import type { DockerSecret } from "./secrets";

// deploy.sh: applies the rendered files by hand in Pulumi's order. Volumes, networks and secrets
// first (Pulumi creates them as resources of their own), then each phase's stack files and standalone
// containers, waiting until every service of the phase has all its tasks running (a task with a
// healthcheck runs only once healthy) and every container is healthy, as `pulumi up` does.

const SECRET_HASH = /^(.*)-[0-9a-f]{12}$/;

/** A word the shell reads literally. */
export function shellQuote(text: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function labels(map: Readonly<Record<string, string>>): string {
    return Object.entries(map).map(([k, v]) => ` --label ${shellQuote(`${k}=${v}`)}`).join("");
}

const dockerAt = (host: DockerHost) => `docker -H "$${host.variable}"`;

/** Go duration ("10m0s", "1h0m0s", "90s") in whole seconds, for the wait loops. */
function durationSeconds(text: string | undefined, fallback: number): number {
    if (!text) {
        return fallback;
    }
    let seconds = 0;
    for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
        seconds += Number(part[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[part[2] as "ms" | "s" | "m" | "h"];
    }
    return Math.ceil(seconds) || fallback;
}

const PRELUDE = String.raw`set -euo pipefail
cd "$(dirname "$0")"

# Secret values: one file per secret, at its mount path relative to this directory (see README.md).
CASCADE_SECRETS_DIR="$(cd "${"$"}{CASCADE_SECRETS_DIR:-./secrets}" 2>/dev/null && pwd)" || {
    echo "deploy.sh: secrets directory ${"$"}{CASCADE_SECRETS_DIR:-./secrets} not found (see README.md)" >&2; exit 1; }
export CASCADE_SECRETS_DIR
# --resolve-image for docker stack deploy: "never" when images exist only on the nodes (no registry).
CASCADE_RESOLVE_IMAGE="${"$"}{CASCADE_RESOLVE_IMAGE:-always}"

secret_file() {
    local file="$CASCADE_SECRETS_DIR/$1"
    if [ ! -f "$file" ]; then
        echo "deploy.sh: missing secret file $file (see README.md)" >&2; exit 1
    fi
    printf '%s' "$file"
}

# The Docker secret's name: the planned prefix and the first 12 hex digits of the value's SHA-256,
# as the program names it, so that a new value makes a new secret (Docker secrets are immutable).
content_name() {
    printf '%s-%s' "$1" "$(sha256sum < "$2" | cut -c1-12)"
}

wait_service() { # host name timeout-seconds
    local host="$1" name="$2" deadline=$((SECONDS + $3)) replicas
    while :; do
        replicas="$(docker -H "$host" service ls --filter "name=$name" --format '{{.Name}} {{.Replicas}}' | awk -v n="$name" '$1 == n { print $2 }')"
        if [ -n "$replicas" ] && [ "${"$"}{replicas%%/*}" = "${"$"}{replicas#*/}" ]; then
            echo "  $name: $replicas tasks running"; return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "deploy.sh: $name has ${"$"}{replicas:-no} tasks running after $3s; see: docker service ps --no-trunc $name" >&2; exit 1
        fi
        sleep 5
    done
}

wait_container() { # host name timeout-seconds
    local host="$1" name="$2" deadline=$((SECONDS + $3)) status
    while :; do
        status="$(docker -H "$host" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$name" 2>/dev/null || true)"
        if [ "$status" = healthy ]; then
            echo "  $name: healthy"; return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "deploy.sh: $name is ${"$"}{status:-missing} after $3s; see: docker inspect $name" >&2; exit 1
        fi
        sleep 5
    done
}`;

export interface ScriptInput {
    readonly stack: string;
    readonly header: string;
    readonly hosts: readonly DockerHost[];
    readonly volumes: readonly VolumeSpec[];
    readonly networks: readonly NetworkSpec[];
    readonly secrets: readonly DockerSecret[];
    readonly stackFiles: readonly StackFile[];
    readonly compose?: ComposeFile;
    /** Another stack that must be deployed first (it owns the networks), if any. */
    readonly requires?: string;
}

function volumeLines(volumes: readonly VolumeSpec[]): string[] {
    return volumes.map((v) => {
        const docker = dockerAt(v.host);
        const options = Object.entries(v.options).map(([k, o]) => ` --opt ${shellQuote(`${k}=${o}`)}`).join("");
        return `${docker} volume inspect ${shellQuote(v.name)} >/dev/null 2>&1 || ${docker} volume create${v.driver ? ` --driver ${shellQuote(v.driver)}` : ""}${options}${labels(v.labels)} ${shellQuote(v.name)}`;
    });
}

function networkLines(networks: readonly NetworkSpec[]): string[] {
    return networks.map((n) => {
        const docker = dockerAt(n.host);
        const flags = [
            ...(n.driver ? [`--driver ${shellQuote(n.driver)}`] : []),
            ...(n.attachable ? ["--attachable"] : []),
            ...(n.internal ? ["--internal"] : []),
            ...n.subnets.flatMap((s) => [
                ...(s.subnet ? [`--subnet ${shellQuote(s.subnet)}`] : []),
                ...(s.gateway ? [`--gateway ${shellQuote(s.gateway)}`] : []),
                ...(s.ipRange ? [`--ip-range ${shellQuote(s.ipRange)}`] : []),
            ]),
            ...Object.entries(n.options).map(([k, o]) => `--opt ${shellQuote(`${k}=${o}`)}`),
        ].join(" ");
        return `${docker} network inspect ${shellQuote(n.name)} >/dev/null 2>&1 || ${docker} network create ${flags}${labels(n.labels)} ${shellQuote(n.name)}`;
    });
}

function secretLines(secrets: readonly DockerSecret[]): string[] {
    return secrets.flatMap((s) => {
        if (!s.file) {
            return [`# ${s.resource}: no planned service mounts it, so it is not created here.`];
        }
        const docker = dockerAt(s.host);
        const hashed = SECRET_HASH.exec(s.plannedName);
        const name = hashed ? `"$(content_name ${shellQuote(hashed[1])} "$file")"` : shellQuote(s.plannedName);
        return [
            `file="$(secret_file ${shellQuote(s.file.relative)})"`,
            // Assigned before export, so that a failing hash stops the script (set -e).
            `${s.file.variable}=${name}`,
            `export ${s.file.variable}`,
            `${docker} secret inspect "$${s.file.variable}" >/dev/null 2>&1 || ${docker} secret create${labels(s.labels)} "$${s.file.variable}" "$file"`,
        ];
    });
}

function phaseLines(input: ScriptInput): string[] {
    const phases = new Set([...input.stackFiles.map((f) => f.phase), ...(input.compose?.containers.map((c) => c.phase) ?? [])]);
    const lines: string[] = [];
    for (const phase of [...phases].sort((a, b) => a - b)) {
        const files = input.stackFiles.filter((f) => f.phase === phase);
        const containers = input.compose?.containers.filter((c) => c.phase === phase) ?? [];
        lines.push("", `echo "Phase ${phase}: ${[...files.map((f) => f.group), ...containers.map((c) => c.rendered.dockerName)].join(", ")}"`);
        for (const file of files) {
            lines.push(`${dockerAt(file.host)} stack deploy --resolve-image "$CASCADE_RESOLVE_IMAGE" -c ${shellQuote(file.file)} ${STACK_NAMESPACE}`);
        }
        for (const { rendered } of containers) {
            lines.push(`docker-compose -H "$${rendered.host.variable}" -p ${STACK_NAMESPACE} -f ${shellQuote(input.compose?.file ?? "compose.yml")} up -d --no-deps ${shellQuote(rendered.key)}`);
        }
        for (const file of files) {
            for (const service of file.services) {
                lines.push(`wait_service "$${file.host.variable}" ${shellQuote(`${STACK_NAMESPACE}_${service.key}`)} ${durationSeconds(service.waitTimeout, 600)}`);
            }
        }
        for (const { rendered } of containers) {
            lines.push(`wait_container "$${rendered.host.variable}" ${shellQuote(rendered.dockerName)} ${rendered.waitTimeoutSeconds ?? 600}`);
        }
    }
    return lines;
}

export function deployScript(input: ScriptInput): string {
    // Without a provider the Docker provider uses DOCKER_HOST or the local socket; so does deploy.sh.
    const hostLines = input.hosts.map((h) =>
        `${h.variable}="$\{${h.variable}:-$\{CASCADE_DOCKER_HOST:-${h.host || "$\{DOCKER_HOST:-unix:///var/run/docker.sock}"}}}"  # provider ${h.provider}`);
    return [
        "#!/usr/bin/env bash",
        ...input.header.split("\n").map((line) => `# ${line}`.trimEnd()),
        PRELUDE,
        "",
        "# Docker hosts of the planned providers; CASCADE_DOCKER_HOST overrides them all (one-node test swarm).",
        ...hostLines,
        ...(input.requires ? ["", `# The networks belong to the ${input.requires} stack: deploy its rendered files first.`] : []),
        "",
        'echo "Volumes"',
        ...volumeLines(input.volumes),
        "",
        'echo "Networks"',
        ...(input.networks.length > 0 ? networkLines(input.networks) : [`# none: this stack uses the networks of the ${input.requires ?? "owning"} stack`]),
        "",
        'echo "Secrets"',
        ...secretLines(input.secrets),
        ...phaseLines(input),
        "",
        `echo "Stack ${input.stack} deployed."`,
        "",
    ].join("\n");
}
