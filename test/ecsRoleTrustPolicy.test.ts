import { strict as assert } from "assert";
import { ecsRoleTrustPolicy as policy } from "../policies/ecsRoleTrustPolicy";
import { ACCOUNT, correctStack, PHASES, runStackPolicy, UNKNOWN } from "./helpers/stacks";

function trust(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const ecsTasks = (extra: object = {}) => ({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", ...extra });

describe(policy.name, () => {
    for (const phase of PHASES) {
        it(`passes roles that trust ecs-tasks.amazonaws.com alone, with aws:SourceAccount (${phase})`, async () => {
            const { s } = correctStack(phase);
            assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        });
    }

    it("says, against the task definition, that it did not judge a role outside the stack, in either capacity: no config declares a role's trust", async () => {
        const { s, executionRole } = correctStack("update");
        const td = s.taskDefinition("shared", { execution: "arn:aws:iam::123456789012:role/platform-exec", task: "platform-task" });
        s.taskDefinition("own", { execution: executionRole, task: "arn:aws:iam::123456789012:role/platform-task" });
        const own = s.resources[s.resources.length - 1];
        const notJudged = (name: string, capacity: string, role: string) => ({
            urn: name === "shared" ? td.urn : own.urn,
            message: `Task definition "${name}": its ${capacity} "${role}" is defined outside this stack and was not judged by ecs-role-trust-policy. Judge its trust policy in the stack or account that defines it, or exempt this case with exemptions.`,
            enforcementLevel: "advisory",
        });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            notJudged("shared", "execution role", "arn:aws:iam::123456789012:role/platform-exec"),
            notJudged("shared", "task role", "platform-task"),
            notJudged("own", "task role", "arn:aws:iam::123456789012:role/platform-task"),
        ]);
    });

    it("flags a role ECS cannot assume, against the role", async () => {
        const { s, executionRole } = correctStack("update");
        s.set(executionRole, { assumeRolePolicy: trust({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [executionRole.urn, executionRole.urn],
        );
        assert.match(
            reported[0].message,
            /^aws\.iam\.Role "exec", the execution role of task definition "app", does not trust ecs-tasks\.amazonaws\.com, so ECS cannot assume it/,
        );
        assert.match(reported[1].message, /lets Service:lambda\.amazonaws\.com assume it \(Statement\[0\]\)/);
    });

    it("advises the confused-deputy condition when the trust has none", async () => {
        const { s, taskRole } = correctStack("update");
        s.set(taskRole, { assumeRolePolicy: trust(ecsTasks()) });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskRole.urn],
        );
        assert.match(reported[0].message, /\(Statement\[0\]\) with no aws:SourceAccount or aws:SourceArn condition/);
    });

    it("accepts aws:SourceArn, in any case, as the confused-deputy condition", async () => {
        const { s, taskRole } = correctStack("update");
        s.set(taskRole, { assumeRolePolicy: trust(ecsTasks({ Condition: { ArnLike: { "AWS:SourceArn": `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } } })) });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags other principals that may assume the role", async () => {
        const { s, taskRole } = correctStack("update");
        const guarded = ecsTasks({ Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
        s.set(taskRole, { assumeRolePolicy: trust(guarded, { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskRole.urn],
        );
        assert.match(reported[0].message, /lets any principal \(AWS:\*\) assume it \(Statement\[1\]\)/);
    });

    it("flags a trust policy that cannot be read, once, against the role", async () => {
        const { s, taskRole } = correctStack("update");
        s.set(taskRole, { assumeRolePolicy: "{not json" });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskRole.urn,
                message:
                    'aws.iam.Role "task", the task role of task definition "app", has a trust policy that cannot be read: the trust policy is not valid JSON. Fix its assumeRolePolicy.',
            },
        ]);
    });

    const OTHERS_TAIL = "A role that ECS tasks use should trust ecs-tasks.amazonaws.com alone: give other principals a role of their own.";
    const guarded = ecsTasks({ Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
    const federated: [string, string, string][] = [
        ["a web-identity (OIDC) provider", `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`, "sts:AssumeRoleWithWebIdentity"],
        ["a SAML provider", `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`, "sts:AssumeRoleWithSAML"],
    ];
    for (const [what, provider, action] of federated) {
        it(`flags ${what} allowed to assume a task role with ${action}`, async () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, { assumeRolePolicy: trust(guarded, { Effect: "Allow", Principal: { Federated: provider }, Action: action }) });
            assert.deepEqual(await runStackPolicy(policy, s.resources), [
                {
                    urn: taskRole.urn,
                    message: `aws.iam.Role "task", the task role of task definition "app", lets Federated:${provider} assume it (Statement[1]). ${OTHERS_TAIL}`,
                },
            ]);
        });
    }

    it("reads NotPrincipal naming ecs-tasks as trusting everyone else, and not ECS", async () => {
        const { s, taskRole } = correctStack("update");
        const everyoneElse = { Effect: "Allow", NotPrincipal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" };
        s.set(taskRole, { assumeRolePolicy: trust({ ...everyoneElse, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }) });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskRole.urn,
                message:
                    'aws.iam.Role "task", the task role of task definition "app", does not trust ecs-tasks.amazonaws.com, so ECS cannot assume it and the task will not start. Add an Allow of sts:AssumeRole for the service principal ecs-tasks.amazonaws.com to its assumeRolePolicy.',
            },
            {
                urn: taskRole.urn,
                message: `aws.iam.Role "task", the task role of task definition "app", lets everyone but Service:ecs-tasks.amazonaws.com assume it (Statement[0]). ${OTHERS_TAIL}`,
            },
        ]);
    });

    it("flags NotPrincipal naming ecs-tasks beside a statement that trusts ECS", async () => {
        const { s, taskRole } = correctStack("update");
        s.set(taskRole, {
            assumeRolePolicy: trust(guarded, { Effect: "Allow", NotPrincipal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }),
        });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskRole.urn,
                message: `aws.iam.Role "task", the task role of task definition "app", lets everyone but Service:ecs-tasks.amazonaws.com assume it (Statement[1]). ${OTHERS_TAIL}`,
            },
        ]);
    });

    it("says nothing of a trust policy unknown during preview", async () => {
        const { s, taskRole } = correctStack("preview");
        s.set(taskRole, { assumeRolePolicy: UNKNOWN });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });
});
