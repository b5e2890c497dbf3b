// A Fargate service from @pulumi/awsx, with one mistake: the task role, which awsx creates from the component's
// `taskRole` arguments, is given AmazonECSTaskExecutionRolePolicy "like the execution role", so the application's own
// credentials can pull every image in the account's registries. The execution role, its policy attachment, the log
// group and the task definition are awsx's defaults.
//
// awsx components are built by the awsx provider plugin, so their roles and attachments are the component's children
// (`awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition$aws:iam/role:Role::shop-task`), and the pack judges them as
// it judges the program's own. awsx gives both roles a trust policy without the `aws:SourceAccount` condition, and
// its role arguments have no field to add one: the pack advises on that too.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const cluster = new aws.ecs.Cluster("shop");

const service = new awsx.ecs.FargateService("shop", {
    cluster: cluster.arn,
    desiredCount: 2,
    assignPublicIp: true,
    taskDefinitionArgs: {
        container: {
            name: "shop",
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:4.1.0",
            cpu: 256,
            memory: 512,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
        },
        taskRole: {
            args: {
                description: "The shop application's own permissions",
                // The mistake: the execution role's policy, copied onto the task role.
                policyArns: [aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy, aws.iam.ManagedPolicy.AmazonDynamoDBReadOnlyAccess],
            },
        },
    },
});

export const serviceName = service.service.name;
