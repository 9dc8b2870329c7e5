import { expect } from "chai";
import { registeredBeforeFailure } from "../../plan/capture";

/**
 * Asserts that a run failed with a configuration error containing every fragment, and that it
 * registered nothing before failing.
 */
export async function expectRejected(run: Promise<unknown>, fragments: readonly string[]): Promise<void> {
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(error, "the program should have failed").to.be.instanceOf(Error);
    const message = (error as Error).message;
    expect(message).to.match(/^Invalid Cascade configuration \(\d+ problems?\):/);
    for (const fragment of fragments) {
        expect(message).to.contain(fragment);
    }
    expect(registeredBeforeFailure(error)).to.deep.equal([]);
}
