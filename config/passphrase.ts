import * as crypto from "crypto";

// Pulumi's passphrase secrets provider, for reading (never writing) a stack file offline. The format
// is pulumi/pulumi's: sdk/go/common/resource/config/crypt.go (NewSymmetricCrypterFromPassphrase:
// PBKDF2-SHA256, 1,000,000 iterations, a 32-byte key; symmetricCrypter.DecryptValue: AES-256-GCM,
// `v1:<base64 nonce>:<base64 ciphertext and tag>`) and pkg/secrets/passphrase/manager.go (the stack
// file's `encryptionsalt: v1:<base64 salt>:<"pulumi" encrypted>`, which proves the passphrase).

/** The passphrase does not open this stack's salt: the message the operator sees. */
export class PassphraseError extends Error {}

const GCM_TAG_BYTES = 16;

/** Decrypts one `v1:` ciphertext with a derived key; throws PassphraseError when it does not open. */
function decryptWith(key: Buffer, ciphertext: string): string {
    const parts = ciphertext.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") {
        throw new PassphraseError(`"${ciphertext.slice(0, 12)}…" is not a v1 ciphertext of the passphrase provider`);
    }
    const nonce = Buffer.from(parts[1], "base64");
    const sealed = Buffer.from(parts[2], "base64");
    try {
        const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
        decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        throw new PassphraseError("a secret does not decrypt with this passphrase");
    }
}

/** A decrypter for one stack: the salt line of its file and the passphrase. */
export function passphraseDecrypter(encryptionSalt: string, passphrase: string): (ciphertext: string) => string {
    const match = /^v1:([^:]*):(v1:.*)$/.exec(encryptionSalt);
    if (!match) {
        throw new PassphraseError("encryptionsalt is not in the passphrase provider's v1 format");
    }
    const key = crypto.pbkdf2Sync(passphrase, Buffer.from(match[1], "base64"), 1_000_000, 32, "sha256");
    let check: string;
    try {
        check = decryptWith(key, match[2]);
    } catch {
        check = "";
    }
    if (check !== "pulumi") {
        throw new PassphraseError("incorrect passphrase: it does not open this stack's encryptionsalt");
    }
    return (ciphertext) => decryptWith(key, ciphertext);
}
