import { NS_PER_SECOND, parseGoDuration } from "../../config/units";

// How the Docker provider reads back each input this program sets, and the values the program writes
// in exactly that form. Pure: no Pulumi imports, so the plan and the tests use the same rules.
//
// After a create or an update the provider stores what its Read function returns, and the next
// preview diffs the program's inputs against that. An input written in another form than the one
// Read produces shows as a change on every preview (an update of every Swarm service, which then
// waits for convergence), and on a ForceNew field as a replacement. @pulumi/docker 5.2.0 bridges
// kreuzwerker/terraform-provider-docker v4.5.0; every function named below is in its
// internal/provider/ directory.


/** Go's time.ParseDuration ("0" too), in nanoseconds; a text that is not a duration is the program's own mistake. */
function goDuration(text: string): bigint {
    const nanoseconds = text === "0" ? 0n : parseGoDuration(text);
    if (nanoseconds === undefined) {
        throw new Error(`${JSON.stringify(text)} is not a Go duration`);
    }
    return nanoseconds;
}

/** The digits of a fraction of `scale`, without trailing zeros, as Go's fmtFrac writes them. */
function fraction(value: bigint, scale: bigint): string {
    const digits = (value % scale).toString().padStart(scale.toString().length - 1, "0").replace(/0+$/, "");
    return digits === "" ? "" : `.${digits}`;
}

/** Go's time.Duration.String(): "30s", "1m0s", "1m30s", "1h0m0s", "500ms", "0s". */
export function goDurationString(nanoseconds: bigint): string {
    if (nanoseconds === 0n) {
        return "0s";
    }
    if (nanoseconds < 1000n) {
        return `${nanoseconds}ns`;
    }
    if (nanoseconds < 1_000_000n) {
        return `${nanoseconds / 1000n}${fraction(nanoseconds, 1000n)}µs`;
    }
    if (nanoseconds < NS_PER_SECOND) {
        return `${nanoseconds / 1_000_000n}${fraction(nanoseconds, 1_000_000n)}ms`;
    }
    const seconds = nanoseconds / NS_PER_SECOND;
    const secondsPart = `${seconds % 60n}${fraction(nanoseconds, NS_PER_SECOND)}s`;
    const minutes = seconds / 60n;
    if (minutes === 0n) {
        return secondsPart;
    }
    const hours = minutes / 60n;
    return hours === 0n ? `${minutes}m${secondsPart}` : `${hours}h${minutes % 60n}m${secondsPart}`;
}

/**
 * resource_docker_service_structures.go shortDur: Go's Duration.String() with a trailing "m0s" cut
 * to "m", then a trailing "h0m" to "h" ("2m0s" -> "2m", "1h0m0s" -> "1h", "1m30s" stays).
 */
export function shortDur(text: string): string {
    let s = goDurationString(goDuration(text));
    if (s.endsWith("m0s")) {
        s = s.slice(0, -2);
    }
    if (s.endsWith("h0m")) {
        s = s.slice(0, -2);
    }
    return s;
}

/** resource_docker_container_funcs.go resourceDockerContainerRead: healthcheck durations go through Duration.String(). */
export function durationString(text: string): string {
    return goDurationString(goDuration(text));
}

/**
 * helpers.go nanoInt64ToDecimalString, with its quirks: whole numbers of CPUs with exactly nine zeros
 * in their nine-decimal form get one decimal ("2" -> "2.0"), other values lose their trailing zeros
 * ("1.50" -> "1.5"; and "10" -> "10.", since "10.000000000" has ten zeros).
 */
export function nanoInt64ToDecimalString(nano: bigint): string {
    if (nano === 0n) {
        return "0";
    }
    const nine = `${nano / NS_PER_SECOND}.${(nano % NS_PER_SECOND).toString().padStart(9, "0")}`;
    if ((nine.match(/0/g) ?? []).length === 9) {
        // big.Rat.FloatString(1): rounds half away from zero to one decimal.
        const tenths = (nano + 50_000_000n) / 100_000_000n;
        return `${tenths / 10n}.${tenths % 10n}`;
    }
    return nine.replace(/0+$/, "");
}

/** How the container's `cpus` string comes back: parsed by the provider to nano-CPUs, then read back. */
export function containerCpusReadBack(text: string): string {
    return nanoInt64ToDecimalString(BigInt(Math.round(Number(text) * 1e9)));
}

/**
 * resource_docker_service_structures.go flattenServiceUpdateOrRollbackConfig:
 * strconv.FormatFloat(float64(MaxFailureRatio), 'f', 1, 64) of the float32 Docker stores; Go rounds
 * an exact tie to even (0.25 -> "0.2").
 */
export function failureRatioReadBack(text: string): string {
    const stored = Math.fround(Number(text)) * 10;
    const floor = Math.floor(stored);
    const rest = stored - floor;
    const tenths = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
    return (tenths / 10).toFixed(1);
}

/**
 * resource_docker_container_funcs.go resourceDockerContainerRead sets `capabilities` from
 * HostConfig.CapAdd/CapDrop as the engine reports them. Docker 20.10 stores them as sent; newer engines
 * normalise names to their CAP_ form ("ALL" stays), so the CAP_ form reads back unchanged on both.
 */
export function capabilityReadBack(name: string): string {
    const upper = name.toUpperCase();
    return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

/**
 * resource_docker_network_structures.go flattenIpamConfigSpec copies the Gateway that Docker's IPAM
 * allocated (the subnet's first address, seen on Docker 20.10: 172.20.0.0/16 -> 172.20.0.1) into
 * `ipam_config`, a ForceNew set: a config with only a subnet reads back with a gateway and replaces
 * the network. Writing that gateway keeps the set as Docker reports it.
 */
export function subnetGateway(subnet: string): string {
    const [address] = subnet.split("/");
    const octets = address.split(".").map(Number);
    const value = octets.reduce((acc, o) => acc * 256 + o, 0) + 1;
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

// The values the components write, each in its read-back form.

/** A Swarm service duration (restart policy, update/rollback config, healthcheck, grace period). */
export function serviceDuration(seconds: number): string {
    return shortDur(`${seconds}s`);
}

/** A standalone container's healthcheck duration. */
export function containerDuration(seconds: number): string {
    return durationString(`${seconds}s`);
}

/** A standalone container's CPU limit. */
export function containerCpus(cores: number): string {
    return containerCpusReadBack(String(cores));
}

/** A Swarm update or rollback config's failure ratio. */
export function failureRatio(ratio: number): string {
    return failureRatioReadBack(String(ratio));
}
