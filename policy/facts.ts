import type { MachineParts } from "../model/build";

// What the policies must know that no resource says: each machine's capacity and the settings its
// stack config chose. The plan and the tests take them from the loaded model (factsFromModel); the
// pack validates the previewed stack's config, as the engine passes it, through the project's loader
// and derives just these parts of the model (policy/stack-facts.ts).
// Nothing here is a number of its own: every value comes from a stack's configuration.

export interface MachineFacts {
    readonly name: string;
    readonly capacity: { readonly cpus: number; readonly memoryBytes: number; readonly gpus: number };
    /** Limits x replicas may reach capacity x this before the overcommit rule reports. */
    readonly overcommitRatio: number;
    /** The Swarm generic resource kind that stands for a GPU on this machine (S2). */
    readonly gpuResourceKind: string;
    /** The operator opted into SYS_ADMIN for device groups (cascade:audio.allowSysAdmin). */
    readonly allowSysAdmin: boolean;
    /** The stack config file these facts come from, named in messages. */
    readonly source: string;
}

export interface PolicyFacts {
    readonly machines: ReadonlyMap<string, MachineFacts>;
    /** Names of the networks the topology declares internal (S7). */
    readonly internalNetworks: ReadonlySet<string>;
}

export function machineFactsFromModel(model: MachineParts, source: string): MachineFacts {
    const { capacity } = model.machine;
    return {
        name: model.machine.name,
        capacity: { cpus: capacity.cpus, memoryBytes: capacity.memoryBytes, gpus: capacity.gpus },
        overcommitRatio: model.budget.overcommitRatio,
        gpuResourceKind: model.gpuResourceKind,
        allowSysAdmin: model.allowSysAdmin,
        source,
    };
}

/** The facts of one stack: its machine, and the networks its topology declares internal. */
export function factsFromModel(model: MachineParts, source: string): PolicyFacts {
    return {
        machines: new Map([[model.machine.name, machineFactsFromModel(model, source)]]),
        internalNetworks: internalNetworksOf(model),
    };
}

export function internalNetworksOf(model: Pick<MachineParts, "networks">): Set<string> {
    return new Set(Object.values(model.networks).filter((n) => n.internal).map((n) => n.name));
}
