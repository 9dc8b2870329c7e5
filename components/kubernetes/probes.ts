import type * as k8s from "@pulumi/kubernetes";
import type { HealthModel } from "../../model/types";

type Probe = k8s.types.input.core.v1.Probe;

export interface Probes {
    readonly startupProbe: Probe;
    readonly readinessProbe: Probe;
    readonly livenessProbe: Probe;
}

/**
 * The three probes of a container, all from the one health definition Swarm's healthcheck uses, each
 * with exactly one handler: the model's command through `sh -c`, as Swarm's CMD-SHELL runs it. One
 * exec, not an HTTP probe per agent, because the group is healthy only when every non-optional agent
 * is, and a Kubernetes probe has one handler.
 *
 * - startup: covers the start period plus the retries, like Swarm's start period, after which
 *   failures count; liveness and readiness wait for it.
 * - readiness: out of the Services after half the retries (rounded up), so an isolated blip does not
 *   empty every agent's Service, yet traffic stops before the restart.
 * - liveness: restarted after `retries` consecutive failures, as Swarm replaces an unhealthy task.
 */
export function probesOf(health: HealthModel): Probes {
    const period = wholeSeconds(health.intervalSeconds);
    const base = {
        exec: { command: ["/bin/sh", "-c", health.command] },
        periodSeconds: period,
        timeoutSeconds: wholeSeconds(health.timeoutSeconds),
    };
    return {
        startupProbe: { ...base, failureThreshold: Math.ceil(health.startPeriodSeconds / period) + health.retries },
        readinessProbe: { ...base, failureThreshold: Math.ceil(health.retries / 2), successThreshold: 1 },
        livenessProbe: { ...base, failureThreshold: health.retries },
    };
}

/** Probe timings are whole seconds, at least 1; the model allows "500ms". */
function wholeSeconds(seconds: number): number {
    return Math.max(1, Math.ceil(seconds));
}
