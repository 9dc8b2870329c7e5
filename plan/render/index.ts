import * as fs from "fs";
import * as path from "path";
import type { Plan } from "../assemble";
import type { RenderedFile } from "./files";
import { renderKubernetes } from "./kubernetes";
import { renderSwarm } from "./swarm";

// `npm run plan -- --render DIR`: the planned resources as native files an operator can read and
// apply by hand, written from the captured resources (what Pulumi would create), not from the model:
// Swarm stack files, a Compose file and deploy.sh for a Swarm stack (render/swarm.ts), manifests for
// a Kubernetes stack (render/kubernetes.ts). Each writes a README.md into DIR that lists its files.

export type { RenderedFile };

export function renderPlan(plan: Plan): RenderedFile[] {
    return plan.model.platform === "kubernetes" ? renderKubernetes(plan) : renderSwarm(plan);
}

/** Files already in dir that this render does not write (left from an earlier render, or the operator's). */
export function staleFiles(dir: string, files: readonly RenderedFile[]): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    // `secrets` is where deploy.sh looks for the secret files by default: the operator's, not stale.
    const expected = new Set([...files.map((f) => f.path.split("/")[0]), "secrets"]);
    return fs.readdirSync(dir).filter((name) => !expected.has(name)).sort();
}

/** Writes the files into dir (created if needed). */
export function writeRendered(dir: string, files: readonly RenderedFile[]): void {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of files) {
        const target = path.join(dir, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content);
        // chmod as well: writeFileSync's mode applies only when it creates the file.
        fs.chmodSync(target, file.executable ? 0o755 : 0o644);
    }
}
