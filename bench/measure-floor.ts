import { captureProgram } from "../plan/capture";
import { withoutStackTraces } from "../plan/stack-traces";
import { floorProgram } from "./floor";
import { measure } from "./measurement";

// Child process: the SDK floor for a plan of the given size, through the same capture (mocks,
// preview mode, no stack traces) as the plan. Usage: measure-floor.ts <components> <custom resources>

const [components, customs] = process.argv.slice(2).map(Number);

measure(async () => {
    const capture = await withoutStackTraces(() =>
        captureProgram({ project: "bench", stack: "floor", config: {}, secretKeys: [], program: floorProgram(components, customs) }));
    const custom = capture.resources.filter((r) => r.custom).length;
    return { components: capture.resources.length - custom, customs: custom };
});
