// The execution role given AdministratorAccess "to make the deployment work": the ECS agent's credentials, and
// anything that obtains them, can now do anything in the account.
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

const logs = new aws.cloudwatch.LogGroup("worker", { retentionInDays: 14 });

const executionRole = new aws.iam.Role("worker-execution", {
    assumeRolePolicy: assumeEcsTasks,
    managedPolicyArns: [aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy, aws.iam.ManagedPolicy.AdministratorAccess],
});

const taskRole = new aws.iam.Role("worker-task", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("worker-task-queue", {
    role: taskRole.name,
    policy: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                Resource: "arn:aws:sqs:us-east-1:123456789012:worker-jobs",
            },
        ],
    },
});

const taskDefinition = new aws.ecs.TaskDefinition("worker", {
    family: "worker",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "worker",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:2.0.1",
                essential: true,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "worker" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
