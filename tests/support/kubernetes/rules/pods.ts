import type { IContainer } from "kubernetes-models/v1/Container";
import type { IProbe } from "kubernetes-models/v1/Probe";
import { isDns1123Label, isEnvName, isExtendedResource, isIanaServiceName, isLabelValue, isQualifiedName, quantityValue } from "./formats";
import { selects, type Inventory, type Workload } from "./inventory";

const PROBES = ["startupProbe", "readinessProbe", "livenessProbe"] as const;
const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** What the API server and the kubelet reject in a workload's pod template. */
export function podViolations(inventory: Inventory): string[] {
    return inventory.workloads.flatMap((workload) => [
        ...selectorViolations(workload),
        ...podSpecViolations(workload, inventory),
        ...(workload.template.spec?.containers ?? []).flatMap((c) => containerViolations(workload, c)),
    ]);
}

function selectorViolations(workload: Workload): string[] {
    return selects(workload.selector, workload) ? [] : [`${workload.id}: the selector does not match the pod template's labels`];
}

function podSpecViolations(workload: Workload, inventory: Inventory): string[] {
    const violations: string[] = [];
    const at = workload.id;
    const spec = workload.template.spec;
    if (!spec) {
        return [`${at}: no pod spec`];
    }
    if (spec.restartPolicy !== undefined && spec.restartPolicy !== "Always") {
        violations.push(`${at}: a ${workload.kind}'s pods must restart Always`);
    }
    const containers = spec.containers;
    unique(containers.map((c) => c.name), (name) => violations.push(`${at}: container name ${name} is used twice`));
    for (const name of containers.map((c) => c.name).filter((n) => !isDns1123Label(n))) {
        violations.push(`${at}: container name ${name} is not a DNS-1123 label`);
    }
    const ports = containers.flatMap((c) => c.ports ?? []);
    unique(ports.flatMap((p) => (p.name ? [p.name] : [])), (name) => violations.push(`${at}: port name ${name} is used twice in the pod`));
    unique(ports.map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`), (port) => violations.push(`${at}: container port ${port} is declared twice`));

    const volumes = spec.volumes ?? [];
    unique(volumes.map((v) => v.name), (name) => violations.push(`${at}: volume ${name} is declared twice`));
    for (const volume of volumes) {
        if (!isDns1123Label(volume.name)) {
            violations.push(`${at}: volume name ${volume.name} is not a DNS-1123 label`);
        }
        const claim = volume.persistentVolumeClaim?.claimName;
        if (claim !== undefined && !inventory.claims.some((c) => c.metadata?.name === claim && c.metadata?.namespace === workload.namespace)) {
            violations.push(`${at}: volume ${volume.name} uses claim ${claim}, which the stack does not create in ${workload.namespace}`);
        }
        const secretName = volume.secret?.secretName;
        if (secretName !== undefined) {
            const secret = inventory.secrets.find((s) => s.metadata?.name === secretName && s.metadata?.namespace === workload.namespace);
            if (!secret) {
                violations.push(`${at}: volume ${volume.name} uses Secret ${secretName}, which the stack does not create in ${workload.namespace}`);
            }
            for (const item of volume.secret?.items ?? []) {
                if (secret && !(item.key in (secret.data ?? {}))) {
                    violations.push(`${at}: volume ${volume.name} projects key ${item.key}, which Secret ${secretName} does not hold`);
                }
            }
        }
    }
    for (const container of containers) {
        for (const mount of container.volumeMounts ?? []) {
            if (!volumes.some((v) => v.name === mount.name)) {
                violations.push(`${at}: container ${container.name} mounts ${mount.name}, which is not a volume of the pod`);
            }
        }
        unique((container.volumeMounts ?? []).map((m) => m.mountPath), (target) => violations.push(`${at}: container ${container.name} mounts twice on ${target}`));
    }
    for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
        if (!isQualifiedName(key) || !isLabelValue(value)) {
            violations.push(`${at}: node selector ${key}=${value} is not a valid label`);
        }
    }
    for (const toleration of spec.tolerations ?? []) {
        if (toleration.operator === "Exists" && toleration.value) {
            violations.push(`${at}: a toleration with operator Exists cannot have a value`);
        }
    }
    const podContext = spec.securityContext;
    if (podContext?.runAsNonRoot === true && podContext.runAsUser === 0) {
        violations.push(`${at}: runAsNonRoot with runAsUser 0 never starts`);
    }
    return violations;
}

function containerViolations(workload: Workload, container: IContainer): string[] {
    const violations: string[] = [];
    const at = `${workload.id} container ${container.name}`;
    const portNames = new Set((container.ports ?? []).flatMap((p) => (p.name ? [p.name] : [])));
    for (const name of portNames) {
        if (!isIanaServiceName(name)) {
            violations.push(`${at}: port name ${name} is not an IANA service name (15 characters at most)`);
        }
    }
    for (const key of PROBES) {
        const probe = container[key];
        if (probe) {
            violations.push(...probeViolations(`${at} ${key}`, probe, portNames, key !== "readinessProbe"));
        }
    }
    violations.push(...resourceViolations(at, container));
    const env = container.env ?? [];
    for (const variable of env.filter((e) => !isEnvName(e.name))) {
        violations.push(`${at}: environment variable ${variable.name} has an invalid name`);
    }
    unique(env.map((e) => e.name), (name) => violations.push(`${at}: environment variable ${name} is set twice`));
    const context = container.securityContext;
    if (context?.privileged === true && context.allowPrivilegeEscalation === false) {
        violations.push(`${at}: cannot be privileged and forbid privilege escalation`);
    }
    return violations;
}

function probeViolations(at: string, probe: IProbe, portNames: ReadonlySet<string>, successMustBeOne: boolean): string[] {
    const violations: string[] = [];
    const handlers = HANDLERS.filter((h) => probe[h] !== undefined);
    if (handlers.length !== 1) {
        violations.push(`${at}: has ${handlers.length} handlers (${handlers.join(", ") || "none"}), must have exactly one`);
    }
    for (const port of [probe.httpGet?.port, probe.tcpSocket?.port]) {
        if (typeof port === "string" && !portNames.has(port)) {
            violations.push(`${at}: names port ${port}, which the container does not declare`);
        }
    }
    if (successMustBeOne && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
        violations.push(`${at}: successThreshold must be 1`);
    }
    if (probe.exec && (probe.exec.command ?? []).length === 0) {
        violations.push(`${at}: exec has no command`);
    }
    return violations;
}

/**
 * Requests never above limits; extended resources (GPUs, devices) are whole numbers and may not be
 * overcommitted: in limits only (the request defaults to it) or with an equal request.
 */
function resourceViolations(at: string, container: IContainer): string[] {
    const violations: string[] = [];
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    for (const [name, request] of Object.entries(requests)) {
        const limit = limits[name];
        const requested = quantityValue(request);
        const limited = limit === undefined ? undefined : quantityValue(limit);
        if (requested !== undefined && limited !== undefined && requested > limited) {
            violations.push(`${at}: requests ${name} ${request}, above its limit ${limit}`);
        }
        if (isExtendedResource(name) && (limit === undefined || requested !== limited)) {
            violations.push(`${at}: extended resource ${name} must be in limits, with no request or an equal one`);
        }
    }
    for (const [name, limit] of Object.entries(limits).filter(([n]) => isExtendedResource(n))) {
        const value = quantityValue(limit);
        if (value === undefined || !Number.isInteger(value)) {
            violations.push(`${at}: extended resource ${name} must be a whole number (got ${limit})`);
        }
    }
    return violations;
}

function unique(values: readonly string[], report: (value: string) => void): void {
    const seen = new Set<string>();
    for (const value of values) {
        if (seen.has(value)) {
            report(value);
        }
        seen.add(value);
    }
}
