import { performance } from "perf_hooks";

// What one measurement process reports (bench/run.ts starts a fresh process per measurement, so that
// no module cache, JIT state or heap carries over from one to the next).

export interface Measurement {
    /** Milliseconds from process start to the end of the work (node, tsx and module loading included). */
    readonly wallMs: number;
    /** Milliseconds of the work alone, after the modules were loaded. */
    readonly workMs: number;
    /** Peak resident set size, in MB. */
    readonly peakRssMb: number;
    readonly components: number;
    readonly customs: number;
    /** The config file of the stack a plan referenced and planned first (its payload counts too). */
    readonly referencedFile?: string;
}

export type Counts = Pick<Measurement, "components" | "customs" | "referencedFile">;

/**
 * Times `work` (started after the imports of the calling module) and prints one JSON line; then runs
 * `afterwards` (outside the time: e.g. writing what the next measurement needs).
 */
export function measure(work: () => Promise<Counts>, afterwards?: () => void): void {
    const start = performance.now();
    work().then(
        (counts) => {
            const end = performance.now();
            const measurement: Measurement = {
                wallMs: Math.round(end),
                workMs: Math.round(end - start),
                peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
                ...counts,
            };
            process.stdout.write(`${JSON.stringify(measurement)}\n`);
            afterwards?.();
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
