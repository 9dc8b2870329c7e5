import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { curveCertificate, type CurveCertificate } from "./certificates";

// The secret files the rendered deploy scripts ask for (`secret_file <path>` in deploy.sh), written for
// this run as the rendered README tells operators to: one file per secret at its mount path under the
// secrets directory, exactly the value's bytes, readable by root only. Values are new every run.

/** The secret files a rendered deploy.sh reads, relative to the secrets directory. */
export function secretFilesOf(deployScript: string): string[] {
    return [...deployScript.matchAll(/secret_file ([^)\s]+)\)/g)].map((m) => m[1]);
}

export interface RunSecrets {
    readonly dir: string;
    readonly redisPassword: string;
}

/** Writes every file `needed` names; the same files serve both stacks (one Redis password for all). */
export function writeSecrets(dir: string, needed: readonly string[]): RunSecrets {
    const redisPassword = randomBytes(24).toString("hex");
    const certificates = new Map<string, CurveCertificate>();
    const contentOf = (relative: string): string => {
        if (relative === "redis-password") {
            return redisPassword;
        }
        const certificate = /^(.*)\.key(_secret)?$/.exec(relative);
        if (!certificate) {
            throw new Error(`deploy.sh asks for a secret file the suite does not know how to make: ${relative}`);
        }
        // client.key and client.key_secret are the two halves of one key pair.
        const pair = certificates.get(certificate[1]) ?? curveCertificate();
        certificates.set(certificate[1], pair);
        return certificate[2] ? pair.secretFile : pair.publicFile;
    };
    fs.rmSync(dir, { recursive: true, force: true });
    for (const relative of [...new Set(needed)].sort()) {
        const file = path.join(dir, relative);
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, contentOf(relative), { mode: 0o400 });
    }
    return { dir, redisPassword };
}
