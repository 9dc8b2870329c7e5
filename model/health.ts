import type { Healthcheck } from "../config/schema/topology";
import type { HealthModel } from "./types";

/**
 * The group's single healthcheck: it passes only when every listed health endpoint answers 2xx.
 * The command is unrolled (no shell variables) so it survives Compose and stack-file interpolation
 * unchanged, and probes 127.0.0.1 because every agent of a group runs in the same container.
 */
export function healthOf(ports: readonly number[], settings: Healthcheck): HealthModel {
    const perProbeTimeout = Math.max(1, Math.floor(settings.timeout / 2));
    const command = ports
        .map((port) => `curl -fsS -m ${perProbeTimeout} -o /dev/null http://127.0.0.1:${port}${settings.path}`)
        .join(" && ");
    return {
        ports,
        path: settings.path,
        command,
        intervalSeconds: settings.interval,
        timeoutSeconds: settings.timeout,
        retries: settings.retries,
        startPeriodSeconds: settings.startPeriod,
    };
}
