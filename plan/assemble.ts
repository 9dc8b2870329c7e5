import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { withPeers } from "../model/peers";
import { PROJECT_ROOT } from "../config/load";
import { loadStack } from "../model/load";
import type { CascadeModel } from "../model/types";
import { evaluatePolicies, type Verdict } from "../policy/evaluate";
import { factsFromModel } from "../policy/facts";
import type { PolicyResourceView } from "../policy/resource";
import type { Capture } from "../captured/resource";
import { projectName, readStackFile, type StackFileConfig } from "../config/stack-file";
import { withoutStackTraces } from "./stack-traces";

// Assembles a plan: validates the stack's config into the model, runs the real program under mocks
// (after planning the stack it references, if any, to stand in for the StackReference), and runs the
// policy rules over the captured resources. Every view of the plan (text, JSON, graph, files) reads
// the result; none of them derives anything the model or the capture does not say.

export interface PlanRequest {
    readonly stack: string;
    readonly configFile?: string;
    /** The pack config, already parsed (JSON). */
    readonly policyConfig?: unknown;
    /** PULUMI_CONFIG_PASSPHRASE, to decrypt the stack files' secrets instead of standing in placeholders. */
    readonly passphrase?: string;
}

export interface ReferencedStack {
    /** The StackReference name, e.g. organization/cascade/mainpc. */
    readonly name: string;
    /** The config file that was planned to produce its outputs. */
    readonly file: string;
    /** How many resources that plan registered: the price of planning a stack that references another. */
    readonly resources: number;
    readonly customResources: number;
}

export interface Plan {
    readonly project: string;
    readonly stack: string;
    readonly stackFile: StackFileConfig;
    readonly model: CascadeModel;
    readonly capture: Capture;
    /** The captured resources as the policy rules see them. */
    readonly resources: readonly PolicyResourceView[];
    readonly verdicts: readonly Verdict[];
    readonly referenced?: ReferencedStack;
}

/**
 * The mock runtime, the program and the captured resources' view: they load @pulumi/pulumi and every
 * provider SDK (over a second of CPU), so they are required only once the config is valid and an
 * operator's mistake is reported without that wait. The one place the plan loads them.
 */
function runtime(): { captureProgram: typeof import("./capture").captureProgram; viewOfCaptured: typeof import("../policy/captured").viewOfCaptured } {
    const { captureProgram } = require("./capture") as typeof import("./capture");
    const { viewOfCaptured } = require("../policy/captured") as typeof import("../policy/captured");
    return { captureProgram, viewOfCaptured };
}

/** The stack a StackReference name points to: its last segment. */
function referencedStackName(reference: string): string {
    return reference.slice(reference.lastIndexOf("/") + 1);
}

/** Runs the referenced stack's committed config under mocks, for its outputs. */
async function referencedPlan(project: string, stack: string, reference: string, stackFile: string, passphrase: string | undefined): Promise<{ outputs: Record<string, unknown>; referenced: ReferencedStack }> {
    const name = referencedStackName(reference);
    const file = `Pulumi.${name}.yaml`;
    const fix = `add ${file}, or set cascade:mainpc.stack to "" (and cascade:mainpc.hubEndpoint) so the stack looks the shared networks up by name`;
    if (name === stack) {
        throw new ConfigError([{ file: stackFile, path: "cascade:mainpc.stack", message: `refers to this stack itself (${reference})`, fix }]);
    }
    if (!fs.existsSync(path.join(PROJECT_ROOT, file))) {
        throw new ConfigError([{ file: stackFile, path: "cascade:mainpc.stack", message: `reads outputs of ${reference}, but there is no ${file} to plan it from`, fix }]);
    }
    const config = readStackFile(file, { passphrase });
    const { captureProgram } = runtime();
    const capture = await withoutStackTraces(() =>
        captureProgram({ project, stack: name, config: config.config, secretKeys: config.secretKeys, programOptions: { stackFile: file } }));
    return {
        outputs: { ...capture.outputs },
        referenced: { name: reference, file, resources: capture.resources.length, customResources: capture.resources.filter((r) => r.custom).length },
    };
}

export async function assemblePlan(request: PlanRequest): Promise<Plan> {
    const project = projectName();
    const stackFile = readStackFile(request.configFile ?? `Pulumi.${request.stack}.yaml`, { passphrase: request.passphrase });
    // withPeers: the model the program builds, with the other machines' stack files for monitoring.
    const { model } = withPeers(loadStack({
        config: stackFile.config,
        secretKeys: new Set(stackFile.secretKeys),
        stackFile: stackFile.file,
        identity: { project, stack: request.stack },
    }));
    let referenced: ReferencedStack | undefined;
    let stackOutputs: Record<string, Record<string, unknown>> | undefined;
    if (model.owner.stack !== "") {
        const prerequisite = await referencedPlan(project, request.stack, model.owner.stack, stackFile.file, request.passphrase);
        referenced = prerequisite.referenced;
        stackOutputs = { [model.owner.stack]: prerequisite.outputs };
    }
    const { captureProgram, viewOfCaptured } = runtime();
    const capture = await withoutStackTraces(() => captureProgram({
        project,
        stack: request.stack,
        config: stackFile.config,
        secretKeys: stackFile.secretKeys,
        stackOutputs,
        programOptions: { stackFile: stackFile.file },
    }));
    const resources = capture.resources.map(viewOfCaptured);
    const verdicts = evaluatePolicies(resources, factsFromModel(model, stackFile.file), request.policyConfig);
    return { project, stack: request.stack, stackFile, model, capture, resources, verdicts, referenced };
}
