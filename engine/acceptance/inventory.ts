import { LABEL } from "../../components/labels";
import { docker } from "./docker";

// The Cascade objects on the engine: everything the program's rendered files create carries its
// `cascade.managed-by=pulumi` label (services, containers, networks, volumes, secrets), and the suite's
// own helper service carries ANCHOR_LABEL. Before a run, any of them means the engine holds somebody's
// deployment, which the suite must not touch; after a run, they are exactly what to remove.

export const MANAGED = `${LABEL.managedBy}=pulumi`;
export const ANCHOR_LABEL = "cascade.acceptance=anchor";

export type Kind = "service" | "container" | "network" | "volume" | "secret";

export interface Inventory {
    readonly kind: Kind;
    readonly names: readonly string[];
}

const LIST: Readonly<Record<Kind, readonly string[]>> = {
    service: ["service", "ls", "--format", "{{.Name}}"],
    container: ["ps", "-a", "--format", "{{.Names}}"],
    network: ["network", "ls", "--format", "{{.Name}}"],
    volume: ["volume", "ls", "--format", "{{.Name}}"],
    secret: ["secret", "ls", "--format", "{{.Name}}"],
};

const SWARM_KINDS: readonly Kind[] = ["service", "secret"];

async function names(kind: Kind, label: string): Promise<string[]> {
    return (await docker([...LIST[kind], "--filter", `label=${label}`])).split("\n").filter(Boolean).sort();
}

/** Every Cascade object of each kind (services and secrets only when the engine is a swarm manager). */
export async function cascadeObjects(swarmManager: boolean): Promise<Inventory[]> {
    const kinds = (Object.keys(LIST) as Kind[]).filter((k) => swarmManager || !SWARM_KINDS.includes(k));
    const found = await Promise.all(kinds.map(async (kind) => ({
        kind,
        names: [...new Set([...(await names(kind, MANAGED)), ...(kind === "service" ? await names(kind, ANCHOR_LABEL) : [])])],
    })));
    return found.filter((i) => i.names.length > 0);
}

export function describeInventory(inventory: readonly Inventory[]): string {
    return inventory.map((i) => `${i.kind}s: ${i.names.join(", ")}`).join("; ");
}
