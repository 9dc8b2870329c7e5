import { expect } from "chai";
import {
    capabilityReadBack,
    containerCpusReadBack,
    durationString,
    failureRatioReadBack,
    nanoInt64ToDecimalString,
    shortDur,
    subnetGateway,
} from "../components/swarm/read-back";
import { FILLED_BY_ENGINE, READ_BACK_FIELDS, READ_BACK_TYPES, type ReadBackField } from "../components/swarm/read-back-fields";
import type { CapturedResource } from "../captured/resource";
import { runStack, type ConfigEdits, type StackRun } from "./support/program";

// A second `pulumi up` must change nothing. The Docker provider stores what its Read returns, and the
// next preview diffs the program's inputs against that: every input must already be in its read-back
// form. This checks every input of every Docker resource of both stacks against the table of
// read-back rules (components/swarm/read-back-fields.ts), which names the upstream function for each.

/** The Swarm configurations checked: the committed stack files, and the settings that change Docker inputs. */
const VARIANTS: readonly { readonly name: string; readonly mainpc: ConfigEdits; readonly pc2: ConfigEdits | undefined }[] = [
    { name: "committed", mainpc: {}, pc2: {} },
    {
        name: "dnsrr endpoints",
        mainpc: { "cascade:swarm": { endpointMode: "dnsrr" }, "cascade:groups": { "cascade-request-handler": { replicas: 1 } } },
        pc2: { "cascade:swarm": { endpointMode: "dnsrr" } },
    },
    {
        name: "SYS_ADMIN opted in, other subnet",
        mainpc: { "cascade:audio": { allowSysAdmin: true }, "cascade:network": { internalSubnet: "10.44.0.0/16" } },
        // Nothing of this reaches pc2's resources.
        pc2: undefined,
    },
];

interface Leaf {
    readonly path: string;
    readonly value: unknown;
}

/** A Pulumi secret as the mocks pass it: the value under the secret signature's wrapper. */
function unwrapSecret(value: Record<string, unknown>): unknown {
    return "4dabf18193072939515e22adb298388d" in value ? value.value : value;
}

/** Every leaf of a resource's inputs, with list indexes written as `[]`. */
function leaves(value: unknown, path = ""): Leaf[] {
    if (Array.isArray(value)) {
        // An empty list is still a field the program sets.
        return value.length === 0 ? [{ path: `${path}[]`, value: undefined }] : value.flatMap((v) => leaves(v, `${path}[]`));
    }
    if (value !== null && typeof value === "object") {
        const unwrapped = unwrapSecret(value as Record<string, unknown>);
        if (unwrapped !== value) {
            return leaves(unwrapped, path);
        }
        return Object.entries(value).flatMap(([key, v]) => leaves(v, path === "" ? key : `${path}.${key}`));
    }
    return [{ path, value }];
}

function matches(pattern: string, path: string): boolean {
    const escaped = pattern.replace(/[.[\]]/g, (c) => `\\${c}`).replace(/\*/g, "[^.]+");
    return new RegExp(`^${escaped}$`).test(path);
}

/** The rule for a leaf; an empty list (`ports[]` with no element) is covered by the rules of its elements. */
function ruleFor(type: string, leaf: Leaf): ReadBackField | undefined {
    const emptyList = leaf.value === undefined && leaf.path.endsWith("[]");
    return READ_BACK_FIELDS.find((f) => f.type === type
        && (matches(f.path, leaf.path) || (emptyList && matches(f.path.slice(0, leaf.path.length), leaf.path))));
}

const runs: { variant: string; stack: string; run: StackRun }[] = [];
before(async function () {
    for (const variant of VARIANTS) {
        const mainpc = await runStack("mainpc", variant.mainpc);
        runs.push({ variant: variant.name, stack: "mainpc", run: mainpc });
        if (variant.pc2) {
            const pc2 = await runStack("pc2", variant.pc2, { stackOutputs: { "organization/cascade/mainpc": mainpc.outputs } });
            runs.push({ variant: variant.name, stack: "pc2", run: pc2 });
        }
    }
});

const dockerResources = (): { where: string; resource: CapturedResource }[] =>
    runs.flatMap(({ variant, stack, run }) => run.resources
        .filter((r) => READ_BACK_TYPES.includes(r.type))
        .map((resource) => ({ where: `${stack} (${variant}) ${resource.name}`, resource })));

