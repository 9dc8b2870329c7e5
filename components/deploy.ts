import * as pulumi from "@pulumi/pulumi";
import type { StackInput } from "../config/pulumi";
import { commonOutputs, type CascadeOutputs } from "./outputs";
import { SwarmMachine } from "./swarm/machine";

/** Maps the validated model onto the platform the stack config selects. */
export function deployCascade(input: StackInput): CascadeOutputs {
    const { model, config } = input;
    if (model.platform === "swarm") {
        const machine = new SwarmMachine(model.machine.name, {
            model,
            secrets: input.secrets,
            managerHost: config.docker.managerHost,
            engineHost: config.docker.engineHost,
        });
        return { ...commonOutputs(model), networks: machine.networks };
    }
    throw new pulumi.RunError(`platform ${model.platform} is not supported yet`);
}
