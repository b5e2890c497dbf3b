import { strict as assert } from "assert";
import { parsePolicyDocument } from "../../policies/iam/policyDocument";
import { buildEcsStackModel } from "../../policies/stack/ecsModel";
import { ExecutionRolePolicySuggestion, suggestExecutionRolePolicies, SuggestOptions } from "../../policies/suggest/executionRolePolicy";
import { ACCOUNT, appContainer, correctStack, IMAGE, StackBuilder } from "../helpers/stacks";

const IN_US_EAST_1: SuggestOptions = { placeOf: () => ({ partition: "aws", region: "us-east-1", account: ACCOUNT }) };

function suggest(s: StackBuilder, options: SuggestOptions = {}): ExecutionRolePolicySuggestion[] {
    return suggestExecutionRolePolicies(buildEcsStackModel(s.resources), options);
}

/** The one suggestion of a stack with one execution role. */
function only(s: StackBuilder, options: SuggestOptions = {}): ExecutionRolePolicySuggestion {
    const all = suggest(s, options);
    assert.equal(all.length, 1);
    return all[0];
}

const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];
const TOKEN = { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" };
const APP_PULL = { Sid: "EcrImagePull", Effect: "Allow", Action: PULL, Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app` };

describe("suggestExecutionRolePolicy", () => {
    it("writes, for the documented Fargate task, one statement per purpose on the exact ARNs its container names", () => {
        const { s } = correctStack("update");
        const suggestion = only(s);
        assert.equal(suggestion.status, "exact");
        assert.deepEqual(suggestion.document, {
            Version: "2012-10-17",
            Statement: [
                TOKEN,
                APP_PULL,
                {
                    Sid: "LogDelivery",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/app:log-stream:*`,
                },
                {
                    Sid: "SecretsManagerSecrets",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
                },
                {
                    Sid: "ParameterStoreParameters",
                    Effect: "Allow",
                    Action: "ssm:GetParameters",
                    Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/api-key`,
                },
            ],
        });
        assert.deepEqual(suggestion.placeholders, []);
        assert.equal(suggestion.characters, 827);
        assert.deepEqual(suggestion.notes, []);
    });

    it("names what a preview does not know yet with placeholders: the partition and account of a log group the container names by name", () => {
        const { s } = correctStack("preview");
        const suggestion = only(s);
        assert.equal(suggestion.status, "placeholders");
        assert.deepEqual(suggestion.document?.Statement[2].Resource, "arn:<partition>:logs:us-east-1:<account-id>:log-group:/ecs/app:log-stream:*");
        assert.deepEqual(suggestion.placeholders, [
            { token: "<partition>", meaning: "the partition the tasks run in (aws, aws-cn, aws-us-gov)" },
            { token: "<account-id>", meaning: "the account the tasks run in" },
        ]);
    });

    it("grants logs:CreateLogGroup on the group itself, as IAM names it, only where the container sets awslogs-create-group", () => {
        const { s, taskDefinition } = correctStack("update");
        const logging = (group: string, create: boolean) => ({
            logDriver: "awslogs",
            options: {
                "awslogs-group": group,
                "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": "x",
                ...(create ? { "awslogs-create-group": "true" } : {}),
            },
        });
        s.containers(
            taskDefinition,
            appContainer({ secrets: [], logConfiguration: logging("/ecs/created", true) }),
            appContainer({ name: "side", secrets: [], logConfiguration: logging("/ecs/existing", false) }),
        );
        assert.deepEqual(only(s).document?.Statement.slice(2), [
            { Sid: "LogGroupCreation", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/created:*` },
            {
                Sid: "LogDelivery",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [
                    `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/created:log-stream:*`,
                    `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/existing:log-stream:*`,
                ],
            },
        ]);
    });

    it("names a secret given by a partial ARN with the -?????? suffix, and one given by its full ARN exactly", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(
            taskDefinition,
            appContainer({
                logConfiguration: undefined,
                secrets: [
                    { name: "A", valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/orders:password::` },
                    { name: "B", valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf:user::` },
                ],
            }),
        );
        assert.deepEqual(only(s).document?.Statement[2], {
            Sid: "SecretsManagerSecrets",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/orders-??????`],
        });
    });

    it("names a secret once when one container gives its full ARN and another its partial ARN", () => {
        const { s, taskDefinition } = correctStack("update");
        const secrets = (valueFrom: string) => ({ secrets: [{ name: "DB", valueFrom }], logConfiguration: undefined });
        s.containers(
            taskDefinition,
            appContainer(secrets(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-AbCdEf`)),
            appContainer({ name: "side", ...secrets(`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db`) }),
        );
        const statement = only(s).statements[2];
        assert.deepEqual(
            statement.resources.map((r) => [r.arn, r.neededBy.map((n) => n.container)]),
            [[`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-AbCdEf`, ["app", "side"]]],
        );
    });

    it("grants nothing for Docker Hub or ECR Public images, and the registry credentials' secret, by name, where the task runs", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(
            taskDefinition,
            { name: "hub", image: "docker.io/acme/agent:1", repositoryCredentials: { credentialsParameter: "dockerhub/acme" } },
            { name: "proxy", image: "public.ecr.aws/nginx/nginx:1.27" },
        );
        assert.deepEqual(only(s, IN_US_EAST_1).document, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "SecretsManagerSecrets",
                    Effect: "Allow",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dockerhub/acme-??????`,
                },
            ],
        });
    });

    it("writes a parameter named by its name as its ARN where the task runs", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, appContainer({ logConfiguration: undefined, secrets: [{ name: "FLAGS", valueFrom: "/app/flags" }] }));
        assert.deepEqual(only(s, { placeOf: () => ({ region: "eu-central-1" }) }).document?.Statement[2], {
            Sid: "ParameterStoreParameters",
            Effect: "Allow",
            Action: "ssm:GetParameters",
            Resource: `arn:aws:ssm:eu-central-1:${ACCOUNT}:parameter/app/flags`,
        });
    });

    it("decrypts with the customer-managed key behind a secret of the stack, and names a key known only by alias as a placeholder", () => {
        const { s, taskDefinition } = correctStack("update");
        const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`;
        s.containers(
            taskDefinition,
            appContainer({
                logConfiguration: undefined,
                image: "nginx",
                secrets: [{ name: "DB", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" }],
            }),
        );
        const secret = s.other("aws:secretsmanager/secret:Secret", "db", {
            arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
            kmsKeyId: key,
        });
        assert.deepEqual(only(s).document?.Statement[1], { Sid: "KmsDecrypt", Effect: "Allow", Action: "kms:Decrypt", Resource: key });
        s.set(secret, { kmsKeyId: "alias/orders" });
        const byAlias = only(s);
        assert.equal(byAlias.status, "placeholders");
        assert.deepEqual(byAlias.document?.Statement[1], {
            Sid: "KmsDecrypt",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: `arn:aws:kms:<region>:${ACCOUNT}:key/<kms-key-id>`,
        });
        assert.deepEqual(byAlias.placeholders, [
            { token: "<region>", meaning: "the Region the tasks run in" },
            { token: "<kms-key-id>", meaning: 'the ID of the customer-managed KMS key behind container "app" secrets[0].valueFrom (named by alias)' },
        ]);
    });

    it("reads environment files with s3:GetObject on the object and s3:GetBucketLocation on its bucket", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, { name: "app", image: "nginx", environmentFiles: [{ type: "s3", value: "arn:aws:s3:::app-config/prod/app.env" }] });
        assert.deepEqual(only(s).document?.Statement, [
            { Sid: "S3EnvironmentFiles", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::app-config/prod/app.env" },
            { Sid: "S3EnvironmentFileBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: "arn:aws:s3:::app-config" },
        ]);
    });

    it("leaves image pull and log delivery of a task definition not on Fargate to the instance role, as ecs-execution-role-sufficient does, and says so", () => {
        const { s, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { requiresCompatibilities: ["EC2"] });
        const suggestion = only(s);
        assert.deepEqual(
            suggestion.document?.Statement.map((st) => st.Sid),
            ["SecretsManagerSecrets", "ParameterStoreParameters"],
        );
        assert.deepEqual(suggestion.notes, [
            'task definition "app" does not run on Fargate: image pull and log delivery are left to the container instance role, as ecs-execution-role-sufficient expects.',
        ]);
    });

    it("needs nothing for a task definition whose containers need nothing of the role", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, { name: "app", image: "public.ecr.aws/nginx/nginx:1.27" });
        const suggestion = only(s);
        assert.deepEqual([suggestion.status, suggestion.document, suggestion.statements], ["nothing", undefined, []]);
        assert.deepEqual(suggestion.notes, ["Its task definitions need nothing of it: remove its policies, or the execution role itself."]);
    });

    it("writes no document while the containers are not known, and says why", () => {
        const { s, taskDefinition } = correctStack("preview");
        s.set(taskDefinition, { containerDefinitions: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
        const suggestion = only(s);
        assert.deepEqual([suggestion.status, suggestion.document], ["unknown", undefined]);
        assert.deepEqual(suggestion.reasons, ['the containerDefinitions of task definition "app" are not known during preview']);
    });

    it("covers every task definition that shares the role, each ARN once", () => {
        const { s, executionRole, taskRole } = correctStack("update");
        s.taskDefinition("worker", { execution: executionRole, task: taskRole });
        const other = s.taskDefinition("batch", { execution: executionRole, task: taskRole });
        s.containers(other, appContainer({ name: "batch", image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/batch:2`, secrets: [] }));
        const suggestion = only(s);
        assert.deepEqual(
            suggestion.taskDefinitions.map((td) => td.resource.name),
            ["app", "worker", "batch"],
        );
        assert.deepEqual(suggestion.document?.Statement[1].Resource, [
            `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
            `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/batch`,
        ]);
        assert.deepEqual(
            suggestion.statements[1].resources[0].neededBy.map((n) => [n.taskDefinition.resource.name, n.container, n.field]),
            [
                ["app", "app", "image"],
                ["worker", "app", "image"],
            ],
        );
    });

    it("says a role that is also a task role should be split", () => {
        const s = new StackBuilder("update");
        const role = s.role("both");
        s.taskDefinition("web", { execution: role, task: role });
        assert.deepEqual(only(s).notes, [
            'It is also the task role of task definition "web": the application would hold these permissions too. Give the task its own role (ecs-task-and-execution-roles-distinct).',
        ]);
    });

    it("says when the document outgrows the 10,240 characters of a role's inline policies", () => {
        const { s, taskDefinition } = correctStack("update");
        const secrets = Array.from({ length: 120 }, (_, i) => ({
            name: `S${i}`,
            valueFrom: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:service/secret-number-${i}-AbCdEf`,
        }));
        s.containers(taskDefinition, appContainer({ secrets }));
        const suggestion = only(s);
        assert.equal(suggestion.characters, 11063);
        assert.deepEqual(suggestion.notes, [
            "The document is 11063 characters, more than the 10240 a role's inline policies may hold together (whitespace not counted): split its statements into customer-managed policies of at most 6144 characters each.",
        ]);
    });

    it("says when the role's permissions boundary would still withhold what it grants", () => {
        const { s, executionRole } = correctStack("update");
        const boundary = s.policy(
            "exec-boundary",
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ecr:*", "logs:*"], Resource: "*" }] }),
        );
        s.set(executionRole, { permissionsBoundary: boundary.props.arn });
        assert.deepEqual(only(s).notes, [
            "Its permissions boundary does not allow secretsmanager:GetSecretValue, ssm:GetParameters: the boundary must allow them too, or the task still cannot start.",
        ]);
    });

    it("writes a document IAM accepts: Sids of letters and digits, none repeated, and the pack reads it without a problem", () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(
            taskDefinition,
            appContainer({
                image: IMAGE,
                environmentFiles: [{ type: "s3", value: "arn:aws:s3:::cfg/app.env" }],
                repositoryCredentials: { credentialsParameter: "hub" },
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/g", "awslogs-region": "us-east-1", "awslogs-create-group": "true" } },
            }),
        );
        s.other("aws:ssm/parameter:Parameter", "key", {
            name: "/app/api-key",
            type: "SecureString",
            keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
            arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/api-key`,
        });
        const document = only(s, IN_US_EAST_1).document!;
        const sids = document.Statement.map((st) => st.Sid);
        assert.deepEqual(sids, [
            "EcrAuthorizationToken",
            "EcrImagePull",
            "LogGroupCreation",
            "LogDelivery",
            "SecretsManagerSecrets",
            "ParameterStoreParameters",
            "KmsDecrypt",
            "S3EnvironmentFiles",
            "S3EnvironmentFileBuckets",
        ]);
        assert.ok(sids.every((sid) => /^[A-Za-z0-9]+$/.test(sid)));
        assert.deepEqual(parsePolicyDocument(JSON.stringify(document)).problems, []);
    });
});
