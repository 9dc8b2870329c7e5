import type { DockerHost } from "./context";
import { envName, STACK_NAMESPACE } from "./context";
import type { ComposeFile, StackFile } from "./documents";
import type { NetworkSpec, VolumeSpec } from "./infrastructure";
import type { DockerSecret } from "./secrets";
import { CONTENT_HASH_DIGITS, CONTENT_NAME } from "../../model/docker-names";
import { parseDuration } from "../../config/units";

// deploy.sh: applies the rendered files by hand in Pulumi's order. Volumes, networks and secrets
// first (Pulumi creates them as resources of their own), then each phase's stack files and standalone
// containers, waiting until every service of the phase is healthy and every container too, as
// `pulumi up` does. "Healthy" is what Swarm says, never `docker service ls` counts (which keep
// counting the tasks of a node that is down): the update this deploy started is not rolled back or
// paused (UpdateStatus), and every task meant to run is running (a task with a healthcheck runs only
// once healthy) on a node that is up; seen within the first seconds after `docker stack deploy`, it
// must be seen twice in a row, since Swarm starts a rolling update a moment after the deploy returns. Pending tasks fail the deploy with the scheduler's reason; so does
// the end of the wait, bounded by the group's own health and update settings (model/converge.ts), with
// the failing agents named from the container's health log.


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
    return Math.ceil(parseDuration(text ?? "") ?? 0) || fallback;
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

# The Docker secret's name: the planned prefix and the first ${CONTENT_HASH_DIGITS} hex digits of the value's SHA-256,
# as the program names it, so that a new value makes a new secret (Docker secrets are immutable).
content_name() {
    printf '%s-%s' "$1" "$(sha256sum < "$2" | cut -c1-${CONTENT_HASH_DIGITS})"
}

# The last health probe output of a container on a machine's engine (names the failing agents).
health_output() { # engine container
    docker -H "$1" inspect -f '{{with .State.Health}}{{range .Log}}{{.Output}}{{end}}{{end}}' "$2" 2>/dev/null | grep '^unhealthy: ' | sort -u | paste -sd ',' - || true
}

# One look at a service: prints "ready <what>", "wait <why>", "pending <why>" or "fail <why>".
service_state() { # manager engine name since
    local host="$1" engine="$2" name="$3" since="$4" update replicas id state node err container running=0 waiting="" node_state updating=""
    update="$(docker -H "$host" service inspect -f '{{with .UpdateStatus}}{{.State}}|{{if .StartedAt}}{{.StartedAt.Unix}}{{else}}0{{end}}|{{.Message}}{{end}}' "$name")"
    # Only the update this deploy started counts: one before it is history.
    if [ -n "$update" ] && [ "$(cut -d'|' -f2 <<<"$update")" -ge "$since" ]; then
        case "${"$"}{update%%|*}" in
            paused|rollback_started|rollback_paused|rollback_completed)
                echo "fail update ${"$"}{update%%|*}: ${"$"}{update##*|}"; return ;;
            # Still look at the tasks: an update whose new task cannot be scheduled (its node is down)
            # stays "updating" for ever, and only the task says why.
            updating) updating=" (update in progress)" ;;
        esac
    fi
    replicas="$(docker -H "$host" service inspect -f '{{with .Spec.Mode.Replicated}}{{.Replicas}}{{end}}' "$name")"
    # service ps formats typed tasks: a field a task lacks (no node yet) prints empty.
    while IFS='|' read -r id node state err; do
        [ -n "$id" ] || continue
        state="$(tr '[:upper:]' '[:lower:]' <<<"${"$"}{state%% *}")"
        err="${"$"}{err#\"}"; err="${"$"}{err%\"}"
        if [ "$state" = pending ] && [ -n "$err" ]; then
            echo "pending task pending: $err"; return
        fi
        if [ -z "$node" ]; then
            waiting="$waiting $state"; continue
        fi
        node_state="$(docker -H "$host" node inspect -f '{{.Status.State}}' "$node" 2>/dev/null || echo unknown)"
        if [ "$node_state" != ready ]; then
            echo "fail task $state on node $node, which is $node_state"; return
        fi
        if [ "$state" = running ]; then
            running=$((running + 1))
        else
            container="$(docker -H "$host" inspect -f '{{with .Status.ContainerStatus}}{{.ContainerID}}{{end}}' "$id" 2>/dev/null || true)"
            waiting="$waiting $state${"$"}{err:+ ($err)}$(h="$(health_output "$engine" "$container")"; [ -z "$h" ] || echo " [$h]")"
        fi
    done < <(docker -H "$host" service ps --no-trunc --filter desired-state=running --format '{{.ID}}|{{.Node}}|{{.CurrentState}}|{{.Error}}' "$name")
    if [ "$running" = "${"$"}{replicas:-1}" ] && [ -z "$waiting" ] && [ -z "$updating" ]; then
        echo "ready $running/${"$"}{replicas:-1} tasks running and healthy"
    else
        echo "wait $running/${"$"}{replicas:-1} running$updating;${"$"}{waiting:- no task yet}"
    fi
}

