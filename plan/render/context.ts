import { LABEL } from "../../components/labels";
import { DOCKER_TYPES } from "../../components/resource-types";
import { labelMap } from "../../captured/labels";
import type { PolicyResourceView } from "../../policy/resource";
import type { Plan } from "../assemble";
import type { CapturedResource } from "../../captured/resource";
import { networkNamesById } from "../network-names";
import { STACK_NAMESPACE, withoutNamespace } from "../../model/docker-names";

// What every renderer needs to know about the planned resources beyond one resource's inputs: which
// Docker host creates it (its provider), the names of networks it refers to by id, and where each
// secret is mounted. Read from the capture only.

export { STACK_NAMESPACE };

export const TYPE = DOCKER_TYPES;

/** A planned resource: its capture record (parent, options, id) and its inputs with secrets unwrapped. */
export interface Planned {
    readonly captured: CapturedResource;
    readonly props: PolicyResourceView["props"];
}

export interface DockerHost {
    /** The provider resource's name, e.g. mainpc-manager. */
    readonly provider: string;
    readonly host: string;
    /** The environment variable that overrides it in deploy.sh. */
    readonly variable: string;
}

export interface RenderContext {
    readonly stack: string;
    readonly planned: readonly Planned[];
    readonly networkNames: ReadonlyMap<string, string>;
    hostOf(resource: CapturedResource): DockerHost;
    /** The phase a workload belongs to (label cascade.phase), for ordering files and deploy steps. */
    phaseOf(resource: Planned): number;
}

/** Swarm service and Compose keys: the resource's Docker name without the namespace prefix. */
export const serviceKey = withoutNamespace;

export function envName(text: string): string {
    return text.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "");
}

export function renderContext(plan: Plan): RenderContext {
    const planned = plan.capture.resources.map((captured, index) => ({ captured, props: plan.resources[index].props }));
    const byName = new Map(plan.capture.resources.map((r) => [r.name, r]));
    const hostOf = (resource: CapturedResource): DockerHost => {
        for (let current: CapturedResource | undefined = resource; current; current = current.parent ? byName.get(current.parent) : undefined) {
            const provider = current.options.provider ? byName.get(current.options.provider) : undefined;
            if (provider && provider.type === TYPE.provider && typeof provider.inputs.host === "string") {
                return { provider: provider.name, host: provider.inputs.host, variable: `CASCADE_DOCKER_HOST_${envName(provider.name)}` };
            }
        }
        return { provider: "default", host: "", variable: "CASCADE_DOCKER_HOST_DEFAULT" };
    };
    const order = new Map(planned.map((p, index) => [p, index]));
    return {
        stack: plan.stack,
        planned,
        networkNames: networkNamesById(plan.capture),
        hostOf,
        phaseOf: (resource) => {
            const phase = Number(labelMap(resource.props.labels)[LABEL.phase]);
            // Unlabelled workloads keep their registration order, after every labelled phase.
            return Number.isFinite(phase) ? phase : 1000 + (order.get(resource) ?? 0);
        },
    };
}

/** What every rendered workload (a stack-file service or a Compose container) carries. */
export interface RenderedWorkload {
    readonly key: string;
    readonly dockerName: string;
    /** The Docker host that creates it (its provider's). */
    readonly host: DockerHost;
    readonly definition: Record<string, unknown>;
    /** External objects it refers to by name. */
    readonly networks: ReadonlySet<string>;
    readonly volumes: ReadonlySet<string>;
}
