// AmazonECSTaskExecutionRolePolicy attached to the task role as well, copied from the execution role: the
// application's own credentials can now pull every image in the account's registries.
import * as aws from "@pulumi/aws";

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

const executionRole = new aws.iam.Role("api-execution", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicyAttachment("api-execution-managed", {
    role: executionRole.name,
    policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});

const taskRole = new aws.iam.Role("api-task", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicyAttachment("api-task-managed", {
    role: taskRole.name,
    policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});
new aws.iam.RolePolicy("api-task-table", {
    role: taskRole.name,
    policy: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
            },
        ],
    },
});

const logs = new aws.cloudwatch.LogGroup("api", { retentionInDays: 14 });
const taskDefinition = new aws.ecs.TaskDefinition("api", {
    family: "api",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "api",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.2.0",
                essential: true,
                portMappings: [{ containerPort: 3000 }],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
