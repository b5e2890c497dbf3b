import { strict as assert } from "assert";
import { ecsExecutionRoleLeastPrivilege as policy } from "../policies/ecsExecutionRoleLeastPrivilege";
import { StackResource } from "../policies/stack/resources";
import { allow, appContainer, correctStack, doc, PHASES, runStackPolicy, SECRET_ARN, StackBuilder, UNKNOWN } from "./helpers/stacks";

const grantor = (s: StackBuilder, name: string) => (s.resources.find((r) => r.name === name) as StackResource).urn;

describe(policy.name, () => {
    for (const phase of PHASES) {
        it(`passes an execution role that carries only what its containers use, scoped to what they name (${phase})`, async () => {
            const { s } = correctStack(phase);
            assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        });
    }

    it("flags secrets actions when no container takes secrets", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, appContainer({ secrets: undefined }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grantor(s, "exec-secrets"), grantor(s, "exec-secrets")],
        );
        assert.match(
            reported[0].message,
            /Statement\[0\], grants secretsmanager:GetSecretValue \(no container takes secrets, repositoryCredentials or logConfiguration\.secretOptions from Secrets Manager\) and ssm:GetParameters \(no container takes secrets from SSM Parameter Store\), which task definition "app" does not need\. Remove them from the execution role\./,
        );
        assert.match(reported[1].message, /Statement\[1\], grants kms:Decrypt \(no container takes secrets, so no secret needs decrypting\)/);
    });

    it("flags logs:CreateLogGroup unless a container sets awslogs-create-group", async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        const grant = s.rolePolicy("exec-group", executionRole, doc(allow("logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*")));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.match(reported[0].message, /grants logs:CreateLogGroup \(no container sets awslogs-create-group\)/);
        const logging = { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-create-group": "true" } };
        s.containers(taskDefinition, appContainer({ logConfiguration: logging }));
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it('reads awslogs-create-group as Docker\'s log driver does, so that "True" asks for logs:CreateLogGroup and "False" does not', async () => {
        const { s, taskDefinition, executionRole } = correctStack("update");
        const grant = s.rolePolicy("exec-group", executionRole, doc(allow("logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*")));
        const logging = (create: string) => ({
            logDriver: "awslogs",
            options: { "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-create-group": create },
        });
        s.containers(taskDefinition, appContainer({ logConfiguration: logging("True") }));
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        s.containers(taskDefinition, appContainer({ logConfiguration: logging("False") }));
        assert.deepEqual(
            (await runStackPolicy(policy, s.resources)).map((r) => r.urn),
            [grant.urn],
        );
    });

    it("flags ECR pull actions when no image is in ECR, even in the AWS-managed policy", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, appContainer({ image: "public.ecr.aws/nginx/nginx:1.27" }));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grantor(s, "exec-managed")],
        );
        assert.match(
            reported[0].message,
            /grants ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetAuthorizationToken and ecr:GetDownloadUrlForLayer \(no container image is in Amazon ECR\)/,
        );
    });

    it('flags Resource "*" on secrets the task definition names, but never on ecr:GetAuthorizationToken', async () => {
        const { s, executionRole } = correctStack("update");
        const grant = s.rolePolicy("exec-wide", executionRole, doc(allow(["secretsmanager:GetSecretValue", "ecr:GetAuthorizationToken"], "*")));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.match(
            reported[0].message,
            new RegExp(
                `grants secretsmanager:GetSecretValue on every resource \\("\\*"\\), while task definition "app" needs it only on ${SECRET_ARN} \\(container "app" secrets\\[0\\]\\.valueFrom\\)\\. Scope Resource to that ARN\\.`,
            ),
        );
    });

    it("does not ask to scope an AWS-managed policy, which cannot be scoped", async () => {
        const { s } = correctStack("update");
        // AmazonECSTaskExecutionRolePolicy grants the pulls and log delivery on "*": the correct stack has it.
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("says nothing while the container definitions are unknown during preview", async () => {
        const { s, taskDefinition } = correctStack("preview");
        s.set(taskDefinition, { containerDefinitions: UNKNOWN });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });
});
