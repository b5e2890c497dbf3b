// Over-broad customer-managed policies: `ecs:*` for the task role (it includes the container agent's actions), and
// `s3:*` for the execution role (it needs no S3 at all here).
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

const executionRole = new aws.iam.Role("ops-execution", { assumeRolePolicy: assumeEcsTasks });
new aws.iam.RolePolicyAttachment("ops-execution-managed", {
    role: executionRole.name,
    policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});

const taskRole = new aws.iam.Role("ops-task", { assumeRolePolicy: assumeEcsTasks });

// "The ops tool manages ECS": ecs:* on everything, shared through a PolicyAttachment.
const ecsAdmin = new aws.iam.Policy("ops-ecs-admin", {
    description: "Lets the ops tool manage ECS services",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: "*" }] },
});
new aws.iam.PolicyAttachment("ops-ecs-admin", { policyArn: ecsAdmin.arn, roles: [taskRole.name] });

// Everything on the artifacts bucket, for the execution role. The document is built from the bucket's ARN, so a
// preview cannot read it: the violation is known only at `pulumi up`.
const artifacts = new aws.s3.Bucket("ops-artifacts");
const artifactsFull = new aws.iam.Policy("ops-artifacts-full", {
    policy: artifacts.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: [arn, `${arn}/*`] }] }),
    ),
});
new aws.iam.RolePolicyAttachment("ops-execution-artifacts", { role: executionRole, policyArn: artifactsFull.arn });

const logs = new aws.cloudwatch.LogGroup("ops", { retentionInDays: 14 });
const taskDefinition = new aws.ecs.TaskDefinition("ops", {
    family: "ops",
    cpu: "256",
    memory: "512",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: logs.name.apply((group) =>
        JSON.stringify([
            {
                name: "ops",
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/ops:0.9.0",
                essential: true,
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ops" },
                },
            },
        ]),
    ),
});

export const taskDefinitionArn = taskDefinition.arn;
