import * as fs from "fs";
import Docker = require("dockerode");

// A Docker host as the stack config names it (`cascade:docker.managerHost` / `engineHost`: unix://,
// tcp:// or ssh://user@host[:port]) turned into a dockerode client. For ssh://, docker-modem
// (lib/ssh.js) opens an ssh2 connection and runs `docker system dial-stdio` on the remote machine, as
// the Docker CLI does: the remote user needs the docker CLI and access to its engine. ssh2 does not read
// ~/.ssh/config: the key comes from the ssh agent (SSH_AUTH_SOCK) or from CASCADE_SSH_KEY (a private
// key file); the port from the URL (default 22).

export interface Engine {
    /** The machine whose engine this is, or "manager" (named in every error). */
    readonly machine: string;
    /** The host as the stack config writes it. */
    readonly host: string;
    readonly docker: Docker;
}

/** The engine cannot be used as configured; the message says which machine, which host and why. */
export class EngineError extends Error {
    constructor(readonly machine: string, readonly host: string, reason: string) {
        super(`${machine}: the Docker engine at ${host} ${reason}`);
        this.name = "EngineError";
    }
}

/** Seconds before a request to an engine that does not answer is given up. */
const TIMEOUT_MS = 15_000;

export function dockerOptions(host: string, machine: string, env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
    if (host.startsWith("unix://")) {
        return { socketPath: host.slice("unix://".length), timeout: TIMEOUT_MS };
    }
    let url: URL;
    try {
        url = new URL(host);
    } catch {
        throw new EngineError(machine, host, "is not a Docker host URL (unix:///path, tcp://host:port or ssh://user@host)");
    }
    if (url.protocol === "tcp:") {
        // Port 2376 is Docker's TLS port: these commands, like the stack config, take TLS through ssh:// instead.
        return { host: url.hostname, port: Number(url.port || 2375), protocol: "http", timeout: TIMEOUT_MS };
    }
    if (url.protocol === "ssh:") {
        const keyFile = env.CASCADE_SSH_KEY;
        if (!env.SSH_AUTH_SOCK && !keyFile) {
            throw new EngineError(machine, host, "is reached over ssh, but there is no ssh agent (SSH_AUTH_SOCK) and no CASCADE_SSH_KEY: start ssh-agent and ssh-add the key, or export CASCADE_SSH_KEY=<private key file>");
        }
        let privateKey: Buffer | undefined;
        if (keyFile) {
            try {
                privateKey = fs.readFileSync(keyFile);
            } catch (error) {
                throw new EngineError(machine, host, `is reached over ssh, but CASCADE_SSH_KEY ${keyFile} cannot be read: ${(error as Error).message}`);
            }
        }
        return {
            protocol: "ssh",
            host: url.hostname,
            port: Number(url.port || 22),
            username: decodeURIComponent(url.username) || env.USER,
            sshOptions: { agent: env.SSH_AUTH_SOCK, privateKey, readyTimeout: TIMEOUT_MS },
            timeout: TIMEOUT_MS,
        };
    }
    throw new EngineError(machine, host, `uses ${url.protocol}//, which these commands do not support (unix://, tcp:// or ssh://)`);
}

export function connect(host: string, machine: string): Engine {
    return { machine, host, docker: new Docker(dockerOptions(host, machine)) };
}

/** Runs one request against an engine; any failure becomes an EngineError naming machine, host and the engine's reason. */
export async function ask<T>(engine: Engine, what: string, request: (docker: Docker) => Promise<T>): Promise<T> {
    try {
        return await request(engine.docker);
    } catch (error) {
        const status = (error as { statusCode?: unknown } | null)?.statusCode;
        throw new EngineError(engine.machine, engine.host, typeof status === "number" ? `refused ${what}: ${reasonOf(error)}` : `does not answer (${what}): ${reasonOf(error)}`);
    }
}

/** The engine's own message for an API error (its JSON `message`), else the transport's. */
export function reasonOf(error: unknown): string {
    const e = error as { json?: { message?: unknown }; statusCode?: unknown; message?: unknown; code?: unknown };
    if (e && typeof e.json === "object" && e.json && typeof e.json.message === "string") {
        return `${String(e.statusCode)} ${e.json.message}`;
    }
    const message = typeof e?.message === "string" ? e.message : String(error);
    return typeof e?.code === "string" && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
