import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import { UsageError } from "./usage";

// The base revision as a directory of its own, so that its plan runs its own program: `git archive`
// of the commit (no checkout, no worktree: the repository is left as it was). Its dependencies are
// the working tree's when both lock files are the same, else the base's own from `npm ci`.

export interface BaseTree {
    readonly directory: string;
    /** e.g. "HEAD^1 (5d6e7f8)". */
    readonly label: string;
    remove(): void;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

function resolveCommit(ref: string): string {
    try {
        return git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    } catch {
        throw new UsageError(`--base-ref ${ref}: not a commit in this repository (fetch it first, e.g. git fetch origin main, and pass origin/main)`);
    }
}

/** What was planned as the head: the commit, and whether the working tree differs from it. */
export function headLabel(): string {
    try {
        const commit = git("rev-parse", "--short", "HEAD");
        return git("status", "--porcelain", "--untracked-files=no") === "" ? `HEAD (${commit})` : `the working tree of HEAD (${commit}) with uncommitted changes`;
    } catch {
        return "the working tree (not a git repository)";
    }
}

export function checkoutBase(ref: string): BaseTree {
    const commit = resolveCommit(ref);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-plan-base-"));
    const remove = () => fs.rmSync(directory, { recursive: true, force: true });
    try {
        const archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: PROJECT_ROOT, maxBuffer: 1024 ** 3 });
        execFileSync("tar", ["-x", "-C", directory], { input: archive });
        const lock = (root: string) => fs.readFileSync(path.join(root, "package-lock.json"), "utf8");
        if (fs.existsSync(path.join(directory, "package-lock.json")) && lock(directory) === lock(PROJECT_ROOT)) {
            fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(directory, "node_modules"), "dir");
        } else {
            process.stderr.write(`The base ${ref} locks other dependencies: npm ci in its copy\n`);
            // Its output goes to stderr: stdout carries only the comment.
            const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: directory, stdio: ["ignore", 2, 2] });
            if (install.status !== 0) {
                throw new Error(`npm ci of the base ${ref} failed (status ${install.status})`);
            }
        }
    } catch (error) {
        remove();
        throw error;
    }
    return { directory, label: `${ref} (${commit.slice(0, 7)})`, remove };
}
