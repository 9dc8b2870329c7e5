import { dataVolumesOf, workloadsOf } from "../readers";
import { describe } from "../workload";
import { defineRule, type Finding } from "./types";

// What keeps the system running and its data safe: health-gated, self-restarting workloads, and data
// volumes that `pulumi destroy` or a rename cannot delete.

export const healthcheckAndRestart = defineRule({
    name: "healthcheck-and-restart",
    description: "Every workload has a healthcheck (phases gate on health) and a restart policy other than none.",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts).flatMap((w): Finding[] => {
            const missing = [...(w.healthcheck ? [] : ["healthcheck"]), ...(w.restartPolicy ? [] : ["restart policy"])];
            return missing.length === 0 ? [] : [{
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${describe(w)}${w.machine ? ` on ${w.machine}` : ""} has no ${missing.join(" and no ")}: without a healthcheck the next phase starts before it works, without a restart policy a crash stays down.`,
            }];
        });
    },
});

export const dataVolumesProtected = defineRule({
    name: "data-volumes-protected",
    description: "Every data volume (label cascade.data=true) is protected or retained on delete, so pulumi destroy or a rename cannot delete its data.",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources }) {
        return dataVolumesOf(resources)
            .filter((v) => !v.resource.options.protect && v.resource.options.retainOnDelete !== true)
            .map((v) => {
                const retain = v.resource.options.retainOnDelete === undefined
                    ? "retainOnDelete cannot be seen by the policy engine, so only protect counts here"
                    : "nor retained on delete";
                return {
                    resource: v.resource.name,
                    urn: v.resource.urn,
                    message: `data volume ${v.name}${v.machine ? ` on ${v.machine}` : ""} is not protected (${retain}): pulumi destroy would delete its data. Set cascade:data.protect (and cascade:data.retainOnDelete) to true.`,
                };
            });
    },
});
