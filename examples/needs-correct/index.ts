// One task definition that creates every need an execution role can meet, each granted and scoped to exactly what
// the containers name: an ECR image, awslogs with `awslogs-create-group`, secrets from Secrets Manager and from SSM
// Parameter Store (by ARN and by name) under a customer-managed KMS key, private registry credentials for a Docker Hub
// image, an environment file in S3, and a public image that needs nothing.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const account = aws.getCallerIdentityOutput().accountId;
const region = aws.getRegionOutput().region;
// Only this account's ECS tasks may assume the roles (no confused deputy).
const assumeEcsTasks: aws.iam.PolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
    ],
};

const key = new aws.kms.Key("needs-secrets", { description: "Encrypts the needs service's secrets", enableKeyRotation: true });
const dbPassword = new aws.secretsmanager.Secret("needs-db-password", { kmsKeyId: key.arn });
const registryLogin = new aws.secretsmanager.Secret("needs-docker-hub", { kmsKeyId: key.arn });
const apiKey = new aws.ssm.Parameter("needs-api-key", { name: "/needs/api-key", type: "SecureString", value: "set-me", keyId: key.arn });
const flags = new aws.ssm.Parameter("needs-flags", { name: "/needs/flags", type: "String", value: "checkout=on" });
const config = new aws.s3.Bucket("needs-config");

const logGroup = "/ecs/needs"; // created by the agent on first start (awslogs-create-group)
const image = pulumi.interpolate`${account}.dkr.ecr.${region}.amazonaws.com/needs-app:2.3.1`;
const repositoryArn = pulumi.interpolate`arn:aws:ecr:${region}:${account}:repository/needs-app`;
const logGroupArn = pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:${logGroup}:*`;
const envFile = pulumi.interpolate`${config.arn}/needs/app.env`;

// Execution role: one statement per need, each on the resources the task definition names.
const executionRole = new aws.iam.Role("needs-execution", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("needs-execution-start", {
    role: executionRole.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullAppImage",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                Resource: repositoryArn,
            },
            { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: logGroupArn },
            { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [dbPassword.arn, registryLogin.arn] },
            { Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [apiKey.arn, flags.arn] },
            { Sid: "DecryptSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: key.arn },
            { Sid: "EnvironmentFile", Effect: "Allow", Action: "s3:GetObject", Resource: envFile },
            { Sid: "EnvironmentFileBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: config.arn },
        ],
    }),
});

// Task role: the application reads its own data prefix, nothing else.
const taskRole = new aws.iam.Role("needs-task", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("needs-task-data", {
    role: taskRole.id,
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: pulumi.interpolate`${config.arn}/data/*` }] },
});

const awslogs = (prefix: string) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": logGroup, "awslogs-region": region, "awslogs-stream-prefix": prefix, "awslogs-create-group": "true" },
});

const taskDefinition = new aws.ecs.TaskDefinition("needs", {
    family: "needs",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: pulumi.jsonStringify([
        {
            // From ECR, with secrets from Secrets Manager and from Parameter Store, and an environment file in S3.
            name: "app",
            image,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
            secrets: [
                { name: "DB_PASSWORD", valueFrom: dbPassword.arn },
                { name: "API_KEY", valueFrom: apiKey.arn },
                { name: "FLAGS", valueFrom: flags.name },
            ],
            environmentFiles: [{ type: "s3", value: envFile }],
            logConfiguration: awslogs("app"),
        },
        {
            // A private Docker Hub image, pulled with credentials kept in Secrets Manager.
            name: "metrics",
            image: "docker.io/acme/metrics-agent:1.8.0",
            essential: false,
            repositoryCredentials: { credentialsParameter: registryLogin.arn },
            logConfiguration: awslogs("metrics"),
        },
        {
            // A public image: nothing to grant for it.
            name: "proxy",
            image: "public.ecr.aws/nginx/nginx:1.27-alpine",
            essential: true,
            portMappings: [{ containerPort: 80 }],
            logConfiguration: awslogs("proxy"),
        },
    ]),
});

export const taskDefinitionArn = taskDefinition.arn;
