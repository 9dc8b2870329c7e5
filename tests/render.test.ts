import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { subnetGateway } from "../components/swarm/read-back";
import { MONITORING_GROUP } from "../model/monitoring/services";
import { parseDuration, parseMemory } from "../config/units";
import { asArray, propAt } from "../lib/unknown";
import type { Plan } from "../plan/assemble";
import { committedPlan } from "./support/plan";
import { renderPlan, writeRendered, type RenderedFile } from "../plan/render";
import { RenderError } from "../plan/render/fields";
import { PLACEHOLDER_SECRETS } from "../config/stack-file";
import { topology } from "./support/kubernetes/expected";

// `npm run plan -- --render DIR` for the Swarm stacks: files written from the captured resources, read
// back as docker-compose reads them (YAML 1.1). The field-by-field correspondence between the
// provider's inputs and Compose lives in plan/render alone; it is proven against a real engine by the
// two-node suite, which deploys these files and compares `docker inspect` with the plan
// (engine/acceptance/engine-spec.ts), and render-tools.test.ts has Docker's own tools parse them.
// Here: what the files must do whatever the mapping: every agent runs, only declared ports are
// published, secrets are files, phases come in order, `$` comes back as `$$`.

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

/** Every service of every stack file and of the Compose file, with the file it is in. */
function workloads(files: readonly RenderedFile[]): { file: string; key: string; definition: Definition }[] {
    return files.filter((f) => /^(\d+-.+|compose)\.yml$/.test(f.path)).flatMap((f) =>
        Object.entries((read(f).services ?? {}) as Record<string, Definition>).map(([key, definition]) => ({ file: f.path, key, definition })));
}

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`render: the Swarm files of ${stack}`, () => {
        let plan: Plan;
        let files: RenderedFile[];
        const planned = (type: string) => plan.capture.resources.flatMap((r, i) => (r.type === type ? [{ captured: r, props: plan.resources[i].props as Props }] : []));
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

        it("runs every agent of the machine in its group's workload, in the agents manifest and under its DNS name", () => {
            const rendered = workloads(files);
            const internal = plan.model.networks.internal.name;
            const find = (file: string, key: string) => {
                const found = rendered.find((w) => w.file === file && w.key === key);
                expect(found, `${key} in ${file}`).to.not.equal(undefined);
                return found?.definition ?? {};
            };
            const aliasesOf = (definition: Definition) => asArray(propAt(definition, "networks", internal, "aliases")).map(String);
            for (const group of plan.model.groups) {
                const file = group.runAs === "service" ? `${group.phase}-${group.name}.yml` : "compose.yml";
                const definition = find(file, group.name.replace(/^cascade-/, ""));
                const environment = definition.environment as Record<string, string>;
                const manifest = JSON.parse(environment.CASCADE_AGENTS.replace(/\$\$/g, "$")) as { name: string }[];
                const declared = topology.groups.find((g) => g.name === group.name)?.agents.map((a) => a.name);
                expect(manifest.map((a) => a.name), group.name).to.deep.equal(declared);
                expect(aliasesOf(definition), group.name).to.include.members(group.agents.map((a) => a.dnsName));
            }
            if (plan.model.redis) {
                const redis = plan.model.redis;
                const group = plan.model.groups.find((g) => g.name === redis.group);
                expect(aliasesOf(find(`${group?.phase ?? ""}-${redis.group}.yml`, redis.name.replace(/^cascade-/, "")))).to.deep.equal([redis.dnsName]);
            }
            for (const service of plan.model.monitoring.services) {
                expect(aliasesOf(find(`0-${MONITORING_GROUP}.yml`, service.name.replace(/^cascade-/, "")))).to.deep.equal([service.dnsName]);
            }
            const expected = plan.model.groups.length + (plan.model.redis ? 1 : 0) + plan.model.monitoring.services.length;
            expect(rendered.length, "no workload beyond the groups, Redis and monitoring").to.equal(expected);
        });

        it("publishes exactly the declared ports, each once on the same port, and never a health port", () => {
            const ports = workloads(files).flatMap((w) => asArray(w.definition.ports).map((p) => ({ target: propAt(p, "target"), published: propAt(p, "published") })));
            ports.forEach((p) => expect(p.published).to.equal(p.target));
            const declared = [
                ...plan.model.groups.flatMap((g) => g.agents.filter((a) => a.published).map((a) => a.port)),
                ...plan.model.monitoring.services.flatMap((s) => s.publishedPorts),
            ];
            expect(ports.map((p) => Number(p.published)).sort((a, b) => a - b)).to.deep.equal(declared.sort((a, b) => a - b));
            const health = new Set(plan.model.groups.flatMap((g) => g.agents.map((a) => a.healthPort)));
            ports.forEach((p) => expect(health.has(Number(p.published)), `health port ${String(p.published)}`).to.equal(false));
        });

        it("hands every secret to its workload as a file under /run/secrets, readable by root only on Swarm", () => {
            for (const { file: path, key, definition } of workloads(files)) {
                for (const secret of asArray(definition.secrets)) {
                    expect(String(propAt(secret, "target")), `${key} in ${path}`).to.match(/^\/run\/secrets\/./);
                    if (path !== "compose.yml") {
                        expect([propAt(secret, "uid"), propAt(secret, "gid"), propAt(secret, "mode")], key).to.deep.equal(["0", "0", 0o400]);
                    }
                }
            }
            const compose = files.find((f) => f.path === "compose.yml");
            const secrets = compose ? (read(compose).secrets ?? {}) as Record<string, { file: string }> : {};
            for (const [key, secret] of Object.entries(secrets)) {
                expect(secret.file, key).to.match(new RegExp(`^\\$\\{CASCADE_SECRETS_DIR:-\\./secrets\\}/`));
            }
        });

        it("gives every workload a healthcheck, drops every capability it does not declare, and reserves no more than it limits", () => {
            for (const { key, definition } of workloads(files)) {
                expect(asArray(propAt(definition, "healthcheck", "test"))[0], key).to.equal("CMD-SHELL");
                expect(definition.cap_drop, key).to.deep.equal(["ALL"]);
                const limits = (propAt(definition, "deploy", "resources", "limits") ?? { memory: definition.mem_limit, cpus: definition.cpus }) as Definition;
                const reservations = (propAt(definition, "deploy", "resources", "reservations") ?? { memory: definition.mem_reservation }) as Definition;
                expect(bytes(reservations.memory), key).to.be.at.most(bytes(limits.memory) ?? 0);
                if (reservations.cpus !== undefined) {
                    expect(Number(reservations.cpus), key).to.be.at.most(Number(limits.cpus));
                }
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
