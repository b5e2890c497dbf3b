// One role for both: the task definition names the same role as its execution role and its task role, so the
// application holds the agent's ECR pull and the agent holds the application's data access.
import * as aws from "@pulumi/aws";

const account = aws.getCallerIdentityOutput().accountId;
const role = new aws.iam.Role("web", {
    assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
        ],
    },
});
new aws.iam.RolePolicyAttachment("web-managed", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});
new aws.iam.RolePolicy("web-assets", {
    role: role.name,
    policy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::web-assets-prod/*" }],
    },
});

const logs = new aws.cloudwatch.LogGroup("web", { retentionInDays: 14 });
const taskDefinition = new aws.ecs.TaskDefinition("web", {
    family: "web",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: role.arn,
    taskRoleArn: role.arn,
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "web",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:5.0.0",
                essential: true,
                portMappings: [{ containerPort: 80 }],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
