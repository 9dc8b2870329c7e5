import type { StackInput } from "./stack-input";
import { commonOutputs, type CascadeOutputs } from "./outputs";
import { KubernetesMachine } from "./kubernetes/machine";
import { SwarmMachine } from "./swarm/machine";
import { workloadStatuses } from "./swarm/status";

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
        return {
            ...commonOutputs(model),
            networks: machine.networks,
            workloadStatus: workloadStatuses(model, config.docker.managerHost, config.docker.engineHost),
        };
    }
    const machine = new KubernetesMachine(model.machine.name, { model, secrets: input.secrets, settings: config.kubernetes, operator: config.monitoring.prometheusOperator });
    return { ...commonOutputs(model), coreDnsRewrites: machine.coreDnsRewrites };
}
