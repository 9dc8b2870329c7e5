import * as fs from "fs";
import { parse, stringify } from "yaml";
import { runDeployScript } from "./deploy-script";
import { inspectService, type ServiceView } from "./docker";
import { readRendered, type Rendered, type RenderedService } from "./rendered";
import { done, notYet, secondsSince, waitFor } from "./wait";

// A broken release, deployed as an operator would: a copy of the rendered stack whose one group's
// file sets CASCADE_FAIL_AGENTS (that agent's /health never answers), run with its deploy.sh. The
// update's new task never turns healthy, the service's planned update config (failure_action:
// rollback) must bring the previous spec back, and deploy.sh must exit non-zero naming the service
// and the rollback. The broken file also fails its checks fast, so that the failure shows in seconds
// instead of after the topology's start period plus five 10 s intervals; the rollback restores the
// whole previous spec, these settings included. It runs while other tests do; `finish` waits for it.

/** The whole wait, from the deploy to rollback_completed. */
const ROLLBACK_WAIT_MS = 180_000;
const FAST_FAILING_HEALTHCHECK = { interval: "2s", retries: 2, start_period: "0s", timeout: "2s" };

export interface RollbackOutcome {
    readonly before: ServiceView;
    /** The last UpdateStatus.State seen (rollback_completed when it worked). */
    readonly state: string;
    readonly seconds: number;
    /** How deploy.sh failed ("" if it succeeded). */
    readonly deployFailure: string;
    /** The agent told to fail. */
    readonly agent: { readonly name: string; readonly healthPort: number };
}

export interface BrokenUpdate {
    finish(): Promise<RollbackOutcome>;
}

/** A copy of the rendered directory with `service`'s file broken. */
function brokenCopy(rendered: Rendered, service: RenderedService, agent: string): Rendered {
    const dir = `${rendered.dir}-broken`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(rendered.dir, dir, { recursive: true });
    const file = rendered.stackFiles.find((f) => f.services.some((s) => s.name === service.name));
    if (!file) {
        throw new Error(`no stack file holds ${service.name}`);
    }
    const document = parse(file.text) as { services: Record<string, { environment: Record<string, string>; healthcheck: Record<string, unknown> }> };
    const definition = document.services[service.key];
    definition.environment.CASCADE_FAIL_AGENTS = agent;
    definition.healthcheck = { ...definition.healthcheck, ...FAST_FAILING_HEALTHCHECK };
    fs.writeFileSync(`${dir}/${file.file}`, stringify(document, { lineWidth: 0 }));
    return readRendered(dir);
}

export async function startBrokenDeploy(rendered: Rendered, service: RenderedService, secretsDir: string): Promise<BrokenUpdate> {
    const before = await inspectService(service.name);
    const agent = service.agents[service.agents.length - 1];
    const broken = brokenCopy(rendered, service, agent.name);
    const started = performance.now();
    const deployed = runDeployScript(broken, secretsDir, ROLLBACK_WAIT_MS).then(() => "", (error: unknown) => String(error));
    const ended = deployed.then(async (deployFailure) => {
        const state = await waitFor(`${service.name} to roll back`, { timeoutMs: ROLLBACK_WAIT_MS, intervalMs: 2000 }, async () => {
            const seen = (await inspectService(service.name)).UpdateStatus?.State ?? "no update status";
            // rollback_paused: the rollback itself failed, which is an end too.
            return seen === "rollback_completed" || seen === "rollback_paused" ? done(seen) : notYet(seen);
        });
        return { before, state, seconds: secondsSince(started), deployFailure, agent: { name: agent.name, healthPort: agent.healthPort } };
    });
    // Observed now so that a failure while other tests run is not an unhandled rejection; reported by finish.
    const settled = ended.then((outcome) => ({ outcome }), (error: unknown) => ({ error }));
    return {
        finish: async () => {
            const result = await settled;
            if ("error" in result) {
                throw result.error;
            }
            return result.outcome;
        },
    };
}
