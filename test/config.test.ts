import { strict as assert } from "assert";
import { ConfiguredPolicy, didYouMean, unknownConfigFindings } from "../policies/config";
import { policies } from "../policies";
import { correctStack, runStackPolicy } from "./helpers/stacks";

const EXECUTION = {
    name: "ecs-execution-role-only-ecr-secrets-logs",
    configSchema: { properties: { additionalAllowedActions: {}, externalRoles: {}, exemptions: {} } },
};
const TASK = { name: "ecs-task-role-no-agent-permissions", configSchema: { properties: { additionalAgentActions: {}, externalRoles: {}, exemptions: {} } } };
const TRUST = { name: "ecs-role-trust-policy", configSchema: { properties: { exemptions: {} } } };
const PACK = [EXECUTION, TASK, TRUST];

describe("config properties a policy does not take", () => {
    it("suggest the property a slip was meant to be, without regard to case", () => {
        assert.equal(didYouMean("additionalAllowedAction", ["additionalAllowedActions", "externalRoles", "exemptions"]), "additionalAllowedActions");
        assert.equal(didYouMean("ExternalRoles", ["additionalAllowedActions", "externalRoles", "exemptions"]), "externalRoles");
        assert.equal(didYouMean("exemption", ["externalRoles", "exemptions"]), "exemptions");
        assert.equal(didYouMean("allowed", ["additionalAllowedActions", "externalRoles", "exemptions"]), undefined);
        assert.equal(didYouMean("anything", []), undefined);
    });

    const cases: { name: string; policy: ConfiguredPolicy; given: unknown; messages: string[] }[] = [
        {
            name: "name a misspelt property and what it was meant to be",
            policy: EXECUTION,
            given: { additionalAllowedAction: ["s3:GetObject"] },
            messages: [
                'The config of ecs-execution-role-only-ecr-secrets-logs has a property "additionalAllowedAction" that this policy does not take, and it is ignored: did you mean "additionalAllowedActions"?',
            ],
        },
        {
            name: "say which policy takes a property given to another",
            policy: EXECUTION,
            given: { additionalAgentActions: ["ecs:ListClusters"], exemptions: [] },
            messages: [
                'The config of ecs-execution-role-only-ecr-secrets-logs has a property "additionalAgentActions" that this policy does not take, and it is ignored: it is a property of ecs-task-role-no-agent-permissions, so set it under that policy instead',
            ],
        },
        {
            name: "point a slip of another policy's property to that policy",
            policy: TRUST,
            given: { externalRole: {} },
            messages: [
                'The config of ecs-role-trust-policy has a property "externalRole" that this policy does not take, and it is ignored: did you mean "externalRoles", a property of ecs-execution-role-only-ecr-secrets-logs and ecs-task-role-no-agent-permissions?',
            ],
        },
        {
            name: "list what the policy takes when nothing is close",
            policy: TASK,
            given: { severity: "high" },
            messages: [
                'The config of ecs-task-role-no-agent-permissions has a property "severity" that this policy does not take, and it is ignored: this policy takes "additionalAgentActions", "externalRoles", "exemptions"',
            ],
        },
        {
            name: "say nothing of the properties a policy takes",
            policy: EXECUTION,
            given: { additionalAllowedActions: [], externalRoles: {}, exemptions: [] },
            messages: [],
        },
        { name: "say nothing when there is no config", policy: EXECUTION, given: undefined, messages: [] },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const findings = unknownConfigFindings(c.policy, c.given, PACK);
            assert.deepEqual(
                findings.map((f) => f.message),
                c.messages,
            );
            for (const f of findings) assert.deepEqual([f.urn, f.advisory], ["", true]);
        });
    }

    it("are reported by every policy of the pack, as an advisory on the stack", async () => {
        const { s } = correctStack("update");
        const reported: [string, string | undefined, string | undefined, string][] = [];
        for (const p of policies) {
            if (!("validateStack" in p)) continue;
            for (const r of await runStackPolicy(p, s.resources, { exemption: [] }))
                reported.push([p.name, r.urn, r.enforcementLevel, r.message.replace(/^.*ignored: /, "")]);
        }
        assert.deepEqual(reported, [
            ["ecs-execution-role-only-ecr-secrets-logs", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-task-role-no-agent-permissions", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-task-and-execution-roles-distinct", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-role-permissions-evaluable", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-execution-role-least-privilege", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-execution-role-sufficient", undefined, "advisory", 'did you mean "exemptions"?'],
            ["ecs-role-trust-policy", undefined, "advisory", 'did you mean "exemptions"?'],
        ]);
    });
});
