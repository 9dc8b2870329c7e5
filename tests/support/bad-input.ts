import { expect } from "chai";
import { runStack, type ConfigEdits } from "./program";
import { expectRejected } from "./rejection";
import { writeTopology, writeTopologyText, type RawTopology } from "./topology-file";

// One malformed input and what the program must say about it: the file, the key path, the words.
// Each case runs the real program under mocks and proves that nothing was registered.

export interface BadInput {
    readonly title: string;
    readonly stack?: "mainpc" | "pc2";
    /** Stack config edits (Pulumi's flat keys); `cascade:platform` selects the platform. */
    readonly config?: ConfigEdits;
    /** An edit of the committed topology, or the raw text of a topology file. */
    readonly topology?: ((t: RawTopology) => void) | string;
    /** Which file the problem is in: the stack file or the topology file. */
    readonly file: "stack" | "topology";
    /** The key path the message names. */
    readonly at: string;
    /** Fragments of what is wrong and of the fix. */
    readonly says: readonly string[];
}

export const kubernetes: ConfigEdits = { "cascade:platform": "kubernetes" };

/** Runs one bad input and checks its message and that nothing was registered. */
export async function expectRefused(bad: BadInput): Promise<void> {
    const stack = bad.stack ?? "mainpc";
    const topologyFile = bad.topology === undefined ? undefined : typeof bad.topology === "string" ? writeTopologyText(bad.topology) : writeTopology(bad.topology);
    const edits = { ...(topologyFile ? { "cascade:topology": topologyFile } : {}), ...bad.config };
    const file = bad.file === "stack" ? `Pulumi.${stack}.yaml` : topologyFile;
    expect(file, "a topology problem needs a topology edit").to.be.a("string");
    const run = runStack(stack, edits, { stackOutputs: {} });
    await expectRejected(run, [`  - ${file ?? ""}: ${bad.at}: `, ...bad.says]);
    const message = await run.then(() => "", (e: unknown) => (e as Error).message);
    expect(message, "zod's programmer wording or a raw pattern leaked into the message").to.not.match(PROGRAMMER_WORDING);
    expect(message.split("\n").filter((line) => line.startsWith("  - ")).length, "every problem has a fix").to.equal(message.split("\n    Fix: ").length - 1);
}

/** What an operator should never read: zod's default messages, regular expressions, "a object". */
const PROGRAMMER_WORDING = /must match pattern|Invalid input|Invalid option|Invalid string|expected \w+, received|Too (big|small)|\/\^|\$\/|a object|undefined/;
