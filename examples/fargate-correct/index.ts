// A correct Fargate service. The execution role pulls the image, delivers logs and injects the one secret the task
// needs; the task role carries only what the application calls: its bucket, its queue, and ECS Exec.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const account = aws.getCallerIdentityOutput().accountId;
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

const cluster = new aws.ecs.Cluster("app");
const logs = new aws.cloudwatch.LogGroup("app", { retentionInDays: 30 });
const dbPassword = new aws.secretsmanager.Secret("db-password");
const uploads = new aws.s3.Bucket("uploads");
const jobs = new aws.sqs.Queue("jobs");

// Execution role: ECR pull and log delivery from the AWS-managed policy, plus reading the injected secret.
const executionRole = new aws.iam.Role("app-execution", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicyAttachment("app-execution-managed", {
    role: executionRole.name,
    policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});
new aws.iam.RolePolicy("app-execution-secrets", {
    role: executionRole.id,
    // Built from the secret's ARN, so a preview cannot read it until the secret exists.
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: dbPassword.arn }],
    }),
});

// Task role: the application's own data, and ECS Exec (`aws ecs execute-command`).
const taskRole = new aws.iam.Role("app-task", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("app-task-data", {
    role: taskRole.id,
    policy: {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: pulumi.interpolate`${uploads.arn}/*` },
            { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage"], Resource: jobs.arn },
        ],
    },
});
new aws.iam.RolePolicy("app-task-exec", {
    role: taskRole.id,
    policy: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                Resource: "*",
            },
        ],
    },
});

const region = aws.getRegionOutput().region;
const taskDefinition = new aws.ecs.TaskDefinition("app", {
    family: "app",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: pulumi.jsonStringify([
        {
            name: "app",
            image: pulumi.interpolate`${account}.dkr.ecr.${region}.amazonaws.com/app:1.4.2`,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
            secrets: [{ name: "DB_PASSWORD", valueFrom: dbPassword.arn }],
            environment: [
                { name: "UPLOADS_BUCKET", value: uploads.bucket },
                { name: "JOBS_QUEUE_URL", value: jobs.url },
            ],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logs.name, "awslogs-region": region, "awslogs-stream-prefix": "app" },
            },
        },
    ]),
});

const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "default-for-az", values: ["true"] }] });
const service = new aws.ecs.Service("app", {
    cluster: cluster.arn,
    taskDefinition: taskDefinition.arn,
    desiredCount: 2,
    launchType: "FARGATE",
    enableExecuteCommand: true,
    networkConfiguration: { subnets: subnets.ids, assignPublicIp: true },
});

export const serviceName = service.name;
