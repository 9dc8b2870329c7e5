import * as ipaddr from "ipaddr.js";

// Value formats shared by the schemas, the model and the components. Pure: no Pulumi imports.

const MEMORY_UNITS: Readonly<Record<string, number>> = {
    "": 1,
    b: 1,
    k: 1024,
    m: 1024 ** 2,
    g: 1024 ** 3,
    t: 1024 ** 4,
};

/**
 * Parses a memory size the way Docker and Compose do ("512M", "2G", "1.5g", "80GiB"): binary units,
 * case-blind, optional "i"/"b". Returns bytes, or undefined when the text is not a size.
 */
export function parseMemory(text: string): number | undefined {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
    if (!match) {
        return undefined;
    }
    const bytes = Number(match[1]) * MEMORY_UNITS[match[2].toLowerCase()];
    return Number.isFinite(bytes) ? Math.round(bytes) : undefined;
}

/** Bytes as the largest whole binary unit that divides them, for plans and messages: "2G", "512M". */
export function formatMemory(bytes: number): string {
    for (const [unit, size] of [["T", 1024 ** 4], ["G", 1024 ** 3]] as const) {
        if (bytes >= size && bytes % size === 0) {
            return `${bytes / size}${unit}`;
        }
    }
    // Above a gigabyte, two decimals read better than an exact count of megabytes.
    if (bytes >= 1024 ** 3) {
        return `${(bytes / 1024 ** 3).toFixed(2)}G`;
    }
    for (const [unit, size] of [["M", 1024 ** 2], ["K", 1024]] as const) {
        if (bytes >= size && bytes % size === 0) {
            return `${bytes / size}${unit}`;
        }
    }
    return `${bytes}B`;
}

/**
 * What a group's agents' memory limits add up to (each limits its process inside the group's
 * container), or undefined when none declares one: the validator, the model and the policy pack's
 * check of the recorded manifest all add them so.
 */
export function agentMemorySum(limits: readonly (number | undefined)[]): number | undefined {
    const declared = limits.filter((l): l is number => l !== undefined);
    return declared.length > 0 ? declared.reduce((sum, l) => sum + l, 0) : undefined;
}

/** CPUs as written in the seed ("2.0", 2, "0.5"). Returns cores, or undefined when not a positive number. */
export function parseCpus(value: string | number): number | undefined {
    const cores = typeof value === "number" ? value : /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    return Number.isFinite(cores) && cores > 0 ? cores : undefined;
}

/** Docker's nano-CPUs (1e-9 CPU), rounded to a whole number as the API requires. */
export function nanoCpus(cores: number): number {
    return Math.round(cores * 1e9);
}

export const NS_PER_SECOND = 1_000_000_000n;

/** Go's duration units (time.ParseDuration), in nanoseconds. */
const GO_DURATION_UNITS: Readonly<Record<string, bigint>> = { ns: 1n, us: 1000n, "µs": 1000n, ms: 1_000_000n, s: NS_PER_SECOND, m: 60n * NS_PER_SECOND, h: 3600n * NS_PER_SECOND };

/**
 * Go's time.ParseDuration, exactly (nanoseconds), for durations written as a sequence of numbers
 * with units ("1m30s", "1.5h"); undefined when the text is not one, or uses a unit not in `units`.
 */
export function parseGoDuration(text: string, units: readonly string[] = Object.keys(GO_DURATION_UNITS)): bigint | undefined {
    const parts = [...text.matchAll(/(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text || parts.some((p) => !units.includes(p[3]))) {
        return undefined;
    }
    let total = 0n;
    for (const [, whole, fraction = "", unit] of parts) {
        const scale = GO_DURATION_UNITS[unit];
        total += BigInt(whole) * scale + (BigInt(fraction || "0") * scale) / BigInt(10 ** fraction.length);
    }
    return total;
}

/** Parses a Go/Compose duration as the config writes them ("10s", "1m30s", "500ms"). Returns seconds, or undefined. */
export function parseDuration(text: string): number | undefined {
    const nanoseconds = parseGoDuration(text, ["ms", "s", "m", "h"]);
    return nanoseconds === undefined ? undefined : Number(nanoseconds) / 1e9;
}

/** True for an IPv4 CIDR such as 172.20.0.0/16 whose address has no bits set past the prefix. */
export function isIpv4Cidr(text: string): boolean {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
        return false;
    }
    return ipaddr.IPv4.networkAddressFromCIDR(text).toString() === text.slice(0, text.indexOf("/"));
}

/** How many addresses an IPv4 CIDR spans (a /24 spans 256). */
export function cidrAddresses(text: string): number {
    return 2 ** (32 - ipaddr.IPv4.parseCIDR(text)[1]);
}

/** The address range an IPv4 CIDR lies in, as ipaddr.js names it: "private", "loopback", "unicast", ... */
export function cidrRange(text: string): string {
    return ipaddr.IPv4.parseCIDR(text)[0].range();
}

/** The network of this CIDR's address at another prefix length: 172.20.0.128/32 at 24 is 172.20.0.0/24. */
export function cidrWithPrefix(text: string, prefix: number): string {
    const address = text.slice(0, text.indexOf("/"));
    return `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefix}`).toString()}/${prefix}`;
}

/** True when two IPv4 CIDRs share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const [first, firstPrefix] = ipaddr.IPv4.parseCIDR(a);
    const [second, secondPrefix] = ipaddr.IPv4.parseCIDR(b);
    return first.match(second, Math.min(firstPrefix, secondPrefix));
}
