import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import { run } from "./exec";
import { readRendered, type PlannedJson, type Rendered } from "./rendered";

// Renders a stack as an operator does: `npm run plan -- --stack S --config FILE --render DIR`, with
// `--json`: the planned resources as Pulumi would receive them, which the engine's specs are compared
// with (engine-spec.ts). The plan must pass (exit 0: no mandatory policy fails); its report goes to a
// log file next to DIR, its JSON to DIR.plan.json.

const PLAN_TIMEOUT_MS = 180_000;

export async function renderStack(stack: string, configFile: string, dir: string): Promise<Rendered> {
    fs.rmSync(dir, { recursive: true, force: true });
    const args = ["run", "--silent", "plan", "--", "--stack", stack, "--config", path.relative(PROJECT_ROOT, configFile), "--render", path.relative(PROJECT_ROOT, dir), "--json"];
    const result = await run("npm", args, { cwd: PROJECT_ROOT, timeoutMs: PLAN_TIMEOUT_MS });
    const log = `${dir}.plan.log`;
    // The plan writes DIR only when it renders: a plan that fails must still leave its log.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(log, `$ npm ${args.join(" ")}\n${result.stderr}`);
    fs.writeFileSync(`${dir}.plan.json`, result.stdout);
    if (result.code !== 0) {
        const tail = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-15).join("\n");
        throw new Error(`npm run plan for ${stack} exited ${String(result.code)} (all of it in ${log}):\n${tail}`);
    }
    return { ...readRendered(dir), plan: JSON.parse(result.stdout) as PlannedJson };
}
