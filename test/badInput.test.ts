import { strict as assert } from "assert";
import { ResourceValidationArgs } from "@pulumi/policy";
import { policies } from "../policies";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions } from "../policies/ecsTaskRoleNoAgentPermissions";
import { StackResource, UNKNOWN_SENTINELS } from "../policies/stack/resources";
import { correctStack, Reported, runStackPolicy, UNKNOWN } from "./helpers/stacks";

/** Values no provider should send, and some it does: every one must meet a diagnostic or nothing, never an exception. */
const ODD_VALUES: readonly unknown[] = [
    null,
    0,
    -1.5,
    true,
    "",
    " ",
    "not json {",
    "[]",
    "null",
    '{"Statement": "x"}',
    '{"__proto__": {"Statement": []}, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
    "x".repeat(100_000),
    [],
    [null],
    [7, "x", {}],
    [[["deep"]]],
    {},
    { policy: 7 },
    { name: { nested: true }, policy: ["a"] },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { Statement: [{ Effect: "Allow", Action: { not: "a list" }, Resource: "*" }] },
    { Statement: [{ Effect: ["Allow"], Action: "*", Resource: "*" }] },
    ...UNKNOWN_SENTINELS,
    [UNKNOWN],
    [{ name: UNKNOWN, policy: UNKNOWN }],
    { Version: UNKNOWN, Statement: [{ Effect: UNKNOWN, Action: [UNKNOWN], Resource: UNKNOWN, Condition: UNKNOWN }] },
    { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" },
];

/** Every property the pack reads, on every resource type it reads. */
const READ_PROPERTIES: Record<string, string[]> = {
    "aws:iam/role:Role": ["name", "arn", "inlinePolicies", "managedPolicyArns"],
    "aws:iam/rolePolicy:RolePolicy": ["role", "policy"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
    "aws:iam/policyAttachment:PolicyAttachment": ["roles", "policyArn"],
    "aws:iam/policy:Policy": ["arn", "policy"],
    "aws:ecs/taskDefinition:TaskDefinition": ["family", "executionRoleArn", "taskRoleArn"],
};

function withValue(resources: StackResource[], urn: string, key: string, value: unknown): StackResource[] {
    return resources.map((r) => (r.urn === urn ? { ...r, props: { ...r.props, [key]: value } } : r));
}

describe("bad input", () => {
    const { s, executionRole } = correctStack("preview");
    // One stack with every door in use, so that each odd value meets the code that reads it.
    const customer = s.policy("customer", '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}');
    s.policyAttachment("customer-attach", [executionRole], customer);
    s.rolePolicyAttachment("customer-role-attach", executionRole, customer);
    s.managedPolicyArns(executionRole, [customer, "arn:aws:iam::aws:policy/AdministratorAccess"]);
    const base = s.resources;

    /** Every finding of every policy, as `policy: urn: message`; fails on an empty message or a URN outside the stack. */
    async function everyFinding(resources: StackResource[], changed: StackResource): Promise<string[]> {
        const urns = new Set(resources.map((r) => r.urn));
        const out: string[] = [];
        const add = (policyName: string, message: unknown, urn: unknown) => {
            assert.ok(typeof message === "string" && message.length > 0, `${policyName} reported an empty message`);
            assert.ok(typeof urn === "string" && urns.has(urn), `${policyName} reported against ${String(urn)}, which is not in the stack`);
            out.push(`${policyName}: ${urn}: ${message}`);
        };
        for (const policy of policies) {
            if ("validateStack" in policy) for (const r of await runStackPolicy(policy, resources)) add(policy.name, r.message, r.urn);
            if ("validateResource" in policy && policy.validateResource) {
                const args = { type: changed.type, urn: changed.urn, name: changed.name, props: changed.props } as unknown as ResourceValidationArgs;
                const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
                for (const v of validations) await v(args, (message: unknown, urn?: string) => add(policy.name, message, urn ?? changed.urn));
            }
        }
        return out;
    }

    /** The properties that carry a grant itself: an odd value there must change what the pack says, never pass in silence. */
    const GRANT_PROPERTIES = new Set([
        "aws:iam/rolePolicy:RolePolicy.policy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment.policyArn",
        "aws:iam/policy:Policy.policy",
    ]);

    for (const [type, keys] of Object.entries(READ_PROPERTIES)) {
        for (const key of keys) {
            const grant = GRANT_PROPERTIES.has(`${type}.${key}`);
            const name = `${type.split(":").pop()}.${key}`;
            it(`never throws and reports only well-formed findings${grant ? ", never the same as for a good document" : ""}, whatever ${name} holds`, async () => {
                const targets = base.filter((r) => r.type === type);
                assert.ok(targets.length > 0, `the stack has a ${type}`);
                const before = await everyFinding(base, targets[0]);
                for (const value of ODD_VALUES) {
                    const resources = withValue(base, targets[0].urn, key, value);
                    const after = await everyFinding(resources, resources.find((x) => x.urn === targets[0].urn) as StackResource);
                    if (grant) assert.notDeepEqual(after, before, `${name} = ${String(value).slice(0, 40)} passed in silence`);
                }
            });
        }
    }

    it("reports a document that is not JSON as a violation with its reason, not a pass", async () => {
        const grant = base.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy") as StackResource;
        const reported: Reported[] = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, withValue(base, grant.urn, "policy", "not json {"));
        const onGrant = reported.filter((r) => r.urn === grant.urn);
        assert.equal(onGrant.length, 1);
        assert.match(onGrant[0].message, /cannot be read: the policy document is not valid JSON/);
    });

    it("reports a __proto__ key in a document as a problem, and is not fooled by it", async () => {
        const grant = base.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy") as StackResource;
        const document =
            '{"Version":"2012-10-17","__proto__":{"x":1},"Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*","__proto__":{"Effect":"Deny"}}]}';
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, withValue(base, grant.urn, "policy", document));
        const onGrant = reported.filter((r) => r.urn === grant.urn);
        assert.equal(onGrant.length, 1);
        assert.match(
            onGrant[0].message,
            /__proto__: unexpected key "__proto__" in the policy document; Statement\[0\]\.__proto__: unexpected key "__proto__" in a statement/,
        );
    });

    it("reports a role's inlinePolicies that are not a list on the task role too", async () => {
        const { s: t, taskRole } = correctStack("update");
        t.set(taskRole, { inlinePolicies: { name: "x", policy: "{}" } });
        const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, t.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskRole.urn],
        );
        assert.match(reported[0].message, /inlinePolicies must be a list, not an object/);
    });
});
