#!/usr/bin/env bash
# setup-engine.sh: makes a Docker engine usable on this machine, for the engine acceptance suite.
#
#   engine/setup-engine.sh [--install] [--generic-resource KIND=VALUE]...
#
# Idempotent: an engine that already answers `docker info` is used as it is. Otherwise, as root, it
# starts Debian's dockerd in the background (its own session, so it outlives the caller) with its log
# in $CASCADE_ENGINE_LOG (default /tmp/cascade-dockerd.log), and waits up to $CASCADE_ENGINE_WAIT
# seconds (default 60) for it to answer. dockerd needs no extra flag on these machines: overlay2,
# iptables (nf_tables) and cgroup v1 all work as Debian configures them (engine/README.md). It is
# started with DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 in its environment (see start_dockerd).
#
# --install           install Debian's docker.io with apt-get when dockerd is missing. Implied when
#                     CI=true: CI machines are fresh and the suite must bring its own engine; on a
#                     developer's machine installing a daemon is left to an explicit request.
# --generic-resource  a Swarm generic resource the node must advertise, as dockerd's
#                     --node-generic-resource takes it (gpu=GPU-fake0 is one GPU named GPU-fake0;
#                     repeat the option for more). The node's resources are engine settings, read only
#                     when dockerd starts: an engine that this script started with other resources is
#                     restarted with these (containers stop; swarm state and volumes are kept).
#
# Exit codes, so that a caller can tell a skip from a failure:
#   0  an engine is usable (with the requested generic resources)
#   2  bad arguments
#   3  no engine can be started here: not root, or dockerd is missing and may not or cannot be
#      installed. The message says which. Report a SKIP.
#   4  dockerd was started but did not answer in time, or died; the tail of its log is printed.
#   5  an engine runs, was not started by this script, and does not advertise the requested
#      generic resources; its daemon.json needs "node-generic-resources" and a restart.
set -euo pipefail

LOG=${CASCADE_ENGINE_LOG:-/tmp/cascade-dockerd.log}
WAIT_SECONDS=${CASCADE_ENGINE_WAIT:-60}
# Engine labels mark an engine as started here and record its generic resources, so that a later
# run can tell whether it may restart it and whether it needs to.
OWNER_LABEL=cascade.setup-engine=1
RESOURCES_LABEL_KEY=cascade.generic-resources

args=("$@")
install=0
[ "${CI:-}" = true ] && install=1
resources=()
while [ $# -gt 0 ]; do
    case "$1" in
        --install) install=1 ;;
        --generic-resource)
            if [ $# -lt 2 ] || [[ "$2" != ?*=?* ]]; then
                echo "setup-engine.sh: --generic-resource needs KIND=VALUE" >&2
                exit 2
            fi
            resources+=("$2"); shift ;;
        *) echo "usage: $0 [--install] [--generic-resource KIND=VALUE]..." >&2; exit 2 ;;
    esac
    shift
done
wanted=$(printf '%s\n' "${resources[@]+"${resources[@]}"}" | sed '/^$/d' | sort | paste -sd, -)

say() { echo "setup-engine.sh: $*"; }
unavailable() { echo "setup-engine.sh: no Docker engine: $*" >&2; exit 3; }
engine_answers() { docker info >/dev/null 2>&1; }
engine_labels() { docker info --format '{{range .Labels}}{{println .}}{{end}}' 2>/dev/null; }
dockerd_pid() { pidof dockerd || true; }

report() {
    say "engine ready: $(docker info --format 'Docker {{.ServerVersion}}, storage {{.Driver}}, cgroup v{{.CgroupVersion}}, swarm {{.Swarm.LocalNodeState}}')${wanted:+, generic resources $wanted}"
}

