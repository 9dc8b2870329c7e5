import type * as pulumi from "@pulumi/pulumi";
import type { HealthModel, MountModel } from "../../model/types";

// The rules a Swarm service and a standalone container share: how a workload is checked for health,
// where its logs go, which volumes it mounts and which networks it joins. The provider spells the
// fields differently for each (a service's `logDriver.options`, a container's `logOpts`; a network
// by `id` or by `name`) and reads durations back in different forms (read-back.ts), so each caller
// supplies those; the rule itself is written once here.

/** The model's health command, run by the shell, on the model's schedule written with `duration`. */
export function healthcheckArgs(health: HealthModel, duration: (seconds: number) => string) {
    return {
        tests: ["CMD-SHELL", health.command],
        interval: duration(health.intervalSeconds),
        timeout: duration(health.timeoutSeconds),
        retries: health.retries,
        startPeriod: duration(health.startPeriodSeconds),
    };
}

/** Docker's json-file log driver, rotated by size. */
export const LOG_DRIVER = "json-file";

/** The json-file driver's rotation options; the engine takes every option as a string. */
export function logOptions(logging: { readonly maxSize: string; readonly maxFile: number }): Record<string, string> {
    return { "max-size": logging.maxSize, "max-file": String(logging.maxFile) };
}

/** The model's named volumes, mounted where it says. */
export function volumeMountArgs(mounts: readonly MountModel[]): { type: string; source: string; target: string; readOnly: boolean }[] {
    return mounts.map((m) => ({ type: "volume", source: m.volumeName, target: m.target, readOnly: m.readOnly }));
}

/** One network a workload joins: the network's id, and the DNS aliases it answers to there. */
export interface NetworkAttachment {
    readonly network: pulumi.Input<string>;
    readonly aliases?: string[];
}

/**
 * The internal overlay, where the workload answers to its agents' DNS aliases, and the external one
 * (without aliases: nothing outside resolves them) when the workload needs egress.
 */
export function networkAttachments(internalId: pulumi.Input<string>, aliases: readonly string[], externalId: pulumi.Input<string> | undefined): NetworkAttachment[] {
    return [{ network: internalId, aliases: [...aliases] }, ...(externalId ? [{ network: externalId }] : [])];
}
