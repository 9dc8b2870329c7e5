import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import cascade = require("../../index");
import { captureProgram } from "../../plan/capture";
import { readStackFile } from "../../config/stack-file";
import { editConfig, type ConfigEdits, type RunOptions } from "./program";

// The URNs a stack's resources get from the Pulumi engine, and the URNs their `aliases` stand for, so
// a test can hold them against the URNs of deployed stacks. A URN is
// `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is the parent's
// qualified type, `$`, and the resource's own type; the root stack's type is left out
// (resource.NewURN in pulumi/sdk/go/common/resource/urn.go). The engine does not know a resource's
// parent's name: a URN changes with the resource's name or type or with any type above it.
//
// The SDK's mock monitor computes URNs with the parent's own type only and keeps the root stack's
// (newUrn in @pulumi/pulumi runtime/mocks.ts), so the URNs here are derived from the recorded parent
// chain instead; an alias written against a parent's URN is translated from the mock's form.

const PROJECT = "cascade";
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface UrnRecord {
    readonly urn: string;
    /** A component (no state in any provider) or a resource the engine creates through a provider. */
    readonly custom: boolean;
    /** The URNs this resource's aliases resolve to. */
    readonly aliases: readonly string[];
}

interface Registration {
    readonly resource: pulumi.Resource;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent?: pulumi.Resource;
    readonly aliases: readonly pulumi.Input<string | pulumi.Alias>[];
}

/** An Output's value; every value is known under the mocks. */
function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(input).apply((value) => {
        resolve(value as T);
        return value;
    }));
}

/**
 * Runs a committed stack file (with edits) and returns its resources' engine URNs and alias URNs.
 * The SDK's mock monitor does not run transforms given to `registerResourceTransform` (MockResourceArgs
 * in @pulumi/pulumi runtime/mocks.ts), so the options are read with a stack transformation.
 */
export async function stackUrns(stack: "mainpc" | "pc2", edits: ConfigEdits, stackOutputs: RunOptions["stackOutputs"]): Promise<UrnRecord[]> {
    const file = readStackFile(`Pulumi.${stack}.yaml`);
    const registrations: Registration[] = [];
    const program = (options?: Parameters<typeof cascade>[0]) => {
        pulumi.runtime.registerStackTransformation((args) => {
            if (args.type !== STACK_TYPE) {
                registrations.push({
                    resource: args.resource,
                    type: args.type,
                    name: args.name,
                    custom: args.resource instanceof pulumi.CustomResource,
                    parent: args.opts.parent,
                    aliases: args.opts.aliases ?? [],
                });
            }
            return undefined;
        });
        return cascade(options);
    };
    await captureProgram({ project: PROJECT, stack, config: editConfig(file.config, edits), secretKeys: file.secretKeys, stackOutputs, program });
    return resolve(stack, registrations);
}

