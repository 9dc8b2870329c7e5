import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError } from "./errors";
import { SECRET_KEYS } from "./schema/stack";
import { missingStackFile, NAMESPACE, parseStackDocument, PROJECT_ROOT } from "./stack-document";
import { PassphraseError, passphraseDecrypter } from "./passphrase";

// Reads a Pulumi stack config file the way the Pulumi CLI hands it to the program: a flat map of
// `namespace:key` to text (objects as JSON), with the keys that hold a secret listed apart.
//
// The CLI writes secrets in three forms (pulumi/pulumi sdk/go/common/resource/config: object.go
// marshalObject, map.go Set): a top-level `key: {secure: v1:…}`; nested `{secure: v1:…}` leaves inside
// maps and lists when set with `--path` (`pulumi config set --secret --path 'cascade:zmqCertificates["server.key"]'`),
// which makes the whole key a secret (object.Secure: "a composite value that contains a secure
// string"); and, beside `config:`, the provider's `encryptionsalt` (passphrase) or `secretsprovider`
// and `encryptedkey` (cloud KMS). The engine decrypts every leaf before the program sees the value.
// Offline, the plan decrypts passphrase secrets when it is given the passphrase, and otherwise
// stands in a placeholder for each encrypted leaf and names it.

export interface StackFileOptions {
    /** PULUMI_CONFIG_PASSPHRASE: decrypts the passphrase provider's secrets instead of placeholders. */
    readonly passphrase?: string;
}

export interface StackFileConfig {
    /** The file as the operator names it. */
    readonly file: string;
    readonly config: Record<string, string>;
    /** Keys that hold a secret anywhere in their value, as Pulumi's PULUMI_CONFIG_SECRET_KEYS lists them. */
    readonly secretKeys: string[];
    /** Secrets the plan stood in for (absent, or encrypted and not decrypted), in the CLI's --path syntax. */
    readonly placeholders: string[];
    /** Every secret value the program will see, so that output can mask them. */
    readonly secretValues: string[];
    /** How the file's encrypted values were read, for the plan's output; undefined when it has none. */
    readonly encryption?: string;
}

/** Stand-ins for secrets: long enough to pass validation, obviously not real. */
export const PLACEHOLDER_SECRETS: Readonly<Record<(typeof SECRET_KEYS)[number], string>> = {
    redisPassword: "plan-placeholder-redis-password",
    zmqCertificates: JSON.stringify({
        "client.key": "plan-placeholder-client-public-key",
        "client.key_secret": "plan-placeholder-client-secret-key",
        "server.key": "plan-placeholder-server-public-key",
        "server.key_secret": "plan-placeholder-server-secret-key",
    }),
};

/** Pulumi's isSecureValue (object.go): a map whose only key is `secure`, holding a string. */
function ciphertextOf(value: unknown): string | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return undefined;
    }
    const keys = Object.keys(value);
    const secure = (value as { secure?: unknown }).secure;
    return keys.length === 1 && typeof secure === "string" ? secure : undefined;
}

/** A path step as `pulumi config set --path` writes it: `.name`, `["odd.name"]` or `[0]`. */
function pathStep(key: string | number): string {
    if (typeof key === "number") {
        return `[${key}]`;
    }
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `["${key}"]`;
}

interface Reading {
    readonly decrypt?: (ciphertext: string) => string;
    readonly placeholders: string[];
    /** The plaintext of every secure leaf, decrypted or stood in. */
    readonly secrets: string[];
    /** How many secure leaves the file holds. */
    encrypted: number;
}

/** The value with every secure leaf replaced by its plaintext or a placeholder, and whether it had one. */
function resolveSecure(value: unknown, at: string, reading: Reading): { value: unknown; secure: boolean } {
    const ciphertext = ciphertextOf(value);
    if (ciphertext !== undefined) {
        reading.encrypted++;
        const plain = reading.decrypt ? reading.decrypt(ciphertext) : `plan-placeholder:${at}`;
        if (!reading.decrypt) {
            reading.placeholders.push(at);
        }
        reading.secrets.push(plain);
        return { value: plain, secure: true };
    }
    if (Array.isArray(value)) {
        const items = value.map((item, i) => resolveSecure(item, `${at}${pathStep(i)}`, reading));
        return { value: items.map((i) => i.value), secure: items.some((i) => i.secure) };
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value).map(([k, v]) => [k, resolveSecure(v, `${at}${pathStep(k)}`, reading)] as const);
        return { value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])), secure: entries.some(([, r]) => r.secure) };
    }
    return { value, secure: false };
}

