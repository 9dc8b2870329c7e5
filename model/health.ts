import type { Healthcheck } from "../config/schema/topology";
import type { HealthModel } from "./types";

/** An agent the healthcheck probes: its name (for the failure message) and health port. */
export interface ProbedAgent {
    readonly name: string;
    readonly healthPort: number;
}

/**
 * The group's single healthcheck: it passes only when every listed health endpoint answers 2xx, and
 * when it fails its output names every agent that did not, with its health port
 * (`unhealthy: VRAMOptimizerAgent (6572)`): the engine keeps that output in the container's health
 * log, where `docker inspect` and deploy.sh read it. Every agent is probed (no short cut at the first
 * failure); `! { ... } | grep .` fails exactly when some probe printed its line. The command is
 * unrolled (no shell variables) so it survives Compose and stack-file interpolation unchanged, and
 * probes 127.0.0.1 because every agent of a group runs in the same container.
 */
export function healthOf(agents: readonly ProbedAgent[], settings: Healthcheck): HealthModel {
    const perProbeTimeout = Math.max(1, Math.floor(settings.timeout / 2));
    const probes = agents.map((a) =>
        `curl -fsS -m ${perProbeTimeout} -o /dev/null http://127.0.0.1:${a.healthPort}${settings.path} 2>/dev/null || echo 'unhealthy: ${a.name} (${a.healthPort})';`);
    const command = probes.length > 0 ? `! { ${probes.join(" ")} } | grep .` : "";
    return {
        ports: agents.map((a) => a.healthPort),
        path: settings.path,
        command,
        intervalSeconds: settings.interval,
        timeoutSeconds: settings.timeout,
        retries: settings.retries,
        startPeriodSeconds: settings.startPeriod,
    };
}
