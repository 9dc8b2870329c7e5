import { agentMemoryWithinGroupLimit, budgetLimitsOvercommit, budgetReservations } from "./budget";
import { noSecretEnv } from "./environment";
import { gpuReservations } from "./gpu";
import { noLatestImage } from "./images";
import { hostPathMounts, kubernetesNamespaceIsolation, kubernetesPodSecurity } from "./kubernetes";
import { internalNetworkInternal, uniquePublishedPorts } from "./network";
import { dataVolumesProtected, healthcheckAndRestart } from "./operations";
import { capabilitiesAllowList, noDockerSocket, noPrivileged, sysAdminFlagged } from "./privileges";
import type { Rule } from "./types";

/**
 * Every rule of the pack, in the order the plan prints them. Add a rule by appending it here: the
 * pack, the plan and the policy tests all read this list.
 */
export const RULES: readonly Rule[] = [
    budgetReservations,
    budgetLimitsOvercommit,
    agentMemoryWithinGroupLimit,
    gpuReservations,
    noPrivileged,
    capabilitiesAllowList,
    sysAdminFlagged,
    noDockerSocket,
    noSecretEnv,
    internalNetworkInternal,
    healthcheckAndRestart,
    dataVolumesProtected,
    uniquePublishedPorts,
    noLatestImage,
    hostPathMounts,
    kubernetesPodSecurity,
    kubernetesNamespaceIsolation,
];
