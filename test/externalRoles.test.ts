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
        assert.deepEqual(
            await runStackPolicy(ecsExecutionRoleSufficient, s.resources, { externalRoles: { "platform-exec": [secrets] } }).then((r) => r.length),
            1,
            "no pull or log delivery declared",
        );
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

    it("never throw on a declaration of the wrong shape", async () => {
        const { s } = sharedExecutionRole();
        for (const externalRoles of [{ [PLATFORM_EXEC]: "not a list" }, { [PLATFORM_EXEC]: [7, null, {}] }, [], "x"]) {
            await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources, { externalRoles });
            await runStackPolicy(ecsRolePermissionsEvaluable, s.resources, { externalRoles });
        }
    });
});
