import { readStackInput, type ProgramOptions } from "./components/stack-input";
import { deployCascade } from "./components/deploy";
import type { CascadeOutputs } from "./components/outputs";

/**
 * The Cascade machine stack. Pulumi calls this function; the offline plan and the tests call it the
 * same way under the SDK's mocks. Config is validated in full before the first resource is registered.
 */
export = function cascade(options: ProgramOptions = {}): CascadeOutputs {
    return deployCascade(readStackInput(options));
};
