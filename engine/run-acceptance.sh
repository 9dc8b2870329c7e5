#!/usr/bin/env bash
# run-acceptance.sh: `npm run test:engine`, the acceptance suite on a real two-node Docker Swarm.
#
# 1. engine/engines.sh starts two dockerd, MainPC (the manager, advertising gpu=GPU-fake0) and PC2
#    (a worker, gpu=GPU-fake1), each in a network namespace of its own, and forms the swarm
#    (installing Debian's docker.io when CI=true);
# 2. engine/images/build.sh builds the stand-in and monitoring images on MainPC's engine (no registry), and
#    `docker save | docker load` copies them to PC2's;
# 3. mocha runs engine/acceptance/ (its root hook renders both stacks with `npm run plan -- --render`
#    and deploys them with the rendered deploy.sh: mainpc, then pc2, through the manager).
# The EXIT trap stops both engines by the PIDs engines.sh recorded and deletes their namespaces and
# data, however the run ends; a run killed outright leaves them for the next run's first step.
#
# Exit: 0 passed, or SKIPPED (printed, with the reason) when engines cannot be had on this machine;
# non-zero when a test failed or an engine could not be started.
# CASCADE_ACCEPTANCE_TIMEOUT (seconds, default 900) bounds the mocha run as a whole.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
TIME_LIMIT=${CASCADE_ACCEPTANCE_TIMEOUT:-900}
WORK=.engine-work

say() { echo "run-acceptance.sh: $*"; }
# shellcheck disable=SC2317  # called from finish, which the EXIT trap runs
elapsed() { echo "$((SECONDS - started)) s"; }

skip() {
    echo
    echo "SKIPPED: the engine acceptance suite did not run: $*"
    echo "(nothing was deployed or checked; this is not a pass)"
    exit 0
}

errors=$(mktemp)
# run_step SCRIPT ARGS...: runs it with its stderr shown and kept, so that a skip can give its reason.
run_step() {
    status=0
    bash "$@" 2>"$errors" || status=$?
    cat "$errors" >&2
}
last_error() { tail -n 1 "$errors" | sed 's/^[a-z-]*\.sh: //'; }

# shellcheck disable=SC2317  # run by the EXIT trap
finish() {
    local code=$?
    trap - EXIT INT TERM
    rm -f "$errors"
    bash engine/engines.sh down || code=1
    # The work directory (configs, rendered files, secrets, logs) is kept after a failure, for reading.
    if [ "$code" -eq 0 ]; then
        rm -rf "$WORK"
    else
        say "the run's files and logs are in $WORK/ (the engines' logs in /tmp/cas-docker-*.log)"
    fi
    echo
    echo "Engine acceptance suite: $([ "$code" -eq 0 ] && echo PASSED || echo FAILED) in $(elapsed)"
    exit "$code"
}

if [ "$(id -u)" -ne 0 ]; then
    rm -f "$errors"
    skip "only root can create network namespaces and start dockerd"
fi
# What a run killed outright left behind (engines.sh knows its PIDs); nothing when there is none.
bash engine/engines.sh down >/dev/null
trap finish EXIT
# An interrupt before mocha starts still ends through finish (bash runs no EXIT trap on a fatal signal).
trap 'exit 130' INT
trap 'exit 143' TERM

run_step engine/engines.sh up
case $status in
    0) ;;
    3) trap - EXIT; rm -f "$errors"; skip "$(last_error) (engines.sh exit 3)" ;;
    *) say "engines.sh failed (exit $status)"; exit "$status" ;;
esac
set -a
# shellcheck source=/dev/null
. /run/cas-engines/env
set +a
# Every docker command of the suite (and of the deploy scripts) goes to the manager unless it names
# another engine: never the machine's default engine.
export DOCKER_HOST=$CASCADE_ENGINE_MAINPC

# The standalone containers are applied with Debian's docker-compose, as the rendered deploy.sh does.
if ! command -v docker-compose >/dev/null; then
    say "installing Debian's docker-compose"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/tmp/cascade-compose-install.log 2>&1; then
        tail -n 20 /tmp/cascade-compose-install.log >&2
        say "apt-get could not install docker-compose"; exit 1
    fi
fi

run_step engine/images/build.sh standin redis prometheus blackbox node-exporter
case $status in
    0) ;;
    3) skip "the stand-in images cannot be built here: $(last_error) (build.sh exit 3)" ;;
    *) say "build.sh failed (exit $status)"; exit "$status" ;;
esac
# No registry: PC2's engine gets the images the way an operator without one copies them (of the
# monitoring images, PC2 runs only its node exporter).
docker save cascade-standin:local cascade-redis:local cascade-node-exporter:local | docker -H "$CASCADE_ENGINE_PC2" load >/dev/null
say "images loaded into PC2's engine"

# timeout runs mocha in a process group of its own, with the deploy scripts mocha starts; at the limit
# it stops all of them. An interrupt of this script is passed on to that group as SIGTERM (a command
# started with & ignores SIGINT), and the cleanup waits until it has stopped, so that no deploy script
# creates anything after the cleanup.
timeout --kill-after=10 "$TIME_LIMIT" node_modules/.bin/mocha --config engine/acceptance/mocharc.json &
suite=$!
interrupted=0
trap 'interrupted=130; kill -s TERM "$suite" 2>/dev/null' INT
trap 'interrupted=143; kill -s TERM "$suite" 2>/dev/null' TERM
status=0
# wait returns early when a trapped signal arrives; wait again until the suite has really stopped.
until wait "$suite"; do
    status=$?
    kill -0 "$suite" 2>/dev/null || break
done
[ "$status" -ne 124 ] || say "mocha did not finish within $TIME_LIMIT s and was stopped"
[ "$interrupted" -eq 0 ] || status=$interrupted
exit "$status"