start_dockerd() {
    local flags=(--label "$OWNER_LABEL") resource started pid
    if [ -n "$wanted" ]; then
        flags+=(--label "$RESOURCES_LABEL_KEY=$wanted")
        for resource in "${resources[@]}"; do flags+=(--node-generic-resource "$resource"); done
    fi
    # A pid file left by a dockerd that is gone makes the next one refuse to start.
    [ -n "$(dockerd_pid)" ] || rm -f /var/run/docker.pid
    say "starting dockerd ${flags[*]} (log: $LOG)"
    echo "=== $(date -u '+%Y-%m-%dT%H:%M:%SZ') setup-engine.sh: dockerd ${flags[*]}" >>"$LOG"
    # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: Swarm tasks use the local image instead of first trying to
    # pull it (and service creation does not try to pin it to a registry digest). There is no registry
    # here: without it every task start sends a registry lookup out of the machine and waits for it to
    # fail. Moby's own integration tests run dockerd the same way.
    DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid -f dockerd "${flags[@]}" </dev/null >>"$LOG" 2>&1
    started=$SECONDS
    until engine_answers; do
        pid=$(dockerd_pid)
        if [ -z "$pid" ] && [ $((SECONDS - started)) -ge 2 ]; then
            tail -n 20 "$LOG" >&2
            echo "setup-engine.sh: dockerd exited while starting (log above, all of it in $LOG)" >&2
            exit 4
        fi
        if [ $((SECONDS - started)) -ge "$WAIT_SECONDS" ]; then
            tail -n 20 "$LOG" >&2
            echo "setup-engine.sh: dockerd did not answer within $WAIT_SECONDS s (log above, all of it in $LOG)" >&2
            exit 4
        fi
        sleep 1
    done
}

stop_own_dockerd() {
    local pid started
    pid=$(dockerd_pid)
    say "restarting the dockerd this script started (pid $pid) to advertise $wanted"
    kill -TERM "$pid"
    started=$SECONDS
    # dockerd gives running containers 15 s to stop before it exits.
    while kill -0 "$pid" 2>/dev/null; do
        if [ $((SECONDS - started)) -ge "$WAIT_SECONDS" ]; then
            echo "setup-engine.sh: dockerd (pid $pid) did not stop within $WAIT_SECONDS s" >&2
            exit 4
        fi
        sleep 1
    done
}

command -v docker >/dev/null || [ "$install" = 1 ] || unavailable "the docker command is missing (install Debian's docker.io, or run with --install as root)"

if engine_answers; then
    if [ -z "$wanted" ]; then
        report
        exit 0
    fi
    labels=$(engine_labels)
    if grep -qxF "$OWNER_LABEL" <<<"$labels"; then
        if grep -qxF "$RESOURCES_LABEL_KEY=$wanted" <<<"$labels"; then
            report
            exit 0
        fi
        [ "$(id -u)" -eq 0 ] || unavailable "restarting dockerd to advertise $wanted needs root"
        stop_own_dockerd
        start_dockerd
        report
        exit 0
    fi
    # Not ours: it may have them from its daemon.json; only a swarm node can tell.
    advertised=$(docker node inspect self --format '{{range .Description.Resources.GenericResources}}{{with .NamedResourceSpec}}{{.Kind}}={{.Value}}{{println}}{{end}}{{with .DiscreteResourceSpec}}{{.Kind}}={{.Value}}{{println}}{{end}}{{end}}' 2>/dev/null || true)
    for resource in "${resources[@]}"; do
        if ! grep -qxF "$resource" <<<"$advertised"; then
            echo "setup-engine.sh: the running engine was not started by this script and does not advertise $resource" \
                "(add it to \"node-generic-resources\" in its /etc/docker/daemon.json and restart it)" >&2
            exit 5
        fi
    done
    report
    exit 0
fi

[ "$(id -u)" -eq 0 ] || unavailable "no engine answers and only root can start dockerd"
if ! command -v dockerd >/dev/null; then
    [ "$install" = 1 ] || unavailable "dockerd is not installed (install Debian's docker.io, or run this with --install)"
    say "installing Debian's docker.io"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >/tmp/cascade-docker-install.log 2>&1; then
        tail -n 20 /tmp/cascade-docker-install.log >&2
        unavailable "apt-get could not install docker.io (log above, all of it in /tmp/cascade-docker-install.log)"
    fi
fi
if [ -n "$(dockerd_pid)" ]; then
    # A dockerd is still coming up (or another caller started one): wait for it, do not start a second.
    say "dockerd is running but not answering yet; waiting"
    started=$SECONDS
    until engine_answers; do
        [ $((SECONDS - started)) -lt "$WAIT_SECONDS" ] || { echo "setup-engine.sh: the running dockerd did not answer within $WAIT_SECONDS s" >&2; exit 4; }
        sleep 1
    done
    exec "$0" "${args[@]+"${args[@]}"}"
fi
start_dockerd
report
