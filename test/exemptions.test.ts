import { strict as assert } from "assert";
import { applyExemptions, expiryOf } from "../policies/exemptions";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskAndExecutionRolesDistinct } from "../policies/ecsTaskAndExecutionRolesDistinct";
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

    it("drop the invitation to exempt from a finding they exempt", async () => {
        const { s, executionRole } = correctStack("update");
        s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
        const [plain] = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
        const [exempted] = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, { exemptions: [{ role: "exec*", reason: "INC-4211" }] });
        assert.match(
            plain.message,
            /\(what the application itself calls belongs on the task role\), or exempt this case with exemptions\. `ecs-role-guard suggest` prints the exact policy the role needs\.$/,
        );
        assert.match(
            exempted.message,
            /^Exempted \("INC-4211", with no expiry\): .*\(what the application itself calls belongs on the task role\)\. `ecs-role-guard suggest` prints the exact policy the role needs\.$/,
        );
    });

    it("that match no finding are reported as stale, by their place in the list, on the stack", async () => {
        const { s } = correctStack("update");
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, {
            exemptions: [{ role: "legacy-*", family: "batch", reason: "INC-17: old batch jobs", expires: "2099-12-31" }],
        });
        assert.deepEqual(reported, [
            {
                urn: undefined,
                enforcementLevel: "advisory",
                message:
                    'This policy\'s exemptions[0] ("INC-17: old batch jobs", matching { role: "legacy-*", family: "batch" }) matched no finding in this stack: ' +
                    "it is stale, or it names the resource, role or family differently from the findings. Remove it, or correct what it matches.",
            },
        ]);
    });

    it("are not stale when they match a finding the same policy reported for one resource", async () => {
        const { s, executionRole, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { taskRoleArn: s.arnOf(executionRole) });
        const config = { exemptions: [{ family: "app", reason: "one role until the split" }] };
        assert.deepEqual(await runStackPolicy(ecsTaskAndExecutionRolesDistinct, s.resources, config), []);
        assert.deepEqual(await runStackPolicy(ecsTaskAndExecutionRolesDistinct, correctStack("update").s.resources, config), [
            {
                urn: undefined,
                enforcementLevel: "advisory",
                message:
                    'This policy\'s exemptions[0] ("one role until the split", matching { family: "app" }) matched no finding in this stack: ' +
                    "it is stale, or it names the resource, role or family differently from the findings. Remove it, or correct what it matches.",
            },
        ]);
    });
});
