import { parseArgs } from "util";
import { captureProgram } from "../plan/capture";
import { withoutStackTraces } from "../plan/stack-traces";
import { measure } from "./measurement";
import { payloadProgram, readPayload, referencedStacks } from "./payload";

// Child process: the payload floor of a plan, through the same capture (mocks, preview mode, no stack
// traces) as the plan, one program run per payload file in the order given (a stack that references
// another plans that one first: its payload comes first).
// Usage: measure-payload.ts --payload FILE [--payload FILE]

const { values } = parseArgs({ options: { payload: { type: "string", multiple: true } }, strict: true });
const files = values.payload ?? [];
if (files.length === 0) {
    throw new Error("measure-payload.ts needs --payload FILE");
}
// Read before the clock starts: the work timed is the registrations.
const payloads = files.map(readPayload);

measure(async () => {
    let components = 0;
    let customs = 0;
    for (const [index, payload] of payloads.entries()) {
        const capture = await withoutStackTraces(() =>
            captureProgram({ project: "bench", stack: `payload-${index}`, config: {}, secretKeys: [], stackOutputs: referencedStacks(payload), program: payloadProgram(payload) }));
        const custom = capture.resources.filter((r) => r.custom).length;
        components += capture.resources.length - custom;
        customs += custom;
    }
    return { components, customs };
});
