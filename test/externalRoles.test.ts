import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "../policies/ecsExecutionRoleSufficient";
import { ecsRolePermissionsEvaluable } from "../policies/ecsRolePermissionsEvaluable";
import { ecsTaskRoleNoAgentPermissions } from "../policies/ecsTaskRoleNoAgentPermissions";
import { correctStack, EXECUTION_POLICY_ARN, managedArn, runStackPolicy } from "./helpers/stacks";

const PLATFORM_EXEC = "arn:aws:iam::123456789012:role/platform/platform-exec";

/** A task definition whose execution role comes from a baseline stack, by ARN. */
function sharedExecutionRole() {
    const { s, taskRole } = correctStack("update");
    const td = s.taskDefinition("shared", { execution: PLATFORM_EXEC, task: taskRole });
    return { s, td };
}

const secrets = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameters", "kms:Decrypt"], Resource: "*" }],
};

describe("roles declared in externalRoles", () => {
    it("are not judged when a policy's own config does not declare them, and that policy says so as an advisory", async () => {
        const { s, td } = sharedExecutionRole();
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
        assert.deepEqual(
            reported.map((r) => [r.urn, r.enforcementLevel]),
            [[td.urn, "advisory"]],
        );
        assert.match(reported[0].message, /is defined outside this stack and was not judged by ecs-execution-role-only-ecr-secrets-logs/);
        // Declared on one policy only, the role is still spoken of by every other policy that judges it.
        const declaredElsewhere = await runStackPolicy(ecsExecutionRoleSufficient, s.resources, {});
        assert.deepEqual(
            declaredElsewhere.map((r) => r.enforcementLevel),
            ["advisory"],
        );
    });

    it("are judged against what the declaration grants, reported on the task definition", async () => {
        const { s, td } = sharedExecutionRole();
        const config = { externalRoles: { [PLATFORM_EXEC]: [EXECUTION_POLICY_ARN, managedArn("AdministratorAccess")] } };
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, config);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [td.urn],
        );
        assert.match(
            reported[0].message,
            /^external role "arn:aws:iam::123456789012:role\/platform\/platform-exec" is the execution role of task definition "shared", and AWS-managed policy AdministratorAccess \(attached by externalRoles\["arn:aws:iam::123456789012:role\/platform\/platform-exec"\]\[1\]\)/,
        );
        assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources, config), []);
    });

    it("match by role name, and take documents as objects or JSON strings", async () => {
        const { s } = sharedExecutionRole();
        const config = { externalRoles: { "platform-exec": [EXECUTION_POLICY_ARN, JSON.stringify(secrets)] } };
        assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, config), []);
        assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources, config), []);
    });

    it("judge a declared execution role that lacks pull and log delivery as one the task cannot start with", async () => {
        const { s, td } = sharedExecutionRole();
        assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources, { externalRoles: { "platform-exec": [secrets] } }), [
            {
                urn: td.urn,
                message:
                    'Task definition "shared" cannot start as written: container "app" image needs ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer and ecr:BatchGetImage on arn:aws:ecr:us-east-1:123456789012:repository/app and container "app" logConfiguration (awslogs) needs logs:CreateLogStream and logs:PutLogEvents on arn:*:logs:us-east-1:*:log-group:/ecs/app:*, which its execution role external role "platform-exec" is not granted. Grant them to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("judge a declared task role too", async () => {
        const { s, executionRole } = correctStack("update");
        const td = s.taskDefinition("shared-task", { execution: executionRole, task: "platform-task" });
        const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources, { externalRoles: { "platform-task": [EXECUTION_POLICY_ARN] } });
        assert.deepEqual(
            reported.map((r) => r.urn),
            [td.urn],
        );
    });

    it("report each entry of a declaration that cannot be read, against the task definition", async () => {
        const { s, td } = sharedExecutionRole();
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, { externalRoles: { [PLATFORM_EXEC]: [7, null, {}] } });
        const head = `external role "${PLATFORM_EXEC}" is the execution role of task definition "shared", and externalRoles["${PLATFORM_EXEC}"]`;
        const tail = "The pack cannot tell what it grants an execution role: fix the document.";
        assert.deepEqual(reported, [
            { urn: td.urn, message: `${head}[0] cannot be read: the policy document must be a JSON object, not number 7. ${tail}` },
            { urn: td.urn, message: `${head}[1] cannot be read: the policy document must be a JSON object, not null. ${tail}` },
            { urn: td.urn, message: `${head}[2] cannot be read: Statement: the policy document has no Statement. ${tail}` },
        ]);
        // Whether the role may do more than it should is for the role policies to say, not for evaluability.
        assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources, { externalRoles: { [PLATFORM_EXEC]: [7, null, {}] } }), []);
    });

    it("report a declaration that is not a list, instead of reading it as granting nothing", async () => {
        const { s, td } = sharedExecutionRole();
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, { externalRoles: { [PLATFORM_EXEC]: "not a list" } });
        assert.deepEqual(
            reported.map((r) => [r.urn, r.enforcementLevel]),
            [[td.urn, undefined]],
        );
        assert.match(
            reported[0].message,
            /^external role "arn:aws:iam::123456789012:role\/platform\/platform-exec" is the execution role of task definition "shared", and externalRoles\["arn:aws:iam::123456789012:role\/platform\/platform-exec"\] cannot be read: the policy document is not valid JSON \(.*\)\. The pack cannot tell what it grants an execution role: fix the document\.$/,
        );
    });

    it("fall back to no declarations when externalRoles is not an object, and say the role was not judged", async () => {
        const { s, td } = sharedExecutionRole();
        for (const externalRoles of [[], "x", null, 7]) {
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, { externalRoles }), [
                {
                    urn: td.urn,
                    enforcementLevel: "advisory",
                    message: `Task definition "shared": its execution role "${PLATFORM_EXEC}" is defined outside this stack and was not judged by ecs-execution-role-only-ecr-secrets-logs. Declare what it is granted in this policy's externalRoles config, or exempt this case with exemptions.`,
                },
            ]);
        }
    });
});
