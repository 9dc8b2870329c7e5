import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { subnetGateway } from "../components/swarm/read-back";
import { MONITORING_GROUP } from "../model/monitoring/services";
import { parseDuration, parseMemory } from "../model/units";
import { asArray, propAt } from "../policy/resource";
import type { Plan } from "../plan/assemble";
import { committedPlan } from "./support/plan";
import { renderPlan, writeRendered, type RenderedFile } from "../plan/render";
import { RenderError } from "../plan/render/fields";
import { PLACEHOLDER_SECRETS } from "../plan/stack-file";

// `npm run plan -- --render DIR` for the Swarm stacks: files written from the captured resources, so
// each file shows exactly what Pulumi would create. Every service and container is read back (as YAML
// 1.1, like docker-compose) and compared field by field with the inputs the provider would receive,
// converted back to Compose syntax; `$` must come back as `$$`.

type Props = Record<string, unknown>;
type Definition = Record<string, unknown>;

/** A rendered file as docker-compose reads it. */
function read(file: RenderedFile): Record<string, unknown> {
    return parse(file.content, { version: "1.1" }) as Record<string, unknown>;
}

const escaped = (value: unknown): unknown =>
    typeof value === "string" ? value.replace(/\$/g, "$$$$")
        : Array.isArray(value) ? value.map(escaped)
            : typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escaped(v)])) : value;

const bytes = (text: unknown) => parseMemory(String(text));

function file(files: readonly RenderedFile[], name: string): RenderedFile {
    const found = files.find((f) => f.path === name);
    if (!found) {
        throw new Error(`no ${name} among ${files.map((f) => f.path).join(", ")}`);
    }
    return found;
}

function labels(list: unknown): Record<string, string> {
    return Object.fromEntries(asArray(list).map((l) => [String(propAt(l, "label")), String(propAt(l, "value"))]));
}

