// `ecr:*` on the execution role, in an inline policy: four pull actions would do, and `ecr:*` also lets the
// agent's credentials push images, delete repositories and rewrite their policies.
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

const logs = new aws.cloudwatch.LogGroup("batch", { retentionInDays: 7 });

const executionRole = new aws.iam.Role("batch-execution", {
    assumeRolePolicy: assumeEcsTasks,
    inlinePolicies: [
        {
            name: "pull-and-log",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: "ecr:*", Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: pulumi.interpolate`arn:aws:logs:us-east-1:${account}:log-group:${logs.name}:*`,
                    },
                ],
            }),
        },
    ],
});

const taskRole = new aws.iam.Role("batch-task", {
    assumeRolePolicy: assumeEcsTasks,
    inlinePolicies: [
        {
            name: "reports",
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::batch-reports/*" }],
            }),
        },
    ],
});

const taskDefinition = new aws.ecs.TaskDefinition("batch", {
    family: "batch",
    cpu: "1024",
    memory: "2048",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "batch",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/batch:1.0.0",
                essential: true,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "batch" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
