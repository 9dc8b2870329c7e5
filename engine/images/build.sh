#!/usr/bin/env bash
# build.sh: builds the local images the engine acceptance suite deploys, without any image registry.
#
#   engine/images/build.sh [standin] [redis] [prometheus] [blackbox] [node-exporter]
#                                                 (no argument: standin and redis)
#
#   cascade-standin:local  plays any Cascade group (standin/cascade-standin says how): busybox from
#                          Debian's busybox-static, the supervisor, its manifest reader and a curl shim.
#   cascade-redis:local    a real Redis: redis-server and redis-cli from Debian's redis-tools with the
#                          shared libraries they load, plus busybox for the sh, cat and grep that the
#                          program's Redis command and healthcheck use.
#   cascade-prometheus:local, cascade-blackbox-exporter:local, cascade-node-exporter:local
#                          the monitoring services from Debian's prometheus, prometheus-blackbox-exporter
#                          and prometheus-node-exporter, with the official images' entrypoints, plus
#                          busybox for the wget of their healthchecks (through monitoring/wget, a shim
#                          for its -T, run by Debian's dash as /bin/sh). They run as root (the import
#                          fixes every owner to 0), unlike the official images.
#
# Each image is a root filesystem packed into a reproducible tar (sorted names, fixed owners and
# times) and loaded with `docker import`: no Dockerfile, no base image, nothing pulled. The tar's
# sha256 is kept in the image label cascade.rootfs-sha256, so a re-run that would produce the same
# bytes keeps the existing image, and any change (a script here, an upgraded Debian package or
# library) rebuilds it. Names can be changed with CASCADE_STANDIN_IMAGE and CASCADE_REDIS_IMAGE.
#
# Needs a running engine (DOCKER_HOST; engine/engines.sh starts the suite's) and the Debian packages busybox-static and
# redis-tools, which it installs with apt-get when it runs as root. Neither package starts a
# service: redis-tools carries the server binary (Debian's redis-server package only adds the
# system service around it).
#
# Exit: 0 built or up to date; 1 a build failed; 3 this machine cannot build them (no engine, or the
# packages are missing and this is not root), so that a caller can report a skip.
set -euo pipefail
# The rootfs's directory modes come from mkdir: fix the umask so that they, and so the hash, do not
# depend on the caller's.
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STANDIN_IMAGE=${CASCADE_STANDIN_IMAGE:-cascade-standin:local}
REDIS_IMAGE=${CASCADE_REDIS_IMAGE:-cascade-redis:local}
HASH_LABEL=cascade.rootfs-sha256
PATH_ENV=PATH=/usr/local/bin:/usr/bin:/bin

log() { echo "build.sh: $*"; }
cannot() { echo "build.sh: $*" >&2; exit 3; }

require_engine() {
    docker info >/dev/null 2>&1 || cannot "no Docker engine answers; run engine/engines.sh up first and set DOCKER_HOST"
}

require_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    [ "$(id -u)" -eq 0 ] || cannot "Debian packages ${missing[*]} are needed and only root can install them"
    log "installing ${missing[*]}"
    # The package lists may be missing or stale on a fresh machine: update them before installing.
    # apt's chatter is kept out of the suite's output unless it fails.
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
        >"$WORK/apt.log" 2>&1; then
        cat "$WORK/apt.log" >&2
        cannot "apt-get could not install ${missing[*]}"
    fi
}