async function resolve(stack: string, registrations: readonly Registration[]): Promise<UrnRecord[]> {
    const byResource = new Map(registrations.map((r) => [r.resource, r]));
    const qualifiedType = (r: Registration): string => {
        const parent = r.parent ? byResource.get(r.parent) : undefined;
        return parent ? `${qualifiedType(parent)}$${r.type}` : r.type;
    };
    const urnOf = (r: Registration) => `urn:pulumi:${stack}::${PROJECT}::${qualifiedType(r)}::${r.name}`;
    // The mock's URN prefix of each parent, with the engine's qualified type it stands for.
    const mockPrefixes = new Map<string, Set<string>>();
    for (const r of registrations) {
        const mockUrn = await valueOf(r.resource.urn);
        const prefix = mockUrn.slice(0, mockUrn.lastIndexOf("::"));
        mockPrefixes.set(prefix, (mockPrefixes.get(prefix) ?? new Set()).add(qualifiedType(r)));
    }
    const engineUrn = (mockUrn: string): string => {
        const prefix = [...mockPrefixes.keys()].filter((p) => mockUrn.startsWith(`${p}$`)).sort((a, b) => b.length - a.length)[0];
        const types = prefix === undefined ? undefined : mockPrefixes.get(prefix);
        if (prefix === undefined || types === undefined || types.size !== 1) {
            throw new Error(`cannot tell which parent the alias URN ${mockUrn} was built on`);
        }
        return `urn:pulumi:${stack}::${PROJECT}::${[...types][0]}${mockUrn.slice(prefix.length)}`;
    };

    const records: UrnRecord[] = [];
    for (const r of registrations) {
        const aliases: string[] = [];
        for (const input of r.aliases) {
            const alias = await valueOf(input);
            aliases.push(typeof alias === "string" ? engineUrn(alias) : await aliasUrn(r, alias));
        }
        records.push({ urn: urnOf(r), custom: r.custom, aliases });
    }
    return records;

    /** An alias's URN, with the resource's own name, type and parent for what it leaves out (collapseAliasToUrn in @pulumi/pulumi resource.ts). */
    async function aliasUrn(r: Registration, alias: pulumi.Alias): Promise<string> {
        const name = alias.name === undefined ? r.name : await valueOf(alias.name);
        const type = alias.type === undefined ? r.type : await valueOf(alias.type);
        if (alias.stack !== undefined || alias.project !== undefined) {
            throw new Error(`${r.type} ${r.name}: an alias to another stack or project is not a rename inside this one`);
        }
        let parentType: string | undefined;
        if (!("parent" in alias)) {
            const parent = r.parent ? byResource.get(r.parent) : undefined;
            parentType = parent ? qualifiedType(parent) : undefined;
        } else if (alias.parent === undefined) {
            parentType = undefined;
        } else if (pulumi.Resource.isInstance(alias.parent)) {
            const parent = byResource.get(alias.parent);
            if (!parent) {
                throw new Error(`${r.type} ${r.name}: an alias names a parent that is not in this stack`);
            }
            parentType = qualifiedType(parent);
        } else {
            const parentUrn = engineUrn(await valueOf(alias.parent));
            parentType = parentUrn.split("::")[2];
        }
        return `urn:pulumi:${stack}::${PROJECT}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
    }
}

/** The snapshot's line for a resource: what it is, then its URN. */
export function snapshotLine(record: Pick<UrnRecord, "urn" | "custom">): string {
    return `${record.custom ? "resource " : "component"} ${record.urn}`;
}

/**
 * Components the program no longer registers. A component holds no state in any provider, so the
 * engine deletes it without touching anything; its children carry aliases to their old URNs.
 */
const RETIRED_COMPONENT_TYPES: readonly string[] = ["cascade:swarm:Network", "cascade:swarm:Volume", "cascade:swarm:Secrets"];

const typeOf = (urn: string) => urn.split("::")[2].split("$").pop() ?? "";

/** A snapshot file: URN to its line. */
export function readSnapshot(file: string): Map<string, string> {
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
    return new Map(lines.map((line) => [line.slice(line.indexOf(" urn:") + 1), line]));
}

/** What is wrong with a run's URNs against the deployed stack's; empty when every resource is kept. */
export function urnProblems(records: readonly UrnRecord[], snapshot: ReadonlyMap<string, string>): string[] {
    const problems: string[] = [];
    const current = new Set(records.map((r) => r.urn));
    const aliasedBy = new Map<string, UrnRecord[]>();
    for (const record of records) {
        const old = record.aliases.filter((alias) => snapshot.has(alias));
        if (!snapshot.has(record.urn) && old.length === 0) {
            problems.push(`${record.urn} is in no deployed stack: a renamed or moved resource needs an alias to its old URN, a new one a line in the snapshot`);
        }
        for (const alias of old) {
            aliasedBy.set(alias, [...(aliasedBy.get(alias) ?? []), record]);
            if (snapshot.get(alias) !== snapshotLine({ urn: alias, custom: record.custom })) {
                problems.push(`${record.urn} aliases ${alias}, which was a ${record.custom ? "component" : "provider resource"}`);
            }
        }
    }
    for (const [urn, line] of snapshot) {
        const heirs = aliasedBy.get(urn) ?? [];
        if (current.has(urn) && heirs.length > 0) {
            problems.push(`${urn} is registered and also aliased by ${heirs.map((h) => h.urn).join(", ")}`);
        } else if (heirs.length > 1) {
            problems.push(`${urn} is aliased by ${heirs.length} resources: ${heirs.map((h) => h.urn).join(", ")}`);
        } else if (!current.has(urn) && heirs.length === 0 && !(line.startsWith("component") && RETIRED_COMPONENT_TYPES.includes(typeOf(urn)))) {
            problems.push(`${urn} would be deleted: it is no longer registered and no resource has an alias to it`);
        }
    }
    return problems;
}

