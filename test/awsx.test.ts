import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions } from "../policies/ecsTaskRoleNoAgentPermissions";
import { allow, appContainer, doc, EXECUTION_POLICY_ARN, managedArn, Phase, PHASES, runStackPolicy, StackBuilder, runEveryStackPolicy } from "./helpers/stacks";

/**
 * The shapes `@pulumi/awsx` (v2) components produce: a FargateService holding a FargateTaskDefinition,
 * which creates its log group, an execution role with AmazonECSTaskExecutionRolePolicy attached, a
 * task role, and the task definition, all as component children whose URNs carry the parent chain.
 */
function awsxFargateService(phase: Phase, taskRolePolicies: string[] = []) {
    const s = new StackBuilder(phase);
    const service = s.other("awsx:ecs:FargateService", "svc", {});
    const built = s.within(service, () => {
        const taskDefinitionComponent = s.other("awsx:ecs:FargateTaskDefinition", "svc", {});
        return s.within(taskDefinitionComponent, () => {
            s.other("aws:cloudwatch/logGroup:LogGroup", "svc", { name: "svc-1a2b3c4", retentionInDays: 1 });
            const executionRole = s.role("svc-execution");
            s.rolePolicyAttachment("svc-execution-9a4e2f1c", executionRole, EXECUTION_POLICY_ARN);
            s.rolePolicy(
                "svc-execution-secrets",
                executionRole,
                doc(
                    allow(
                        ["secretsmanager:GetSecretValue", "ssm:GetParameters"],
                        ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key"],
                    ),
                    allow("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234"),
                ),
            );
            const taskRole = s.role("svc-task");
            const attachments = taskRolePolicies.map((arn, i) => s.rolePolicyAttachment(`svc-task-${i}`, taskRole, arn));
            const taskDefinition = s.taskDefinition(
                "svc",
                { execution: executionRole, task: taskRole },
                { containerDefinitions: JSON.stringify([appContainer()]) },
            );
            return { executionRole, taskRole, taskDefinition, attachments };
        });
    });
    return { s, service, ...built };
}

describe("awsx components", () => {
    for (const phase of PHASES) {
        it(`passes the roles a FargateTaskDefinition creates by default (${phase})`, async () => {
            const { s, taskDefinition } = awsxFargateService(phase);
            assert.match(taskDefinition.urn, /::awsx:ecs:FargateService\$awsx:ecs:FargateTaskDefinition\$aws:ecs\/taskDefinition:TaskDefinition::svc$/);
            assert.deepEqual(await runEveryStackPolicy(s.resources), []);
        });

        it(`flags the classic awsx task-role default, AmazonECS_FullAccess, against its attachment (${phase})`, async () => {
            const { s, attachments } = awsxFargateService(phase, [managedArn("AmazonECS_FullAccess")]);
            const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [attachments[0].urn],
            );
            assert.match(reported[0].message, /aws\.iam\.Role "svc-task" is the task role of task definition "svc"/);
        });
    }

    it("flags a policy a program attaches to the component's execution role from outside the component", async () => {
        const { s, executionRole } = awsxFargateService("preview");
        const grant = s.rolePolicyAttachment("extra", executionRole, managedArn("AmazonS3FullAccess"));
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
    });

    it("judges a task role given through the component's arguments, defined outside it", async () => {
        const { s, taskDefinition } = awsxFargateService("update");
        const ownTaskRole = s.role("app-task");
        s.rolePolicy("app-task-pull", ownTaskRole, doc(allow("ecr:*")));
        s.set(taskDefinition, { taskRoleArn: s.arnOf(ownTaskRole) }, { taskRoleArn: [ownTaskRole.urn] });
        const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [s.resources.find((r) => r.name === "app-task-pull")?.urn],
        );
    });
});
