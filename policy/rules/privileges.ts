import { z } from "zod";
import { LABEL } from "../../components/labels";
import { workloadsOf } from "../readers";
import { describe, type Workload } from "../workload";
import { defineRule, type Finding } from "./types";

// Least privilege (second seed: "containers run with minimal privileges"; S3: real-time scheduling
// needs CAP_SYS_NICE, not CAP_SYS_ADMIN).

const SYS_ADMIN = "SYS_ADMIN";

/** Docker accepts `CAP_SYS_NICE` and `sys_nice` alike. */
function capability(name: string): string {
    return name.toUpperCase().replace(/^CAP_/, "");
}

function where(w: Workload): string {
    return `${describe(w)}${w.machine ? ` on ${w.machine}` : ""}`;
}

export const noPrivileged = defineRule({
    name: "no-privileged",
    description: "No container runs privileged.",
    enforcementLevel: "mandatory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts)
            .filter((w) => w.privileged)
            .map((w) => ({
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${where(w)} runs privileged, which gives it every capability and every host device. Grant the devices and capabilities it needs instead.`,
            }));
    },
});

export const capabilitiesAllowList = defineRule({
    name: "capabilities-allow-list",
    description: `Added capabilities come from an allow-list; the real-time ones (SYS_NICE) only on workloads labelled ${LABEL.realtime}=true; SYS_ADMIN only where the machine's stack opted in (cascade:audio.allowSysAdmin).`,
    enforcementLevel: "mandatory",
    scope: "resource",
    config: z.strictObject({
        /** Capabilities any workload may add. */
        allowed: z.array(z.string()).default([]),
        /** Capabilities only real-time workloads may add. */
        realtimeOnly: z.array(z.string()).default(["SYS_NICE"]),
    }),
    check({ resources, facts, config }) {
        const allowed = new Set(config.allowed.map(capability));
        const realtimeOnly = new Set(config.realtimeOnly.map(capability));
        return workloadsOf(resources, facts).flatMap((w) => w.capAdds.map(capability).flatMap((cap): Finding[] => {
            const optedIn = cap === SYS_ADMIN && w.machine !== undefined && facts.machines.get(w.machine)?.allowSysAdmin === true;
            if (allowed.has(cap) || (w.realtime && realtimeOnly.has(cap)) || optedIn) {
                return [];
            }
            let reason: string;
            if (realtimeOnly.has(cap)) {
                reason = `${cap} is allowed only on real-time workloads (label ${LABEL.realtime}=true)`;
            } else if (cap === SYS_ADMIN) {
                reason = `SYS_ADMIN is close to root and real-time scheduling needs SYS_NICE, not SYS_ADMIN (S3); the machine's stack did not opt in with cascade:audio.allowSysAdmin`;
            } else {
                reason = `${cap} is not on the allow-list (allowed: ${[...allowed].join(", ") || "none"}; real-time only: ${[...realtimeOnly].join(", ") || "none"})`;
            }
            return [{ resource: w.resource.name, urn: w.resource.urn, message: `${where(w)} adds capability ${cap}: ${reason}. Remove it, or add it to this policy's allow-list in the pack config.` }];
        }));
    },
});

export const sysAdminFlagged = defineRule({
    name: "sys-admin-flagged",
    description: "Reports every workload holding SYS_ADMIN (or ALL), even where an operator opted in: it is close to root.",
    enforcementLevel: "advisory",
    scope: "resource",
    check({ resources, facts }) {
        return workloadsOf(resources, facts).flatMap((w): Finding[] => {
            const held = w.capAdds.map(capability).filter((c) => c === SYS_ADMIN || c === "ALL");
            return held.length === 0 ? [] : [{
                resource: w.resource.name,
                urn: w.resource.urn,
                message: `${where(w)} holds ${held.join(" and ")}, which is close to root. Real-time audio needs only SYS_NICE with an rtprio ulimit (S3); turn cascade:audio.allowSysAdmin off unless the app truly needs it.`,
            }];
        });
    },
});

export const noDockerSocket = defineRule({
    name: "no-docker-socket",
    description: "No workload mounts the Docker socket (or a directory that contains it): that is root on the host.",
    enforcementLevel: "mandatory",
    scope: "resource",
    config: z.strictObject({
        socketPaths: z.array(z.string()).default(["/var/run/docker.sock", "/run/docker.sock"]),
    }),
    check({ resources, facts, config }) {
        const exposes = (hostPath: string) => {
            const mounted = hostPath.replace(/\/+$/, "") || "/";
            return config.socketPaths.some((socket) => socket === mounted || mounted === "/" || socket.startsWith(`${mounted}/`));
        };
        return workloadsOf(resources, facts).flatMap((w) => w.hostPaths.filter(exposes).map((hostPath) => ({
            resource: w.resource.name,
            urn: w.resource.urn,
            message: `${where(w)} mounts ${hostPath}, which exposes the Docker socket: whoever controls the container controls the host. Remove the mount.`,
        })));
    },
});
