import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs as policy } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { allow, appContainer, correctStack, deny, doc, managedArn, PHASES, runStackPolicy, UNKNOWN } from "./helpers/stacks";

describe(policy.name, () => {
    for (const phase of PHASES) {
        describe(`in ${phase === "preview" ? "a preview of new resources" : "an update, with everything known"}`, () => {
            it("passes the AWS-documented execution role with secrets injection", async () => {
                const { s } = correctStack(phase);
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });

            it("flags ecr:* in an aws.iam.RolePolicy and names the push actions it adds", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy("exec-ecr", executionRole, doc(allow("ecr:*")));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /aws\.iam\.Role "exec" is the execution role of task definition "app"/);
                assert.match(reported[0].message, /aws\.iam\.RolePolicy "exec-ecr", Statement\[0\], grants "ecr:\*" \(\d+ actions, such as ecr:/);
                assert.match(
                    reported[0].message,
                    /Remove them from the execution role \(what the application itself calls belongs on the task role\), or exempt this case with exemptions\. `ecs-role-guard suggest` prints the exact policy the role needs\.$/,
                );
            });

            it("speaks of one action it flags in the singular", async () => {
                const { s, executionRole } = correctStack(phase);
                s.rolePolicy("exec-assets", executionRole, doc(allow("s3:GetObject", "arn:aws:s3:::assets/*")));
                const [finding] = await runStackPolicy(policy, s.resources);
                assert.match(
                    finding.message,
                    /grants s3:GetObject beyond ECR image pull, log delivery and secret injection\. Remove it from the execution role/,
                );
            });

            it("flags AdministratorAccess attached with an aws.iam.RolePolicyAttachment", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /AWS-managed policy AdministratorAccess \(attached by aws\.iam\.RolePolicyAttachment "exec-admin"\)/);
                assert.match(reported[0].message, /grants "\*" \([\d,]+ actions, such as iam:/);
            });

            it("flags an AWS-managed policy in another partition", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicyAttachment("exec-s3", executionRole, "arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess");
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /AmazonS3ReadOnlyAccess/);
            });

            it("flags a customer-managed aws.iam.Policy attached with an aws.iam.PolicyAttachment", async () => {
                const { s, executionRole } = correctStack(phase);
                const customer = s.policy("wide", doc(allow(["dynamodb:*"], "*")));
                const grant = s.policyAttachment("wide-attach", [executionRole], customer);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /aws\.iam\.Policy "wide" \(attached by aws\.iam\.PolicyAttachment "wide-attach"\)/);
            });

            it("flags a customer-managed aws.iam.Policy attached with an aws.iam.RolePolicyAttachment", async () => {
                const { s, executionRole } = correctStack(phase);
                const customer = s.policy("wide", doc(allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q")));
                const grant = s.rolePolicyAttachment("wide-attach", executionRole, customer);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /grants sqs:SendMessage beyond/);
            });

            it("flags an inline policy in the role's inlinePolicies, reported against the role", async () => {
                const { s, executionRole } = correctStack(phase);
                s.set(executionRole, { inlinePolicies: [{ name: "extra", policy: doc(allow("s3:GetObject", "arn:aws:s3:::b/*")) }] });
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [executionRole.urn],
                );
                assert.match(reported[0].message, /inline policy "extra" of aws\.iam\.Role "exec", Statement\[0\], grants s3:GetObject beyond/);
            });

            it("flags an AWS-managed ARN in the role's managedPolicyArns", async () => {
                const { s, executionRole } = correctStack(phase);
                s.managedPolicyArns(executionRole, [managedArn("AdministratorAccess")]);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [executionRole.urn],
                );
                assert.match(reported[0].message, /AdministratorAccess \(attached by managedPolicyArns of aws\.iam\.Role "exec"\)/);
            });

            it("flags a customer-managed policy in the role's managedPolicyArns", async () => {
                const { s, executionRole } = correctStack(phase);
                const customer = s.policy("wide", doc(allow("sns:Publish")));
                s.managedPolicyArns(executionRole, [customer]);
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [executionRole.urn],
                );
                assert.match(
                    reported[0].message,
                    /aws\.iam\.Policy "wide" \(attached by managedPolicyArns of aws\.iam\.Role "exec"\), Statement\[0\], grants sns:Publish/,
                );
            });

            it("accepts what additionalAllowedActions allows, as names or patterns", async () => {
                const { s, executionRole } = correctStack(phase);
                const env = s.rolePolicy("exec-env", executionRole, doc(allow(["s3:GetObject", "S3:GetBucketLocation"], "arn:aws:s3:::env/*")));
                assert.deepEqual(await runStackPolicy(policy, s.resources), [
                    {
                        urn: env.urn,
                        message:
                            'aws.iam.Role "exec" is the execution role of task definition "app", and aws.iam.RolePolicy "exec-env", Statement[0], grants s3:GetObject and s3:GetBucketLocation beyond ECR image pull, log delivery and secret injection. Remove them from the execution role (what the application itself calls belongs on the task role), or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    },
                ]);
                assert.deepEqual(await runStackPolicy(policy, s.resources, { additionalAllowedActions: ["s3:GetObject", "s3:getbucket*"] }), []);
            });

            it("flags an action the catalog does not know as unrecognised", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy("exec-typo", executionRole, doc(allow("ecr:GetAuthorisationToken")));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /grants ecr:GetAuthorisationToken, which matches no known IAM action/);
            });

            it("flags Allow with NotAction, which grants every action it does not name", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy("exec-not", executionRole, doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /with NotAction grants [\d,]+ actions beyond ECR image pull, log delivery and secret injection, such as s3:/);
            });

            it("lets an unconditional Deny on every resource take a grant away", async () => {
                const { s, executionRole } = correctStack(phase);
                s.rolePolicy("exec-ecr", executionRole, doc(allow("ecr:*")));
                s.rolePolicy(
                    "exec-guard",
                    executionRole,
                    doc({
                        Effect: "Deny",
                        NotAction: [
                            "ECR:BatchGetImage",
                            "ecr:GetDownloadUrlForLayer",
                            "ecr:GetAuthorizationToken",
                            "ecr:BatchCheckLayerAvailability",
                            "ecr:BatchImportUpstreamImage",
                        ],
                        Resource: "*",
                    }),
                );
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });

            it("does not let a conditional Deny take a grant away", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy(
                    "exec-ecr",
                    executionRole,
                    doc(allow("ecr:PutImage"), deny("ecr:PutImage", "*", { Condition: { Bool: { "aws:SecureTransport": "false" } } })),
                );
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
            });

            it("flags a document it cannot read, naming the path in the document", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy(
                    "exec-bad",
                    executionRole,
                    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ecr:BatchGetImage", 7], Resource: "*" }] }),
                );
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(
                    reported[0].message,
                    /aws\.iam\.RolePolicy "exec-bad" cannot be read: Statement\[0\]\.Action\[1\]: an action must be a string, not number 7/,
                );
            });

            it("names every task definition that shares the execution role, in one finding", async () => {
                const { s, executionRole, taskRole } = correctStack(phase);
                s.taskDefinition("worker", { execution: executionRole, task: taskRole });
                const grant = s.rolePolicy("exec-sqs", executionRole, doc(allow("sqs:*")));
                const reported = await runStackPolicy(policy, s.resources);
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /execution role of task definitions "app" and "worker"/);
            });

            it("judges only execution roles: the same grant on the task role passes", async () => {
                const { s, taskRole } = correctStack(phase);
                s.rolePolicy("task-sqs", taskRole, doc(allow("sqs:*")));
                assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            });
        });
    }

    it("accepts S3 reads of the task's environment files, scoped to exactly those objects", async () => {
        const { s, executionRole, taskDefinition } = correctStack("update");
        s.set(taskDefinition, {
            containerDefinitions: JSON.stringify([appContainer({ environmentFiles: [{ value: "arn:aws:s3:::app-config/app.env", type: "s3" }] })]),
        });
        s.rolePolicy(
            "exec-env",
            executionRole,
            doc(allow("s3:GetObject", "arn:aws:s3:::app-config/app.env"), allow("s3:GetBucketLocation", "arn:aws:s3:::app-config")),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        const wide = s.rolePolicy("exec-env-wide", executionRole, doc(allow("s3:GetObject", "arn:aws:s3:::app-config/*")));
        assert.deepEqual(
            (await runStackPolicy(policy, s.resources)).map((r) => r.urn),
            [wide.urn],
        );
    });

    it("passes a role whose permissions boundary keeps it within the allowlist", async () => {
        const { s, executionRole } = correctStack("update");
        const wide = s.rolePolicy("exec-wide", executionRole, doc(allow(["s3:*", "ecr:*"])));
        const boundary = s.policy(
            "boundary",
            doc(
                allow([
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "secretsmanager:GetSecretValue",
                    "ssm:GetParameters",
                    "kms:Decrypt",
                ]),
            ),
        );
        assert.deepEqual(
            (await runStackPolicy(policy, s.resources)).map((r) => r.urn),
            [wide.urn],
            "without the boundary, the wide grant is flagged",
        );
        s.set(executionRole, { permissionsBoundary: boundary.props.arn }, { permissionsBoundary: [boundary.urn] });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("does not judge a document that is unknown during preview, and does not throw on it", async () => {
        const { s, executionRole } = correctStack("preview");
        s.rolePolicy("exec-later", executionRole, UNKNOWN);
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("judges a role that taskRoleArn names by its bare name after the update", async () => {
        const { s, executionRole, taskRole } = correctStack("update");
        s.taskDefinition("by-name", { execution: s.nameOf(executionRole), task: s.nameOf(taskRole) });
        const grant = s.rolePolicy("exec-sqs", executionRole, doc(allow("sqs:SendMessage")));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.match(reported[0].message, /task definitions "app" and "by-name"/);
    });
});
