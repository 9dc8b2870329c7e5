import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

// Inputs as an operator may see them: every Pulumi secret replaced by a marker, and any other string
// that contains a secret value the plan knows (the placeholders) masked too, so no secret reaches a
// terminal, a JSON file or a CI log.

export const SECRET_MARK = "[secret]";
const UNKNOWN_MARK = "[unknown until apply]";

export function maskSecrets(value: unknown, secretValues: readonly string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => maskSecrets(v, secretValues));
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialSecretSig) {
            return SECRET_MARK;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, maskSecrets(v, secretValues)]));
    }
    if (typeof value === "string") {
        if (value === unknownValue) {
            return UNKNOWN_MARK;
        }
        return secretValues.some((secret) => secret !== "" && value.includes(secret)) ? SECRET_MARK : value;
    }
    return value;
}
