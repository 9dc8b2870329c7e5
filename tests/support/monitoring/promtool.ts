import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";

// Runs the real promtool (Debian's `prometheus` package) on what the program generates. Absent
// promtool is a reason to skip, said out loud; CI installs it, so there these tests always run.

/** Where a command is on PATH, or undefined. */
export function commandPath(command: string): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

export const promtoolPath = () => commandPath("promtool");

/** Debian's name for the blackbox exporter's binary. */
export const BLACKBOX = "prometheus-blackbox-exporter";
export const BLACKBOX_MISSING = `${BLACKBOX} is not installed (apt-get install -y ${BLACKBOX}; .ci/run installs it)`;

/** The blackbox exporter's own check of a modules file (--config.check loads it and exits). */
export function checkBlackboxConfig(config: string): PromtoolResult {
    return withFiles({ "blackbox.yml": config }, (dir) => {
        const result = spawnSync(BLACKBOX, ["--config.check", "--config.file=blackbox.yml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
    });
}

export const AMTOOL_MISSING = "amtool is not installed (apt-get install -y prometheus-alertmanager; .ci/run installs it)";

/** Alertmanager's own check of a configuration file (`amtool check-config`). */
export function checkAlertmanagerConfig(config: string): PromtoolResult {
    return withFiles({ "alertmanager.yml": config }, (dir) => {
        const result = spawnSync("amtool", ["check-config", "alertmanager.yml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
    });
}

export const PROMTOOL_MISSING = "promtool is not installed (apt-get install -y prometheus; .ci/run installs it)";

export interface PromtoolResult {
    readonly ok: boolean;
    readonly output: string;
}

function run(args: readonly string[], cwd: string): PromtoolResult {
    const result = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 120_000 });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ""}` };
}

/** A scratch directory with the generated files, removed afterwards. */
export function withFiles<T>(files: Readonly<Record<string, string>>, body: (dir: string) => T): T {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-promtool-"));
    try {
        for (const [name, content] of Object.entries(files)) {
            fs.writeFileSync(path.join(dir, name), content);
        }
        return body(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * `promtool check config` on the generated prometheus.yml, with its rule file beside it: promtool
 * checks the rule files a config names, and the container path does not exist here.
 */
export function checkConfig(prometheusYml: string, rules: string): PromtoolResult {
    const config = parse(prometheusYml) as Record<string, unknown>;
    const local = stringify({ ...config, rule_files: ["cascade.rules.yml"] });
    return withFiles({ "prometheus.yml": local, "cascade.rules.yml": rules }, (dir) => run(["check", "config", "prometheus.yml"], dir));
}

export function checkRules(rules: string): PromtoolResult {
    return withFiles({ "cascade.rules.yml": rules }, (dir) => run(["check", "rules", "cascade.rules.yml"], dir));
}

export function testRules(rules: string, tests: string): PromtoolResult {
    return withFiles({ "cascade.rules.yml": rules, "tests.yml": tests }, (dir) => run(["test", "rules", "tests.yml"], dir));
}
