import * as path from "path";
import * as ts from "typescript";
import { KINDS, typingsOf } from "./kinds";

// kubernetes-models validates types, enums, required fields and quantities, but its compiled schemas
// allow any extra field, which the API server would drop (or, with strict field validation, reject).
// This check walks each object against the package's own TypeScript typings, which list every field
// of the OpenAPI schema: a key the typings do not declare is an unknown field.

const ROOT = path.resolve(__dirname, "../../..");
const ENTRY = path.join(ROOT, "__kubernetes_kinds__.ts");

interface TypeIndex {
    readonly checker: ts.TypeChecker;
    readonly kinds: ReadonlyMap<string, ts.Type>;
}

let index: TypeIndex | undefined;

/** One small program that imports the typings of every kind in KINDS; built once per test run. */
function typeIndex(): TypeIndex {
    if (index) {
        return index;
    }
    const keys = Object.keys(KINDS);
    const source = [
        ...keys.map((key, i) => `import type { ${typingsOf(key).interfaceName} as K${i} } from "${typingsOf(key).module}";`),
        `export interface Kinds { ${keys.map((key, i) => `${JSON.stringify(key)}: K${i};`).join(" ")} }`,
    ].join("\n");
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.getSourceFile = (file, language, ...rest) => (file === ENTRY ? ts.createSourceFile(file, source, language) : getSourceFile(file, language, ...rest));
    host.fileExists = (file) => file === ENTRY || fileExists(file);
    const program = ts.createProgram({ rootNames: [ENTRY], options, host });
    const checker = program.getTypeChecker();
    const entry = program.getSourceFile(ENTRY);
    const symbol = entry && checker.getSymbolAtLocation(entry);
    const kindsSymbol = symbol && checker.getExportsOfModule(symbol).find((s) => s.name === "Kinds");
    if (!kindsSymbol) {
        throw new Error("cannot read the kubernetes-models typings");
    }
    const kindsType = checker.getDeclaredTypeOfSymbol(kindsSymbol);
    const kinds = new Map(keys.map((key) => {
        const property = kindsType.getProperty(key);
        if (!property) {
            throw new Error(`no typings for ${key}`);
        }
        return [key, checker.getTypeOfSymbol(property)];
    }));
    index = { checker, kinds };
    return index;
}

/** Paths of the fields of `object` that the kind's typings do not declare (empty when all are known). */
export function unknownFields(key: string, object: unknown): string[] {
    const { checker, kinds } = typeIndex();
    const type = kinds.get(key);
    if (!type) {
        return [`(${key} has no typings)`];
    }
    const found: string[] = [];
    walk(checker, object, type, "", found);
    return found;
}

function walk(checker: ts.TypeChecker, value: unknown, declared: ts.Type, at: string, found: string[]): void {
    if (typeof value !== "object" || value === null) {
        return;
    }
    const type = checker.getNonNullableType(declared);
    if (Array.isArray(value)) {
        const element = checker.getIndexTypeOfType(type, ts.IndexKind.Number);
        if (!element) {
            found.push(`${at} (a list where the schema has none)`);
            return;
        }
        value.forEach((item, i) => walk(checker, item, element, `${at}[${i}]`, found));
        return;
    }
    const candidates = type.isUnion() ? type.types : [type];
    for (const [key, child] of Object.entries(value)) {
        const property = candidates.map((t) => t.getProperty(key)).find((p) => p !== undefined);
        const childType = property ? checker.getTypeOfSymbol(property) : candidates.map((t) => checker.getIndexTypeOfType(t, ts.IndexKind.String)).find((t) => t !== undefined);
        if (!childType) {
            found.push(`${at}.${key}`);
            continue;
        }
        walk(checker, child, childType, `${at}.${key}`, found);
    }
}