# A root filesystem with busybox and a link for each of its applets: the shell, coreutils, awk, grep,
# httpd, wget, nc and nslookup that the images and the suite's `docker exec` checks use.
busybox_rootfs() {
    local root=$1
    mkdir -p "$root"/{bin,etc,root,run,tmp,usr/bin,usr/local/bin,usr/lib}
    chmod 1777 "$root/tmp"
    install -m 0755 /bin/busybox "$root/bin/busybox"
    # Run inside the rootfs so that the links point at /bin/busybox there (outside, busybox would
    # link to the path it was started from), and in one process: a fork per applet costs seconds here.
    chroot "$root" /bin/busybox --install -s /bin
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

standin_rootfs() {
    local root=$1
    busybox_rootfs "$root"
    install -m 0755 "$HERE/standin/cascade-standin" "$root/usr/local/bin/cascade-standin"
    install -m 0755 "$HERE/standin/curl" "$root/usr/bin/curl"
    install -D -m 0644 "$HERE/standin/manifest.awk" "$root/usr/lib/cascade/manifest.awk"
}

# copy_libraries ROOT BINARY...: every library the binaries load, at the same path (the dynamic loader
# included). A static binary (ldd says so and exits 1) needs none.
copy_libraries() {
    local root=$1 library
    shift
    for library in $({ ldd "$@" || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
        install -D -m 0755 "$(readlink -f "$library")" "$root$library"
    done
}

redis_rootfs() {
    local root=$1
    busybox_rootfs "$root"
    # Debian ships one Redis binary that acts by the name it is started under; as redis-server it serves.
    install -m 0755 /usr/bin/redis-check-rdb "$root/usr/bin/redis-server"
    install -m 0755 /usr/bin/redis-cli "$root/usr/bin/redis-cli"
    copy_libraries "$root" /usr/bin/redis-check-rdb /usr/bin/redis-cli
    mkdir -p "$root/data"
}

# monitoring_rootfs ROOT DEBIAN_BINARY IMAGE_BINARY: one exporter or Prometheus at the path the
# official image has it, so the program's arguments (it sets only the command) work unchanged.
monitoring_rootfs() {
    local root=$1 binary=$2 target=$3
    busybox_rootfs "$root"
    # The healthchecks' `wget -T` through a shim (monitoring/wget), and run by dash: busybox-static's
    # standalone shell runs its own applets ahead of PATH (through /proc/self/exe), shim or not.
    install -m 0755 "$HERE/monitoring/wget" "$root/usr/local/bin/wget"
    install -m 0755 /bin/dash "$root/bin/dash"
    ln -sf dash "$root/bin/sh"
    install -D -m 0755 "$binary" "$root$target"
    copy_libraries "$root" "$binary" /bin/dash
    mkdir -p "$root/prometheus" "$root/etc/prometheus" "$root/etc/blackbox_exporter"
}

# import_image IMAGE ROOTFS CHANGE...: imports the rootfs unless the image already holds the same bytes.
import_image() {
    local image=$1 root=$2 tarball hash current old started change
    shift 2
    started=$(date +%s.%N)
    tarball="$WORK/$(echo "$image" | tr '/:' '__').tar"
    tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$tarball" .
    hash=$(sha256sum "$tarball" | cut -d' ' -f1)
    current=$(docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$image" 2>/dev/null || true)
    if [ "$current" = "$hash" ]; then
        log "$image is up to date (rootfs $hash)"
        return
    fi
    local changes=(--change "LABEL $HASH_LABEL=$hash" --change "ENV $PATH_ENV")
    for change in "$@"; do changes+=(--change "$change"); done
    docker import "${changes[@]}" "$tarball" "$image" >/dev/null
    # The previous build is now untagged: drop it, and any earlier one that a container kept alive
    # then, unless a container still uses it.
    for old in $(docker image ls -q --no-trunc --filter dangling=true --filter label="$HASH_LABEL"); do
        docker image rm "$old" >/dev/null 2>&1 || log "kept an earlier build ($old): a container still uses it"
    done
    log "built $image in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s," \
        "$(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.1f MB", $1 / 1e6 }') (rootfs $hash)"
}

build_standin() {
    require_packages busybox-static
    standin_rootfs "$WORK/standin"
    import_image "$STANDIN_IMAGE" "$WORK/standin" \
        'LABEL org.opencontainers.image.description="Cascade group stand-in (engine acceptance suite)"' \
        'CMD ["/usr/local/bin/cascade-standin"]'
}

build_redis() {
    require_packages busybox-static redis-tools
    redis_rootfs "$WORK/redis"
    import_image "$REDIS_IMAGE" "$WORK/redis" \
        'LABEL org.opencontainers.image.description="Redis from Debian redis-tools (engine acceptance suite)"' \
        'WORKDIR /data' 'EXPOSE 6379' 'CMD ["redis-server"]'
    # A copied binary that misses a library fails only when run: prove it runs before anyone deploys it.
    docker run --rm --network none "$REDIS_IMAGE" redis-server --version >/dev/null \
        || { echo "build.sh: $REDIS_IMAGE does not run redis-server" >&2; exit 1; }
}

# build_monitoring NAME PACKAGE DEBIAN_BINARY IMAGE_BINARY PORT: a monitoring stand-in, proven to start.
build_monitoring() {
    local name=$1 package=$2 binary=$3 target=$4 port=$5 image
    image=$(monitoring_image "$name")
    require_packages busybox-static dash "$package"
    monitoring_rootfs "$WORK/$name" "$binary" "$target"
    import_image "$image" "$WORK/$name" \
        "LABEL org.opencontainers.image.description=\"$name from Debian $package (engine acceptance suite)\"" \
        "ENTRYPOINT [\"$target\"]" "EXPOSE $port"
    docker run --rm --network none "$image" --version >/dev/null 2>&1 \
        || { echo "build.sh: $image does not run $target" >&2; exit 1; }
    # The healthcheck's wget, through the shell as Docker runs it, must fail as wget does on a closed
    # port (1), not crash (139).
    local status=0
    docker run --rm --network none --entrypoint /bin/sh "$image" -c 'wget -q -T 2 -O /dev/null http://127.0.0.1:1/' 2>/dev/null || status=$?
    [ "$status" -eq 1 ] || { echo "build.sh: $image: wget -T on a closed port exited $status, not 1" >&2; exit 1; }
}

monitoring_image() { echo "cascade-$1:local"; }

build_prometheus() { build_monitoring prometheus prometheus /usr/bin/prometheus /bin/prometheus 9090; }
build_blackbox() { build_monitoring blackbox-exporter prometheus-blackbox-exporter /usr/bin/prometheus-blackbox-exporter /bin/blackbox_exporter 9115; }
build_node-exporter() { build_monitoring node-exporter prometheus-node-exporter /usr/bin/prometheus-node-exporter /bin/node_exporter 9100; }

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(standin redis)
for target in "${targets[@]}"; do
    case "$target" in
        standin | redis | prometheus | blackbox | node-exporter) ;;
        *) echo "usage: $0 [standin] [redis] [prometheus] [blackbox] [node-exporter]" >&2; exit 1 ;;
    esac
done

require_engine
WORK=$(mktemp -d /tmp/cascade-images.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for target in "${targets[@]}"; do
    "build_$target"
done
