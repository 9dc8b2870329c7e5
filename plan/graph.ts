import type { CascadeModel } from "../model/types";

// A Mermaid flowchart of the stack's groups by phase, the health gates between phases, and the
// networks each group joins (`--graph`; the README embeds it).

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");

export function mermaidGraph(model: CascadeModel): string {
    const lines = ["flowchart LR"];
    const { internal, external } = model.networks;
    const owner = model.ownsSharedResources ? "" : " (from the mainpc stack)";
    lines.push(`  net_internal{{"${internal.name}<br/>internal${internal.subnet ? `, ${internal.subnet}` : ""}${owner}"}}`);
    lines.push(`  net_external{{"${external.name}${owner}"}}`);
    for (const phase of model.phases) {
        lines.push(`  subgraph phase_${phase.phase}["Phase ${phase.phase}"]`);
        for (const name of phase.groups) {
            const group = model.groups.find((g) => g.name === name);
            if (!group) {
                continue;
            }
            const detail = `${group.agents.length} agents, ${group.replicas} replica${group.replicas === 1 ? "" : "s"}${group.runAs === "standalone" && model.platform === "swarm" ? ", standalone container" : ""}${group.resources.gpus > 0 ? `, ${group.resources.gpus} GPU` : ""}`;
            lines.push(`    ${id(name)}["${name}<br/>${detail}"]`);
            if (model.redis?.group === name) {
                lines.push(`    ${id(model.redis.name)}[("${model.redis.name}")]`);
            }
        }
        lines.push("  end");
    }
    for (const group of model.groups) {
        for (const before of group.dependsOnGroups) {
            lines.push(`  ${id(before)} ==>|healthy| ${id(group.name)}`);
        }
        lines.push(`  ${id(group.name)} -.- net_internal`);
        if (group.external) {
            lines.push(`  ${id(group.name)} -.- net_external`);
        }
    }
    if (model.redis) {
        lines.push(`  ${id(model.redis.name)} ==>|healthy| ${id(model.redis.group)}`);
        lines.push(`  ${id(model.redis.name)} -.- net_internal`);
    }
    return lines.join("\n");
}