# When the manager last updated a service's spec (seconds): taken right after its docker stack deploy.
updated_at() { # manager name
    docker -H "$1" service inspect -f '{{.UpdatedAt.Unix}}' "$2"
}

wait_service() { # manager engine name limit-seconds since deployed-at(SECONDS)
    local host="$1" engine="$2" name="$3" limit="${"$"}{CASCADE_WAIT_SECONDS:-$4}" since="$5" deployed="$6" deadline state ready=0 pending=0
    deadline=$((SECONDS + limit))
    while :; do
        state="$(service_state "$host" "$engine" "$name" "$since")"
        case "$state" in
            ready*) ready=$((ready + 1)); pending=0
                if [ "$ready" -ge 2 ] || [ $((SECONDS - deployed)) -ge 5 ]; then echo "  $name: ${"$"}{state#ready }"; return 0; fi ;;
            fail*) echo "deploy.sh: $name: ${"$"}{state#fail }; see: docker service ps --no-trunc $name" >&2; exit 1 ;;
            pending*) ready=0; pending=$((pending + 1))
                if [ "$pending" -ge 3 ]; then echo "deploy.sh: $name: ${"$"}{state#pending }; see: docker service ps --no-trunc $name" >&2; exit 1; fi ;;
            *) ready=0; pending=0 ;;
        esac
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "deploy.sh: $name is not healthy after ${"$"}{limit}s (CASCADE_WAIT_SECONDS overrides): ${"$"}{state#* }; see: docker service ps --no-trunc $name" >&2; exit 1
        fi
        sleep 1
    done
}

wait_container() { # host name timeout-seconds
    local host="$1" name="$2" limit="${"$"}{CASCADE_WAIT_SECONDS:-$3}" deadline status
    deadline=$((SECONDS + limit))
    while :; do
        status="$(docker -H "$host" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$name" 2>/dev/null || true)"
        if [ "$status" = healthy ]; then
            echo "  $name: healthy"; return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "deploy.sh: $name is ${"$"}{status:-missing} after ${"$"}{limit}s (CASCADE_WAIT_SECONDS overrides) $(health_output "$host" "$name"); see: docker inspect $name" >&2; exit 1
        fi
        sleep 1
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
    /** The networks that stack creates and this one uses: checked before anything is created. */
    readonly requiredNetworks?: readonly string[];
    /** This machine's own engine, where its services' containers run (for their health logs). */
    readonly machineHost?: DockerHost;
}

/** Only when a planned resource carries no wait limit of its own. */
const DEFAULT_WAIT_SECONDS = 600;

const sinceVariable = (key: string) => `since_${envName(key).toLowerCase()}`;

/** Refuses to run before the owning stack: nothing is created, and the message says what to do. */
function requiresLines(input: ScriptInput): string[] {
    if (!input.requires) {
        return [];
    }
    const manager = input.stackFiles[0]?.host ?? input.hosts[0];
    return [
        "",
        `# The networks belong to the ${input.requires} stack: deploy its rendered files first.`,
        ...(input.requiredNetworks ?? []).map((n) =>
            `${dockerAt(manager)} network inspect ${shellQuote(n)} >/dev/null 2>&1 || { echo "deploy.sh: network ${n} does not exist on the manager: deploy ${input.requires} first (its deploy.sh creates it); nothing was created" >&2; exit 1; }`),
    ];
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
        const hashed = CONTENT_NAME.exec(s.plannedName);
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
            lines.push("deployed_at=$SECONDS");
            for (const service of file.services) {
                lines.push(`${sinceVariable(service.key)}="$(updated_at "$${file.host.variable}" ${shellQuote(`${STACK_NAMESPACE}_${service.key}`)})"`);
            }
        }
        for (const { rendered } of containers) {
            lines.push(`docker-compose -H "$${rendered.host.variable}" -p ${STACK_NAMESPACE} -f ${shellQuote(input.compose?.file ?? "compose.yml")} up -d --no-deps ${shellQuote(rendered.key)}`);
        }
        for (const file of files) {
            for (const service of file.services) {
                const limit = durationSeconds(service.waitTimeout, DEFAULT_WAIT_SECONDS);
                lines.push(`wait_service "$${file.host.variable}" "$${(input.machineHost ?? file.host).variable}" ${shellQuote(`${STACK_NAMESPACE}_${service.key}`)} ${limit} "$${sinceVariable(service.key)}" "$deployed_at"`);
            }
        }
        for (const { rendered } of containers) {
            lines.push(`wait_container "$${rendered.host.variable}" ${shellQuote(rendered.dockerName)} ${rendered.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS}`);
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
        "",
        "# Every engine must answer before anything is created: a machine that is down fails the deploy here.",
        ...input.hosts.map((h) =>
            `docker -H "$${h.variable}" version >/dev/null 2>&1 || { echo "deploy.sh: the Docker engine at $${h.variable} (provider ${h.provider}) does not answer: is the machine up? Nothing was created" >&2; exit 1; }`),
        ...requiresLines(input),
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
