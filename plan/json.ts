import { ruleGroups } from "../model/monitoring/rules";
import { mandatoryViolations } from "../policy/evaluate";
import type { Plan } from "./assemble";
import { maskSecrets } from "./mask";
import { networkNamesById } from "./network-names";

// The plan as one JSON document (`--json`): the resources as the provider would receive them, with
// secret values masked; every policy verdict and violation; the budgets, ports and groups.

export function planJson(plan: Plan) {
    const { model } = plan;
    const { budget } = model;
    const mandatory = mandatoryViolations(plan.verdicts).length;
    return {
        project: plan.project,
        stack: plan.stack,
        machine: model.machine.name,
        platform: model.platform,
        configFile: plan.stackFile.file,
        placeholderSecrets: plan.stackFile.placeholders,
        stackReference: plan.referenced ? { name: plan.referenced.name, plannedFrom: plan.referenced.file } : null,
        resources: plan.capture.resources.map((r) => ({
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            custom: r.custom,
            inputs: maskSecrets(r.inputs, plan.stackFile.secretValues),
            dependsOn: r.options.dependsOn,
            protect: r.options.protect,
            retainOnDelete: r.options.retainOnDelete,
            deleteBeforeReplace: r.options.deleteBeforeReplace,
            ignoreChanges: r.options.ignoreChanges,
            provider: r.options.provider ?? null,
        })),
        violations: plan.verdicts.flatMap((v) => v.violations),
        policies: plan.verdicts.map((v) => ({
            policy: v.policy,
            description: v.description,
            enforcementLevel: v.enforcementLevel,
            passed: v.violations.length === 0,
            violations: v.violations.length,
        })),
        budgets: {
            [budget.machine]: {
                capacity: { cpus: budget.capacity.cpus, memoryBytes: budget.capacity.memoryBytes, gpus: budget.capacity.gpus },
                overcommitRatio: budget.overcommitRatio,
                reserved: budget.reserved,
                limited: budget.limited,
                lines: budget.lines,
            },
        },
        groups: model.groups.map((g) => ({
            name: g.name,
            phase: g.phase,
            runAs: g.runAs,
            image: g.image,
            replicas: g.replicas,
            dependsOnGroups: g.dependsOnGroups,
            agents: g.agents.map((a) => a.name),
        })),
        ports: model.directory,
        monitoring: {
            services: model.monitoring.services.map((s) => s.name),
            operator: model.monitoring.operator,
            machines: model.monitoring.machines,
            rules: ruleGroups(model.monitoring.machines),
            ui: model.monitoring.ui,
        },
        /** Network ids (as services and containers refer to them) to Docker names. */
        networkNames: Object.fromEntries(networkNamesById(plan.capture)),
        result: { ok: mandatory === 0, mandatoryViolations: mandatory },
    };
}
