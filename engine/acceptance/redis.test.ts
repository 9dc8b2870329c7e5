import { expect } from "chai";
import { execIn } from "./docker";
import type { ContainerRef } from "./engines";
import { acceptance } from "./hooks";
import { containerOf, service } from "./lookup";

// Redis as the agents use it: at REDIS_HOST:REDIS_PORT with the password in REDIS_PASSWORD_FILE (a
// Docker secret). That a written key outlives its task is in faults.test.ts.

/** Sends Redis commands (inline form) from inside a container with busybox nc; returns the replies. */
async function redisFrom(container: ContainerRef, commands: readonly string[]): Promise<string> {
    const lines = [...commands, "QUIT"].map((c) => `${c}\\r\\n`).join("");
    const result = await execIn(container, `printf "${lines}" | timeout 5 nc "$REDIS_HOST" "$REDIS_PORT"`);
    return result.stdout.replace(/\r/g, "").trim();
}

describe("Redis", function () {
    it("answers the agents with the password from their secret file, and refuses without it or with another", async function () {
        const a = acceptance();
        const core = await containerOf(service(a, "core").name);
        const secret = (await execIn(core, 'cat "$REDIS_PASSWORD_FILE"')).stdout;
        expect(secret, "the secret mounted in the core group").to.equal(a.secrets.redisPassword);
        expect(await redisFrom(core, ["PING"])).to.match(/^-NOAUTH/);
        expect(await redisFrom(core, [`AUTH ${"x".repeat(24)}`])).to.match(/^-WRONGPASS/);
        expect(await redisFrom(core, [`AUTH ${a.secrets.redisPassword}`, "PING"])).to.equal("+OK\n+PONG\n+OK");
    });
});
