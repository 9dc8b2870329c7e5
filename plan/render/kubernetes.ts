import { Document } from "yaml";
import { asArray, asString, propAt } from "../../lib/unknown";
import type { Plan } from "../assemble";
import type { RenderedFile } from "./files";
import { applyScript } from "./kubernetes-apply";
import { groupFiles, type KubernetesObjectOf } from "./kubernetes-groups";
import { kubernetesReadme } from "./kubernetes-readme";
import { KUBERNETES_TYPES } from "../../components/resource-types";

// `--render DIR` for a Kubernetes stack: the manifests the provider would receive, one multi-document
// file per group, ready for `kubectl apply -f`. Written from the captured resources, object by object,
// in the order kubectl must apply them (the namespace before what lives in it). Secret values are not
// in any file: apply.sh creates each namespace's Secret from the operator's secret files.

/**
 * A stream of documents, each started by `---` and written in YAML 1.1 quoting (kubectl's YAML reader
 * is 1.1: an env value "on" or "yes" must stay a string), long values on one line; the header is the
 * first document's comment, before its `---`, with `#` on blank lines too.
 */
function manifestsYaml(header: string, objects: readonly KubernetesObjectOf[]): string {
    return objects.map((o, index) => {
        const document = new Document(o.manifest, { version: "1.1" });
        if (index === 0) {
            document.commentBefore = header.split("\n").map((line) => (line === "" ? "" : ` ${line}`)).join("\n");
        }
        // directives: true writes the `---` of every document (and no %YAML line).
        return document.toString({ directives: true, lineWidth: 0, commentString: (comment) => comment.replace(/^/gm, "#") });
    }).join("");
}

export function renderKubernetes(plan: Plan): RenderedFile[] {
    const files = groupFiles(plan);
    const context = asString(propAt(plan.capture.resources.find((r) => r.type === KUBERNETES_TYPES.provider)?.inputs, "context"));
    const rewrites = asArray(plan.capture.outputs.coreDnsRewrites).map(String);
    return [
        ...files.map((f) => ({
            path: f.file,
            content: manifestsYaml(
                `Rendered by \`npm run plan -- --stack ${plan.stack} --render\` from the resources planned with ${plan.stackFile.file}.\n`
                + `Group ${f.group} (phase ${f.phase}) in namespace ${f.namespace}: kubectl apply -f ${f.file}\n`
                + `Its Secret ${f.secrets.map((s) => s.name).join(", ")} is not in this file: apply.sh creates it from your secret files.\n`
                + "Pulumi protects the namespace and its claims; `kubectl delete -f` on this file would delete their data.",
                f.objects,
            ),
        })),
        { path: "apply.sh", executable: true, content: applyScript({ stack: plan.stack, context, files }) },
        { path: "README.md", content: kubernetesReadme({ stack: plan.stack, configFile: plan.stackFile.file, context, files, rewrites }) },
    ];
}
