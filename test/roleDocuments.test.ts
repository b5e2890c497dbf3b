import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions as policy } from "../policies/ecsTaskRoleNoAgentPermissions";
import { allow, correctStack, deny, doc, EXECUTION_POLICY_ARN, runStackPolicy, UNKNOWN } from "./helpers/stacks";

/**
 * The documents of a role as IAM will take them, said by every policy that judges the role: a
 * document the pack cannot read, one IAM would reject, and what could still take a forbidden
 * grant away but does not count. Told through ecs-task-role-no-agent-permissions.
 */
describe(`role documents, as ${policy.name} tells of them`, () => {
    /** The task role carries the ECR pull of AmazonECSTaskExecutionRolePolicy: a finding to hang the cures on. */
    function pullOnTaskRole() {
        const stack = correctStack("update");
        const grant = stack.s.rolePolicyAttachment("task-pull", stack.taskRole, EXECUTION_POLICY_ARN);
        return { ...stack, grant };
    }

    const PULL_FINDING =
        'aws.iam.Role "task" is the task role of task definition "app", and AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by aws.iam.RolePolicyAttachment "task-pull"), Statement[0], grants agent-level actions ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetAuthorizationToken and ecr:GetDownloadUrlForLayer. Application code never needs them: image pull belongs on the execution role, so remove them from the task role.';

    it("says a document cannot be read, and what it cannot tell", async () => {
        const { s, taskRole } = correctStack("update");
        const broken = s.rolePolicy("task-broken", taskRole, "{ not json");
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [broken.urn],
        );
        assert.match(
            reported[0].message,
            /^aws\.iam\.Role "task" is the task role of task definition "app", and aws\.iam\.RolePolicy "task-broken" cannot be read: the policy document is not valid JSON \(.*\)\. The pack cannot tell what it grants a task role: fix the document\.$/,
        );
    });

    it("says IAM would reject a document, which rules it breaks and where, three at most", async () => {
        const { s, taskRole } = correctStack("update");
        const statements = [
            allow("s3:GetObject", "*", { Sid: "a-1" }),
            allow("s3:PutObject", "*", { Sid: "a-2" }),
            allow("s3:ListBucket", "*", { Sid: "a-3" }),
        ];
        const rejected = s.rolePolicy("task-rejected", taskRole, JSON.stringify({ Version: "2012-10-18", Statement: statements }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(reported, [
            {
                urn: rejected.urn,
                message:
                    'aws.iam.Role "task" is the task role of task definition "app", and IAM would reject aws.iam.RolePolicy "task-rejected": Version: Version must be "2012-10-17" or "2008-10-17", not "2012-10-18"; Statement[0].Sid: Sid "a-1" may hold only the letters A-Z and a-z and the digits 0-9; Statement[1].Sid: Sid "a-2" may hold only the letters A-Z and a-z and the digits 0-9 (and 1 more). The deployment of that document will fail, and none of its Denies takes anything away here: fix the document.',
            },
        ]);
    });

    it("takes an AWS-managed policy as IAM holds it, whatever the pack's rules would say of it", async () => {
        // AWS-managed documents exist in IAM already: AWSBackupFullAccess holds 9,104 characters, over the 6,144 of a customer's own.
        const { s, taskRole } = correctStack("update");
        s.rolePolicyAttachment("task-backup", taskRole, "arn:aws:iam::aws:policy/AWSBackupFullAccess");
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("takes a document declared in externalRoles as IAM holds it: its Deny counts", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { taskRoleArn: "arn:aws:iam::123456789012:role/platform-task" }, { taskRoleArn: [] });
        const declared = [EXECUTION_POLICY_ARN, { Version: "2012-10-17", Statement: [deny("ecr:*", "*", { Sid: "no-pull" })] }];
        assert.deepEqual(await runStackPolicy(policy, s.resources, { externalRoles: { "arn:aws:iam::123456789012:role/platform-task": declared } }), []);
    });

    it("names a Deny that would take the grant away but sits in a document IAM would reject", async () => {
        const { s, taskRole, grant } = pullOnTaskRole();
        const guard = s.rolePolicy("task-guard", taskRole, doc(deny("ecr:*", "*", { Sid: "no-pull" })));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [guard.urn, grant.urn],
        );
        assert.equal(
            reported[1].message,
            `${PULL_FINDING} The Deny at Statement[0] of aws.iam.RolePolicy "task-guard" would take them away, but IAM would reject that document.`,
        );
    });

    it("names each cure not known yet, joined by or", async () => {
        const { s, taskRole, grant } = pullOnTaskRole();
        s.set(taskRole, { permissionsBoundary: UNKNOWN });
        s.other(
            "aws-native:iam:RolePolicy",
            "task-guard",
            {
                roleName: s.nameOf(taskRole),
                policyName: "guard",
                policyDocument: { Version: "2012-10-17", Statement: [deny("ecr:*", UNKNOWN), { Effect: UNKNOWN, Action: "ecr:*", Resource: "*" }] },
            },
            { roleName: [taskRole.urn] },
        );
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.equal(
            reported[0].message,
            `${PULL_FINDING} This stands unless the permissions boundary, the policy named by the permissionsBoundary of aws.iam.Role "task", not known during preview, excludes them, the Deny at Statement[0] of awsnative.iam.RolePolicy "task-guard", part of which is not known during preview, takes them away or the statement at Statement[1] of awsnative.iam.RolePolicy "task-guard", not known during preview, is a Deny that takes them away.`,
        );
    });

    it("says nothing of a Deny not known yet that could not take the grant away", async () => {
        const { s, taskRole, grant } = pullOnTaskRole();
        s.other(
            "aws-native:iam:RolePolicy",
            "task-guard",
            { roleName: s.nameOf(taskRole), policyName: "guard", policyDocument: { Version: "2012-10-17", Statement: [deny("s3:*", UNKNOWN)] } },
            { roleName: [taskRole.urn] },
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), [{ urn: grant.urn, message: PULL_FINDING }]);
    });

    it("says a permissions boundary cannot be read, and judges the role as if it had none", async () => {
        const { s, taskRole, grant } = pullOnTaskRole();
        const boundary = s.policy("task-boundary", "{ not json");
        s.set(taskRole, { permissionsBoundary: boundary.props.arn }, { permissionsBoundary: [boundary.urn] });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskRole.urn, grant.urn],
        );
        assert.match(
            reported[0].message,
            /and its permissions boundary, aws\.iam\.Policy "task-boundary" \(attached by permissionsBoundary of aws\.iam\.Role "task"\), cannot be read: the policy document is not valid JSON .* The role is judged as if it had no boundary: fix the document\.$/,
        );
        assert.equal(reported[1].message, PULL_FINDING);
    });

    it("says the same of an execution role, through ecs-execution-role-only-ecr-secrets-logs", async () => {
        const { s, executionRole } = correctStack("update");
        const rejected = s.rolePolicy(
            "exec-rejected",
            executionRole,
            doc(allow("logs:PutLogEvents", "*", { Sid: "Logs" }), allow("logs:CreateLogStream", "*", { Sid: "Logs" })),
        );
        assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources), [
            {
                urn: rejected.urn,
                message:
                    'aws.iam.Role "exec" is the execution role of task definition "app", and IAM would reject aws.iam.RolePolicy "exec-rejected": Statement[1].Sid: Sid "Logs" is also the Sid of Statement[0]: each Sid must be unique within the document. The deployment of that document will fail, and none of its Denies takes anything away here: fix the document.',
            },
        ]);
    });
});
