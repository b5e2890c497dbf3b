// A Fargate service written as most Pulumi programs write IAM: every document built with aws.iam.getPolicyDocument,
// and the image pushed to the stack's own ECR repository. The mistake: the execution role's policy delivers logs, but
// nothing lets the ECS agent pull the image from that repository.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const account = aws.getCallerIdentityOutput().accountId;
const region = aws.getRegionOutput().region;

// Only this account's ECS tasks may assume the roles (no confused deputy).
const assumeEcsTasks = aws.iam.getPolicyDocumentOutput({
    statements: [
        {
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
            conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
    ],
});

const repository = new aws.ecr.Repository("orders", { imageTagMutability: "IMMUTABLE" });
const logs = new aws.cloudwatch.LogGroup("orders", { retentionInDays: 30 });
const table = new aws.dynamodb.Table("orders", {
    attributes: [{ name: "orderId", type: "S" }],
    hashKey: "orderId",
    billingMode: "PAY_PER_REQUEST",
});

// Execution role: log delivery only. The image comes from the repository above, so the agent needs
// ecr:GetAuthorizationToken, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer too.
const executionRole = new aws.iam.Role("orders-execution", { assumeRolePolicy: assumeEcsTasks.json });
const executionPolicy = aws.iam.getPolicyDocumentOutput({
    statements: [{ sid: "Logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${logs.arn}:*`] }],
});
new aws.iam.RolePolicy("orders-execution-logs", { role: executionRole.id, policy: executionPolicy.json });

// Task role: the application's own table, by the table's ARN.
const taskRole = new aws.iam.Role("orders-task", { assumeRolePolicy: assumeEcsTasks.json });
const taskPolicy = aws.iam.getPolicyDocumentOutput({
    statements: [{ sid: "Orders", actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], resources: [table.arn] }],
});
new aws.iam.RolePolicy("orders-task-data", { role: taskRole.id, policy: taskPolicy.json });

new aws.ecs.TaskDefinition("orders", {
    family: "orders",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: pulumi.jsonStringify([
        {
            name: "orders",
            image: pulumi.interpolate`${repository.repositoryUrl}:1.0.0`,
            essential: true,
            environment: [{ name: "TABLE", value: table.name }],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logs.name, "awslogs-region": region, "awslogs-stream-prefix": "orders" },
            },
        },
    ]),
});
