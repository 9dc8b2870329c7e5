import { asArray, asString, propAt } from "../../lib/unknown";
import { envName, TYPE, type DockerHost, type RenderContext } from "./context";

// Secret values are masked in the plan, so the files never contain them. Each secret is named by the
// path it is mounted at; the operator supplies its value as a file at the same path relative to a
// secrets directory (redis-password, zmq/client.key, ...), and deploy.sh creates the Docker secrets
// from those files before any stack is deployed.

const SECRETS_MOUNT = "/run/secrets/";

export interface SecretFile {
    /** The key in the files' top-level `secrets`. */
    readonly key: string;
    /** The value's file, relative to the operator's secrets directory. */
    readonly relative: string;
    /** deploy.sh exports the Docker secret's real name in this variable; the stack files read it. */
    readonly variable: string;
}

export function secretFileOf(target: string): SecretFile {
    const relative = target.startsWith(SECRETS_MOUNT) ? target.slice(SECRETS_MOUNT.length) : target.replace(/^\/+/, "");
    const key = relative.replace(/[^A-Za-z0-9_.-]+/g, "-");
    return { key, relative, variable: `CASCADE_SECRET_${envName(relative)}` };
}

export interface DockerSecret {
    readonly resource: string;
    /** The planned Docker name. When it ends in a content hash, deploy.sh recomputes it from the file. */
    readonly plannedName: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly host: DockerHost;
    /** Where services mount it; undefined when no planned service does. */
    readonly file?: SecretFile;
}

export function dockerSecrets(context: RenderContext): DockerSecret[] {
    const targets = new Map<string, string>();
    for (const { captured, props } of context.planned) {
        if (captured.type === TYPE.service) {
            for (const secret of asArray(propAt(props, "taskSpec", "containerSpec", "secrets"))) {
                const id = asString(propAt(secret, "secretId"));
                const target = asString(propAt(secret, "fileName"));
                if (id !== undefined && target !== undefined) {
                    targets.set(id, target);
                }
            }
        }
    }
    return context.planned.filter((p) => p.captured.type === TYPE.secret).map(({ captured, props }) => {
        const target = captured.id === undefined ? undefined : targets.get(captured.id);
        const labels: Record<string, string> = {};
        for (const entry of asArray(props.labels)) {
            labels[String(propAt(entry, "label"))] = String(propAt(entry, "value"));
        }
        return {
            resource: captured.name,
            plannedName: asString(props.name) ?? captured.name,
            labels,
            host: context.hostOf(captured),
            file: target === undefined ? undefined : secretFileOf(target),
        };
    });
}

/** `${VAR:-planned name}`: the name deploy.sh computed, or the planned one when run by hand. */
export function secretNameReference(file: SecretFile, plannedName: string): string {
    return `\${${file.variable}:-${plannedName}}`;
}
