import type { PolicyFacts } from "../facts";

/**
 * The generic resource kinds that count as GPUs for a machine: its own configured kind, or every
 * configured kind when the machine is unknown (the budget rule reports the unknown machine itself).
 */
export function gpuKindsFor(machine: string | undefined, facts: PolicyFacts): ReadonlySet<string> {
    const own = machine ? facts.machines.get(machine) : undefined;
    return new Set(own ? [own.gpuResourceKind] : [...facts.machines.values()].map((m) => m.gpuResourceKind));
}
