import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { asArray, propAt } from "../lib/unknown";
import type { Plan } from "../plan/assemble";
import { committedPlan } from "./support/plan";
import { renderPlan, writeRendered, type RenderedFile } from "../plan/render";

// The rendered files checked by Docker's own tools, which need no daemon for this:
// `docker stack config -c FILE` (Docker CLI 23 or later; Debian 12's docker.io is 20.10 and has no such
// command) and Debian's docker-compose 1.29 (`docker-compose -f FILE config`). What the tools read
// back, after interpolation, must be exactly what Pulumi would create. A tool that is missing makes
// its tests skip with the reason; .ci/run installs the Debian packages docker.io and docker-compose.

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    return spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env } });
}

/** Every `docker` on PATH, in PATH order. */
function dockerClients(): string[] {
    return (process.env.PATH ?? "").split(path.delimiter)
        .map((dir) => path.join(dir, "docker"))
        .filter((file) => fs.existsSync(file))
        // /bin is often /usr/bin: one client, however many paths lead to it.
        .filter((file, index, all) => all.findIndex((other) => fs.realpathSync(other) === fs.realpathSync(file)) === index);
}

/** The first docker client that has `docker stack config`, or why there is none. */
function stackConfigClient(): { client?: string; reason?: string } {
    const clients = dockerClients();
    if (clients.length === 0) {
        return { reason: "no docker CLI on PATH (apt-get install docker.io)" };
    }
    // An older client answers `docker stack config --help` with the help of `docker stack`, status 0.
    const client = clients.find((c) => run(c, ["stack", "config", "--help"]).stdout.includes("docker stack config"));
    if (client) {
        return { client };
    }
    const versions = clients.map((c) => `${c}: ${run(c, ["--version"]).stdout.trim()}`).join("; ");
    return { reason: `no docker CLI on PATH has \`docker stack config\` (it arrived in Docker CLI 23; found ${versions})` };
}

function composeAvailable(): string | undefined {
    return run("docker-compose", ["version"]).status === 0 ? undefined : "docker-compose is not installed (apt-get install docker-compose)";
}

const { client: docker, reason: noStackConfig } = stackConfigClient();
const noCompose = composeAvailable();

/** A test's title with the reason it will be skipped, so the reason shows in the test output. */
const titled = (title: string, skipReason: string | undefined) => (skipReason ? `${title} (skipped: ${skipReason})` : title);

for (const stack of ["mainpc", "pc2"] as const) {
    describe(`render: ${stack}'s files through Docker's own tools`, () => {
        let plan: Plan;
        let files: RenderedFile[];
        let directory: string;
        before(async () => {
            plan = await committedPlan(stack);
            files = renderPlan(plan);
            directory = fs.mkdtempSync(path.join(os.tmpdir(), `cascade-render-tools-${stack}-`));
            writeRendered(directory, files);
        });
        const stackFiles = () => files.filter((f) => f.path.endsWith(".yml") && f.path !== "compose.yml");
        const services = () => plan.capture.resources.flatMap((r, i) => (r.type === "docker:index/service:Service" ? [plan.resources[i].props] : []));

        it(titled("docker stack config accepts every stack file, and reads back exactly the planned services", noStackConfig), function () {
            if (!docker) {
                this.skip();
            }
            for (const file of stackFiles()) {
                const result = run(docker ?? "docker", ["stack", "config", "-c", path.join(directory, file.path)]);
                expect(result.status, `${file.path}: ${result.stderr}`).to.equal(0);
                const config = parse(result.stdout) as { services?: Record<string, { image: string; environment?: Record<string, string>; healthcheck: { test: string[] }; entrypoint?: string[]; secrets?: { source: string }[] }>; secrets?: Record<string, { name: string }> };
                for (const [key, service] of Object.entries(config.services ?? {})) {
                    const planned = services().find((s) => String(s.name).replace(/^cascade-/, "") === key);
                    const container = propAt(planned, "taskSpec", "containerSpec");
                    expect(service.image, key).to.equal(propAt(container, "image"));
                    expect(service.environment ?? {}, key).to.deep.equal(propAt(container, "env") ?? {});
                    expect(service.healthcheck.test, key).to.deep.equal(propAt(container, "healthcheck", "tests"));
                    if (asArray(propAt(container, "commands")).length > 0) {
                        expect(service.entrypoint, key).to.deep.equal(propAt(container, "commands"));
                    }
                }
                const plannedSecretNames = new Set(plan.resources.filter((r) => r.type === "docker:index/secret:Secret").map((r) => String(r.props.name)));
                for (const secret of Object.values(config.secrets ?? {})) {
                    expect(plannedSecretNames, file.path).to.include(secret.name);
                }
            }
        });

        it(titled("docker stack config takes the secret names deploy.sh computes", noStackConfig), function () {
            if (!docker) {
                this.skip();
            }
            const file = stackFiles().find((f) => f.content.includes("CASCADE_SECRET_REDIS_PASSWORD"));
            expect(file, "a stack file mounts the Redis password").to.not.equal(undefined);
            const result = run(docker ?? "docker", ["stack", "config", "-c", path.join(directory, file?.path ?? "")], { CASCADE_SECRET_REDIS_PASSWORD: `cascade-${stack}-redis-password-0123456789ab` });
            expect(result.status, result.stderr).to.equal(0);
            expect((parse(result.stdout) as { secrets: Record<string, { name: string }> }).secrets["redis-password"].name).to.equal(`cascade-${stack}-redis-password-0123456789ab`);
        });

        it(titled("docker-compose config accepts the Compose file and every stack file", noCompose), function () {
            if (noCompose) {
                this.skip();
            }
            for (const file of files.filter((f) => f.path.endsWith(".yml"))) {
                const result = run("docker-compose", ["-f", path.join(directory, file.path), "config"], { CASCADE_SECRETS_DIR: "/run/cascade-secrets" });
                expect(result.status, `${file.path}: ${result.stderr}`).to.equal(0);
                const config = parse(result.stdout) as { services: Record<string, { container_name?: string; secrets?: unknown[] }>; secrets?: Record<string, { file?: string }> };
                expect(Object.keys(config.services ?? {}), file.path).to.deep.equal(Object.keys((parse(file.content, { version: "1.1" }) as { services: object }).services).sort());
                if (file.path === "compose.yml") {
                    Object.values(config.secrets ?? {}).forEach((s) => expect(s.file).to.match(/^\/run\/cascade-secrets\//));
                }
            }
        });
    });
}