interface StackDocument {
    readonly config?: Record<string, unknown>;
    readonly encryptionsalt?: unknown;
    readonly secretsprovider?: unknown;
}

function readDocument(file: string): StackDocument {
    let text: string;
    try {
        text = fs.readFileSync(path.resolve(PROJECT_ROOT, file), "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
            throw missingStackFile(file);
        }
        throw new ConfigError([{ file, path: "(file)", message: `cannot read it: ${(error as Error).message.split("\n")[0]}`, fix: "check the file's permissions" }]);
    }
    return parseStackDocument(text, file);
}

/** The decrypter for the file's provider, when the plan can have one, and what the output says about it. */
function decrypterOf(document: StackDocument, file: string, options: StackFileOptions): { decrypt?: (c: string) => string; encryption: string } {
    const provider = typeof document.secretsprovider === "string" ? document.secretsprovider : "passphrase";
    if (provider !== "passphrase") {
        return { encryption: `not decrypted: the secrets provider ${provider} cannot be reached offline` };
    }
    if (options.passphrase === undefined || typeof document.encryptionsalt !== "string") {
        return { encryption: "not decrypted without PULUMI_CONFIG_PASSPHRASE" };
    }
    try {
        return { decrypt: passphraseDecrypter(document.encryptionsalt, options.passphrase), encryption: "decrypted with PULUMI_CONFIG_PASSPHRASE" };
    } catch (error) {
        if (error instanceof PassphraseError) {
            throw new ConfigError([{ file, path: "encryptionsalt", message: error.message, fix: "export the PULUMI_CONFIG_PASSPHRASE this stack was created with, or unset it to plan with placeholders" }]);
        }
        throw error;
    }
}

export function readStackFile(file: string, options: StackFileOptions = {}): StackFileConfig {
    const document = readDocument(file);
    const { decrypt, encryption } = decrypterOf(document, file, options);
    const reading: Reading = { decrypt, placeholders: [], secrets: [], encrypted: 0 };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(document.config ?? {})) {
        let resolved: { value: unknown; secure: boolean };
        try {
            resolved = resolveSecure(value, key, reading);
        } catch (error) {
            if (error instanceof PassphraseError) {
                throw new ConfigError([{ file, path: key, message: error.message, fix: "set it again with pulumi config set --secret, with this stack's passphrase" }]);
            }
            throw error;
        }
        config[key] = typeof resolved.value === "string" ? resolved.value : JSON.stringify(resolved.value);
        if (resolved.secure) {
            secretKeys.push(key);
        }
    }
    // A top-level secret the plan could not decrypt stands in as a whole, in the shape the program expects.
    for (const key of SECRET_KEYS) {
        const qualified = `${NAMESPACE}:${key}`;
        const opaque = reading.placeholders.includes(qualified);
        // A value written in plain text stays plain, as the Pulumi CLI hands it over: the program then
        // rejects it (a committed password is a leak), in the plan as in `pulumi up`.
        if (!(qualified in config) || opaque) {
            config[qualified] = PLACEHOLDER_SECRETS[key];
            reading.secrets.push(...secretStrings(PLACEHOLDER_SECRETS[key]));
            if (!opaque) {
                reading.placeholders.push(qualified);
                secretKeys.push(qualified);
            }
        }
    }
    return { file, config, secretKeys, placeholders: reading.placeholders, secretValues: reading.secrets, encryption: reading.encrypted > 0 ? encryption : undefined };
}

/** The strings inside a placeholder (each certificate of a map, or the value itself). */
function secretStrings(value: string): string[] {
    const parsed: unknown = value.startsWith("{") ? JSON.parse(value) : value;
    return typeof parsed === "object" && parsed !== null ? Object.values(parsed).filter((v): v is string => typeof v === "string") : [value];
}

/** The project's name from Pulumi.yaml (the `project` of every stack's identity). */
export function projectName(): string {
    const document: unknown = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));
    const name = (document as { name?: unknown } | null)?.name;
    if (typeof name !== "string") {
        throw new Error("Pulumi.yaml has no project name");
    }
    return name;
}
