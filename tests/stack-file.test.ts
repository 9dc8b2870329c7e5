import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../config/errors";
import { readStackFile } from "../config/stack-file";
import { FIXTURE_PASSPHRASE, fixtureFile, fixturePlaintexts } from "./support/cli-fixtures";

// Stack files as the Pulumi CLI writes them, read as the engine hands them to the program: a flat
// map of text values and the list of secret keys. Encrypted leaves become placeholders named in the
// CLI's --path syntax, or their plaintext when the passphrase opens the stack's encryptionsalt.

const CERTIFICATES = ["server.key", "server.key_secret", "client.key", "client.key_secret"];
const KMS_FIXTURE = "tests/fixtures/cli-secrets-kms/Pulumi.mainpc.yaml";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cascade-stack-file-"));

/** A stack file with the given YAML text, as a test writes it. */
function stackFile(name: string, text: string): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, text);
    return file;
}

describe("stack files as the Pulumi CLI writes them", () => {
    it("stands in a placeholder for each top-level and --path secret it cannot decrypt, and names it", () => {
        const read = readStackFile(fixtureFile("mainpc"));
        expect(read.placeholders).to.deep.equal(["cascade:redisPassword", ...CERTIFICATES.map((f) => `cascade:zmqCertificates["${f}"]`)]);
        expect(read.secretKeys).to.deep.equal(["cascade:redisPassword", "cascade:zmqCertificates"]);
        expect(Object.keys(JSON.parse(read.config["cascade:zmqCertificates"]) as object)).to.deep.equal(CERTIFICATES);
        expect(JSON.stringify(read.config)).to.not.contain("v1:");
        expect(read.encryption).to.equal("not decrypted without PULUMI_CONFIG_PASSPHRASE");
    });

    it("decrypts every leaf with the stack's passphrase, as the engine hands them to the program", () => {
        const plaintexts = fixturePlaintexts();
        for (const stack of ["mainpc", "pc2"]) {
            const read = readStackFile(fixtureFile(stack), { passphrase: FIXTURE_PASSPHRASE });
            expect(read.placeholders, stack).to.deep.equal([]);
            expect(read.config["cascade:redisPassword"]).to.equal(plaintexts.redisPassword);
            expect(JSON.parse(read.config["cascade:zmqCertificates"])).to.deep.equal(Object.fromEntries(CERTIFICATES.map((f) => [f, plaintexts[f]])));
            expect(read.secretValues).to.include.members(Object.values(plaintexts));
            expect(read.config["cascade:machine"]).to.equal(stack);
        }
    });

    it("refuses a passphrase that does not open the stack's encryptionsalt, naming the fix", () => {
        const error = (() => {
            try {
                return readStackFile(fixtureFile("pc2"), { passphrase: "not-the-passphrase" });
            } catch (e) {
                return e;
            }
        })();
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.contain(`${fixtureFile("pc2")}: encryptionsalt: incorrect passphrase: it does not open this stack's encryptionsalt`);
        expect((error as Error).message).to.contain("Fix: export the PULUMI_CONFIG_PASSPHRASE this stack was created with, or unset it to plan with placeholders");
    });

    it("leaves a cloud secrets provider's values as placeholders, saying why, even with a passphrase", () => {
        const read = readStackFile(KMS_FIXTURE, { passphrase: FIXTURE_PASSPHRASE });
        expect(read.placeholders).to.have.length(5);
        expect(read.encryption).to.equal("not decrypted: the secrets provider awskms://alias/cascade-stacks?region=eu-central-1 cannot be reached offline");
    });

    it("reads secure leaves in lists and beside plain leaves, and makes the whole key secret", () => {
        const file = stackFile("Pulumi.mixed.yaml", [
            "config:",
            "  cascade:zmqCertificates:",
            "    server.key: plain public key",
            "    server.key_secret:",
            "      secure: v1:AAAAAAAAAAAAAAAA:AAAA",
            "  other:tokens:",
            "    - first",
            "    - secure: v1:AAAAAAAAAAAAAAAA:BBBB",
            "  other:plain:",
            "    secure: 3",
            "",
        ].join("\n"));
        const read = readStackFile(file);
        expect(read.placeholders).to.deep.equal(['cascade:zmqCertificates["server.key_secret"]', "other:tokens[1]", "cascade:redisPassword"]);
        expect(read.secretKeys).to.deep.equal(["cascade:zmqCertificates", "other:tokens", "cascade:redisPassword"]);
        expect(JSON.parse(read.config["cascade:zmqCertificates"])).to.deep.equal({ "server.key": "plain public key", "server.key_secret": 'plan-placeholder:cascade:zmqCertificates["server.key_secret"]' });
        expect(JSON.parse(read.config["other:tokens"])).to.deep.equal(["first", "plan-placeholder:other:tokens[1]"]);
        // `{secure: 3}` is no ciphertext (pulumi's isSecureValue wants a string): an ordinary object.
        expect(read.config["other:plain"]).to.equal('{"secure":3}');
    });
});
