#!/usr/bin/env bash
# engines.sh: a two-node Docker Swarm on this one machine, for the engine acceptance suite: MainPC as
# the manager advertising its GPU, PC2 as a worker advertising its own, each dockerd in a network
# namespace of its own, joined by a veth pair, as two machines on a LAN are.
#
#   engine/engines.sh up [--install]    start both engines and form the swarm; prints the environment
#                                       the suite reads (CASCADE_ENGINE_*=...), also kept in $STATE
#   engine/engines.sh down              stop the engines this script started (by the PIDs it recorded),
#                                       remove their namespaces, veth and data; safe to run twice
#   engine/engines.sh stop pc2          kill PC2's dockerd (by its recorded PID): the machine going down
#   engine/engines.sh start pc2         start it again on the same data: the machine coming back
#
# Each dockerd runs as `unshare --mount --uts` (its own mounts and host name) then `nsenter --net` into
# its namespace: `ip netns exec dockerd` fails with "Devices cgroup isn't mounted", because it
# remounts /sys. Inside its namespace /etc/resolv.conf is bind-mounted to one naming 127.0.0.1, so
# that no lookup leaves the machine. Everything lives under names of its own (cas-*), never the
# default /var/run/docker.sock engine, and only PIDs recorded here are ever signalled.
#
# Exit: 0 done; 2 bad arguments; 3 engines cannot be had here (not root, no dockerd and no install,
# no network namespaces): report a skip; 4 an engine did not come up (its log tail is printed).
set -euo pipefail

STATE_DIR=${CASCADE_ENGINES_DIR:-/run/cas-engines}
STATE=$STATE_DIR/env
WAIT_SECONDS=${CASCADE_ENGINE_WAIT:-60}
# One line per machine: name, namespace, veth, address, generic resource. The GPUs are fake ids: the
# node advertises them, Swarm hands them to the task in DOCKER_RESOURCE_GPU; no runtime reads them.
MACHINES=(
    "mainpc cas-mainpc cas-v1 10.250.0.1 gpu=GPU-fake0"
    "pc2 cas-pc2 cas-v2 10.250.0.2 gpu=GPU-fake1"
)

say() { echo "engines.sh: $*"; }
unavailable() { echo "engines.sh: no engines: $*" >&2; exit 3; }
socket_of() { echo "unix:///run/cas-docker-$1.sock"; }
pidfile_of() { echo "$STATE_DIR/$1.pid"; }
log_of() { echo "/tmp/cas-docker-$1.log"; }  # kept after down, for reading
data_of() { echo "/var/lib/cas-docker-$1"; }

