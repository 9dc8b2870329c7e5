import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import { checkImportGraph, type Layer } from "./support/layers";

// The repository's own import graph, as dependency-cruiser reads it from the .ts files: no cycle, no
// import against the layer order of tests/support/layers.ts, no Pulumi SDK in lib, config or model.

describe("the import graph", function () {
    // Reading every file's imports takes a few seconds on a busy machine.
    this.timeout(120_000);

    it("has no cycle and no import against the layer order, and every file is in a layer", async () => {
        const report = await checkImportGraph(PROJECT_ROOT);
        expect(report.modules, "files read").to.be.above(200);
        expect(report.violations, "imports that break the layer rules").to.deep.equal([]);
        expect(report.outside, "files in no layer (add their folder to LAYERS)").to.deep.equal([]);
    });

    it("fails on a cycle, an import of a later layer, the SDK in the model, and a file outside every layer", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-import-graph-"));
        try {
            const files: Record<string, string> = {
                "config/load.ts": 'import { build } from "../model/build";\nexport const load = () => build();\n',
                "model/build.ts": 'import { part } from "./part";\nexport const build = () => part();\n',
                "model/part.ts": 'import * as pulumi from "@pulumi/pulumi";\nimport { build } from "./build";\nexport const part = (): unknown => [pulumi, build];\n',
                "stray/file.ts": 'export const stray = 1;\n',
            };
            for (const [file, text] of Object.entries(files)) {
                fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), text);
            }
            const layers: Layer[] = [{ name: "lib", path: "lib/" }, { name: "config", path: "config/" }, { name: "model", path: "model/" }];
            const report = await checkImportGraph(dir, layers);
            expect(report.violations).to.include.members([
                "config-imports-a-later-layer: config/load.ts -> model/build.ts",
                "pulumi-below-components: model/part.ts -> @pulumi/pulumi",
            ]);
            expect(report.violations.some((v) => v.startsWith("no-cycle: ") && v.includes("model/build.ts -> model/part.ts"))).to.equal(true, report.violations.join("\n"));
            expect(report.outside).to.deep.equal(["stray/file.ts"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
