import { KINDS, kindKey } from "./kinds";
import type { KubernetesObject } from "./manifests";
import { unknownFields } from "./unknown-fields";

/**
 * The object's problems against the official OpenAPI schema: kubernetes-models for types, enums,
 * required fields and quantity formats, then the unknown-field walk over the same package's typings.
 * Empty when the API server's schema validation would accept it.
 */
export function schemaProblems(object: KubernetesObject): string[] {
    const key = kindKey(object);
    const Model = KINDS[key];
    if (!Model) {
        return [`${key} is not a kind the tests know a schema for: add it to tests/support/kubernetes/kinds.ts`];
    }
    const problems: string[] = [];
    try {
        new Model(object as never).validate();
    } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
    }
    problems.push(...unknownFields(key, object).map((field) => `unknown field ${field}`));
    return problems;
}
