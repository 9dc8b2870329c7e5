import { expect } from "chai";
import * as path from "path";
import { runStack } from "./support/program";
import { readSnapshot, stackUrns, urnProblems } from "./support/urns";

// A resource's URN is its identity in a deployed stack: the engine replaces (creates anew, deletes the
// old) a resource whose name, type or parent's type changes, unless an alias names its old URN. The
// snapshots in tests/fixtures/urns are the URNs of the stacks as deployed by commit 27fcb0c (before
// issue 12 moved Swarm's networks, volumes and secrets out of their one-resource components). Every
// resource deployed then must still be there, under its URN or through an alias to it; a resource
// whose URN is in no snapshot is new, and is added to the snapshot on purpose.

const SNAPSHOTS = path.join(__dirname, "fixtures", "urns");

describe("URNs of the deployed stacks", function () {
    for (const platform of ["swarm", "kubernetes"] as const) {
        for (const stack of ["mainpc", "pc2"] as const) {
            it(`keeps every resource of ${stack} on ${platform}, under its URN or through an alias to it`, async () => {
                const records = platform === "kubernetes"
                    ? await stackUrns(stack, { "cascade:platform": "kubernetes" }, {})
                    : await stackUrns(stack, {}, stack === "pc2" ? { "organization/cascade/mainpc": (await runStack("mainpc")).outputs } : undefined);
                const snapshot = readSnapshot(path.join(SNAPSHOTS, `${platform}-${stack}.txt`));
                expect(urnProblems(records, snapshot)).to.deep.equal([]);
                expect(new Set(records.map((r) => r.urn)).size, "URNs are unique").to.equal(records.length);
            });
        }
    }

    it("reports a resource whose alias no longer names its old URN", () => {
        const snapshot = new Map([
            ["urn:pulumi:s::cascade::cascade:swarm:Machine$cascade:swarm:Volume$docker:index/volume:Volume::v-volume", "resource  urn:pulumi:s::cascade::cascade:swarm:Machine$cascade:swarm:Volume$docker:index/volume:Volume::v-volume"],
        ]);
        const moved = "urn:pulumi:s::cascade::cascade:swarm:Machine$docker:index/volume:Volume::v-volume";
        expect(urnProblems([{ urn: moved, custom: true, aliases: [] }], snapshot)).to.deep.equal([
            `${moved} is in no deployed stack: a renamed or moved resource needs an alias to its old URN, a new one a line in the snapshot`,
            `${[...snapshot.keys()][0]} would be deleted: it is no longer registered and no resource has an alias to it`,
        ]);
        expect(urnProblems([{ urn: moved, custom: true, aliases: [...snapshot.keys()] }], snapshot)).to.deep.equal([]);
    });
});