/** Checks one Swarm service definition against the captured service inputs. */
function expectService(definition: Definition, props: Props, networkName: (id: string) => string): void {
    const task = props.taskSpec as Props;
    const container = task.containerSpec as Props;
    const resources = task.resources as { limits: Props; reservation: Props };
    const deploy = definition.deploy as Definition;
    expect(definition.image).to.equal(container.image);
    expect(definition.environment).to.deep.equal(escaped(container.env));
    expect(definition.labels).to.deep.equal(labels(container.labels));
    expect(deploy.labels).to.deep.equal(labels(props.labels));
    const health = container.healthcheck as Props;
    expect(definition.healthcheck).to.deep.equal({ test: escaped(health.tests), interval: health.interval, timeout: health.timeout, retries: health.retries, start_period: health.startPeriod });
    if (asArray(container.commands).length > 0) {
        expect(definition.entrypoint).to.deep.equal(escaped(container.commands));
    }
    expect(definition.cap_drop ?? []).to.deep.equal(container.capDrops ?? []);
    expect(definition.cap_add ?? []).to.deep.equal(container.capAdds ?? []);
    expect(definition.stop_grace_period).to.equal(container.stopGracePeriod);
    expect(definition.volumes ?? []).to.deep.equal(asArray(container.mounts).map((m) => ({ type: propAt(m, "type"), source: propAt(m, "source"), target: propAt(m, "target"), ...(propAt(m, "readOnly") === true ? { read_only: true } : {}) })));
    expect(definition.secrets ?? []).to.deep.equal(asArray(container.secrets).map((s) => ({
        source: String(propAt(s, "fileName")).replace(/^\/run\/secrets\//, "").replace(/[^A-Za-z0-9_.-]+/g, "-"),
        target: propAt(s, "fileName"), uid: propAt(s, "fileUid"), gid: propAt(s, "fileGid"), mode: propAt(s, "fileMode"),
    })));
    expect(definition.networks).to.deep.equal(Object.fromEntries(asArray(task.networksAdvanceds).map((n) => {
        const aliases = asArray(propAt(n, "aliases"));
        return [networkName(String(propAt(n, "id"))), aliases.length > 0 ? { aliases } : null];
    })));
    expect(definition.ports ?? []).to.deep.equal(asArray(propAt(props, "endpointSpec", "ports")).map((p) => ({ target: propAt(p, "targetPort"), published: propAt(p, "publishedPort"), protocol: propAt(p, "protocol"), mode: propAt(p, "publishMode") })));
    expect(definition.logging).to.deep.equal({ driver: propAt(task, "logDriver", "name"), options: propAt(task, "logDriver", "options") });
    expect(deploy.replicas).to.equal(propAt(props, "mode", "replicated", "replicas"));
    expect(deploy.endpoint_mode).to.equal(propAt(props, "endpointSpec", "mode"));
    const limits = (deploy.resources as { limits: Definition }).limits;
    const reservations = (deploy.resources as { reservations: Definition }).reservations;
    expect(Number(limits.cpus) * 1e9).to.equal(resources.limits.nanoCpus);
    expect(bytes(limits.memory)).to.equal(resources.limits.memoryBytes);
    expect(Number(reservations.cpus) * 1e9).to.equal(resources.reservation.nanoCpus);
    expect(bytes(reservations.memory)).to.equal(resources.reservation.memoryBytes);
    const discrete = asArray(propAt(resources.reservation, "genericResources", "discreteResourcesSpecs")).map((s) => {
        const [kind, value] = String(s).split("=");
        return { discrete_resource_spec: { kind, value: Number(value) } };
    });
    expect(reservations.generic_resources ?? []).to.deep.equal(discrete);
    const restart = task.restartPolicy as Props;
    expect(deploy.restart_policy).to.deep.equal({ condition: restart.condition, delay: restart.delay, max_attempts: restart.maxAttempts, window: restart.window });
    expect(propAt(deploy, "placement", "constraints")).to.deep.equal(propAt(task, "placement", "constraints"));
    for (const [key, input] of [["update_config", props.updateConfig], ["rollback_config", props.rollbackConfig]] as const) {
        const config = input as Props;
        expect(deploy[key], key).to.deep.equal({ parallelism: config.parallelism, delay: config.delay, failure_action: config.failureAction, monitor: config.monitor, max_failure_ratio: Number(config.maxFailureRatio), order: config.order });
    }
}

/** Checks one Compose service against the captured container inputs. */
function expectContainer(definition: Definition, props: Props, networkName: (id: string) => string): void {
    const MB = 1024 * 1024;
    expect(definition.container_name).to.equal(props.name);
    expect(definition.image).to.equal(props.image);
    expect(definition.environment).to.deep.equal(escaped(Object.fromEntries(asArray(props.envs).map((e) => {
        const text = String(e);
        return [text.slice(0, text.indexOf("=")), text.slice(text.indexOf("=") + 1)];
    }))));
    expect(definition.labels).to.deep.equal(labels(props.labels));
    expect(bytes(definition.mem_limit)).to.equal(Number(props.memory) * MB);
    expect(bytes(definition.mem_reservation)).to.equal(Number(props.memoryReservation) * MB);
    expect(definition.cpus).to.equal(Number(props.cpus));
    expect(definition.devices).to.deep.equal(asArray(props.devices).map((d) => `${String(propAt(d, "hostPath"))}:${String(propAt(d, "containerPath"))}:${String(propAt(d, "permissions"))}`));
    expect(definition.cap_add).to.deep.equal(propAt(props, "capabilities", "adds"));
    expect(definition.cap_drop).to.deep.equal(propAt(props, "capabilities", "drops"));
    expect(definition.ulimits).to.deep.equal(Object.fromEntries(asArray(props.ulimits).map((u) => [propAt(u, "name"), { soft: propAt(u, "soft"), hard: propAt(u, "hard") }])));
    expect(definition.group_add).to.deep.equal(props.groupAdds);
    expect(definition.security_opt).to.deep.equal(props.securityOpts);
    expect(definition.restart).to.equal(props.restart);
    const health = props.healthcheck as Props;
    expect(definition.healthcheck).to.deep.equal({ test: escaped(health.tests), interval: health.interval, timeout: health.timeout, retries: health.retries, start_period: health.startPeriod });
    expect(definition.logging).to.deep.equal({ driver: props.logDriver, options: props.logOpts });
    expect(definition.networks).to.deep.equal(Object.fromEntries(asArray(props.networksAdvanced).map((n) => [networkName(String(propAt(n, "name"))), { aliases: propAt(n, "aliases") }])));
    expect(definition.secrets).to.deep.equal(asArray(props.uploads).map((u) => ({
        source: String(propAt(u, "file")).replace(/^\/run\/secrets\//, "").replace(/[^A-Za-z0-9_.-]+/g, "-"),
        target: propAt(u, "file"),
    })));
    expect(definition.volumes).to.deep.equal(asArray(props.mounts).map((m) => ({ type: propAt(m, "type"), source: propAt(m, "source"), target: propAt(m, "target") })));
}

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`render: the Swarm files of ${stack}`, () => {
        let plan: Plan;
        let files: RenderedFile[];
        const planned = (type: string) => plan.capture.resources.flatMap((r, i) => (r.type === type ? [{ captured: r, props: plan.resources[i].props as Props }] : []));
        const networkName = (id: string) => {
            const names = (plan.capture.outputs.networks ?? {}) as Record<string, { id: string; name: string }>;
            return Object.values(names).find((n) => n.id === id)?.name ?? id;
        };
        before(async () => {
            plan = await committedPlan(stack);
            files = renderPlan(plan);
        });

        it("writes a stack file per service group in phase order, the networks file where they are created, the Compose file, deploy.sh and README.md", () => {
            const { model } = plan;
            const serviceGroups = model.groups.filter((g) => g.runAs === "service");
            const configs = planned("docker:index/serviceConfig:ServiceConfig").map((c) => `configs/${String(c.props.name)}`);
            expect(configs.length, "monitoring files").to.equal(model.monitoring.services.reduce((n, s) => n + s.files.length, 0));
            expect(files.map((f) => f.path)).to.deep.equal([
                ...configs,
                ...(model.ownsSharedResources ? ["networks.yml"] : []),
                ...(model.monitoring.services.length > 0 ? [`0-${MONITORING_GROUP}.yml`] : []),
                ...serviceGroups.map((g) => `${g.phase}-${g.name}.yml`),
                ...(model.groups.some((g) => g.runAs === "standalone") ? ["compose.yml"] : []),
                "deploy.sh",
                "README.md",
            ]);
        });

        it("renders every Swarm service, Redis in its group's file, field by field from its planned inputs", () => {
            const services = planned("docker:index/service:Service");
            expect(services.length).to.equal(plan.model.groups.filter((g) => g.runAs === "service").length + (plan.model.redis ? 1 : 0) + plan.model.monitoring.services.length);
            for (const { captured, props } of services) {
                const group = labels(props.labels)["cascade.group"];
                const phase = group === MONITORING_GROUP ? 0 : plan.model.groups.find((g) => g.name === group)?.phase;
                const document = read(file(files, `${phase}-${group}.yml`));
                expect(document.version).to.equal("3.8");
                const key = String(props.name).replace(/^cascade-/, "");
                const definition = (document.services as Record<string, Definition>)[key];
                expect(definition, `${captured.name} as ${key}`).to.not.equal(undefined);
                expectService(definition, props, networkName);
            }
        });

        it("declares the networks, volumes and secrets the services use as external, by their Docker names", () => {
            for (const stackFile of files.filter((f) => /^\d+-.+\.yml$/.test(f.path))) {
                const document = read(stackFile) as { services: Record<string, Definition>; networks: Record<string, unknown>; volumes: Record<string, unknown>; secrets: Record<string, { external: boolean; name: string }> };
                const used = Object.values(document.services);
                const networks = [...new Set(used.flatMap((s) => Object.keys((s.networks ?? {}) as object)))].sort();
                expect(document.networks, stackFile.path).to.deep.equal(Object.fromEntries(networks.map((n) => [n, { external: true, name: n }])));
                // Bind mounts (the node exporter's /proc and /sys) are host paths, not volumes to declare.
                const volumes = [...new Set(used.flatMap((s) => asArray(s.volumes).filter((v) => propAt(v, "type") === "volume").map((v) => String(propAt(v, "source")))))].sort();
                expect(document.volumes ?? {}, stackFile.path).to.deep.equal(Object.fromEntries(volumes.map((v) => [v, { external: true, name: v }])));
                const secretNames = new Map(planned("docker:index/secret:Secret").map((s) => [s.captured.id, String(s.props.name)]));
                for (const service of planned("docker:index/service:Service")) {
                    for (const secret of asArray(propAt(service.props, "taskSpec", "containerSpec", "secrets"))) {
                        const key = String(propAt(secret, "fileName")).replace(/^\/run\/secrets\//, "").replace(/[^A-Za-z0-9_.-]+/g, "-");
                        const declared = document.secrets?.[key];
                        if (declared) {
                            const variable = `CASCADE_SECRET_${String(propAt(secret, "fileName")).replace(/^\/run\/secrets\//, "").toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
                            expect(declared).to.deep.equal({ external: true, name: `\${${variable}:-${secretNames.get(String(propAt(secret, "secretId")))}}` });
                        }
                    }
                }
            }
        });

        it("renders every standalone container into the Compose file, field by field", () => {
            const containers = planned("docker:index/container:Container");
            expect(containers.length).to.equal(plan.model.groups.filter((g) => g.runAs === "standalone").length);
            if (containers.length === 0) {
                return;
            }
            const document = read(file(files, "compose.yml")) as { version?: string; services: Record<string, Definition>; secrets: Record<string, { file: string }> };
            expect(document.version, "no version: the Compose specification, which docker-compose 1.29 reads").to.equal(undefined);
            for (const { props } of containers) {
                expectContainer(document.services[String(props.name).replace(/^cascade-/, "")], props, networkName);
            }
            for (const [key, secret] of Object.entries(document.secrets)) {
                expect(secret.file).to.match(new RegExp(`^\\$\\{CASCADE_SECRETS_DIR:-\\./secrets\\}/`), key);
            }
        });

        it("writes every `$` of a planned value as `$$`; the only interpolations are the secrets'", () => {
            for (const rendered of files.filter((f) => f.path.endsWith(".yml"))) {
                const interpolations = rendered.content.match(/(?<!\$)\$\{[^}]*\}/g) ?? [];
                interpolations.forEach((i) => expect(i, rendered.path).to.match(/^\$\{CASCADE_SECRET(S_DIR|_[A-Z0-9_]+):-[^}]+\}$/));
                expect(rendered.content.replace(/\$\$/g, "").replace(/\$\{CASCADE_SECRET[^}]+\}/g, ""), rendered.path).to.not.contain("$");
            }
            const redis = files.find((f) => f.content.includes("redis-server"));
            if (plan.model.redis) {
                expect(redis?.content).to.contain('--requirepass "$$(cat /run/secrets/redis-password)"');
            }
        });

        it("never writes a secret value", () => {
            const certificates = Object.values(JSON.parse(PLACEHOLDER_SECRETS.zmqCertificates) as Record<string, string>);
            for (const rendered of files) {
                for (const secret of [PLACEHOLDER_SECRETS.redisPassword, ...certificates]) {
                    expect(rendered.content, rendered.path).to.not.contain(secret);
                    expect(rendered.content, rendered.path).to.not.contain(Buffer.from(secret).toString("base64"));
                }
            }
        });

        it("writes a deploy script bash accepts, in Pulumi's order: volumes, networks, secrets, then each phase waiting for health", () => {
            const directory = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-render-${stack}-`));
            writeRendered(directory, files);
            const script = path.join(directory, "deploy.sh");
            expect(fs.statSync(script).mode & 0o111).to.not.equal(0);
            expect(spawnSync("bash", ["-n", script], { encoding: "utf8" }).stderr).to.equal("");
            const text = fs.readFileSync(script, "utf8");
            const position = (needle: string) => {
                const at = text.indexOf(needle);
                expect(at, needle).to.be.greaterThan(-1);
                return at;
            };
            const matching = (pattern: RegExp) => {
                const at = text.search(pattern);
                expect(at, String(pattern)).to.be.greaterThan(-1);
                return at;
            };
            const lastVolume = Math.max(...plan.model.volumes.map((v) => position(`volume create --driver local --label cascade.machine=${stack} --label cascade.data=true --label cascade.managed-by=pulumi ${v.name}`)));
            const secrets = position("secret create");
            expect(lastVolume).to.be.lessThan(secrets);
            if (plan.model.ownsSharedResources) {
                const internal = plan.model.networks.internal;
                expect(position(`network create --driver overlay --attachable --internal --subnet ${internal.subnet ?? ""} --gateway ${internal.subnet ? subnetGateway(internal.subnet) : ""} --label cascade.managed-by=pulumi ${internal.name}`)).to.be.lessThan(secrets);
            } else {
                expect(text).to.not.contain("network create");
            }
            // deploy.sh waits as long as `pulumi up` does: the service's convergeConfig timeout.
            const convergeSeconds = (name: string) => parseDuration(String(propAt(planned("docker:index/service:Service").find((s) => propAt(s.props, "name") === name)?.props, "convergeConfig", "timeout")));
            let previous = secrets;
            for (const phase of plan.model.phases) {
                const start = position(`echo "Phase ${phase.phase}: `);
                expect(start).to.be.greaterThan(previous);
                for (const name of phase.groups) {
                    const group = plan.model.groups.find((g) => g.name === name);
                    const key = name.replace(/^cascade-/, "");
                    const deploy = group?.runAs === "service" ? position(`stack deploy --resolve-image "$CASCADE_RESOLVE_IMAGE" -c ${phase.phase}-${name}.yml cascade`) : position(`up -d --no-deps ${key}`);
                    const wait = group?.runAs === "service" ? matching(new RegExp(`wait_service "\\$CASCADE_DOCKER_HOST_${stack.toUpperCase()}_MANAGER" "\\$CASCADE_DOCKER_HOST_[A-Z0-9_]+" cascade_${key} ${convergeSeconds(name)} "\\$since_`)) : matching(new RegExp(`wait_container "\\$CASCADE_DOCKER_HOST_[A-Z0-9_]+" ${name} \\d+`));
                    expect(deploy).to.be.greaterThan(start);
                    expect(wait).to.be.greaterThan(deploy);
                    previous = Math.max(previous, wait);
                }
            }
        });

        it("lists the secret files the operator supplies in README.md", () => {
            const readme = file(files, "README.md").content;
            for (const target of new Set(planned("docker:index/service:Service").flatMap((s) => asArray(propAt(s.props, "taskSpec", "containerSpec", "secrets")).map((x) => String(propAt(x, "fileName")))))) {
                expect(readme).to.contain(`- \`$CASCADE_SECRETS_DIR/${target.replace(/^\/run\/secrets\//, "")}\``);
            }
        });
    });
}

describe("render: nothing left out", () => {
    it("refuses to render a planned field it has no native form for, naming it", async () => {
        const plan = await committedPlan("pc2");
        const index = plan.capture.resources.findIndex((r) => r.type === "docker:index/service:Service");
        const props = JSON.parse(JSON.stringify(plan.resources[index].props)) as { taskSpec: { containerSpec: Record<string, unknown> } };
        props.taskSpec.containerSpec.privileges = { seLinuxContext: { disable: true } };
        const resources = plan.resources.map((r, i) => (i === index ? { ...r, props } : r));
        expect(() => renderPlan({ ...plan, resources })).to.throw(RenderError, `cannot render ${plan.capture.resources[index].name}: the render has no native form for taskSpec.containerSpec.privileges`);
    });
});
