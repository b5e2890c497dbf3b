import { strict as assert } from "assert";
import { ecsExecutionRoleSufficient as policy } from "../policies/ecsExecutionRoleSufficient";
import { ACCOUNT, allow, appContainer, correctStack, deny, doc, PARAMETER_ARN, PHASES, runStackPolicy, SECRET_ARN, UNKNOWN } from "./helpers/stacks";

describe(policy.name, () => {
    for (const phase of PHASES) {
        it(`passes an execution role that grants everything the containers need (${phase})`, async () => {
            const { s } = correctStack(phase);
            assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        });
    }

    it("flags an ECR image and the awslogs driver when the execution role grants neither, naming container and field", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.remove("exec-managed");
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskDefinition.urn],
        );
        assert.equal(
            reported[0].message,
            `Task definition "app" cannot start as written: container "app" image needs ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer and ecr:BatchGetImage on arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app and container "app" logConfiguration (awslogs) needs logs:CreateLogStream and logs:PutLogEvents on arn:*:logs:us-east-1:*:log-group:/ecs/app:*, which its execution role aws.iam.Role "exec" is not granted. Grant them to the execution role. \`ecs-role-guard suggest\` prints the exact policy the role needs.`,
        );
    });

    it("passes a GovCloud image pulled with a grant on its repository's aws-us-gov ARN, and names that ARN when the grant is missing", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        s.remove("exec-managed");
        const image = `${ACCOUNT}.dkr.ecr.us-gov-west-1.amazonaws.com/app:1`;
        const repository = `arn:aws-us-gov:ecr:us-gov-west-1:${ACCOUNT}:repository/app`;
        s.containers(taskDefinition, appContainer({ image, logConfiguration: undefined }));
        const grant = s.rolePolicy(
            "exec-pull",
            executionRole,
            doc(allow("ecr:GetAuthorizationToken"), allow(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], repository)),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        s.set(grant, { policy: doc(allow("ecr:GetAuthorizationToken")) });
        const message = (await runStackPolicy(policy, s.resources))[0]?.message ?? "";
        assert.ok(message.includes(`ecr:BatchGetImage on ${repository}, which its execution role`), message);
    });

    it("flags a secret the execution role may not read", async () => {
        const { s, taskDefinition } = correctStack("update");
        const other = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-Zz9Yx8`;
        s.containers(taskDefinition, appContainer({ secrets: [{ name: "OTHER", valueFrom: `${other}:password::` }] }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskDefinition.urn],
        );
        assert.match(
            reported[0].message,
            new RegExp(`container "app" secrets\\[0\\]\\.valueFrom needs secretsmanager:GetSecretValue on ${other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")},`),
        );
    });

    it("flags private registry credentials the execution role may not read", async () => {
        const { s, taskDefinition } = correctStack("update");
        const creds = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dockerhub-Q1w2`;
        s.containers(taskDefinition, appContainer({ image: "docker.io/acme/app:1", repositoryCredentials: { credentialsParameter: creds } }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.match(
            reported[0].message,
            /container "app" repositoryCredentials\.credentialsParameter needs secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-Q1w2/,
        );
    });

    it("passes a secret named by a partial ARN when the role grants it with the -?????? suffix, and flags it granted as the partial ARN", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        const partial = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/orders`;
        s.containers(taskDefinition, appContainer({ secrets: [{ name: "ORDERS", valueFrom: partial }] }));
        const grant = s.rolePolicy("exec-orders", executionRole, doc(allow("secretsmanager:GetSecretValue", `${partial}-??????`)));
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        s.set(grant, { policy: doc(allow("secretsmanager:GetSecretValue", partial)) });
        assert.deepEqual(
            (await runStackPolicy(policy, s.resources)).map((r) => r.message),
            [
                `Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs secretsmanager:GetSecretValue on ${partial}-??????, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. \`ecs-role-guard suggest\` prints the exact policy the role needs.`,
            ],
        );
    });

    it("flags environment files in S3 the execution role may not read", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, appContainer({ environmentFiles: [{ value: "arn:aws:s3:::app-config/app.env", type: "s3" }] }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.match(
            reported[0].message,
            /environmentFiles\[0\] needs s3:GetObject on arn:aws:s3:::app-config\/app\.env and container "app" environmentFiles\[0\] needs s3:GetBucketLocation on arn:aws:s3:::app-config/,
        );
    });

    it("passes environment files the execution role may read", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        s.containers(taskDefinition, appContainer({ environmentFiles: [{ value: "arn:aws:s3:::app-config/app.env", type: "s3" }] }));
        s.rolePolicy(
            "exec-env",
            executionRole,
            doc(allow("s3:GetObject", "arn:aws:s3:::app-config/app.env"), allow("s3:GetBucketLocation", "arn:aws:s3:::app-config")),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags a need that an unconditional Deny on that secret takes away", async () => {
        const { s, executionRole, taskDefinition } = correctStack("update");
        s.rolePolicy("exec-deny", executionRole, doc(deny("secretsmanager:GetSecretValue", SECRET_ARN)));
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("counts a conditional Allow as granted: it may apply, and this policy says only what surely fails", async () => {
        const { s, executionRole } = correctStack("update");
        s.remove("exec-secrets");
        s.rolePolicy(
            "exec-cond",
            executionRole,
            doc(allow(["secretsmanager:GetSecretValue", "ssm:GetParameters"], "*", { Condition: { StringEquals: { "aws:ResourceTag/app": "web" } } })),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags kms:Decrypt on the customer-managed key of a secret the stack defines, and nothing for an AWS-managed key", async () => {
        const { s, taskDefinition } = correctStack("update");
        const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`;
        const secret = s.other("aws:secretsmanager/secret:Secret", "db", { name: "db", arn: SECRET_ARN, kmsKeyId: key });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskDefinition.urn],
        );
        assert.match(reported[0].message, new RegExp(`container "app" secrets\\[0\\]\\.valueFrom needs kms:Decrypt on ${key}, which its execution role`));
        s.set(secret, { kmsKeyId: "alias/aws/secretsmanager" });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("needs no kms:Decrypt for a secret under an AWS-managed key or none, and names the key only when the secret gives the key's ARN", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        s.remove("exec-secrets");
        s.rolePolicy("exec-secrets-only", executionRole, doc(allow("secretsmanager:GetSecretValue", SECRET_ARN), allow("ssm:GetParameters", PARAMETER_ARN)));
        const secret = s.other("aws:secretsmanager/secret:Secret", "db", { name: "db", arn: SECRET_ARN, kmsKeyId: "" });
        const decryptOn = async (kmsKeyId: string) => {
            s.set(secret, { kmsKeyId });
            return (await runStackPolicy(policy, s.resources)).map((r) => [r.urn, /needs kms:Decrypt( on \S+)?, which/.exec(r.message)?.[1] ?? "any key"]);
        };
        assert.deepEqual(await decryptOn(""), []);
        assert.deepEqual(await decryptOn("alias/aws/secretsmanager"), []);
        assert.deepEqual(await decryptOn(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/secretsmanager`), []);
        assert.deepEqual(await decryptOn("alias/app-secrets"), [[taskDefinition.urn, "any key"]]);
        assert.deepEqual(await decryptOn(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/app-secrets`), [[taskDefinition.urn, "any key"]]);
        assert.deepEqual(await decryptOn("9f8e7d6c-12ab"), [[taskDefinition.urn, "any key"]]);
        assert.deepEqual(await decryptOn(`arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`), [
            [taskDefinition.urn, ` on arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`],
        ]);
    });

    it("reads each key policy on its own key, when two keys hold the same policy text", async () => {
        const { s, executionRole } = correctStack("update");
        s.remove("exec-secrets");
        s.rolePolicy("exec-secrets-only", executionRole, doc(allow("secretsmanager:GetSecretValue", SECRET_ARN), allow("ssm:GetParameters", PARAMETER_ARN)));
        const policyText = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "kms:Decrypt", Resource: "*" }],
        });
        const keyArn = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
        s.other("aws:kms/key:Key", "other", { arn: keyArn("0a0a0a0a"), policy: policyText });
        s.other("aws:kms/key:Key", "secrets", { arn: keyArn("9f8e7d6c"), policy: policyText });
        s.other("aws:secretsmanager/secret:Secret", "db", { name: "db", arn: SECRET_ARN, kmsKeyId: keyArn("9f8e7d6c") });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags kms:Decrypt for a SecureString parameter named by its name, under a customer-managed key", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        s.set(taskDefinition, { containerDefinitions: JSON.stringify([appContainer({ secrets: [{ name: "FLAGS", valueFrom: "/app/flags" }] })]) });
        s.other("aws:ssm/parameter:Parameter", "flags", {
            name: "/app/flags",
            type: "SecureString",
            keyId: "1234abcd-12ab",
            arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/flags`,
        });
        s.rolePolicy("exec-flags", executionRole, doc(allow("ssm:GetParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/flags`)));
        assert.deepEqual(await runStackPolicy(policy, s.resources), [], "the correct stack grants kms:Decrypt on a key");
        s.remove("exec-secrets");
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs kms:Decrypt, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("flags kms:Decrypt on the customer-managed key of an aws-native secret the stack defines, found by its ARN output awsId", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.other("aws-native:secretsmanager:Secret", "db", { name: "db", awsId: SECRET_ARN, kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c` });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/9f8e7d6c, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("flags kms:Decrypt for a SecureString parameter named by its ARN, under a customer-managed key", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.other("aws:ssm/parameter:Parameter", "api-key", {
            name: "/app/api-key",
            type: "SecureString",
            keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`,
            arn: PARAMETER_ARN,
        });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app" cannot start as written: container "app" secrets[1].valueFrom needs kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/9f8e7d6c, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("asks no kms:Decrypt for a String parameter, which is stored unencrypted whatever keyId it is given", async () => {
        const { s } = correctStack("update");
        s.other("aws:ssm/parameter:Parameter", "api-key", {
            name: "/app/api-key",
            type: "String",
            keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`,
            arn: PARAMETER_ARN,
        });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags a need that the permissions boundary does not let through", async () => {
        const { s, executionRole, taskDefinition } = correctStack("update");
        const boundary = s.policy("boundary", doc(allow(["ecr:*", "logs:*", "ssm:GetParameters", "kms:Decrypt"])));
        s.set(executionRole, { permissionsBoundary: boundary.props.arn }, { permissionsBoundary: [boundary.urn] });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
            },
        ]);
    });

    it("flags awslogs to /ecs/app when the execution role writes the streams of /ecs/side only: ARNs are matched field by field", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        s.remove("exec-managed");
        s.rolePolicy(
            "exec-pull-logs",
            executionRole,
            doc(
                allow(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]),
                allow(["logs:CreateLogStream", "logs:PutLogEvents"], `arn:aws:logs:*:${ACCOUNT}:log-group:/ecs/side:*`),
            ),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message: `Task definition "app" cannot start as written: container "app" logConfiguration (awslogs) needs logs:CreateLogStream and logs:PutLogEvents on arn:*:logs:us-east-1:*:log-group:/ecs/app:*, which its execution role aws.iam.Role "exec" is not granted. Grant them to the execution role. \`ecs-role-guard suggest\` prints the exact policy the role needs.`,
            },
        ]);
    });

    it("flags a secret that the permissions boundary lets through only on other secrets", async () => {
        const { s, executionRole } = correctStack("update");
        const boundary = s.policy(
            "boundary",
            doc(
                allow(["ecr:*", "logs:*", "ssm:GetParameters", "kms:Decrypt"]),
                allow("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:*:*:secret:other-*`),
            ),
        );
        s.set(executionRole, { permissionsBoundary: boundary.props.arn }, { permissionsBoundary: [boundary.urn] });
        const reported = await runStackPolicy(policy, s.resources);
        assert.equal(reported.length, 1);
        assert.match(
            reported[0].message,
            /secrets\[0\]\.valueFrom needs secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf, which/,
        );
    });

    it("flags secrets on a task definition with no execution role", async () => {
        const { s, taskRole } = correctStack("update");
        const td = s.taskDefinition("no-exec", { task: taskRole }, { requiresCompatibilities: ["EC2"], networkMode: "bridge" });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [td.urn],
        );
        assert.match(reported[0].message, /secrets\[0\]\.valueFrom needs secretsmanager:GetSecretValue .*, and it has no execution role \(executionRoleArn\)/);
        assert.doesNotMatch(reported[0].message, /image needs/, "on EC2 the container instance role may pull the image");
    });

    it("leaves a role not fully known to the evaluability policy, and says, as an advisory, that it did not judge a role outside the stack", async () => {
        const { s, taskRole, executionRole } = correctStack("preview");
        const td = s.taskDefinition("external", { execution: "arn:aws:iam::123456789012:role/platform-exec", task: taskRole });
        s.remove("exec-managed");
        s.rolePolicy("exec-later", executionRole, UNKNOWN);
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: td.urn,
                enforcementLevel: "advisory",
                message:
                    'Task definition "external": its execution role "arn:aws:iam::123456789012:role/platform-exec" is defined outside this stack and was not judged by ecs-execution-role-sufficient. Declare what it is granted in this policy\'s externalRoles config, or exempt this case with exemptions.',
            },
        ]);
    });

    it("says nothing while the container definitions are unknown during preview", async () => {
        const { s, taskDefinition } = correctStack("preview");
        s.remove("exec-managed");
        s.set(taskDefinition, { containerDefinitions: UNKNOWN });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });
});
