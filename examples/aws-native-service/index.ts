// A Fargate service built from @pulumi/aws-native, the CloudFormation resource model, with one mistake: a
// customer-managed policy granting `ecs:*` "on its own cluster", attached to the task role by the policy's own
// `roles`. `ecs:*` includes the container agent's actions, and a narrow Resource does not take them away.
//
// aws-native keeps policy documents as objects, so an ARN that is not assigned yet leaves one leaf unknown during a
// preview, not the whole document: the `ecs:*` statement is judged on its actions before `pulumi up`.
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

const account = awsnative.getAccountIdOutput().accountId;
const region = awsnative.getRegionOutput().region;
// Only this account's ECS tasks may assume the roles (no confused deputy).
const assumeEcsTasks = {
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

const cluster = new awsnative.ecs.Cluster("reports");
const logs = new awsnative.logs.LogGroup("reports", { retentionInDays: 30 });
const apiToken = new awsnative.secretsmanager.Secret("reports-api-token", { description: "Token for the reporting API" });
const archive = new awsnative.s3.Bucket("reports-archive");

// Execution role: ECR pull and log delivery from the AWS-managed policy, and the one secret the container injects.
const executionRole = new awsnative.iam.Role("reports-execution", {
    assumeRolePolicyDocument: assumeEcsTasks,
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    policies: [
        {
            policyName: "inject-api-token",
            policyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: apiToken.awsId }],
            },
        },
    ],
});

// Task role: the application writes its reports to the archive bucket.
const taskRole = new awsnative.iam.Role("reports-task", {
    assumeRolePolicyDocument: assumeEcsTasks,
    policies: [
        {
            policyName: "archive",
            policyDocument: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: pulumi.interpolate`${archive.arn}/*` }],
            },
        },
    ],
});

// The mistake: "the job scales its own service", written as ecs:* on the cluster.
new awsnative.iam.ManagedPolicy("reports-ecs-control", {
    description: "Lets the reports job manage its ECS service",
    policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: cluster.arn }],
    },
    roles: [taskRole.roleName as pulumi.Output<string>],
});

const taskDefinition = new awsnative.ecs.TaskDefinition("reports", {
    family: "reports",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    containerDefinitions: [
        {
            name: "reports",
            image: pulumi.interpolate`${account}.dkr.ecr.${region}.amazonaws.com/reports:1.0.3`,
            essential: true,
            secrets: [{ name: "API_TOKEN", valueFrom: apiToken.awsId }],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logs.logGroupName as pulumi.Output<string>, "awslogs-region": region, "awslogs-stream-prefix": "reports" },
            },
        },
    ],
});

// The platform team's private subnets.
const subnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
new awsnative.ecs.Service("reports", {
    cluster: cluster.arn,
    taskDefinition: taskDefinition.taskDefinitionArn,
    desiredCount: 1,
    launchType: "FARGATE",
    networkConfiguration: { awsvpcConfiguration: { subnets, assignPublicIp: "DISABLED" } },
});

export const taskDefinitionArn = taskDefinition.taskDefinitionArn;
