import * as ipaddr from "ipaddr.js";
import { execIn } from "./docker";
import type { ContainerRef } from "./engines";
import type { RenderedAgent } from "./rendered";

// Service discovery as an agent sees it: from inside a container, resolve `<agent>.<group>.cascade`
// through the engine's DNS and fetch the agent's port over HTTP (the stand-in answers GET / with the
// agent's name, so a reply proves the name reached the right agent). One `docker exec` runs every
// probe. `timeout` bounds each fetch (busybox wget's own -T crashes in this busybox build).

export interface ProbeResult {
    readonly target: string;
    readonly addresses: readonly string[];
    readonly reply: string;
}

const SCRIPT = `probe() {
    addresses=$(nslookup "$1" 2>/dev/null | awk '/^Name:/ { found = 1 } found && /^Address/ { print $2 }' | tr '\\n' ' ')
    reply=$(timeout 3 wget -q -O - "http://$1:$2/" 2>/dev/null | tr -d '\\n')
    echo "$1:$2|$addresses|$reply"
}
`;

/** True when `address` is an IPv4 address inside the IPv4 CIDR `subnet`. */
function inSubnet(address: string, subnet: string): boolean {
    const parsed = ipaddr.isValid(address) ? ipaddr.parse(address) : undefined;
    return parsed instanceof ipaddr.IPv4 && parsed.match(ipaddr.IPv4.parseCIDR(subnet));
}

export async function probeAgents(container: ContainerRef, targets: readonly { dnsName: string; port: number }[]): Promise<ProbeResult[]> {
    const script = SCRIPT + targets.map((t) => `probe ${t.dnsName} ${t.port}`).join("\n");
    const result = await execIn(container, script);
    if (result.code !== 0) {
        throw new Error(`the probes in ${container.id} exited ${String(result.code)}: ${result.stderr}`);
    }
    return result.stdout.trim().split("\n").map((line) => {
        const [target, addresses, reply] = line.split("|");
        return { target, addresses: addresses.trim().split(/\s+/).filter(Boolean), reply: reply ?? "" };
    });
}

/** Every target that did not resolve into the subnet or did not answer with its agent's name. */
export function failedProbes(results: readonly ProbeResult[], agents: readonly RenderedAgent[], subnet: string): string[] {
    return agents.flatMap((agent) => {
        const result = results.find((r) => r.target === `${agent.dnsName}:${agent.port}`);
        if (!result || result.addresses.length === 0) {
            return [`${agent.dnsName} did not resolve`];
        }
        if (!result.addresses.every((a) => inSubnet(a, subnet))) {
            return [`${agent.dnsName} resolved to ${result.addresses.join(", ")}, outside ${subnet}`];
        }
        return result.reply === agent.name ? [] : [`${agent.dnsName}:${agent.port} answered "${result.reply}" instead of "${agent.name}"`];
    });
}
