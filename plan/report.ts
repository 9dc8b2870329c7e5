import type { Plan } from "./assemble";
import { monitoringSection } from "./monitoring";
import { budgetNotes, budgetTable, portTable } from "./tables";
import { renderTree } from "./tree";
import { bottomLine, verdictsText } from "./verdicts";

// The text plan: what `npm run plan` prints by default.

/** Which secrets the plan stood in for, so nobody mistakes the masked values for the real ones. */
function placeholderNote(plan: Plan): string {
    const { placeholders, file, encryption } = plan.stackFile;
    return placeholders.length === 0
        ? `Secrets: every secret value comes from ${file}${encryption ? `, ${encryption}` : ""}; values are masked.`
        : `Secrets: ${placeholders.join(", ")} ${placeholders.length === 1 ? "is a placeholder" : "are placeholders"} (not set in ${file}${encryption ? `, or encrypted there and ${encryption}` : ""}); values are masked${plan.model.platform === "swarm" ? ", and Docker secret names ending in a content hash will differ in the real deployment" : ""}.`;
}

export function textReport(plan: Plan): string {
    const { model } = plan;
    const sections = [
        `Cascade plan: stack ${plan.stack} (project ${plan.project}), machine ${model.machine.name}, platform ${model.platform}, config ${plan.stackFile.file}`,
        placeholderNote(plan),
        ...(plan.referenced ? [`StackReference ${plan.referenced.name}: its outputs come from an offline plan of ${plan.referenced.file}.`] : []),
        "",
        `Resources (${plan.capture.resources.length}):`,
        renderTree(plan),
        "",
        `Budget of ${model.machine.name}:`,
        budgetTable(model.budget),
        ...budgetNotes(model),
        "",
        `Ports of ${model.machine.name} (${model.directory.length} agents):`,
        portTable(model),
        "",
        ...monitoringSection(model),
        "",
        `Policies (${plan.verdicts.length}):`,
        verdictsText(plan.verdicts),
        "",
        bottomLine(plan.verdicts),
    ];
    return sections.join("\n");
}
