import type { ICruiseResult, IForbiddenRuleType } from "dependency-cruiser";

// The direction every import must run, written once: each layer may import its own files and the
// layers before it, never one after it. Data flows config -> model -> components -> index.ts (the
// program); the captured resources are what the program registers, read back; the policy rules read
// the model's facts and the captured resources; the plan runs the program and the rules; the Day-2
// commands, the benchmark, the engine suite and the tests sit on top.

export interface Layer {
    readonly name: string;
    /** What the layer holds, as a path relative to the project root: a folder ("config/") or a file. */
    readonly path: string;
}

export const LAYERS: readonly Layer[] = [
    { name: "lib", path: "lib/" },
    { name: "config", path: "config/" },
    { name: "model", path: "model/" },
    { name: "components", path: "components/" },
    { name: "index", path: "index.ts" },
    { name: "captured", path: "captured/" },
    { name: "policy", path: "policy/" },
    { name: "plan", path: "plan/" },
    { name: "ops", path: "ops/" },
    { name: "bench", path: "bench/" },
    { name: "engine", path: "engine/" },
    { name: "tests", path: "tests/" },
];

/** The layers that read files and validate or derive data only: no Pulumi SDK, so they run anywhere. */
export const WITHOUT_PULUMI: readonly string[] = ["lib", "config", "model"];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (layers: readonly Layer[]) => `^(${layers.map((l) => escape(l.path) + (l.path.endsWith("/") ? "" : "$")).join("|")})`;

/** The rules, in dependency-cruiser's terms: no cycle, no import of a later layer, no Pulumi below components. */
export function layerRules(layers: readonly Layer[] = LAYERS): IForbiddenRuleType[] {
    const byName = new Map(layers.map((l) => [l.name, l]));
    return [
        { name: "no-cycle", severity: "error", from: {}, to: { circular: true } },
        ...layers.slice(0, -1).map((layer, i): IForbiddenRuleType => ({
            name: `${layer.name}-imports-a-later-layer`,
            comment: `${layer.name} may import only ${layers.slice(0, i + 1).map((l) => l.name).join(", ")}`,
            severity: "error",
            from: { path: pattern([layer]) },
            to: { path: pattern(layers.slice(i + 1)) },
        })),
        {
            name: "pulumi-below-components",
            severity: "error",
            from: { path: pattern(WITHOUT_PULUMI.flatMap((name) => byName.get(name) ?? [])) },
            to: { path: "@pulumi/" },
        },
    ];
}

export interface GraphReport {
    /** How many of the project's own files were read. */
    readonly modules: number;
    /** One line per broken rule: the rule, the import, and the cycle it closes. */
    readonly violations: readonly string[];
    /** The project's own files that no layer holds. */
    readonly outside: readonly string[];
}

/** Reads the import graph of every .ts file under baseDir (type-only imports included) and checks the rules. */
export async function checkImportGraph(baseDir: string, layers: readonly Layer[] = LAYERS): Promise<GraphReport> {
    const { cruise } = await import("dependency-cruiser");
    const result = await cruise(["."], {
        baseDir,
        exclude: { path: "^(node_modules|plan-out|\\.engine-work)/" },
        doNotFollow: { path: "node_modules" },
        // `import type` counts: a cycle of types is still a cycle a reader must untangle.
        tsPreCompilationDeps: true,
        validate: true,
        ruleSet: { forbidden: layerRules(layers) },
    });
    const output = result.output as ICruiseResult;
    const own = output.modules.filter((m) => !m.coreModule && !m.couldNotResolve && !m.source.startsWith("node_modules/"));
    const inLayer = new RegExp(pattern(layers));
    return {
        modules: own.length,
        violations: output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(" -> ")})` : ""}`),
        outside: own.map((m) => m.source).filter((source) => source.endsWith(".ts") && !inLayer.test(source)),
    };
}
