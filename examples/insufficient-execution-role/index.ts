// An execution role too small for its task definition: it was written for an image pull only, then the container
// gained a database password from Secrets Manager and the awslogs driver. ECS would fail to start the task: the agent
// can neither read the secret nor create the log stream.
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

// The database password lives in a secret the platform team manages; its ARN is known before the stack runs.
const dbPasswordArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/orders/db-password-Xy12Ab";

const executionRole = new aws.iam.Role("orders-execution", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("orders-execution-pull", {
    role: executionRole.id,
    policy: {
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                Resource: "arn:aws:ecr:us-east-1:123456789012:repository/orders",
            },
        ],
    },
});

const taskRole = new aws.iam.Role("orders-task", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicy("orders-task-table", {
    role: taskRole.id,
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

const logs = new aws.cloudwatch.LogGroup("orders", { retentionInDays: 30 });
const taskDefinition = new aws.ecs.TaskDefinition("orders", {
    family: "orders",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    // Built from the log group's name, which a preview already knows: the missing grants are found before `pulumi up`.
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "orders",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:7.2.0",
                essential: true,
                portMappings: [{ containerPort: 8080 }],
                secrets: [{ name: "DB_PASSWORD", valueFrom: dbPasswordArn }],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "orders" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
