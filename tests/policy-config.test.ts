import { expect } from "chai";
import { z } from "zod";
import { resolvePolicyConfig } from "../policy/config";
import { RULES } from "../policy/rules";
import { policyRun, verdicts, violations, type PolicyRun } from "./support/policy";

// The pack's config (the format of `pulumi preview --policy-pack-config`, also read by
// `npm run plan -- --policy-config`): enforcement levels and each policy's settings.

describe("policy config", () => {
    let mainpc: PolicyRun;
    before(async () => {
        mainpc = await policyRun("mainpc");
    });

    it("lists every rule once, each with a description and a documented default level", () => {
        const names = RULES.map((r) => r.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const rule of RULES) {
            expect(rule.description.length, rule.name).to.be.greaterThan(20);
            expect(["advisory", "mandatory"], rule.name).to.include(rule.enforcementLevel);
        }
        const defaults = resolvePolicyConfig({}, RULES).levels;
        expect(Object.fromEntries(defaults)).to.deep.equal(Object.fromEntries(RULES.map((r) => [r.name, r.enforcementLevel])));
    });

    it("gives every setting a default, so an empty config is valid and the pack's schema documents it", () => {
        for (const rule of RULES.filter((r) => r.configSchema)) {
            const schema = z.toJSONSchema(rule.configSchema ?? z.object({}), { io: "input" }) as { properties: Record<string, { default?: unknown }> };
            for (const [key, property] of Object.entries(schema.properties)) {
                expect(property.default, `${rule.name}.${key}`).to.not.equal(undefined);
            }
            expect(() => rule.configSchema?.parse({})).to.not.throw();
        }
    });

    it("raises an advisory policy to mandatory", () => {
        const all = verdicts(mainpc, mainpc.views, { "budget-limits-overcommit": "mandatory" });
        const found = violations(all, "budget-limits-overcommit");
        expect(found.length).to.be.greaterThan(0);
        expect(found.every((v) => v.enforcementLevel === "mandatory")).to.equal(true);
    });

    it("sets every level with `all`, and a policy's own entry wins over it", () => {
        const all = verdicts(mainpc, mainpc.views, { all: "advisory", "no-latest-image": { enforcementLevel: "mandatory" } });
        expect(all.filter((v) => v.policy !== "no-latest-image").every((v) => v.enforcementLevel === "advisory")).to.equal(true);
        expect(all.find((v) => v.policy === "no-latest-image")?.enforcementLevel).to.equal("mandatory");
    });

    it("disables a policy: it reports nothing", () => {
        const all = verdicts(mainpc, mainpc.views, { "budget-limits-overcommit": "disabled" });
        expect(all.find((v) => v.policy === "budget-limits-overcommit")).to.deep.include({ enforcementLevel: "disabled", violations: [] });
    });

    it("rejects an unknown policy, naming the known ones", () => {
        expect(() => resolvePolicyConfig({ "budget-reservation": "advisory" }, RULES)).to.throw(/"budget-reservation" is not a policy of this pack \(policies: budget-reservations, /);
    });

    it("rejects a setting of the wrong type or an unknown setting", () => {
        expect(() => resolvePolicyConfig({ "capabilities-allow-list": { allowed: "NET_ADMIN" } }, RULES)).to.throw(/capabilities-allow-list: .*allowed/);
        expect(() => resolvePolicyConfig({ "no-docker-socket": { sockets: [] } }, RULES)).to.throw(/no-docker-socket: .*sockets/);
        expect(() => resolvePolicyConfig({ "no-latest-image": "blocking" }, RULES)).to.throw(/invalid policy config/);
    });
});
