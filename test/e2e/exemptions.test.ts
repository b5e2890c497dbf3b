// Exemptions as an organisation configures them with `pulumi policy enable --config`, through the protocol.

import { strict as assert } from "assert";
import * as path from "path";
import { PackSession, PolicyConfigError, PolicyConfigFile, startPack } from "../helpers/engine";
import { toEngineResources } from "../helpers/engineResources";
import { correctStack, managedArn } from "../helpers/stacks";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..");
const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";

function adminOnExecutionRole() {
    const { s, executionRole } = correctStack("update");
    const grant = s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
    return { resources: toEngineResources(s.resources), grant };
}

const execution = (exemptions: object[]): PolicyConfigFile => ({ [EXECUTION]: { enforcementLevel: "mandatory", exemptions } });

describe("exemptions, configured as the CLI configures a pack", function () {
    this.timeout(60000);
    let session: PackSession;

    before(async () => {
        session = await startPack(PACK_DIR, { preview: false });
    });
    after(async () => session?.close());

    async function executionFindings(config: PolicyConfigFile) {
        await session.configure(config);
        const { resources, grant } = adminOnExecutionRole();
        const result = await session.deploy(resources);
        return { grant, findings: result.all.filter((d) => d.policyName === EXECUTION) };
    }

    it("turns an exempted mandatory finding into an advisory line with the reason and expiry", async () => {
        const { grant, findings } = await executionFindings(execution([{ role: "exec-*", reason: "INC-4211: break-glass access", expires: "2099-01-31" }]));
        assert.deepEqual(
            findings.map((d) => [d.enforcementLevel, d.urn]),
            [["advisory", grant.urn]],
        );
        assert.match(findings[0].message, /^Exempted \("INC-4211: break-glass access", until 2099-01-31\): /);
    });

    it("no longer applies an exemption after its expiry, and says so in the mandatory finding", async () => {
        const { grant, findings } = await executionFindings(execution([{ family: "app", reason: "migration", expires: "2020-01-31" }]));
        assert.deepEqual(
            findings.map((d) => [d.enforcementLevel, d.urn]),
            [["mandatory", grant.urn]],
        );
        assert.match(findings[0].message, /An exemption for it no longer applies: "migration" expired on 2020-01-31\./);
    });

    it("leaves a finding mandatory when an exemption matches nothing, and says the exemption is stale", async () => {
        const { grant, findings } = await executionFindings(execution([{ resource: "urn:pulumi:*::other-stack::*", reason: "other stack" }]));
        assert.deepEqual(
            findings.map((d) => [d.enforcementLevel, d.urn]),
            [
                ["mandatory", grant.urn],
                ["advisory", "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev"],
            ],
        );
        assert.match(
            findings[1].message,
            /^This policy's exemptions\[0\] \("other stack", matching \{ resource: "urn:pulumi:\*::other-stack::\*" \}\) matched no finding in this stack/,
        );
    });

    for (const [what, exemption, error] of [
        ["without a reason", { role: "exec-*" }, /exemptions\.0: reason is required/],
        ["with a date that is not ISO 8601", { role: "exec-*", reason: "x", expires: "31/01/2027" }, /exemptions\.0\.expires: Does not match pattern/],
        ["that names nothing to match", { reason: "everything" }, /exemptions\.0: Must validate at least one schema \(anyOf\)/],
        ["with a key it does not know", { role: "exec-*", reason: "x", until: "2027-01-01" }, /exemptions\.0: Additional property until is not allowed/],
    ] as const) {
        it(`rejects an exemption ${what} before anything is analysed`, async () => {
            await assert.rejects(startPack(PACK_DIR, { config: execution([exemption]) }), (e: unknown) => {
                assert.ok(e instanceof PolicyConfigError, String(e));
                assert.ok(
                    e.validationErrors.some((line) => error.test(line)),
                    e.validationErrors.join("\n"),
                );
                return true;
            });
        });
    }
});
