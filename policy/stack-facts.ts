import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, validateStackConfig } from "../config/load";
import { machinePartsOf } from "../model/build";
import { SECRET_KEYS } from "../config/schema/stack";
import { factsFromModel, type PolicyFacts } from "./facts";

// The pack's facts come from the config of the stack being previewed, as the engine hands it over:
// `pulumi preview --policy-pack` sends the stack's decrypted config in ConfigureStack
// (sdk/go/common/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer), and pulumi-language-nodejs
// puts it in the pack's environment as PULUMI_CONFIG, with PULUMI_NODEJS_STACK and _PROJECT
// (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin; the older pulumi-analyzer-policy path sets
// the same variables in constructEnv). The SDK's config reader is the one the program uses. The config
// is validated by the program's own loader, and only the parts of the model the rules need are
// derived from it. No stack file of the checkout is read: they may not be the stack being previewed,
// or not be up to date (the topology file the config names is read, as the program reads it).

/** Why the pack cannot judge without the stack's config, and how to run it. */
export class MissingStackConfigError extends Error {}

/** Facts for a preview of `stack` (from a resource URN), from the config the engine gave the pack. */
export function factsFromEngineConfig(stack: string | undefined): PolicyFacts {
    const config = pulumi.runtime.allConfig();
    const engineStack = pulumi.getStack();
    if (Object.keys(config).length === 0 || engineStack === "") {
        throw new MissingStackConfigError("the Cascade pack received no stack config: run it through `pulumi preview --policy-pack policy` (or `pulumi up`), which passes the previewed stack's config to the pack");
    }
    if (stack !== undefined && stack !== engineStack) {
        throw new MissingStackConfigError(`the Cascade pack was given the config of stack ${engineStack} but asked about a resource of stack ${stack}`);
    }
    const file = `Pulumi.${engineStack}.yaml`;
    // The engine hands over decrypted values without saying which were secret (PULUMI_CONFIG only);
    // whether a secret is stored in plain text is the program's check, made with the secret keys it gets.
    const { topology, config: stackConfig } = validateStackConfig({
        config,
        secretKeys: new Set(SECRET_KEYS.map((key) => `${NAMESPACE}:${key}`)),
        stackFile: file,
        identity: { project: pulumi.getProject(), stack: engineStack },
        checkOtherStacks: false,
    });
    return factsFromModel(machinePartsOf(topology, stackConfig), file);
}
