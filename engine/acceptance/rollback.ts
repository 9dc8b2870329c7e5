import { docker, inspectService, type ServiceView } from "./docker";
import { done, notYet, secondsSince, waitFor } from "./wait";

// A broken release: `docker service update --env-add CASCADE_FAIL_ALL=1` makes every agent of the
// stand-in fail its health, so the update's new task never turns healthy, and the service's planned
// update config (failure_action: rollback) must bring the previous spec back. The rollback takes the
// planned rollback delay, a healthcheck and the monitor period (over a minute), so it is started
// early and runs while other tests do; `finish` waits for its end.

/** The whole wait, from the update to rollback_completed. */
const ROLLBACK_WAIT_MS = 180_000;
/**
 * The broken release fails its checks fast, so that the failure shows in seconds instead of after the
 * topology's start period plus five 10 s intervals. The rollback restores the whole previous spec,
 * these settings included.
 */
const FAST_FAILING_HEALTHCHECK = ["--health-interval", "2s", "--health-retries", "2", "--health-start-period", "0s", "--health-timeout", "2s"];
export const BROKEN_ENV = "CASCADE_FAIL_ALL=1";

export interface RollbackOutcome {
    readonly before: ServiceView;
    /** The last UpdateStatus.State seen (rollback_completed when it worked). */
    readonly state: string;
    readonly seconds: number;
}

export interface BrokenUpdate {
    finish(): Promise<RollbackOutcome>;
}

export async function startBrokenUpdate(service: string): Promise<BrokenUpdate> {
    const before = await inspectService(service);
    const started = performance.now();
    await docker(["service", "update", "--detach", "--env-add", BROKEN_ENV, ...FAST_FAILING_HEALTHCHECK, service]);
    const ended = waitFor(`${service} to roll back`, { timeoutMs: ROLLBACK_WAIT_MS, intervalMs: 2000 }, async () => {
        const state = (await inspectService(service)).UpdateStatus?.State ?? "no update status";
        // rollback_paused: the rollback itself failed, which is an end too.
        return state === "rollback_completed" || state === "rollback_paused" ? done(state) : notYet(state);
    }).then((state) => ({ before, state, seconds: secondsSince(started) }));
    // Observed now so that a failure while other tests run is not an unhandled rejection; reported by finish.
    const settled = ended.then((outcome) => ({ outcome }), (error: unknown) => ({ error }));
    return {
        finish: async () => {
            const result = await settled;
            if ("error" in result) {
                throw result.error;
            }
            return result.outcome;
        },
    };
}
