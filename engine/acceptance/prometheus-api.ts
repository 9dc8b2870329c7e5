import { z } from "zod";
import { PORTS } from "../../model/monitoring/services";
import { execIn } from "./docker";
import type { ContainerRef } from "./engines";

// The deployed Prometheus's HTTP API (api/v1), as an operator's tools read it, from inside the
// Prometheus container itself (its busybox wget): the suite sends no traffic outside the containers.
// Every answer is parsed into the few fields the checks read; an error answer fails with its text.

const labelsSchema = z.record(z.string(), z.string());

const sampleSchema = z.object({ metric: labelsSchema, value: z.tuple([z.number(), z.string()]) });
export type Sample = z.infer<typeof sampleSchema>;

const seriesSchema = z.object({ metric: labelsSchema, values: z.array(z.tuple([z.number(), z.string()])) });
export type Series = z.infer<typeof seriesSchema>;

const alertSchema = z.object({ labels: labelsSchema, state: z.string(), activeAt: z.string() });
export type Alert = z.infer<typeof alertSchema>;

const ruleSchema = z.object({ name: z.string(), type: z.string(), duration: z.number().optional(), labels: labelsSchema.optional() });
const ruleGroupSchema = z.object({ name: z.string(), interval: z.number(), rules: z.array(ruleSchema) });
export type LoadedRuleGroup = z.infer<typeof ruleGroupSchema>;

const answerSchema = z.object({ status: z.string(), data: z.unknown(), error: z.string().optional() });

export class PrometheusApi {
    constructor(private readonly container: ContainerRef) {}

    private async get(pathAndQuery: string): Promise<unknown> {
        // The URL goes through the environment: no shell quoting of PromQL.
        const url = `http://127.0.0.1:${PORTS.prometheus}/api/v1/${pathAndQuery}`;
        const result = await execIn(this.container, 'wget -q -O - "$URL"', { URL: url });
        if (result.code !== 0) {
            throw new Error(`GET ${url} in the Prometheus container failed (${String(result.code)}): ${result.stderr.trim()}`);
        }
        const answer = answerSchema.parse(JSON.parse(result.stdout));
        if (answer.status !== "success") {
            throw new Error(`GET ${url}: ${answer.status}: ${answer.error ?? ""}`);
        }
        return answer.data;
    }

    /** An instant query's vector. */
    async query(promql: string): Promise<Sample[]> {
        const data = z.object({ resultType: z.literal("vector"), result: z.array(sampleSchema) }).parse(await this.get(`query?query=${encodeURIComponent(promql)}`));
        return data.result;
    }

    /** A range query's matrix, from `start` to `end` (Unix seconds) at `step` seconds. */
    async queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]> {
        const data = z.object({ resultType: z.literal("matrix"), result: z.array(seriesSchema) })
            .parse(await this.get(`query_range?query=${encodeURIComponent(promql)}&start=${start}&end=${end}&step=${step}`));
        return data.result;
    }

    /** The pending and firing alerts. */
    async alerts(): Promise<Alert[]> {
        return z.object({ alerts: z.array(alertSchema) }).parse(await this.get("alerts")).alerts;
    }

    /** The rule groups as Prometheus loaded them from the generated rules file (`duration` is the rule's `for`, in seconds). */
    async rules(): Promise<LoadedRuleGroup[]> {
        return z.object({ groups: z.array(ruleGroupSchema) }).parse(await this.get("rules?type=alert")).groups;
    }

    /** Prometheus's clock, in Unix seconds (the time of an instant query). */
    async now(): Promise<number> {
        const [sample] = await this.query("vector(time())");
        return sample.value[0];
    }
}