describe("provider read-back: the read-back functions match upstream's behaviour", () => {
    const cases: readonly [string, (s: string) => string, string, string][] = [
        // resource_docker_service_structures.go shortDur
        ["shortDur", shortDur, "2m0s", "2m"],
        ["shortDur", shortDur, "120s", "2m"],
        ["shortDur", shortDur, "90s", "1m30s"],
        ["shortDur", shortDur, "3600s", "1h"],
        ["shortDur", shortDur, "30s", "30s"],
        ["shortDur", shortDur, "0.5s", "500ms"],
        ["shortDur", shortDur, "0s", "0s"],
        // Go's Duration.String(), as container healthchecks are read back
        ["Duration.String", durationString, "60s", "1m0s"],
        ["Duration.String", durationString, "1m", "1m0s"],
        ["Duration.String", durationString, "5400s", "1h30m0s"],
        // helpers.go nanoInt64ToDecimalString (its own test table: 1.0, 1.5, 2.0, 2.25), and its quirk at 10
        ["nanoInt64ToDecimalString", containerCpusReadBack, "1", "1.0"],
        ["nanoInt64ToDecimalString", containerCpusReadBack, "1.5", "1.5"],
        ["nanoInt64ToDecimalString", containerCpusReadBack, "2", "2.0"],
        ["nanoInt64ToDecimalString", containerCpusReadBack, "2.25", "2.25"],
        ["nanoInt64ToDecimalString", containerCpusReadBack, "0.5", "0.5"],
        ["nanoInt64ToDecimalString", containerCpusReadBack, "10", "10."],
        // strconv.FormatFloat(float64(float32(r)), 'f', 1, 64)
        ["FormatFloat", failureRatioReadBack, "0", "0.0"],
        ["FormatFloat", failureRatioReadBack, "0.3", "0.3"],
        ["FormatFloat", failureRatioReadBack, "0.25", "0.2"],
        ["FormatFloat", failureRatioReadBack, "1", "1.0"],
        // capabilities as newer engines normalise them
        ["capabilities", capabilityReadBack, "SYS_NICE", "CAP_SYS_NICE"],
        ["capabilities", capabilityReadBack, "ALL", "ALL"],
        ["capabilities", capabilityReadBack, "cap_sys_admin", "CAP_SYS_ADMIN"],
        // the gateway Docker's IPAM allocates
        ["gateway", subnetGateway, "172.20.0.0/16", "172.20.0.1"],
        ["gateway", subnetGateway, "10.44.255.0/24", "10.44.255.1"],
    ];
    for (const [name, readBack, sent, stored] of cases) {
        it(`${name}: ${JSON.stringify(sent)} reads back as ${JSON.stringify(stored)}`, () => {
            expect(readBack(sent)).to.equal(stored);
        });
    }

    it("nanoInt64ToDecimalString of 0 is 0", () => {
        expect(nanoInt64ToDecimalString(0n)).to.equal("0");
    });
});

describe("provider read-back: every Docker input of both stacks is in its read-back form", () => {
    for (const field of READ_BACK_FIELDS) {
        const form = field.readBack ? "reads back unchanged" : "is stored as sent";
        it(`${field.type.split("/").pop()} ${field.path} ${form} (${field.upstream})`, () => {
            let checked = 0;
            for (const { where, resource } of dockerResources().filter((r) => r.resource.type === field.type)) {
                for (const leaf of leaves(resource.inputs).filter((l) => matches(field.path, l.path))) {
                    checked += 1;
                    if (field.readBack && leaf.value !== undefined) {
                        const sent = String(leaf.value);
                        expect(field.readBack(sent), `${where} ${leaf.path} ${JSON.stringify(sent)}${field.forceNew ? " (ForceNew: a replacement)" : ""}`).to.equal(sent);
                    }
                }
            }
            // A rule no resource exercises is a stale rule: the program stopped setting that field.
            expect(checked, `no ${field.type} sets ${field.path}`).to.be.greaterThan(0);
        });
    }

    it("has a read-back rule for every input the program sets", () => {
        const unknown = new Set<string>();
        for (const { resource } of dockerResources()) {
            for (const leaf of leaves(resource.inputs)) {
                if (!ruleFor(resource.type, leaf)) {
                    unknown.add(`${resource.type} ${leaf.path}`);
                }
            }
        }
        expect([...unknown], "inputs without a read-back rule in components/swarm/read-back-fields.ts").to.deep.equal([]);
    });
});

describe("provider read-back: values the engine fills in", () => {
    for (const filled of FILLED_BY_ENGINE) {
        const remedy = filled.remedy === "set" ? "is set by the program" : "is in ignoreChanges";
        it(`${filled.type.split("/").pop()} ${filled.path} ${remedy}: ${filled.why} (${filled.upstream})`, () => {
            const resources = dockerResources().filter((r) => r.resource.type === filled.type);
            expect(resources).to.not.be.empty;
            for (const { where, resource } of resources) {
                if (filled.remedy === "set") {
                    expect(leaves(resource.inputs).some((l) => l.path === filled.path), `${where} leaves ${filled.path} unset`).to.equal(true);
                } else {
                    expect(resource.options.ignoreChanges, where).to.include(filled.path);
                    expect(leaves(resource.inputs).some((l) => l.path.startsWith(filled.path)), `${where} sets ${filled.path}`).to.equal(false);
                }
            }
        });
    }

    it("ignores no other change: every input the program sets is diffed", () => {
        const ignorable = new Set(FILLED_BY_ENGINE.filter((f) => f.remedy === "ignore").map((f) => `${f.type} ${f.path}`));
        for (const { where, resource } of dockerResources()) {
            for (const path of resource.options.ignoreChanges) {
                expect(ignorable.has(`${resource.type} ${path}`), `${where} ignores ${path}`).to.equal(true);
            }
        }
    });
});
