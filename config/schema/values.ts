import { z } from "zod";
import { isIpv4Cidr, parseCpus, parseDuration, parseMemory } from "../../model/units";

// Value schemas shared by the topology file and the stack config. Each one turns the text an operator
// writes into the number the model computes with, or fails with a message that says how to write it.

/** A memory size such as "512M" or "2G"; parsed to bytes. */
export const memory = z.union([z.string(), z.number()]).transform((value, ctx) => {
    const bytes = typeof value === "number" ? value : parseMemory(value);
    if (bytes === undefined || bytes <= 0) {
        ctx.addIssue({
            code: "custom",
            message: `${JSON.stringify(value)} is not a memory size. Fix: write a number with a binary unit, e.g. 512M or 2G`,
        });
        return z.NEVER;
    }
    return bytes;
});

/** CPUs as a number of cores ("2.0" or 2). */
export const cpus = z.union([z.string(), z.number()]).transform((value, ctx) => {
    const cores = parseCpus(value);
    if (cores === undefined) {
        ctx.addIssue({
            code: "custom",
            message: `${JSON.stringify(value)} is not a CPU count. Fix: write a positive number of cores, e.g. 2 or 0.5`,
        });
        return z.NEVER;
    }
    return cores;
});

/** A Go duration ("10s", "1m30s"); parsed to seconds. */
export const duration = z.string().transform((value, ctx) => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
        ctx.addIssue({
            code: "custom",
            message: `${JSON.stringify(value)} is not a duration. Fix: write it like 10s, 500ms, 2m or 1m30s`,
        });
        return z.NEVER;
    }
    return seconds;
});

export const cidr = z.string().refine(isIpv4Cidr, {
    error: (issue) =>
        `${JSON.stringify(issue.input)} is not an IPv4 network. Fix: write it like 172.20.0.0/16 (address bits past the prefix must be zero)`,
});

export const port = z
    .int({ error: (issue) => `${JSON.stringify(issue.input)} is not a port number. Fix: write a whole number from 1 to 65535` })
    .min(1)
    .max(65535);

/** Environment variables: names as POSIX shells accept them, values as strings. */
export const environment = z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not an environment variable name. Fix: use letters, digits and _`,
    }),
    z.string({ error: "environment values must be strings. Fix: quote the value, e.g. \"true\" or \"300\"" }),
);

/** Swarm placement constraint, e.g. `node.labels.gpu == rtx4090`. */
export const constraint = z.string().regex(/^[A-Za-z0-9_.\-]+\s*(==|!=)\s*\S+$/, {
    error: (issue) =>
        `${JSON.stringify(issue.input)} is not a placement constraint. Fix: write it like "node.labels.gpu == rtx4090"`,
});

/** Kubernetes-style label map, used as Swarm node labels and Kubernetes node selectors. */
export const labels = z.record(
    z.string().regex(/^([a-z0-9.\-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9])?$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a label key. Fix: use letters, digits, '-', '_' and '.'`,
    }),
    z.string().regex(/^([A-Za-z0-9]([A-Za-z0-9_.\-]*[A-Za-z0-9])?)?$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a label value. Fix: use letters, digits, '-', '_' and '.'`,
    }),
);
