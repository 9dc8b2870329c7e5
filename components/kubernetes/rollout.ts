import type * as k8s from "@pulumi/kubernetes";
import type { UpdatePolicyModel } from "../../model/types";

/**
 * How long a rollout may make no progress before Kubernetes marks it failed and `pulumi up` stops
 * waiting: the same 600 s the Swarm target gives a service to converge. It covers pulling a large
 * image plus the startup probe's window.
 */
export const PROGRESS_DEADLINE_SECONDS = 600;

/**
 * The seed's update config as a Deployment strategy: `parallelism` pods at a time; stop-first
 * replaces them in place (maxSurge 0: GPU and device groups cannot run two copies), start-first
 * surges instead. Parallelism 0 means all at once on Swarm, 100% here.
 */
export function rollingUpdateOf(policy: UpdatePolicyModel): k8s.types.input.apps.v1.DeploymentStrategy {
    const step: number | string = policy.parallelism > 0 ? policy.parallelism : "100%";
    const stopFirst = policy.order === "stop-first";
    return { type: "RollingUpdate", rollingUpdate: { maxUnavailable: stopFirst ? step : 0, maxSurge: stopFirst ? 0 : step } };
}

/** Swarm's update delay between tasks: a new pod counts as available only after this long ready. */
export function minReadySecondsOf(policy: UpdatePolicyModel): number {
    return Math.ceil(policy.delaySeconds);
}
