import type { PolicyFacts } from "../facts";
import type { PolicyResourceView } from "../resource";
import type { DataVolume, NetworkView, Workload } from "../workload";
import { dockerContainerReader } from "./docker-container";
import { dockerServiceReader } from "./docker-service";
import { dockerNetworkReader, dockerVolumeReader } from "./docker-storage";
import { kubernetesClaimReader } from "./kubernetes-storage";
import { kubernetesDeploymentReader, kubernetesStatefulSetReader } from "./kubernetes-workload";
import type { NetworkReader, VolumeReader, WorkloadReader } from "./types";

// The readers of every platform the rules cover. Add a platform's readers here (for example
// Kubernetes Deployments as workloads, PersistentVolumeClaims as data volumes) and every rule written
// against the neutral views applies to it.

export const WORKLOAD_READERS: readonly WorkloadReader[] = [dockerServiceReader, dockerContainerReader, kubernetesDeploymentReader, kubernetesStatefulSetReader];
export const VOLUME_READERS: readonly VolumeReader[] = [dockerVolumeReader, kubernetesClaimReader];
export const NETWORK_READERS: readonly NetworkReader[] = [dockerNetworkReader];

function byType<R extends { readonly type: string }>(readers: readonly R[]): ReadonlyMap<string, R> {
    return new Map(readers.map((r) => [r.type, r]));
}

const workloadReaders = byType(WORKLOAD_READERS);
const volumeReaders = byType(VOLUME_READERS);
const networkReaders = byType(NETWORK_READERS);

// Every rule asks for the workloads of the same resources: read them once per resource list.
const workloadCache = new WeakMap<readonly PolicyResourceView[], { facts: PolicyFacts; workloads: Workload[] }>();

export function workloadsOf(resources: readonly PolicyResourceView[], facts: PolicyFacts): Workload[] {
    const cached = workloadCache.get(resources);
    if (cached && cached.facts === facts) {
        return cached.workloads;
    }
    const workloads = resources.flatMap((r) => {
        const reader = workloadReaders.get(r.type);
        return reader ? [reader.read(r, facts)] : [];
    });
    workloadCache.set(resources, { facts, workloads });
    return workloads;
}

export function dataVolumesOf(resources: readonly PolicyResourceView[]): DataVolume[] {
    return resources.flatMap((r) => {
        const volume = volumeReaders.get(r.type)?.read(r);
        return volume ? [volume] : [];
    });
}

export function networksOf(resources: readonly PolicyResourceView[]): NetworkView[] {
    return resources.flatMap((r) => {
        const reader = networkReaders.get(r.type);
        return reader ? [reader.read(r)] : [];
    });
}
