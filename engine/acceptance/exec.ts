import { execFile } from "child_process";

// Runs a command with a time limit and returns its output. Every call the suite makes to Docker or
// npm goes through here, so no call can hang the suite: the limit kills the command and the error
// names it, with its stderr, which is what a reader of a failed run needs.

export interface ExecResult {
    readonly stdout: string;
    readonly stderr: string;
    /** The exit code; null when the command was killed. */
    readonly code: number | null;
}

export interface ExecOptions {
    /** Default 60 s. */
    readonly timeoutMs?: number;
    readonly env?: Readonly<Record<string, string>>;
    readonly cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs the command; a non-zero exit is returned, not thrown (callers that expect failures look at it). */
export function run(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
        execFile(command, [...args], {
            timeout,
            killSignal: "SIGKILL",
            maxBuffer: 64 * 1024 * 1024,
            cwd: options.cwd,
            env: options.env ? { ...process.env, ...options.env } : process.env,
        }, (error, stdout, stderr) => {
            if (error && error.killed) {
                reject(new Error(`${describe(command, args)} did not finish within ${timeout / 1000} s and was killed\n${stderr}`));
                return;
            }
            if (error && typeof error.code !== "number") {
                reject(new Error(`${describe(command, args)} could not be run: ${error.message}`));
                return;
            }
            resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : null) : 0 });
        });
    });
}

/** Runs the command and returns its stdout; throws with its stderr when it exits non-zero. */
export async function check(command: string, args: readonly string[], options: ExecOptions = {}): Promise<string> {
    const result = await run(command, args, options);
    if (result.code !== 0) {
        throw new Error(`${describe(command, args)} exited ${String(result.code)}:\n${(result.stderr || result.stdout).trim()}`);
    }
    return result.stdout;
}

/** The command as a reader would type it, shortened: long arguments (manifests) are elided. */
function describe(command: string, args: readonly string[]): string {
    return [command, ...args.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a))].join(" ");
}