machine() { # name -> sets m_name m_ns m_veth m_ip m_resource
    local line
    for line in "${MACHINES[@]}"; do
        read -r m_name m_ns m_veth m_ip m_resource <<<"$line"
        [ "$m_name" = "$1" ] && return 0
    done
    echo "engines.sh: unknown machine $1" >&2; exit 2
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_engine() { # name
    machine "$1"
    local pidfile log started
    pidfile=$(pidfile_of "$m_name"); log=$(log_of "$m_name")
    if alive "$pidfile"; then
        say "$m_name's dockerd already runs (pid $(cat "$pidfile"))"; return 0
    fi
    echo '{}' >"$STATE_DIR/daemon.json"
    echo "=== $(date -u '+%Y-%m-%dT%H:%M:%SZ') start" >>"$log"
    # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: Swarm tasks use the local image instead of first trying a
    # registry (there is none); moby's own integration tests run dockerd the same way.
    # dockerd writes its own PID to --pidfile: that is the PID `down` and `stop` signal.
    DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid -f unshare --mount --uts --propagation slave sh -c \
        "mount --bind /etc/netns/$m_ns/resolv.conf /etc/resolv.conf && hostname $m_name && \
         exec nsenter --net=/run/netns/$m_ns dockerd --data-root $(data_of "$m_name") --exec-root /run/cas-docker-$m_name \
         --pidfile $pidfile -H $(socket_of "$m_name") --cgroup-parent /cas-docker-$m_name --config-file $STATE_DIR/daemon.json \
         --node-generic-resource $m_resource --label cascade.acceptance-engine=$m_name" </dev/null >>"$log" 2>&1
    started=$SECONDS
    until docker -H "$(socket_of "$m_name")" info >/dev/null 2>&1; do
        if [ $((SECONDS - started)) -ge "$WAIT_SECONDS" ]; then
            tail -n 20 "$log" >&2
            echo "engines.sh: $m_name's dockerd did not answer within $WAIT_SECONDS s (its log: $log)" >&2; exit 4
        fi
        sleep 0.5
    done
    say "$m_name: dockerd pid $(cat "$pidfile") on $(socket_of "$m_name"), $m_ip, advertising $m_resource"
}

stop_engine() { # name
    machine "$1"
    local pidfile pid started
    pidfile=$(pidfile_of "$m_name")
    alive "$pidfile" || { rm -f "$pidfile"; return 0; }
    pid=$(cat "$pidfile")
    kill -"${2:-TERM}" "$pid"
    started=$SECONDS
    while kill -0 "$pid" 2>/dev/null; do
        if [ $((SECONDS - started)) -ge 30 ]; then kill -KILL "$pid" 2>/dev/null || true; fi
        sleep 0.2
    done
    rm -f "$pidfile"
    say "$m_name: dockerd (pid $pid) stopped"
}

network_up() {
    local line
    for line in "${MACHINES[@]}"; do
        read -r m_name m_ns m_veth m_ip m_resource <<<"$line"
        ip netns list | grep -qw "$m_ns" || ip netns add "$m_ns"
        mkdir -p "/etc/netns/$m_ns"
        echo "nameserver 127.0.0.1" >"/etc/netns/$m_ns/resolv.conf"
        ip -n "$m_ns" link set lo up
    done
    if ! ip -n cas-mainpc link show cas-v1 >/dev/null 2>&1; then
        ip link add cas-v1 netns cas-mainpc type veth peer name cas-v2 netns cas-pc2
        ip -n cas-mainpc addr add 10.250.0.1/24 dev cas-v1
        ip -n cas-pc2 addr add 10.250.0.2/24 dev cas-v2
    fi
    ip -n cas-mainpc link set cas-v1 up
    ip -n cas-pc2 link set cas-v2 up
}

write_env() {
    {
        echo "CASCADE_ENGINE_MAINPC=$(socket_of mainpc)"
        echo "CASCADE_ENGINE_PC2=$(socket_of pc2)"
        echo "CASCADE_NETNS_MAINPC=cas-mainpc"
        echo "CASCADE_NETNS_PC2=cas-pc2"
    } >"$STATE"
}

up() {
    local install=$1
    [ "$(id -u)" -eq 0 ] || unavailable "only root can create network namespaces and start dockerd"
    if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
        [ "$install" = 1 ] || unavailable "dockerd is not installed (apt-get install docker.io, or run with --install)"
        say "installing Debian's docker.io"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >/tmp/cas-docker-install.log 2>&1 ||
            { tail -n 20 /tmp/cas-docker-install.log >&2; unavailable "apt-get could not install docker.io"; }
    fi
    command -v unshare >/dev/null && command -v nsenter >/dev/null || unavailable "util-linux's unshare and nsenter are missing"
    mkdir -p "$STATE_DIR"
    ip netns add cas-probe 2>/dev/null && ip netns delete cas-probe || unavailable "this kernel or sandbox cannot create network namespaces"
    network_up
    start_engine mainpc
    start_engine pc2
    local manager worker
    manager=$(socket_of mainpc); worker=$(socket_of pc2)
    if [ "$(docker -H "$manager" info -f '{{.Swarm.LocalNodeState}}')" = inactive ]; then
        docker -H "$manager" swarm init --advertise-addr 10.250.0.1 --listen-addr 10.250.0.1:2377 --data-path-addr 10.250.0.1 >/dev/null
    fi
    if [ "$(docker -H "$worker" info -f '{{.Swarm.LocalNodeState}}')" = inactive ]; then
        docker -H "$worker" swarm join --token "$(docker -H "$manager" swarm join-token -q worker)" \
            --advertise-addr 10.250.0.2 --listen-addr 10.250.0.2:2377 --data-path-addr 10.250.0.2 10.250.0.1:2377 >/dev/null
    fi
    write_env
    say "swarm: $(docker -H "$manager" node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}' | paste -sd, -)"
    cat "$STATE"
}

down() {
    local line
    for line in "${MACHINES[@]}"; do
        read -r m_name m_ns m_veth m_ip m_resource <<<"$line"
        stop_engine "$m_name"
    done
    for line in "${MACHINES[@]}"; do
        read -r m_name m_ns m_veth m_ip m_resource <<<"$line"
        ip netns list | grep -qw "$m_ns" && ip netns delete "$m_ns"
        rm -rf "/etc/netns/$m_ns" "$(data_of "$m_name")" "/run/cas-docker-$m_name"
        rm -f "$(socket_of "$m_name" | sed 's|^unix://||')"
    done
    rm -rf "$STATE_DIR"
    say "engines down, namespaces and data removed"
}

case "${1:-}" in
    up) install=0; [ "${CI:-}" = true ] && install=1; [ "${2:-}" = --install ] && install=1; up "$install" ;;
    down) down ;;
    stop) [ -n "${2:-}" ] || exit 2; stop_engine "$2" TERM ;;
    start) [ -n "${2:-}" ] || exit 2; start_engine "$2" ;;
    *) echo "usage: $0 up [--install] | down | stop MACHINE | start MACHINE" >&2; exit 2 ;;
esac
