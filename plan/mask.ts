import { isSecretEnvelope, UNKNOWN_VALUE } from "../captured/secrets";

// Inputs as an operator may see them: every Pulumi secret replaced by a marker, and any other string
// that contains a secret value the plan knows (the placeholders) masked too, so no secret reaches a
// terminal, a JSON file or a CI log.

export const SECRET_MARK = "[secret]";
const UNKNOWN_MARK = "[unknown until apply]";

export function maskSecrets(value: unknown, secretValues: readonly string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => maskSecrets(v, secretValues));
    }
    if (isSecretEnvelope(value)) {
        return SECRET_MARK;
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecrets(v, secretValues)]));
    }
    if (typeof value === "string") {
        if (value === UNKNOWN_VALUE) {
            return UNKNOWN_MARK;
        }
        return secretValues.some((secret) => secret !== "" && value.includes(secret)) ? SECRET_MARK : value;
    }
    return value;
}
