import { LABEL } from "../../components/labels";
import { labelMap } from "../../captured/labels";

// The label keys the program puts on every object (components/labels.ts): a resource's machine,
// group and real-time flag are read from them, on every platform.

export interface CascadeLabels {
    readonly machine?: string;
    readonly group?: string;
    readonly realtime: boolean;
    readonly data: boolean;
}

/** Reads the Cascade labels from one or more label sources (first one wins per key). */
export function cascadeLabels(...sources: readonly unknown[]): CascadeLabels {
    const labels: Record<string, string> = {};
    for (const source of sources) {
        for (const [key, value] of Object.entries(labelMap(source))) {
            labels[key] ??= value;
        }
    }
    return {
        machine: labels[LABEL.machine],
        group: labels[LABEL.group],
        realtime: labels[LABEL.realtime] === "true",
        data: labels[LABEL.data] === "true",
    };
}
