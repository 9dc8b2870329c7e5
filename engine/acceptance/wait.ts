import { setTimeout as sleep } from "timers/promises";

// Bounded waiting: every wait of the suite polls through here, with a deadline, and fails with what it
// was waiting for and the last state it saw, so a run never hangs and a failure says where it stuck.

export interface WaitOptions {
    readonly timeoutMs: number;
    /** Default 1 s. */
    readonly intervalMs?: number;
}

/** What a probe reports: done with a value, or not yet, with the state seen (for the error). */
export type Probe<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly state: string };

export const done = <T>(value: T): Probe<T> => ({ done: true, value });
export const notYet = (state: string): Probe<never> => ({ done: false, state });

export async function waitFor<T>(what: string, options: WaitOptions, probe: () => Promise<Probe<T>>): Promise<T> {
    const started = Date.now();
    let last = "not checked yet";
    for (;;) {
        const result = await probe();
        if (result.done) {
            return result.value;
        }
        last = result.state;
        if (Date.now() - started >= options.timeoutMs) {
            throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${what}; last seen: ${last}`);
        }
        await sleep(options.intervalMs ?? 1000);
    }
}

/** Seconds since a start time from performance.now(), for the timings the suite prints. */
export function secondsSince(start: number): number {
    return (performance.now() - start) / 1000;
}
