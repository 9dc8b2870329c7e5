import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/load";
import { parseLogsArgs, parseStatusArgs, parseStopStartArgs } from "../ops/args";
import { dockerOptions } from "../ops/hosts";
import { failingAgents } from "../ops/health-output";
import { canonicalImage, tagOf } from "../ops/match";
import { findTarget, sinceSeconds, splitDetails } from "../ops/logs";
import { plannedStack } from "../ops/planned";
import { selectWorkloads } from "../ops/scale";

// The Day-2 commands' arguments, config and engine addresses: every bad input has its message.

const DIR = "tests/fixtures/day2";
const fixture = (stack: string) => plannedStack(stack, `${DIR}/Pulumi.${stack}.yaml`);
const message = (run: () => unknown): string => {
    try {
        run();
    } catch (error) {
        return (error as Error).message.split("\n")[0];
    }
    throw new Error("expected an error");
};

describe("Day-2 commands: bad arguments are named", () => {
    const cases: readonly (readonly [string, () => unknown, string])[] = [
        ["status --json --watch", () => parseStatusArgs(["--json", "--watch"]), "--watch redraws a table; --json prints one document: choose one"],
        ["status --interval without --watch", () => parseStatusArgs(["--interval", "3"]), "--interval needs --watch"],
        ["status --watch --interval 0", () => parseStatusArgs(["--watch", "--interval", "0"]), `--interval must be a positive number of seconds (got "0")`],
        ["status --verbose", () => parseStatusArgs(["--verbose"]), "Unknown option '--verbose'"],
        ["status --stack nope", () => parseStatusArgs(["--stack", "nope"]), `no stack config for "nope" in ${PROJECT_ROOT} (stacks there: mainpc, pc2)`],
        ["status --config-dir missing", () => parseStatusArgs(["--config-dir", "/nonexistent/cas14"]), "--config-dir /nonexistent/cas14: ENOENT: no such file or directory, scandir '/nonexistent/cas14'"],
        ["logs without a target", () => parseLogsArgs([]), "name an agent or a group"],
        ["logs with two targets", () => parseLogsArgs(["a", "b"]), "name one agent or group (got a, b)"],
        ["logs --since yesterday", () => parseLogsArgs(["x", "--since", "yesterday"]), `--since takes a duration (10m, 2h), a Unix time or an ISO date (got "yesterday")`],
        ["logs --tail -1", () => parseLogsArgs(["x", "--tail=-1"]), `--tail takes a number of lines (got "-1")`],
        ["stop without --stack", () => parseStopStartArgs("stop", []), "--stack is required, once: stop acts on one machine's stack at a time"],
        ["start with two stacks", () => parseStopStartArgs("start", ["--stack", "mainpc", "--stack", "pc2"]), "--stack is required, once: start acts on one machine's stack at a time"],
        ["stop --timeout soon", () => parseStopStartArgs("stop", ["--stack", "mainpc", "--timeout", "soon"]), `--timeout must be a positive number of seconds (got "soon")`],
        ["stop an unknown group", () => selectWorkloads(fixture("mainpc"), ["cascade-nope"]), "stack mainpc has no group cascade-nope (its groups: cascade-core, cascade-personality)"],
        ["logs of an agent on both machines", () => findTarget([fixture("mainpc"), fixture("pc2")], "ObservabilityHub"), "ObservabilityHub runs on several stacks: mainpc (cascade-core), pc2 (cascade-pc2-core); choose one with --stack"],
        ["logs of an unknown name", () => findTarget([fixture("pc2")], "Nobody"), "Nobody is neither a group nor an agent of stack pc2 (groups: cascade-pc2-core)"],
    ];
    for (const [name, run, expected] of cases) {
        it(name, () => expect(message(run)).to.equal(expected));
    }

    it("usage follows every argument error", () => {
        expect(() => parseStopStartArgs("stop", [])).to.throw(/\n\nUsage: npm run stop -- --stack S/);
    });
});

describe("Day-2 commands: the stack config", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cas14-day2-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const withConfig = (extra: string): string => {
        const file = path.join(dir, "Pulumi.mainpc.yaml");
        fs.writeFileSync(file, `${fs.readFileSync(path.join(PROJECT_ROOT, DIR, "Pulumi.mainpc.yaml"), "utf8")}${extra}`);
        return file;
    };

    it("an invalid Docker host is the config's error, with its fix", () => {
        const file = withConfig("  cascade:platform: swarm\n");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("managerHost: unix:///run/cas14-docker.sock", "managerHost: ftp://mainpc"));
        expect(() => plannedStack("mainpc", file)).to.throw(`Invalid Cascade configuration (1 problem):\n  - ${file}: cascade:docker.managerHost: "ftp://mainpc" is not a Docker host\n    Fix: write unix:///var/run/docker.sock, tcp://host:2376 or ssh://user@host`);
    });

    it("a Kubernetes stack is refused: these commands read Docker engines", () => {
        const file = withConfig("  cascade:platform: kubernetes\n");
        expect(message(() => plannedStack("mainpc", file))).to.equal(`${file}: stack mainpc deploys to Kubernetes; these commands read Docker engines (use kubectl for it)`);
    });

    it("the planned workloads are the model's: machine, replicas, image and agents", () => {
        const mainpc = fixture("mainpc");
        expect(mainpc.workloads.map((w) => [w.name, w.machine, w.kind, w.replicas, w.image, w.agents.length])).to.deep.equal([
            ["cascade-redis", "mainpc", "service", 1, "cascade-redis:local", 0],
            ["cascade-core", "mainpc", "service", 1, "cascade/core:dev1", 4],
            ["cascade-personality", "mainpc", "service", 2, "cascade/personality:dev1", 3],
        ]);
        expect(mainpc.machine).to.deep.equal({ name: "mainpc", nodeLabels: { system: "mainpc" }, engineHost: "unix:///run/cas14-docker.sock", volumes: ["cascade_unified_memory", "cascade_redis_data", "cascade_logs"] });
    });
});

