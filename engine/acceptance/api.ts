import Docker = require("dockerode");
import { dockerOptions, reasonOf } from "../../ops/hosts";

// The Docker Engine API of the acceptance engines, through dockerode (the client the Day-2 commands
// use), for everything the suite reads: inspected objects and lists come back as the engine's JSON,
// with no CLI output format to parse. What the suite does as an operator would (deploy, update, kill,
// exec) stays on the Docker CLI (docker.ts), whose commands are the ones the README gives.

const clients = new Map<string, Docker>();

/** The API client of a Docker host (unix:///run/cas-docker-pc2.sock), one per host. */
export function apiOf(host: string): Docker {
    let client = clients.get(host);
    if (!client) {
        client = new Docker(dockerOptions(host, host));
        clients.set(host, client);
    }
    return client;
}

/** The manager's API: DOCKER_HOST, which run-acceptance.sh points at MainPC's engine as the CLI's. */
export function managerApi(): Docker {
    const host = process.env.DOCKER_HOST;
    if (!host) {
        throw new Error("DOCKER_HOST is not set: run the suite through engine/run-acceptance.sh (npm run test:engine), which points it at the manager");
    }
    return apiOf(host);
}

/** Runs a read; a failure names it, with the engine's own reason (its JSON message). */
export async function read<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
        return await request();
    } catch (error) {
        throw new Error(`${what}: ${reasonOf(error)}`);
    }
}

/** The object, or undefined when the engine answers 404 (no such object); other failures throw. */
export async function readIfPresent<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    try {
        return await request();
    } catch (error) {
        if ((error as { statusCode?: unknown } | null)?.statusCode === 404) {
            return undefined;
        }
        throw new Error(`${what}: ${reasonOf(error)}`);
    }
}
