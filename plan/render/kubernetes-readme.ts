import type { GroupFile } from "./kubernetes-groups";

// DIR/README.md for a Kubernetes stack: the files, the order, the secret files, what the cluster
// needs, and the CoreDNS rules that make the seed's DNS names resolve.

export interface KubernetesReadmeInput {
    readonly stack: string;
    readonly configFile: string;
    readonly context?: string;
    readonly files: readonly GroupFile[];
    readonly rewrites: readonly string[];
}

export function kubernetesReadme(input: KubernetesReadmeInput): string {
    const secretFiles = [...new Set(input.files.flatMap((f) => f.secrets.flatMap((s) => s.files.map((x) => x.file.relative))))].sort();
    return [
        `# Cascade stack \`${input.stack}\`: Kubernetes manifests`,
        "",
        `Written by \`npm run plan -- --stack ${input.stack} --render DIR\` from the objects Pulumi would create with \`${input.configFile}\`.`,
        "`pulumi up` is the way to deploy; these files show the same objects as plain manifests, for review and",
        "for applying by hand. Do not edit them: change the stack config and render again.",
        "",
        "## Files",
        "",
        "| file | what |",
        "|---|---|",
        ...input.files.map((f) => `| \`${f.file}\` | phase ${f.phase}, group ${f.group}: namespace \`${f.namespace}\`, ${f.objects.filter((o) => o.kind !== "Namespace").map((o) => `${o.kind} \`${o.name}\``).join(", ")} |`),
        "| `apply.sh` | every file in phase order, the namespaces' Secrets from your secret files, waiting for each phase to roll out |",
        "",
        "## Apply",
        "",
        "```sh",
        `CASCADE_SECRETS_DIR=/path/to/secrets${input.context ? "" : " KUBE_CONTEXT=your-context"} ./apply.sh`,
        "```",
        "",
        `A file alone applies with \`kubectl apply -f FILE\`; its pods wait until the namespace's Secret exists.${input.context ? ` The stack's context is \`${input.context}\`.` : ""}`,
        "",
        "## Secret files",
        "",
        "One file per secret in the secrets directory, at its path below /run/secrets in the pods:",
        "",
        ...secretFiles.map((f) => `- \`${f}\``),
        "",
        "## DNS names of the seed",
        "",
        "Every agent answers at `<agent>.<namespace>` (its Service). For the seed's names `<agent>.<group>.cascade`,",
        "which the agents' environment uses, add these lines to the cluster's Corefile (inside the `.:53` block):",
        "",
        "```",
        ...input.rewrites,
        "```",
        "",
    ].join("\n");
}
