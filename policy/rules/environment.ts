import { z } from "zod";
import { workloadsOf } from "../readers";
import { describe, manifestOf, type EnvVar } from "../workload";
import { defineRule } from "./types";

// Secrets travel as files (Docker secrets, uploads), never as environment values: those show in
// `docker inspect`, in the service spec on every manager, and in crash dumps.

export const noSecretEnv = defineRule({
    name: "no-secret-env",
    description: "No environment variable (including the agents' env in CASCADE_AGENTS) carries a secret: names with PASSWORD, SECRET, TOKEN, KEY... must point to a file (*_FILE=/path).",
    enforcementLevel: "mandatory",
    scope: "resource",
    config: z.strictObject({
        /** Name parts (between underscores) that mark a variable as secret. */
        secretWords: z.array(z.string()).default(["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "APIKEY", "CREDENTIAL", "CREDENTIALS"]),
        /** Last name parts that make it a reference to a file or directory instead. */
        fileSuffixes: z.array(z.string()).default(["FILE", "DIR", "PATH"]),
    }),
    check({ resources, facts, config }) {
        const words = new Set(config.secretWords.map((w) => w.toUpperCase()));
        const suffixes = new Set(config.fileSuffixes.map((s) => s.toUpperCase()));
        const carriesSecret = (variable: EnvVar) => {
            const parts = variable.name.toUpperCase().split("_");
            if (!parts.some((p) => words.has(p))) {
                return false;
            }
            const isReference = suffixes.has(parts[parts.length - 1]) && variable.value.startsWith("/");
            return !isReference;
        };
        return workloadsOf(resources, facts).flatMap((w) => {
            const variables: EnvVar[] = [
                ...w.env,
                ...(manifestOf(w) ?? []).flatMap((agent) =>
                    Object.entries(agent.env).map(([name, value]) => ({ name, value, where: `CASCADE_AGENTS[${agent.name}].env` }))),
            ];
            return variables.filter(carriesSecret).map((v) => ({
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${describe(w)} sets ${v.name} in ${v.where}: a secret in plain environment shows in docker inspect and in the service spec. Mount it as a secret file and pass its path as ${v.name}_FILE=/run/secrets/...`,
            }));
        });
    },
});
