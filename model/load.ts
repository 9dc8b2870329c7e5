import { throwIfProblems } from "../config/errors";
import { validateStackConfig, type LoadInput, type ValidatedStack } from "../config/load";
import { buildModel } from "./build";
import type { CascadeModel } from "./types";
import { platformProblems } from "./validate-platform";

// The one path from a stack's files to its model: config/load.ts validates the files, buildModel
// derives the model, and the platform's own limits (names the derived model would give Kubernetes
// objects) are checked on the result. Every step throws a ConfigError before anything registers.

export interface LoadedStack extends ValidatedStack {
    readonly model: CascadeModel;
}

/** Validates everything and derives the model; throws one ConfigError listing every problem. */
export function loadStack(input: LoadInput): LoadedStack {
    const validated = validateStackConfig(input);
    const { sources, topology, config } = validated;
    const model = buildModel(topology, config, input.identity);
    throwIfProblems(platformProblems(topology, model, config, sources));
    return { ...validated, model };
}
