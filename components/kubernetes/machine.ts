import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../stack-input";
import type { MonitoringSettings } from "../../config/schema/monitoring";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { CascadeModel, GroupModel, RedisModel } from "../../model/types";
import { groupClaimVolumes } from "./claims";
import { coreDnsRewrites } from "./dns";
import { KubernetesGroup } from "./group";
import { KubernetesMonitoring } from "./monitoring";
import { KubernetesMonitoringWorkloads } from "./monitoring-workloads";
import { namespaceName } from "../../model/kubernetes-names";
import { groupNamespace, type GroupNamespace } from "./namespace";
import { privilegeNeedsOf } from "./pod";
import { groupNodeSelector } from "./placement";
import { podSecurityLevel } from "./security";

/** Arguments of one machine's part of Cascade on Kubernetes. */
export interface KubernetesMachineArgs {
    /** The machine stack's model. */
    readonly model: CascadeModel;
    readonly secrets: StackSecrets;
    /** The stack config's `kubernetes` settings. */
    readonly settings: KubernetesSettings;
    /** The cluster's Prometheus operator, when the stack config says it runs one. */
    readonly operator?: MonitoringSettings["prometheusOperator"];
}

/**
 * Everything one machine stack creates in the cluster: its provider (the kubeconfig context from
 * stack config), a namespace per group with its share of the machine's budget and its network
 * rules, and the groups in phases: each group waits until every group of the previous phase is
 * ready, as on Swarm. Both machines' stacks deploy into one cluster whose nodes are the machines.
 */
export class KubernetesMachine extends pulumi.ComponentResource {
    public readonly groups: ReadonlyMap<string, KubernetesGroup>;
    /** The Corefile lines that make the seed's `<agent>.<group>.cascade` names resolve. */
    public readonly coreDnsRewrites: readonly string[];

    constructor(name: string, args: KubernetesMachineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cascade:kubernetes:Machine", name, {}, opts);
        const { model, settings } = args;
        const provider = new k8s.Provider(`${name}-provider`, providerArgs(settings.context), { parent: this });

        const groups = new Map<string, KubernetesGroup>();
        const namespaces: { group: GroupModel; namespace: pulumi.Output<string>; namespaceName: string }[] = [];
        for (const group of model.groups) {
            const redis = model.redis?.group === group.name ? model.redis : undefined;
            const namespace = this.namespace(group, redis, args, provider);
            namespaces.push({ group, namespace: namespace.name, namespaceName: namespaceName(settings.namespacePrefix, group) });
            const previousPhase = group.dependsOnGroups.map((g) => groups.get(g)).filter((g): g is KubernetesGroup => g !== undefined);
            groups.set(group.name, new KubernetesGroup(group.name, {
                group,
                namespace: namespace.name,
                nodeSelector: groupNodeSelector(model.machine, group, settings),
                settings,
                secrets: args.secrets,
                data: model.data,
                redis,
            }, { parent: this, provider, dependsOn: [...namespace.resources, ...previousPhase] }));
        }
        this.groups = groups;
        const watched = model.monitoring.operator ? model.monitoring.machines.find((m) => m.name === model.machine.name) : undefined;
        if (watched && args.operator) {
            new KubernetesMonitoring(`${name}-monitoring`, { machine: watched, groups: namespaces, operator: args.operator }, { parent: this, provider });
        }
        if (!model.monitoring.operator && model.monitoring.services.length > 0) {
            new KubernetesMonitoringWorkloads(`${name}-monitoring-workloads`, {
                services: model.monitoring.services,
                machine: model.machine,
                settings,
                protect: model.data.protect,
                retainOnDelete: model.data.retainOnDelete,
            }, { parent: this, provider });
        }
        this.coreDnsRewrites = coreDnsRewrites(model, settings);
        this.registerOutputs({ coreDnsRewrites: this.coreDnsRewrites });
    }

    /** The group's namespace; the group waits for its quota and network policies, not only its name. */
    private namespace(group: GroupModel, redis: RedisModel | undefined, args: KubernetesMachineArgs, provider: k8s.Provider): GroupNamespace {
        const { model, settings } = args;
        const name = namespaceName(settings.namespacePrefix, group);
        const claims = [...groupClaimVolumes(group, redis), ...(redis ? [redis.mount.volume] : [])];
        return groupNamespace({
            name,
            prefix: settings.namespacePrefix,
            machine: model.machine,
            group,
            redis,
            claims,
            settings,
            podSecurity: podSecurityLevel(privilegeNeedsOf(group, settings)),
            protect: model.data.protect && claims.length > 0,
            retainOnDelete: model.data.retainOnDelete && claims.length > 0,
            parent: this,
            provider,
        });
    }
}

/**
 * The provider, on the kubeconfig context from stack config or the ambient one. `pulumi destroy`
 * leaves the claims and the namespaces that hold them in the cluster (retainOnDelete). Since
 * @pulumi/kubernetes 4.29 (pulumi-kubernetes#2926) a create is a client-side create that fails with
 * AlreadyExists, so the next `pulumi up` could not take them back; `upsertExistingObjects` makes a
 * create a server-side apply that adopts the existing object with its data (await.Creation in
 * provider/pkg/await/await.go). The price, per the provider's own documentation: a resource renamed
 * without an alias is adopted by its new name and then deleted by its old one. Child names are
 * compatibility contracts here (the tests pin them); protected claims and namespaces refuse that delete.
 */
export function providerArgs(context: string | undefined): k8s.ProviderArgs {
    return { ...(context ? { context } : {}), upsertExistingObjects: true };
}
