import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError } from "../config/errors";
import { NAMESPACE, PROJECT_ROOT } from "../config/load";
import { SECRET_KEYS } from "../config/schema/stack";

// Reads a Pulumi stack config file the way the Pulumi CLI hands it to the program: a flat map of
// `namespace:key` to text (objects as JSON). Encrypted values cannot be read without the stack's
// passphrase, so the offline plan stands in a placeholder for each secret and says so.

export interface StackFileConfig {
    /** The file as the operator names it. */
    readonly file: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** Secret keys the plan filled in because the file has none or holds them encrypted. */
    readonly placeholders: string[];
    /** Every secret value the program will see, so that output can mask them. */
    readonly secretValues: string[];
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

function isEncrypted(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

export function readStackFile(file: string): StackFileConfig {
    const absolute = path.resolve(PROJECT_ROOT, file);
    let document: unknown;
    try {
        document = parse(fs.readFileSync(absolute, "utf8"));
    } catch (error) {
        throw new ConfigError([{ file, path: "(file)", message: `cannot read it: ${(error as Error).message.split("\n")[0]}`, fix: "check the path and the YAML syntax" }]);
    }
    const entries = (document as { config?: Record<string, unknown> } | null)?.config ?? {};
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(entries)) {
        if (isEncrypted(value)) {
            continue;
        }
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const placeholders: string[] = [];
    for (const key of SECRET_KEYS) {
        const qualified = `${NAMESPACE}:${key}`;
        // A value written in plain text stays plain, as the Pulumi CLI hands it over: the program then
        // rejects it (a committed password is a leak), in the plan as in `pulumi up`.
        if (!(qualified in config)) {
            config[qualified] = PLACEHOLDER_SECRETS[key];
            placeholders.push(qualified);
            secretKeys.push(qualified);
        }
    }
    const secretValues = secretKeys.flatMap((key) => secretStrings(config[key]));
    return { file, config, secretKeys, placeholders, secretValues };
}

/** The strings inside a secret value (each certificate of a map, or the value itself). */
function secretStrings(value: string | undefined): string[] {
    if (value === undefined) {
        return [];
    }
    try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed === "object" && parsed !== null) {
            return Object.values(parsed).filter((v): v is string => typeof v === "string");
        }
    } catch {
        // Not JSON: the value itself is the secret.
    }
    return [value];
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

/** The stacks that have a config file in the project: Pulumi.<stack>.yaml. */
export function stackNames(): string[] {
    return fs.readdirSync(PROJECT_ROOT)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}
