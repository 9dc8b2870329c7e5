import { expect } from "chai";
import { serviceKey, STACK_NAMESPACE, TYPE } from "../../plan/render/context";
import { apiOf, managerApi, read } from "./api";
import { actualContainer, actualService, expectedContainer, expectedService } from "./engine-spec";
import { engineOf } from "./engines";
import { acceptance } from "./hooks";
import { machineOfGroup } from "./lookup";
import type { Rendered } from "./rendered";

// Inspect equals plan: for every planned service and container of both stacks, what the engine holds
// after deploy.sh applied the rendered files equals the Pulumi resource's inputs, field by field in
// the engine's units (engine-spec.ts holds the correspondence). So the rendered files are proven to
// mean what the Pulumi resources say.

type Json = Record<string, unknown>;

/** Network ids (as the engine's specs refer to them) to names, on the manager. */
async function engineNetworkNames(): Promise<Record<string, string>> {
    const networks = await read("listing the manager's networks", () => managerApi().listNetworks());
    return Object.fromEntries(networks.map((n) => [n.Id, n.Name]));
}

function planned(rendered: Rendered, type: string) {
    if (!rendered.plan) {
        throw new Error(`${rendered.dir} was rendered without its plan`);
    }
    return rendered.plan.resources.filter((r) => r.type === type).map((r) => ({ ...r, networkNames: rendered.plan?.networkNames ?? {} }));
}

describe("inspect equals plan", function () {
    for (const stack of ["mainpc", "pc2"] as const) {
        it(`${stack}: every service's engine spec equals its planned Pulumi inputs`, async function () {
            const rendered = acceptance()[stack];
            const names = await engineNetworkNames();
            const services = planned(rendered, TYPE.service);
            expect(services.length, "planned services").to.be.greaterThan(0);
            for (const service of services) {
                const key = serviceKey(String(service.inputs.name));
                const inspected = await read(`inspecting service ${key}`, () => managerApi().getService(`${STACK_NAMESPACE}_${key}`).inspect()) as { Spec: Json };
                expect(actualService(inspected.Spec, key, names), service.name).to.deep.equal(expectedService(service.inputs, service.networkNames));
            }
        });

        it(`${stack}: every standalone container's engine state equals its planned Pulumi inputs`, async function () {
            const rendered = acceptance()[stack];
            for (const container of planned(rendered, TYPE.container)) {
                const name = String(container.inputs.name);
                const engine = engineOf(machineOfGroup(String((container.inputs.labels as { label: string; value: string }[]).find((l) => l.label === "cascade.group")?.value)));
                const view: Json = { ...await read(`inspecting container ${name}`, () => apiOf(engine).getContainer(name).inspect()) };
                const image = (await read(`inspecting image ${String(container.inputs.image)}`, () => apiOf(engine).getImage(String(container.inputs.image)).inspect())).Config as { Env: string[] | null; Labels: Record<string, string> | null };
                expect(actualContainer(view, serviceKey(name), { env: image.Env ?? [], labels: image.Labels ?? {} }), container.name).to.deep.equal(expectedContainer(container.inputs, container.networkNames));
            }
        });
    }
});
