import { asString, isRecord, propAt } from "../lib/unknown";

/** A label map from Docker's list form ([{label, value}]) or Kubernetes' map form. */
export function labelMap(value: unknown): Record<string, string> {
    if (Array.isArray(value)) {
        const labels: Record<string, string> = {};
        for (const entry of value) {
            const label = asString(propAt(entry, "label"));
            const text = asString(propAt(entry, "value"));
            if (label !== undefined && text !== undefined) {
                labels[label] = text;
            }
        }
        return labels;
    }
    if (isRecord(value)) {
        return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
    return {};
}
