import { strict as assert } from "assert";
import { applyExemptions, expiryOf } from "../policies/exemptions";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { Finding } from "../policies/format";
import { correctStack, managedArn, runStackPolicy } from "./helpers/stacks";

const finding: Finding = {
    urn: "urn:pulumi:dev::demo::aws:iam/rolePolicyAttachment:RolePolicyAttachment::legacy-admin",
    message: 'aws.iam.Role "legacy" is the execution role of task definition "batch", and …',
    roles: ["legacy-a1b2c3d", "arn:aws:iam::123456789012:role/legacy-a1b2c3d", "legacy"],
    families: ["batch-nightly", "batch"],
};
const NOW = new Date("2026-11-28T12:00:00Z");

describe("exemptions", () => {
    const cases: { name: string; exemptions: unknown; exempted: boolean; note?: RegExp }[] = [
        { name: "match by resource URN glob", exemptions: [{ resource: "*::legacy-*", reason: "migration" }], exempted: true },
        { name: "match by role name glob", exemptions: [{ role: "legacy-*", reason: "migration" }], exempted: true },
        { name: "match by role ARN glob", exemptions: [{ role: "arn:aws:iam::123456789012:role/legacy-?1b2c3d", reason: "migration" }], exempted: true },
        { name: "match by the role's Pulumi name", exemptions: [{ role: "legacy", reason: "migration" }], exempted: true },
        { name: "match by task definition family glob", exemptions: [{ family: "batch-*", reason: "migration" }], exempted: true },
        { name: "need every matcher they give to match", exemptions: [{ family: "batch-*", role: "other-*", reason: "migration" }], exempted: false },
        { name: "match globs case-sensitively, as ARNs are", exemptions: [{ role: "LEGACY-*", reason: "migration" }], exempted: false },
        { name: "apply through the whole day they expire on", exemptions: [{ role: "legacy-*", reason: "migration", expires: "2026-11-28" }], exempted: true },
        {
            name: "no longer apply after they expire, and say so",
            exemptions: [{ role: "legacy-*", reason: "migration", expires: "2026-11-27" }],
            exempted: false,
            note: /An exemption for it no longer applies: "migration" expired on 2026-11-27\./,
        },
        {
            name: "honour an expiry with a time",
            exemptions: [{ role: "legacy-*", reason: "m", expires: "2026-11-28T11:59:59Z" }],
            exempted: false,
            note: /expired on 2026-11-28T11:59:59Z/,
        },
        {
            name: "do not apply with a date the calendar lacks",
            exemptions: [{ role: "legacy-*", reason: "m", expires: "2026-02-30" }],
            exempted: false,
            note: /has an expiry that is not a date \("2026-02-30"\)/,
        },
        { name: "without a reason are ignored", exemptions: [{ role: "legacy-*" }], exempted: false },
        { name: "that name nothing to match are ignored", exemptions: [{ reason: "everything" }], exempted: false },
        { name: "of the wrong shape are ignored, never thrown on", exemptions: "legacy", exempted: false },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const { violations, exempted } = applyExemptions([finding], c.exemptions, NOW);
            assert.equal(exempted.length, c.exempted ? 1 : 0);
            assert.equal(violations.length, c.exempted ? 0 : 1);
            if (c.exempted) assert.match(exempted[0].message, /^Exempted \("migration", (until 2026-11-28|with no expiry)\): aws\.iam\.Role "legacy"/);
            if (c.note) assert.match(violations[0].message, c.note);
        });
    }

    it("read expiry dates as ISO 8601 only", () => {
        assert.equal(expiryOf("2027-01-31")?.toISOString(), "2027-01-31T23:59:59.999Z");
        for (const bad of ["31/01/2027", "2027-1-31", "tomorrow", "2027-13-01", "2027-02-29"]) assert.equal(expiryOf(bad), undefined, bad);
        assert.equal(expiryOf("2028-02-29")?.toISOString(), "2028-02-29T23:59:59.999Z");
    });

    it("turn a mandatory finding into an advisory line that names the reason and the expiry", async () => {
        const { s, executionRole } = correctStack("update");
        const grant = s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, {
            exemptions: [{ resource: grant.urn, reason: "INC-4211: debugging access", expires: "2099-12-31" }],
        });
        assert.equal(reported.length, 1);
        assert.deepEqual(reported[0].urn, grant.urn);
        assert.equal(reported[0].enforcementLevel, "advisory");
        assert.match(reported[0].message, /^Exempted \("INC-4211: debugging access", until 2099-12-31\): aws\.iam\.Role "exec"/);
    });
});
