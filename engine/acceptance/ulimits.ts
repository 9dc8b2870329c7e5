import * as fs from "fs";

// Whether this machine can grant a container a ulimit. runc raises a container's hard limit above the
// engine's own only with CAP_SYS_RESOURCE; a sandbox that drops it from the bounding set (this kind of
// machine does) makes `rtprio 95` fail with "error setting rlimit type 14: operation not permitted".
// The suite runs beside the engine, as root, so its own limits and capabilities are the engine's.

/** The rows of /proc/<pid>/limits for the ulimit names the topology schema allows. */
const LIMIT_ROWS: Readonly<Record<string, string>> = {
    rtprio: "Max realtime priority",
    memlock: "Max locked memory",
    nofile: "Max open files",
    nproc: "Max processes",
    nice: "Max nice priority",
    core: "Max core file size",
    stack: "Max stack size",
};

const CAP_SYS_RESOURCE = 24;

function hasSysResource(status: string): boolean {
    const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    return hex !== undefined && (BigInt(`0x${hex}`) & (1n << BigInt(CAP_SYS_RESOURCE))) !== 0n;
}

/** The hard limit of this process for a ulimit name; undefined when unlimited or unknown. */
function hardLimit(limits: string, name: string): number | undefined {
    const row = LIMIT_ROWS[name];
    const line = row === undefined ? undefined : limits.split("\n").find((l) => l.startsWith(row));
    const hard = line?.slice(row?.length).trim().split(/\s+/)[1];
    return hard === undefined || hard === "unlimited" ? undefined : Number(hard);
}

/** The largest value up to `wanted` that a container can be given here. */
export function grantableUlimit(name: string, wanted: number): number {
    if (hasSysResource(fs.readFileSync("/proc/self/status", "utf8"))) {
        return wanted;
    }
    const hard = hardLimit(fs.readFileSync("/proc/self/limits", "utf8"), name);
    return hard === undefined ? wanted : Math.min(wanted, hard);
}
