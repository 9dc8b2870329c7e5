import type { HealthLogEntry } from "./engine-types";
import type { PlannedAgent } from "./planned";

// Which agents a group's health output blames. The group's single healthcheck probes every agent's
// health port; what it prints depends on the image (`unhealthy: <Agent> (<port>)`, or curl's own
// `curl: (22) … http://127.0.0.1:<port>/health …`). So the rule is generic: a line blames an agent when
// it names the agent as a word or names its health port.

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The line names the agent as a word (`MoodTrackerAgent`, not `MoodTrackerAgentX`): how its log lines and health output are told apart. */
export function namesAgent(line: string, agent: string): boolean {
    return new RegExp(`(^|[^A-Za-z0-9_])${escape(agent)}($|[^A-Za-z0-9_])`).test(line);
}

function blames(line: string, agent: PlannedAgent): boolean {
    return namesAgent(line, agent.name)
        || new RegExp(`(:|\\(|port )${agent.healthPort}($|[^0-9])`).test(line);
}

/** The agents named by the output's lines, in the group's order. */
export function failingAgents(output: string, agents: readonly PlannedAgent[]): string[] {
    const lines = output.split("\n").filter((l) => l.trim() !== "");
    return agents.filter((agent) => lines.some((line) => blames(line, agent))).map((a) => a.name);
}

/** The newest failed probe of a health log, else its newest probe. */
export function lastFailure(log: readonly HealthLogEntry[] | undefined): HealthLogEntry | undefined {
    const entries = [...(log ?? [])];
    return entries.reverse().find((e) => e.ExitCode !== 0) ?? entries[0];
}
