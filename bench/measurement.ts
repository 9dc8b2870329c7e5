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
}

/** Times `work` (started after the imports of the calling module) and prints one JSON line. */
export function measure(work: () => Promise<{ components: number; customs: number }>): void {
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
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
