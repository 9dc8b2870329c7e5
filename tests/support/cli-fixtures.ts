import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import type { EngineConfig } from "./language-host";

// The stack files of tests/fixtures/cli-secrets/, written as the README's commands make the Pulumi CLI
// write them (the committed Pulumi.<stack>.yaml, then `pulumi stack init` with the passphrase provider
// and `pulumi config set --secret [--path]`), with real ciphertexts of the fake values in plaintext.json.

export const FIXTURE_DIR = "tests/fixtures/cli-secrets";

/** The passphrase the fixtures were encrypted with (PULUMI_CONFIG_PASSPHRASE). */
export const FIXTURE_PASSPHRASE = "cascade-fixture-passphrase";

export const fixtureFile = (stack: string): string => `${FIXTURE_DIR}/Pulumi.${stack}.yaml`;

/** The plaintexts behind the fixtures' ciphertexts, by config name (redisPassword) or certificate file. */
export function fixturePlaintexts(): Record<string, string> {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, FIXTURE_DIR, "plaintext.json"), "utf8")) as Record<string, string>;
}

const decrypted = new Map<string, EngineConfig>();

/** What the engine gives the program for a fixture stack: every value decrypted, the secret keys listed. */
export function engineConfigOf(stack: string): EngineConfig {
    let config = decrypted.get(stack);
    if (!config) {
        // Each decryption derives the key anew (PBKDF2, a million rounds): once per stack is enough.
        const file = readStackFile(fixtureFile(stack), { passphrase: FIXTURE_PASSPHRASE });
        config = { config: file.config, secretKeys: file.secretKeys };
        decrypted.set(stack, config);
    }
    return config;
}
