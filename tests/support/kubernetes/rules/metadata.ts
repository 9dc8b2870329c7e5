import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from "./formats";
import { idOf, type Inventory } from "./inventory";

/** Kinds whose names become DNS labels: a Namespace is a label, a Service name starts with a letter. */
const NAME_RULES: Readonly<Record<string, [string, (name: string) => boolean]>> = {
    Namespace: ["a DNS-1123 label", isDns1123Label],
    Service: ["a DNS-1035 label", isDns1035Label],
};

/** Names, namespaces, labels and annotations of every object, and no two objects with one identity. */
export function metadataViolations(inventory: Inventory): string[] {
    const violations: string[] = [];
    const seen = new Set<string>();
    for (const object of inventory.objects) {
        const id = idOf(object);
        const { name, namespace, labels = {}, annotations = {} } = object.metadata;
        const [rule, check] = NAME_RULES[object.kind] ?? ["a DNS-1123 subdomain", isDns1123Subdomain];
        if (!check(name)) {
            violations.push(`${id}: the name is not ${rule}`);
        }
        if (object.kind === "Namespace") {
            if (namespace !== undefined) {
                violations.push(`${id}: a Namespace is not namespaced`);
            }
        } else if (namespace === undefined || !inventory.namespaces.has(namespace)) {
            violations.push(`${id}: its namespace is not one the stack creates`);
        }
        for (const [key, value] of Object.entries(labels)) {
            if (!isQualifiedName(key) || !isLabelValue(value)) {
                violations.push(`${id}: label ${key}=${value} is not a valid label`);
            }
        }
        for (const key of Object.keys(annotations)) {
            if (!isQualifiedName(key)) {
                violations.push(`${id}: annotation key ${key} is not a qualified name`);
            }
        }
        if (seen.has(id)) {
            violations.push(`${id}: registered twice`);
        }
        seen.add(id);
    }
    return violations;
}
