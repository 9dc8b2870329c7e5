import { parseFamiliarName } from "@swimlane/docker-reference";
import { z } from "zod";
import { show } from "../errors";
import { cidrRange, isIpv4Cidr, parseCpus, parseDuration, parseMemory } from "../units";

// Value schemas shared by the topology file and the stack config. Each one turns the text an operator
// writes into the number the model computes with, or fails with a message that says how to write it.
// Every message reads "<what is wrong>. Fix: <what to do>"; config/errors.ts splits the two. A missing
// key is left to the generic "is missing" (an error function returning undefined defers to it).

/** An error option: `<value> is not <what>. Fix: <fix>`, or the generic wording for a missing key. */
export function notA(what: string, fix: string) {
    return { error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : `${show(issue.input)} is not ${what}. Fix: ${fix}`) };
}

/** A string matching a pattern, or a message in words (never the pattern itself). */
export function text(pattern: RegExp, what: string, fix: string) {
    return z.string(notA(what, fix)).regex(pattern, notA(what, fix));
}

/** A whole number from min to max, with both bounds in the message whichever one is crossed. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    const option = notA(`a whole number ${range}`, `write a whole number ${range}`);
    return z.int(option).min(min, option).max(max, option);
}

const MEMORY_FIX = "write a number with a binary unit, e.g. 512M or 2G";

/**
 * A memory size such as "512M" or "2G"; parsed to bytes. The unit is required: a bare 80 would be
 * 80 bytes (Docker reads it so), never what the operator meant.
 */
export const memory = z.union([z.string(), z.number()], notA("a memory size", MEMORY_FIX)).transform((value, ctx) => {
    if (typeof value === "number" || /^\s*\d+(\.\d+)?\s*b?\s*$/i.test(value)) {
        ctx.addIssue({ code: "custom", message: `${show(value)} has no unit, so it would be read as ${value} bytes. Fix: write it with a binary unit, e.g. ${value}G or ${value}M` });
        return z.NEVER;
    }
    const bytes = parseMemory(value);
    if (bytes === undefined || bytes <= 0) {
        ctx.addIssue({ code: "custom", message: `${show(value)} is not a memory size. Fix: ${MEMORY_FIX}` });
        return z.NEVER;
    }
    return bytes;
});

const CPU_FIX = "write a positive number of cores, e.g. 2 or 0.5";

/** CPUs as a number of cores ("2.0" or 2). */
export const cpus = z.union([z.string(), z.number()], notA("a CPU count", CPU_FIX)).transform((value, ctx) => {
    const cores = parseCpus(value);
    if (cores === undefined) {
        ctx.addIssue({ code: "custom", message: `${show(value)} is not a CPU count. Fix: ${CPU_FIX}` });
        return z.NEVER;
    }
    return cores;
});

const DURATION_FIX = "write it like 10s, 500ms, 2m or 1m30s";

/** A Go duration ("10s", "1m30s"); parsed to seconds. */
export const duration = z.string(notA("a duration", DURATION_FIX)).transform((value, ctx) => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
        ctx.addIssue({ code: "custom", message: `${show(value)} is not a duration. Fix: ${DURATION_FIX}` });
        return z.NEVER;
    }
    return seconds;
});

/** A duration longer than zero (Docker reads 0 as "inherit the image's value"). */
export const positiveDuration = duration.refine((seconds) => seconds > 0, {
    error: "is zero. Fix: write a duration longer than 0, e.g. 10s",
});

/**
 * An IPv4 network for an overlay: a private range (RFC 1918, or the shared 100.64/10), because the
 * containers could no longer reach real hosts inside a public range, and loopback or multicast
 * ranges cannot be routed at all.
 */
export const cidr = z
    .string(notA("an IPv4 network", "write it like 172.20.0.0/16"))
    .refine(isIpv4Cidr, notA("an IPv4 network", "write it like 172.20.0.0/16 (address bits past the prefix must be zero)"))
    .refine((value) => !isIpv4Cidr(value) || ["private", "carrierGradeNat"].includes(cidrRange(value)), {
        error: (issue) => `${show(issue.input)} is not a private network (it is in the ${cidrRange(String(issue.input))} range). Fix: use a range in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. 172.20.0.0/16`,
    });

const PORT = notA("a port number", "write a whole number from 1 to 65535");
export const port = z.int(PORT).min(1, PORT).max(65535, PORT);

const ENV_NAME_FIX = "use letters, digits and _, starting with a letter or _";

/** Environment variables: names as POSIX shells accept them, values as strings. */
export const environment = z.record(
    text(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name", ENV_NAME_FIX),
    z.string({ error: (issue) => `${show(issue.input)} is not text: environment values must be strings. Fix: quote the value, e.g. "true" or "300"` }),
);

/** Swarm placement constraint, e.g. `node.labels.gpu == rtx4090`. */
export const constraint = text(/^[A-Za-z0-9_.\-]+\s*(==|!=)\s*\S+$/, "a placement constraint", "write it like \"node.labels.gpu == rtx4090\"");

/**
 * Kubernetes label syntax (k8s.io/apimachinery validation.IsQualifiedName and IsValidLabelValue):
 * an optional DNS-subdomain prefix of at most 253 characters, a name of at most 63, a value of at
 * most 63. Swarm accepts more, but the same map pins workloads on both platforms.
 */
export function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const prefix = slash < 0 ? "" : key.slice(0, slash);
    const name = key.slice(slash + 1);
    return (slash < 0 || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)))
        && name.length <= 63 && /^[A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9])?$/.test(name);
}

/** A DNS-1123 subdomain (Kubernetes object names, label prefixes, extended resource domains). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const LABEL_FIX = "use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

/** Kubernetes-style label map, used as Swarm node labels and Kubernetes node selectors. */
export const labels = z.record(
    z.string().refine(isLabelKey, notA("a label key", `${LABEL_FIX} (optionally after a domain and /)`)),
    z.string(notA("a label value", `${LABEL_FIX}; quote numbers and true/false`))
        .max(63, notA("a label value", LABEL_FIX))
        .regex(/^([A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9])?)?$/, notA("a label value", LABEL_FIX)),
);

/**
 * The node labels that pin a machine's workloads to it (S5). An empty map pins nothing: the groups
 * could then be scheduled on any node of the swarm or cluster, so it is refused.
 */
export function pinLabels(key: string) {
    return labels.refine((map) => Object.keys(map).length > 0, {
        error: `is empty, which would remove the machine pin (S5): the groups could run on any node. Fix: name at least one label of this machine's node, e.g. ${key}: { system: mainpc }, or remove the key to use the topology's`,
    });
}

/**
 * A Docker image reference as the engine parses it (distribution/reference's grammar, through
 * @swimlane/docker-reference): lower-case repository, optional registry host, tag and digest.
 */
export function imageReferenceProblem(reference: string): string | undefined {
    try {
        parseFamiliarName(reference);
        return undefined;
    } catch (error) {
        return (error as Error).message.replace(/^invalid reference format:?\s*/, "") || "it does not follow the image reference format";
    }
}

export const imageReference = z.string(notA("an image reference", "write it like redis:7.2-alpine or registry.local:5000/cascade/core:1.0"))
    .superRefine((value, ctx) => {
        const problem = imageReferenceProblem(value);
        if (problem !== undefined) {
            ctx.addIssue({
                code: "custom",
                message: `${show(value)} is not an image reference${value === "" ? "" : ` (${problem})`}. Fix: write it like redis:7.2-alpine or registry.local:5000/cascade/core:1.0 (lower case, no spaces)`,
            });
        }
    });
