import type { PolicyFacts } from "../facts";
import type { PolicyResourceView } from "../resource";
import type { DataVolume, NetworkView, Workload } from "../workload";

// A reader turns resources of one type token into a neutral view. Rules ask for views, never for
// type tokens, so a new platform is covered by registering its readers in policy/readers/index.ts.

export interface WorkloadReader {
    readonly type: string;
    read(resource: PolicyResourceView, facts: PolicyFacts): Workload;
}

export interface VolumeReader {
    readonly type: string;
    /** undefined when the volume holds no data worth protecting. */
    read(resource: PolicyResourceView): DataVolume | undefined;
}

export interface NetworkReader {
    readonly type: string;
    read(resource: PolicyResourceView): NetworkView;
}
