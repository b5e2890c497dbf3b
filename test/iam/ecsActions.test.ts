import { strict as assert } from "assert";
import {
    AGENT_LEVEL_ACTIONS,
    ECR_PULL_ACTIONS,
    ECS_AGENT_ACTIONS,
    EXECUTION_ROLE_ACTIONS,
    LOG_DELIVERY_ACTIONS,
    SECRET_INJECTION_ACTIONS,
} from "../../policies/iam/ecsActions";

describe("ECS action sets", () => {
    it("are the documented ECR pull, log delivery and secret injection actions for the execution role", () => {
        assert.deepEqual(ECR_PULL_ACTIONS, [
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "ecr:BatchImportUpstreamImage",
        ]);
        assert.deepEqual(LOG_DELIVERY_ACTIONS, ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"]);
        assert.deepEqual(SECRET_INJECTION_ACTIONS, ["secretsmanager:GetSecretValue", "ssm:GetParameters", "kms:Decrypt"]);
        assert.deepEqual(EXECUTION_ROLE_ACTIONS, [...ECR_PULL_ACTIONS, ...LOG_DELIVERY_ACTIONS, ...SECRET_INJECTION_ACTIONS]);
    });

    it("forbid the task role ECR pull and the container-instance agent's API", () => {
        assert.deepEqual(ECS_AGENT_ACTIONS, [
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
        ]);
        assert.deepEqual(AGENT_LEVEL_ACTIONS, [...ECR_PULL_ACTIONS, ...ECS_AGENT_ACTIONS]);
    });
});
