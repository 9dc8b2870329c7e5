import { parseArgs } from "util";
import { assemblePlan, type Plan } from "../plan/assemble";
import { textReport } from "../plan/report";
import { measure } from "./measurement";
import { writePayload } from "./payload";

// Child process: the full offline plan of one stack, as `npm run plan` runs it (config, model, the
// program under mocks, the policies, the text report); then, outside the time, its captured resources
// into the payload file for the payload floor.
// Usage: measure-plan.ts --stack S [--config FILE] --payload FILE

const { values } = parseArgs({ options: { stack: { type: "string" }, config: { type: "string" }, payload: { type: "string" } }, strict: true });
const { stack, config: configFile, payload } = values;
if (!stack || !payload) {
    throw new Error("measure-plan.ts needs --stack S and --payload FILE");
}

let plan: Plan | undefined;
measure(async () => {
    plan = await assemblePlan({ stack, configFile });
    // Built, not printed: the terminal's speed is not the plan's.
    textReport(plan);
    // A stack that references another plans that one first: its resources count too.
    const resources = plan.capture.resources.length + (plan.referenced?.resources ?? 0);
    const customs = plan.capture.resources.filter((r) => r.custom).length + (plan.referenced?.customResources ?? 0);
    return { components: resources - customs, customs, referencedFile: plan.referenced?.file };
}, () => writePayload(payload, plan?.capture.resources ?? []));
