import type { PhaseTime } from "./deploy-script";
import { standalone } from "./lookup";
import { deployStackFile, upContainer } from "./operator";
import { waitReady, type Workloads } from "./readiness";
import type { Rendered } from "./rendered";
import { secondsSince } from "./wait";

// The seed's manual procedure taken literally: deploy one group, wait until it is healthy, then the
// next, in the order deploy.sh uses (phase by phase, files in their order, containers after the
// files of their phase). Groups are the rendered stack files (Redis comes with the core group's file)
// and the standalone containers. Waiting is deploy.sh's own: the same readiness test, polled at the
// interval of its wait loops, so the two timings differ only in what waits for what.

export interface Step {
    readonly label: string;
    readonly phase: number;
    readonly workloads: Workloads;
    deploy(): Promise<void>;
}

/** The `sleep N` of deploy.sh's wait loops, in milliseconds. */
export function pollIntervalOf(rendered: Rendered): number {
    const seconds = /^wait_service\(\)[\s\S]*?^\s+sleep (\d+)$/m.exec(rendered.deployScript)?.[1];
    if (seconds === undefined) {
        throw new Error(`cannot find the poll interval of the wait loops in ${rendered.dir}/deploy.sh`);
    }
    return Number(seconds) * 1000;
}

export function oneByOneSteps(rendered: Rendered, secretsDir: string): Step[] {
    const phases = [...new Set([...rendered.stackFiles.map((f) => f.phase), ...rendered.containers.map((c) => c.phase)])].sort((a, b) => a - b);
    return phases.flatMap((phase) => [
        ...rendered.stackFiles.filter((f) => f.phase === phase).map((file): Step => ({
            label: `${file.group} (phase ${phase})`,
            phase,
            workloads: { services: file.services.map((s) => s.name), containers: [] },
            deploy: () => deployStackFile(rendered.dir, file, secretsDir),
        })),
        ...rendered.containers.filter((c) => c.phase === phase).map((container): Step => ({
            label: `${container.group} (phase ${phase}, container)`,
            phase,
            workloads: { services: [], containers: [standalone(container)] },
            deploy: () => upContainer(rendered.dir, container, secretsDir),
        })),
    ]);
}

export async function deployOneByOne(steps: readonly Step[], pollMs: number, stepTimeoutMs: number): Promise<PhaseTime[]> {
    const times: PhaseTime[] = [];
    for (const step of steps) {
        const started = performance.now();
        await step.deploy();
        await waitReady(`${step.label} to be healthy`, step.workloads, stepTimeoutMs, pollMs);
        times.push({ label: step.label, seconds: secondsSince(started), phase: step.phase });
    }
    return times;
}
