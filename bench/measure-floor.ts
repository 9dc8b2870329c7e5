import { parseArgs } from "util";
import { captureProgram } from "../plan/capture";
import { withoutStackTraces } from "../plan/stack-traces";
import { floorProgram } from "./floor";
import { measure } from "./measurement";

// Child process: the empty-input floor for a plan of the given size, through the same capture (mocks,
// preview mode, no stack traces) as the plan. Usage: measure-floor.ts --components N --customs N

const { values } = parseArgs({ options: { components: { type: "string" }, customs: { type: "string" } }, strict: true });
const [components, customs] = [values.components, values.customs].map(Number);
if (!Number.isInteger(components) || !Number.isInteger(customs)) {
    throw new Error("measure-floor.ts needs --components N --customs N");
}

measure(async () => {
    const capture = await withoutStackTraces(() =>
        captureProgram({ project: "bench", stack: "floor", config: {}, secretKeys: [], program: floorProgram(components, customs) }));
    const custom = capture.resources.filter((r) => r.custom).length;
    return { components: capture.resources.length - custom, customs: custom };
});
