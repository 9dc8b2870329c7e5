import { spawn } from "child_process";

// `npm test`: the type-check (`npm run typecheck`) and mocha side by side, since each keeps about one
// core busy and the suite must finish within a minute on two cores. Both always run to the end, so
// one run shows every problem; the test fails, saying which part failed, when either of them does.
// Arguments go to mocha (`npm test -- --grep plan`).

interface Part {
    readonly name: string;
    readonly command: string;
    readonly args: readonly string[];
}

function run(part: Part): Promise<number> {
    return new Promise((resolve) => {
        const child = spawn(part.command, part.args, { stdio: "inherit" });
        child.once("error", (error) => {
            process.stderr.write(`npm test: cannot start ${part.name}: ${error.message}\n`);
            resolve(1);
        });
        child.once("close", (status, signal) => resolve(status ?? (signal === null ? 1 : 128)));
    });
}

async function main(): Promise<void> {
    const parts: Part[] = [
        { name: "the type-check (npm run typecheck)", command: "npm", args: ["run", "--silent", "typecheck"] },
        { name: "mocha", command: process.execPath, args: [require.resolve("mocha/bin/mocha.js"), ...process.argv.slice(2)] },
    ];
    const statuses = await Promise.all(parts.map(run));
    parts.forEach((part, i) => {
        if (statuses[i] !== 0) {
            process.stderr.write(`npm test: ${part.name} failed (exit status ${statuses[i]})\n`);
            process.exitCode = 1;
        }
    });
}

void main();
