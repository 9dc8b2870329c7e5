import { PROGRESS_DEADLINE_SECONDS } from "../../components/kubernetes/rollout";
import type { GroupFile } from "./kubernetes-groups";
import { shellQuote } from "./script";

// apply.sh for a Kubernetes stack: what `pulumi up` does, with kubectl. Phase by phase, as Pulumi
// orders the groups: apply each group's file, create its namespace's Secret from the operator's secret
// files (pods wait for it to exist), then wait until every workload of the phase has rolled out.

export interface ApplyInput {
    readonly stack: string;
    /** The kubeconfig context the stack's provider uses, if it names one. */
    readonly context?: string;
    readonly files: readonly GroupFile[];
}

const PRELUDE = String.raw`set -euo pipefail
cd "$(dirname "$0")"

# Secret values: one file per secret, at its mount path below /run/secrets (see README.md).
CASCADE_SECRETS_DIR="$(cd "${"$"}{CASCADE_SECRETS_DIR:-./secrets}" 2>/dev/null && pwd)" || {
    echo "apply.sh: secrets directory ${"$"}{CASCADE_SECRETS_DIR:-./secrets} not found (see README.md)" >&2; exit 1; }

k() { kubectl ${"$"}{KUBE_CONTEXT:+--context "$KUBE_CONTEXT"} "$@"; }

secret_file() {
    local file="$CASCADE_SECRETS_DIR/$1"
    if [ ! -f "$file" ]; then
        echo "apply.sh: missing secret file $file (see README.md)" >&2; exit 1
    fi
    printf '%s' "$file"
}
`;

function secretCommands(file: GroupFile): string[] {
    return file.secrets.map((secret) => {
        const sources = secret.files.map((f) => ` \\\n    --from-file=${f.key}="$(secret_file ${shellQuote(f.file.relative)})"`).join("");
        const labels = Object.entries(secret.labels).map(([k, v]) => ` ${shellQuote(`${k}=${v}`)}`).join("");
        return `k create secret generic ${shellQuote(secret.name)} -n ${shellQuote(secret.namespace)}${sources} \\\n    --dry-run=client -o yaml \\\n  | k label --local -f -${labels} -o yaml \\\n  | k apply -f -`;
    });
}

function rollouts(file: GroupFile): string[] {
    return file.objects
        .filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")
        .map((o) => `k -n ${shellQuote(file.namespace)} rollout status ${o.kind.toLowerCase()}/${shellQuote(o.name)} --timeout=${PROGRESS_DEADLINE_SECONDS}s`);
}

export function applyScript(input: ApplyInput): string {
    const phases = [...new Set(input.files.map((f) => f.phase))].sort((a, b) => a - b);
    const steps = phases.flatMap((phase) => {
        const files = input.files.filter((f) => f.phase === phase);
        return [
            "",
            `echo "phase ${phase}: ${files.map((f) => f.group).join(", ")}"`,
            ...files.flatMap((f) => [`k apply -f ${shellQuote(f.file)}`, ...secretCommands(f)]),
            ...files.flatMap(rollouts),
        ];
    });
    return [
        "#!/usr/bin/env bash",
        `# Applies the Kubernetes manifests of stack ${input.stack} in Pulumi's order, waiting for each phase.`,
        "# Usage: CASCADE_SECRETS_DIR=/path/to/secrets [KUBE_CONTEXT=context] ./apply.sh",
        PRELUDE,
        `KUBE_CONTEXT="${"$"}{KUBE_CONTEXT:-${input.context ?? ""}}"`,
        ...steps,
        "",
        `echo "stack ${input.stack}: every workload rolled out"`,
        "",
    ].join("\n");
}
