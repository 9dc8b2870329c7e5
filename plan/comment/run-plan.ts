import { spawn } from "child_process";
import { readPlanDocument } from "./document";
import type { Outcome } from "./markdown";

// Runs `npm run plan -- --stack S --json` in a checkout (the working tree, or the base revision's tree):
// each revision plans with its own program, the way an operator would, and only the JSON crosses over.
// Exit 0 and 1 both print the document (1: a mandatory policy failed); anything else is a failed plan
// and its stderr is the reason.

export function planStack(directory: string, stack: string, policyConfigFile?: string): Promise<Outcome> {
    const args = ["run", "--silent", "plan", "--", "--stack", stack, "--json", ...(policyConfigFile ? ["--policy-config", policyConfigFile] : [])];
    return new Promise((resolve) => {
        const child = spawn("npm", args, { cwd: directory, env: { ...process.env, NO_COLOR: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
        child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
        child.on("error", (error) => resolve({ error: `cannot run npm: ${error.message}` }));
        child.on("close", (status) => {
            if (status !== 0 && status !== 1) {
                resolve({ error: stderr.trim() || `npm run plan exited with status ${status}` });
                return;
            }
            try {
                resolve({ plan: readPlanDocument(stdout) });
            } catch (error) {
                resolve({ error: `npm run plan -- --stack ${stack} --json printed ${(error as Error).message}` });
            }
        });
    });
}
