#!/usr/bin/env bash
# run-acceptance.sh: `npm run test:engine`, the acceptance suite on a real Docker engine (issue 5).
#
# 1. engine/setup-engine.sh makes an engine usable (installing Debian's docker.io when CI=true), with
#    the node advertising one GPU as a MainPC node would (gpu=GPU-fake0, the stack's default kind);
# 2. engine/images/build.sh builds the stand-in images (no registry);
# 3. mocha runs engine/acceptance/ (its root hook renders both stacks with `npm run plan -- --render`
#    and deploys them with the rendered deploy.sh; the tests assert against the engine; its after hook
#    removes everything the run created).
# A trap runs the same cleanup when mocha did not get to it (killed by the time limit, interrupted).
#
# Exit: 0 passed, or SKIPPED (printed, with the reason) when no engine can be had on this machine;
# non-zero when a test failed, the engine could not be started, or the cleanup left something behind.
# CASCADE_ACCEPTANCE_TIMEOUT (seconds, default 600) bounds the mocha run as a whole.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
TIME_LIMIT=${CASCADE_ACCEPTANCE_TIMEOUT:-600}
WORK=.engine-work
STATE=$WORK/state.json

say() { echo "run-acceptance.sh: $*"; }
# shellcheck disable=SC2317  # called from finish, which the EXIT trap runs
elapsed() { echo "$((SECONDS - started)) s"; }

skip() {
    echo
    echo "SKIPPED: the engine acceptance suite did not run: $*"
    echo "(nothing was deployed or checked; this is not a pass)"
    exit 0
}

# The node's GPU, as MainPC advertises its RTX 4090 (README, "GPU on MainPC").
setup_args=(--generic-resource gpu=GPU-fake0)
[ "${CI:-}" = true ] && setup_args+=(--install)
# run_step SCRIPT ARGS...: runs it with its stderr shown and kept, so that a skip can give its reason.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
run_step() {
    status=0
    bash "$@" 2>"$errors" || status=$?
    cat "$errors" >&2
}
last_error() { tail -n 1 "$errors" | sed 's/^[a-z-]*\.sh: //'; }

run_step engine/setup-engine.sh "${setup_args[@]}"
case $status in
    0) ;;
    3) skip "$(last_error) (setup-engine.sh exit 3)" ;;
    *) say "setup-engine.sh failed (exit $status)"; exit "$status" ;;
esac

# The standalone containers are applied with Debian's docker-compose, as the rendered deploy.sh does.
if ! command -v docker-compose >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        skip "docker-compose is not installed and only root can install it (apt-get install docker-compose)"
    fi
    say "installing Debian's docker-compose"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >/tmp/cascade-compose-install.log 2>&1; then
        tail -n 20 /tmp/cascade-compose-install.log >&2
        say "apt-get could not install docker-compose"; exit 1
    fi
fi

run_step engine/images/build.sh
case $status in
    0) ;;
    3) skip "the stand-in images cannot be built here: $(last_error) (build.sh exit 3)" ;;
    *) say "build.sh failed (exit $status)"; exit "$status" ;;
esac

# shellcheck disable=SC2317  # run by the EXIT trap
finish() {
    local code=$?
    trap - EXIT INT TERM
    rm -f "$errors"
    if [ -f "$STATE" ]; then
        say "cleaning up what the run left"
        node_modules/.bin/tsx engine/acceptance/cleanup-cli.ts || code=1
    fi
    # The work directory (configs, rendered files, secrets, logs) is kept after a failure, for reading.
    if [ "$code" -eq 0 ]; then
        rm -rf "$WORK"
    else
        say "the run's files and logs are in $WORK/"
    fi
    echo
    echo "Engine acceptance suite: $([ "$code" -eq 0 ] && echo PASSED || echo FAILED) in $(elapsed)"
    exit "$code"
}
trap finish EXIT

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
