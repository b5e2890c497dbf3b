/**
 * The action sets that draw the line between an ECS execution role and an ECS task role
 * (ECS developer guide: "Amazon ECS task execution IAM role", "Amazon ECS container instance IAM
 * role"; the AWS-managed policies AmazonECSTaskExecutionRolePolicy, AmazonEC2ContainerRegistryPullOnly
 * and AmazonEC2ContainerServiceforEC2Role).
 */

/** What the ECS agent needs to pull an image from ECR, pull-through cache included. */
export const ECR_PULL_ACTIONS: readonly string[] = [
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
    "ecr:BatchImportUpstreamImage",
];

/** What the agent needs to deliver container logs with the awslogs driver. */
export const LOG_DELIVERY_ACTIONS: readonly string[] = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"];

/** What the agent needs to inject secrets and private-registry credentials. */
export const SECRET_INJECTION_ACTIONS: readonly string[] = ["secretsmanager:GetSecretValue", "ssm:GetParameters", "kms:Decrypt"];

/** Everything an execution role may carry. */
export const EXECUTION_ROLE_ACTIONS: readonly string[] = [...ECR_PULL_ACTIONS, ...LOG_DELIVERY_ACTIONS, ...SECRET_INJECTION_ACTIONS];

/** The container-instance agent's own API: never something application code should hold. */
export const ECS_AGENT_ACTIONS: readonly string[] = [
    "ecs:RegisterContainerInstance",
    "ecs:DeregisterContainerInstance",
    "ecs:UpdateContainerInstancesState",
    "ecs:DiscoverPollEndpoint",
    "ecs:Poll",
    "ecs:StartTelemetrySession",
    "ecs:PutSystemLogEvents",
    "ecs:SubmitAttachmentStateChanges",
    "ecs:SubmitContainerStateChange",
    "ecs:SubmitTaskStateChange",
];

/** Everything a task role may not carry. */
export const AGENT_LEVEL_ACTIONS: readonly string[] = [...ECR_PULL_ACTIONS, ...ECS_AGENT_ACTIONS];
