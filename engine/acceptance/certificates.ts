import { generateKeyPairSync } from "crypto";

// CurveZMQ certificate files for the run, in CZMQ's zcert format: a real Curve25519 key pair (Node's
// X25519 is the same curve), Z85-encoded as ZeroMQ writes keys. The stand-ins do not read them; they
// make the deploy handle certificate files shaped exactly like the ones operators supply.

const Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** ZeroMQ's Z85 (RFC 32/Z85): 4 bytes to 5 characters, big-endian. */
export function z85(bytes: Buffer): string {
    if (bytes.length % 4 !== 0) {
        throw new Error("Z85 encodes multiples of 4 bytes");
    }
    let text = "";
    for (let i = 0; i < bytes.length; i += 4) {
        let value = bytes.readUInt32BE(i);
        const chunk: string[] = [];
        for (let j = 0; j < 5; j++) {
            chunk.unshift(Z85[value % 85]);
            value = Math.floor(value / 85);
        }
        text += chunk.join("");
    }
    return text;
}

export interface CurveCertificate {
    /** The `<name>.key` file: the public certificate. */
    readonly publicFile: string;
    /** The `<name>.key_secret` file: the secret certificate (public and secret key). */
    readonly secretFile: string;
}

export function curveCertificate(now: Date = new Date()): CurveCertificate {
    const { publicKey, privateKey } = generateKeyPairSync("x25519");
    const key = (jwk: { x?: string; d?: string }, field: "x" | "d") => z85(Buffer.from(jwk[field] ?? "", "base64url"));
    const publicJwk = publicKey.export({ format: "jwk" });
    const secretJwk = privateKey.export({ format: "jwk" });
    const stamp = now.toISOString().replace("T", " ").slice(0, 19);
    const header = (kind: string, lines: readonly string[]) =>
        [`#   ****  Generated on ${stamp} by the Cascade engine acceptance suite  ****`, `#   ZeroMQ CURVE ${kind} Certificate`, ...lines, "", "metadata", "curve"];
    return {
        publicFile: [
            ...header("Public", ["#   Exchange securely, or use a secure mechanism to verify the contents", "#   of this file after exchange."]),
            `    public-key = "${key(publicJwk, "x")}"`,
            "",
        ].join("\n"),
        secretFile: [
            ...header("**Secret**", ["#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions."]),
            `    public-key = "${key(publicJwk, "x")}"`,
            `    secret-key = "${key(secretJwk, "d")}"`,
            "",
        ].join("\n"),
    };
}
