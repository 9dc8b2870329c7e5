import { assemblePlan } from "../plan/assemble";
import { textReport } from "../plan/report";
import { measure } from "./measurement";

// Child process: the full offline plan of one stack, as `npm run plan` runs it (config, model, the
// program under mocks, the policies, the text report). Usage: measure-plan.ts <stack> [config file]

const [stack, configFile] = process.argv.slice(2);

measure(async () => {
    const plan = await assemblePlan({ stack, configFile });
    // Built, not printed: the terminal's speed is not the plan's.
    textReport(plan);
    // A stack that references another plans that one first: its resources count too.
    const resources = plan.capture.resources.length + (plan.referenced?.resources ?? 0);
    const customs = plan.capture.resources.filter((r) => r.custom).length + (plan.referenced?.customResources ?? 0);
    return { components: resources - customs, customs };
});
