import * as crypto from "crypto";

// The names Cascade gives its Docker objects, one rule each: the program names them so
// (components/swarm/), the validator checks their lengths (model/validate-platform.ts), and the
// rendered deploy.sh names secrets by the same rule from the files it is given (plan/render/script.ts).

/**
 * `docker stack deploy ... cascade`: the stack namespace the rendered files are deployed under, and the
 * prefix of the program's own Docker names (`cascade_<volume>`, `cascade-<machine>-<secret>-<hash>`).
 */
export const STACK_NAMESPACE = "cascade";

/** Docker volume names carry the `cascade_` prefix that `docker stack deploy ... cascade` would give them. */
export const volumeName = (key: string) => `${STACK_NAMESPACE}_${key}`;

/** A name without the `cascade-` prefix: a group's short name (`core`), a Swarm service's key in the stack file. */
export function withoutNamespace(name: string): string {
    return name.startsWith(`${STACK_NAMESPACE}-`) ? name.slice(STACK_NAMESPACE.length + 1) : name;
}

/**
 * How many hex digits of the content's SHA-256 a Docker secret's or config's name carries. Both are
 * immutable, so a new value must make a new name; 12 digits of a hash reveal nothing useful of a value.
 */
export const CONTENT_HASH_DIGITS = 12;

/** The first CONTENT_HASH_DIGITS hex digits of the text's SHA-256. */
export function contentHash(content: string): string {
    return crypto.createHash("sha256").update(content).digest("hex").slice(0, CONTENT_HASH_DIGITS);
}

/** A content-named object's name: its fixed prefix, then the hash of what it holds. */
export const contentName = (prefix: string, hash: string) => `${prefix}-${hash}`;

/** Splits a content-named object's name into its prefix (group 1) and the hash. */
export const CONTENT_NAME = new RegExp(`^(.*)-[0-9a-f]{${CONTENT_HASH_DIGITS}}$`);

/** The prefix of a machine's Docker secret: `cascade-<machine>-<key>`. */
export const secretPrefix = (machine: string, key: string) => `${STACK_NAMESPACE}-${machine}-${key}`;

/** The prefix of a monitoring service's Docker config: `cascade-<key>`. */
export const configPrefix = (key: string) => `${STACK_NAMESPACE}-${key}`;
