import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../stack-input";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, RedisModel } from "../../model/types";
import { groupLabels } from "../labels";
import { claims, groupClaimVolumes } from "./claims";
import { groupSelector } from "./labels";
import { MAX_REPLICAS_ANNOTATION } from "../../model/kubernetes-names";
import { groupPodTemplate } from "./pod";
import { KubernetesRedis } from "./redis";
import { minReadySecondsOf, PROGRESS_DEADLINE_SECONDS, rollingUpdateOf } from "./rollout";
import { secretFiles } from "./secrets";
import { agentServices } from "./services";

/** Arguments of one Cascade group on Kubernetes. */
export interface KubernetesGroupArgs {
    /** The group as derived by the model: image, replicas, resources, health, agents, mounts. */
    readonly group: GroupModel;
    /** The group's namespace (created by the machine), as an output so children wait for it. */
    readonly namespace: pulumi.Input<string>;
    /** The node labels that pin the group's pods to its machine. */
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly settings: KubernetesSettings;
    /** Secret values, as Pulumi secrets. */
    readonly secrets: StackSecrets;
    /** The stack config's `data` settings for the claims. */
    readonly data: { readonly protect: boolean; readonly retainOnDelete: boolean };
    /** Redis, when it lives in this group's namespace: it is created first and the group waits for it. */
    readonly redis?: RedisModel;
}

/**
 * A Cascade group on Kubernetes: a Deployment whose pods run all of the group's agents, a Service
 * per agent, the group's claims and secret files, and its scaling rules (an autoscaler when the seed
 * gives a replica range, a disruption budget when it runs more than one replica).
 *
 * A Deployment, not a StatefulSet: the seed's data belongs to the group, not to a replica (the two
 * active-passive memory replicas share their volumes, as on Swarm), so the claims are the group's
 * and follow any of its pods on the machine; and the seed's update behaviour (one at a time, a
 * delay, a progress deadline) is the Deployment's rolling update. Redis, whose data follows its one
 * server, is the StatefulSet.
 */
export class KubernetesGroup extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly services: readonly k8s.core.v1.Service[];
    public readonly redis?: KubernetesRedis;

    constructor(name: string, args: KubernetesGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:kubernetes:Group", name, {}, opts);
        const { group } = args;
        if (group.replicas < 1) {
            throw new pulumi.ResourceError(`${group.name}: replicas must be at least 1 (got ${group.replicas})`, this);
        }
        const labels = groupLabels(group);
        const secrets = secretFiles(`${name}-secrets`, { namespace: args.namespace, labels, files: group.secrets, values: args.secrets, parent: this });
        const groupClaims = claims(`${name}-claim`, {
            namespace: args.namespace,
            machine: group.machine,
            volumes: groupClaimVolumes(group, args.redis),
            settings: args.settings,
            protect: args.data.protect,
            retainOnDelete: args.data.retainOnDelete,
            parent: this,
        });
        if (args.redis) {
            this.redis = new KubernetesRedis(`${name}-redis`, {
                redis: args.redis,
                namespace: args.namespace,
                settings: args.settings,
                data: args.data,
                secretsHash: secrets.hash,
            }, { parent: this, dependsOn: [secrets.secret] });
        }

        const autoscaled = group.autoscaled;
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: {
                    name: group.name,
                    namespace: args.namespace,
                    labels,
                    ...(autoscaled ? { annotations: { [MAX_REPLICAS_ANNOTATION]: String(group.maxReplicas) } } : {}),
                },
                spec: {
                    // An autoscaled group's replica count belongs to its autoscaler: a count here
                    // would reset it on every `pulumi up` (and conflict under server-side apply).
                    ...(autoscaled ? {} : { replicas: group.replicas }),
                    selector: { matchLabels: groupSelector(group) },
                    strategy: rollingUpdateOf(group.updatePolicy),
                    minReadySeconds: minReadySecondsOf(group.updatePolicy),
                    progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
                    template: groupPodTemplate({ group, settings: args.settings, nodeSelector: args.nodeSelector, secretsHash: secrets.hash }),
                },
            },
            {
                parent: this,
                dependsOn: [secrets.secret, ...groupClaims, ...(this.redis ? [this.redis] : [])],
                deleteBeforeReplace: true,
            },
        );
        this.services = agentServices(name, { group, namespace: args.namespace, parent: this });

        if (autoscaled) {
            this.autoscaler(name, args);
        }
        if (group.replicas > 1) {
            this.disruptionBudget(name, args);
        }
        this.registerOutputs({ deploymentName: this.deployment.metadata.name });
    }

    /** The seed's replica range (request handlers 1 to 5) on CPU utilization of the requests. */
    private autoscaler(name: string, args: KubernetesGroupArgs): void {
        const { group } = args;
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-autoscaler`,
            {
                metadata: { name: group.name, namespace: args.namespace, labels: groupLabels(group) },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                    minReplicas: group.scaling.min,
                    maxReplicas: group.maxReplicas,
                    metrics: [{
                        type: "Resource",
                        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.settings.cpuUtilizationTarget } },
                    }],
                },
            },
            { parent: this, deleteBeforeReplace: true },
        );
    }

    /**
     * Voluntary disruptions (node drains, upgrades) keep one pod running: the active-passive memory
     * group and the personality group keep one available. Unhealthy pods may always be evicted, so
     * a crash-looping pod never blocks a drain.
     */
    private disruptionBudget(name: string, args: KubernetesGroupArgs): void {
        const { group } = args;
        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-disruption-budget`,
            {
                metadata: { name: group.name, namespace: args.namespace, labels: groupLabels(group) },
                spec: { minAvailable: 1, selector: { matchLabels: groupSelector(group) }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
            },
            { parent: this, deleteBeforeReplace: true },
        );
    }
}
