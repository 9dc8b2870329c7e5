import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/schema/stack";
import type { GroupModel, MountModel } from "../../model/types";
import { groupPodLabels } from "./labels";
import { agentPortName, claimName, GPU_RESOURCE, healthPortName } from "../../model/kubernetes-names";
import { probesOf } from "./probes";
import { cpuQuantity, memoryQuantity } from "./quantities";
import { secretVolume } from "./secret-volume";
import { containerSecurityContext, podSecurityContext, type PrivilegeNeeds } from "./security";

type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** Annotation whose change rolls the pods when a secret value is rotated (processes read them at start). */
export const SECRETS_HASH_ANNOTATION = "cascade.secrets-hash";
/** Swarm's stop grace period. */
const TERMINATION_GRACE_SECONDS = 30;

/** Arguments of a group's pod template. */
export interface GroupPodArgs {
    readonly group: GroupModel;
    readonly settings: KubernetesSettings;
    /** The node labels that pin the pods to the group's machine. */
    readonly nodeSelector: Readonly<Record<string, string>>;
    /** A short hash of the secret values: its change restarts the pods. */
    readonly secretsHash: pulumi.Input<string>;
}

/** What the group needs beyond least privilege, from the model and the operator's opt-in. */
export function privilegeNeedsOf(group: GroupModel, settings: KubernetesSettings): PrivilegeNeeds {
    return {
        capabilities: group.capabilities,
        groupIds: group.groupIds,
        privileged: usesHostDevices(group, settings),
        runAsUser: settings.runAsUser,
    };
}

/** Without the device plugin the operator may opt into host devices, which need a privileged container. */
function usesHostDevices(group: GroupModel, settings: KubernetesSettings): boolean {
    return group.devices.length > 0 && settings.audioPrivileged;
}

/**
 * A group's pods: one container running every agent of the group (the image's process supervisor
 * reads CASCADE_AGENTS), pinned to the machine, with the group's resources, probes, claims and
 * secret files, and nothing the group does not need.
 */
export function groupPodTemplate(args: GroupPodArgs): PodTemplateSpec {
    const { group, settings } = args;
    const needs = privilegeNeedsOf(group, settings);
    const secrets = secretVolume(group.secrets);
    const devices = usesHostDevices(group, settings) ? hostDeviceVolumes(group.devices) : { volumes: [], mounts: [] };
    const gpu = group.resources.gpus > 0;
    return {
        metadata: { labels: groupPodLabels(group), annotations: { [SECRETS_HASH_ANNOTATION]: args.secretsHash } },
        spec: {
            nodeSelector: { ...args.nodeSelector },
            ...(gpu && settings.gpuRuntimeClassName ? { runtimeClassName: settings.gpuRuntimeClassName } : {}),
            ...(gpu && settings.gpuTolerations.length > 0 ? { tolerations: settings.gpuTolerations.map((t) => ({ ...t })) } : {}),
            // Agents never call the Kubernetes API, and Service links would inject a REDIS_PORT
            // (tcp://...) that collides with the model's REDIS_PORT, plus dozens of unused variables.
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
            securityContext: podSecurityContext(needs),
            containers: [{
                name: group.shortName,
                image: group.image,
                env: Object.entries(group.environment).map(([name, value]) => ({ name, value })),
                ports: group.agents.flatMap((a) => [
                    { name: agentPortName(a.port), containerPort: a.port, protocol: "TCP" },
                    { name: healthPortName(a.healthPort), containerPort: a.healthPort, protocol: "TCP" },
                ]),
                resources: groupResources(group, settings),
                ...probesOf(group.health),
                volumeMounts: [...group.mounts.map(claimMount), secrets.mount, ...devices.mounts],
                securityContext: containerSecurityContext(needs),
            }],
            volumes: [...uniqueClaims(group.mounts).map(claimVolume), secrets.volume, ...devices.volumes],
        },
    };
}

/**
 * Requests are the seed's reservations and limits its limits. Extended resources go in limits only
 * (Kubernetes sets the request equal): the GPU for GPU groups, and the audio device for device
 * groups unless the operator chose a privileged container instead.
 */
function groupResources(group: GroupModel, settings: KubernetesSettings): k8s.types.input.core.v1.ResourceRequirements {
    const { limits, reservations, gpus } = group.resources;
    const deviceResource = group.devices.length > 0 && !settings.audioPrivileged ? { [settings.audioDeviceResource]: "1" } : {};
    return {
        requests: { cpu: cpuQuantity(reservations.cpus), memory: memoryQuantity(reservations.memoryBytes) },
        limits: {
            cpu: cpuQuantity(limits.cpus),
            memory: memoryQuantity(limits.memoryBytes),
            ...(gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {}),
            ...deviceResource,
        },
    };
}

/** A volume mounted twice (two targets) is one claim in the pod. */
function uniqueClaims(mounts: readonly MountModel[]): MountModel[] {
    return mounts.filter((m, i) => mounts.findIndex((o) => o.volume === m.volume) === i);
}

function claimVolume(mount: MountModel): Volume {
    return { name: claimName(mount.volume), persistentVolumeClaim: { claimName: claimName(mount.volume) } };
}

function claimMount(mount: MountModel): VolumeMount {
    return { name: claimName(mount.volume), mountPath: mount.target, readOnly: mount.readOnly };
}

/** The opt-in without a device plugin: the host's device directories, in a privileged container. */
function hostDeviceVolumes(devices: readonly string[]): { volumes: Volume[]; mounts: VolumeMount[] } {
    const named = devices.map((device) => ({ device, name: `host${device.replace(/[^a-z0-9]+/g, "-")}` }));
    return {
        volumes: named.map(({ device, name }) => ({ name, hostPath: { path: device, type: "Directory" } })),
        mounts: named.map(({ device, name }) => ({ name, mountPath: device })),
    };
}
