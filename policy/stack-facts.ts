import { loadStack } from "../config/load";
import { projectName, readStackFile, stackNames } from "../plan/stack-file";
import { internalNetworksOf, machineFactsFromModel, type MachineFacts, type PolicyFacts } from "./facts";

// The pack's facts: it runs inside `pulumi preview`, where no model exists, so it reads the stacks'
// config files (Pulumi.<stack>.yaml) through the project's own loader and schema. The previewed stack's
// file decides its machine's capacity; the other stacks' files describe the other machines.

/**
 * Facts for a preview of `stack` (from a resource URN). Files that do not load are skipped, except the
 * previewed stack's own: without it the budgets cannot be checked, so the error is the answer.
 */
export function factsFromStackFiles(stack: string | undefined): PolicyFacts {
    const project = projectName();
    const names = stackNames();
    // The previewed stack first, so that its machine facts win over another file's for the same machine.
    const ordered = stack !== undefined && names.includes(stack) ? [stack, ...names.filter((n) => n !== stack)] : names;
    const machines = new Map<string, MachineFacts>();
    const internalNetworks = new Set<string>();
    for (const name of ordered) {
        const file = `Pulumi.${name}.yaml`;
        let loaded: ReturnType<typeof loadStack>;
        try {
            const config = readStackFile(file);
            loaded = loadStack({ config: config.config, secretKeys: new Set(config.secretKeys), stackFile: file, identity: { project, stack: name } });
        } catch (error) {
            if (name === stack) {
                throw error;
            }
            continue;
        }
        const facts = machineFactsFromModel(loaded.model, file);
        if (!machines.has(facts.name)) {
            machines.set(facts.name, facts);
        }
        internalNetworksOf(loaded.model).forEach((n) => internalNetworks.add(n));
    }
    return { machines, internalNetworks };
}
