import { strict as assert } from "assert";
import { ecsTaskRoleNoAgentPermissions as policy } from "../policies/ecsTaskRoleNoAgentPermissions";
import { ACCOUNT, allow, correctStack, deny, doc, EXECUTION_POLICY_ARN, managedArn, PHASES, runStackPolicy } from "./helpers/stacks";

describe(policy.name, () => {
    for (const phase of PHASES) {
        describe(`in ${phase === "preview" ? "a preview of new resources" : "an update, with everything known"}`, () => {
            it("passes a task role with the application's own permissions and ECS Exec", async () => {
                const { s } = correctStack(phase);
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });

            it("flags AmazonECSTaskExecutionRolePolicy attached to the task role", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.rolePolicyAttachment("task-exec", taskRole, EXECUTION_POLICY_ARN);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(
                    reported[0].message,
                    /^aws\.iam\.Role "task" is the task role of task definition "app", and AWS-managed policy AmazonECSTaskExecutionRolePolicy \(attached by aws\.iam\.RolePolicyAttachment "task-exec"\), Statement\[0\], grants agent-level actions ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetAuthorizationToken and ecr:GetDownloadUrlForLayer\./,
                );
            });

            it("flags AmazonECS_FullAccess, whose ecs:* holds the container-agent actions", async () => {
                const { s, taskRole } = correctStack(phase);
                s.managedPolicyArns(taskRole, [managedArn("AmazonECS_FullAccess")]);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [taskRole.urn],
                );
                assert.match(reported[0].message, /ecs:Poll/);
                assert.match(reported[0].message, /ecs:RegisterContainerInstance/);
            });

            it("flags ecs:Submit* in an inline policy, with the three actions it matches", async () => {
                const { s, taskRole } = correctStack(phase);
                s.set(taskRole, { inlinePolicies: [{ name: "agent", policy: doc(allow("ecs:Submit*")) }] });
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [taskRole.urn],
                );
                assert.match(
                    reported[0].message,
                    /grants agent-level actions ecs:SubmitAttachmentStateChanges, ecs:SubmitContainerStateChange and ecs:SubmitTaskStateChange\./,
                );
            });

            it("flags a pull granted by a role policy that names the task role in capitals, without depending on it: IAM names ignore case", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.other("aws:iam/rolePolicy:RolePolicy", "shouting", { role: "TASK-A1B2C3D", policy: doc(allow("ecr:BatchGetImage")) });
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.equal(s.nameOf(taskRole), "task-a1b2c3d");
            });

            it("flags a pull granted by a repository policy that names the task role's ARN in capitals", async () => {
                const { s } = correctStack(phase);
                const grant = s.other("aws:ecr/repositoryPolicy:RepositoryPolicy", "shouting", {
                    repository: "app",
                    policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/TASK-A1B2C3D` }, Action: "ecr:BatchGetImage" }),
                });
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
            });

            it("flags a disguised pull action: other case, ? wildcard, wildcard service prefix", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.rolePolicy("task-pull", taskRole, doc(allow(["ECR:batchgetIMAGE", "e?r:GetDownloadUrlForLaye?", "*:Poll"])));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /grants agent-level actions ecr:BatchGetImage, ecr:GetDownloadUrlForLayer and ecs:Poll\./);
            });

            it("flags a customer-managed policy attached with an aws.iam.PolicyAttachment to several roles", async () => {
                const { s, taskRole, executionRole } = correctStack(phase);
                const pull = s.policy("pull", doc(allow(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])));
                const grant = s.policyAttachment("pull-attach", [executionRole, taskRole], pull);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /aws\.iam\.Policy "pull" \(attached by aws\.iam\.PolicyAttachment "pull-attach"\)/);
            });

            it("flags Allow with NotAction that leaves the agent actions in", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.rolePolicy("task-not", taskRole, doc({ Effect: "Allow", NotAction: ["iam:*", "ecr:*"], Resource: "*" }));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /with NotAction grants agent-level actions ecs:DeregisterContainerInstance/);
                assert.doesNotMatch(reported[0].message, /ecr:/);
            });

            it("lets an unconditional Deny on every resource take the agent actions away", async () => {
                const { s, taskRole } = correctStack(phase);
                s.rolePolicy("task-ecs", taskRole, doc(allow("ecs:*")));
                s.rolePolicy(
                    "task-guard",
                    taskRole,
                    doc(
                        deny([
                            "ecs:Poll",
                            "ecs:*ContainerInstance*",
                            "ecs:Submit*",
                            "ecs:DiscoverPollEndpoint",
                            "ecs:StartTelemetrySession",
                            "ecs:PutSystemLogEvents",
                        ]),
                    ),
                );
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });

            it("still flags a grant that a resource-scoped Deny only narrows", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.rolePolicy(
                    "task-ecs",
                    taskRole,
                    doc(allow("ecs:Poll"), deny("ecs:Poll", "arn:aws:ecs:us-east-1:123456789012:container-instance/*")),
                );
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
            });

            it("flags what additionalAgentActions adds, as names or patterns", async () => {
                const { s, taskRole } = correctStack(phase);
                const grant = s.rolePolicy("task-tasks", taskRole, doc(allow("ecs:RunTask")));
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
                for (const additionalAgentActions of [["ecs:*Task"], ["ECS:runtask"]]) {
                    const reported = await runStackPolicy(policy, s.resources, { additionalAgentActions });
                    assert.deepEqual(
                        reported.map((r) => r.urn),
                        [grant.urn],
                        additionalAgentActions[0],
                    );
                    assert.match(reported[0].message, /grants agent-level action ecs:RunTask\./);
                }
            });

            it("leaves Logs, KMS, Secrets Manager, SSM and ssmmessages to the task role", async () => {
                const { s, taskRole } = correctStack(phase);
                s.rolePolicy(
                    "task-firelens",
                    taskRole,
                    doc(allow(["logs:*", "kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameters", "ssmmessages:*", "firehose:PutRecordBatch"])),
                );
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });

            it("judges only task roles: pull actions on the execution role pass", async () => {
                const { s, executionRole } = correctStack(phase);
                s.rolePolicy("exec-pull", executionRole, doc(allow(["ecr:BatchGetImage"])));
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });
        });
    }
});
