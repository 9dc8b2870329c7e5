import { workloadsOf } from "../readers";
import { describe } from "../workload";
import { defineRule, type Finding } from "./types";

// S2: a GPU reservation only where the machine has GPUs, and never more per replica than it has.

export const gpuReservations = defineRule({
    name: "gpu-reservations",
    description: "GPUs are reserved only on machines that have GPUs, and no workload reserves more per replica than its machine has.",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts).flatMap((w): Finding[] => {
            const machine = w.machine ? facts.machines.get(w.machine) : undefined;
            if (w.gpus === 0 || !machine || w.gpus <= machine.capacity.gpus) {
                return [];
            }
            const has = machine.capacity.gpus === 0 ? "has no GPU" : `has ${machine.capacity.gpus}`;
            return [{
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${describe(w)} reserves ${w.gpus} GPU${w.gpus === 1 ? "" : "s"} per replica on ${machine.name}, which ${has} (cascade:capacity.gpus in ${machine.source}). Run it on a GPU machine or remove its GPU reservation.`,
            }];
        });
    },
});