describe("Day-2 commands: Docker hosts as the stack config writes them", () => {
    it("ssh://user@host:port goes through docker-modem's ssh agent with the ssh agent's keys", () => {
        expect(dockerOptions("ssh://cascade@mainpc:2222", "pc2", { SSH_AUTH_SOCK: "/run/agent.sock" })).to.deep.include({ protocol: "ssh", host: "mainpc", port: 2222, username: "cascade" });
    });
    it("ssh:// without an agent or a key file says what to do", () => {
        expect(message(() => dockerOptions("ssh://cascade@mainpc", "pc2", {}))).to.equal("pc2: the Docker engine at ssh://cascade@mainpc is reached over ssh, but there is no ssh agent (SSH_AUTH_SOCK) and no CASCADE_SSH_KEY: start ssh-agent and ssh-add the key, or export CASCADE_SSH_KEY=<private key file>");
    });
    it("ssh:// with an unreadable key file names it", () => {
        expect(message(() => dockerOptions("ssh://cascade@mainpc", "pc2", { CASCADE_SSH_KEY: "/nonexistent/key" }))).to.match(/^pc2: the Docker engine at ssh:\/\/cascade@mainpc is reached over ssh, but CASCADE_SSH_KEY \/nonexistent\/key cannot be read: ENOENT/);
    });
    it("unix:// and tcp:// hosts", () => {
        expect(dockerOptions("unix:///var/run/docker.sock", "mainpc")).to.deep.include({ socketPath: "/var/run/docker.sock" });
        expect(dockerOptions("tcp://10.0.0.2:2375", "pc2")).to.deep.include({ host: "10.0.0.2", port: 2375, protocol: "http" });
    });
});

describe("Day-2 commands: reading what the engines say", () => {
    const agents = [{ name: "ObservabilityHub", port: 9000, healthPort: 9001 }, { name: "ResourceManager", port: 7113, healthPort: 8113 }];
    it("health output names agents by name or by health port, whole words only", () => {
        expect(failingAgents("unhealthy: ResourceManager (8113)", agents)).to.deep.equal(["ResourceManager"]);
        expect(failingAgents("curl: (22) http://127.0.0.1:9001/health: 404", agents)).to.deep.equal(["ObservabilityHub"]);
        expect(failingAgents("unhealthy: ObservabilityHubProxy (9011)", agents)).to.deep.equal([]);
    });
    it("images compare as the engine resolves them: docker.io and a missing tag are implied, the digest dropped", () => {
        expect(canonicalImage("cascade/core:1@sha256:" + "a".repeat(64))).to.equal(canonicalImage("docker.io/cascade/core:1"));
        expect(canonicalImage("redis")).to.equal(canonicalImage("redis:latest"));
        expect(tagOf("registry.local:5000/cascade/core")).to.equal("latest");
    });
    it("a service log line with --details is split into its task attributes and text (as the engine sends it)", () => {
        const line = "com.docker.swarm.node.id=2ioak4qypxf4j783kuvqymwmk,com.docker.swarm.service.id=8qbgvo66ag1mermfoq7ltnvkc,com.docker.swarm.task.id=j14onl2251izvizn7s6bpo1mz cascade-standin: 00:11:46 every agent has started";
        expect(splitDetails(line)).to.deep.equal({
            attributes: { "com.docker.swarm.node.id": "2ioak4qypxf4j783kuvqymwmk", "com.docker.swarm.service.id": "8qbgvo66ag1mermfoq7ltnvkc", "com.docker.swarm.task.id": "j14onl2251izvizn7s6bpo1mz" },
            text: "cascade-standin: 00:11:46 every agent has started",
        });
    });
    it("--since: durations count back from now; Unix times and ISO dates pass as seconds", () => {
        const now = Date.parse("2026-12-02T00:00:00Z");
        expect(sinceSeconds("10m", now)).to.equal(now / 1000 - 600);
        expect(sinceSeconds("1700000000", now)).to.equal(1700000000);
        expect(sinceSeconds("2026-12-01T23:00:00Z", now)).to.equal(now / 1000 - 3600);
    });
});

describe("Day-2 commands: exit status of the processes", function () {
    this.timeout(60_000);
    const run = (script: string, args: string[]) => spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

    it("status exits 2 on a bad argument, with the message and no stack trace", () => {
        const result = run("ops/cli/status.ts", ["--stack", "nope"]);
        expect(result.status).to.equal(2);
        expect(result.stderr).to.match(/^no stack config for "nope"/);
        expect(result.stderr).to.not.match(/\n\s+at /);
    });

    it("status exits 1 when an engine cannot be reached, naming the machine and the host", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cas14-day2-"));
        try {
            const gone = "unix:///run/cas14-no-such-engine.sock";
            fs.writeFileSync(path.join(dir, "Pulumi.pc2.yaml"), fs.readFileSync(path.join(PROJECT_ROOT, DIR, "Pulumi.pc2.yaml"), "utf8").replaceAll("unix:///run/cas14-docker.sock", gone));
            const result = run("ops/cli/status.ts", ["--config-dir", dir, "--json"]);
            expect(result.status, result.stderr).to.equal(1);
            const report = JSON.parse(result.stdout) as { engines: { machine: string; error: string }[] };
            expect(report.engines.map((e) => e.error)).to.include(`pc2: the Docker engine at ${gone} does not answer (ping): connect ENOENT /run/cas14-no-such-engine.sock`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
