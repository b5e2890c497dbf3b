import { strict as assert } from "assert";
import {
    AGENT_LEVEL_ACTIONS,
    ECR_PULL_ACTIONS,
    ECS_AGENT_ACTIONS,
    EXECUTION_ROLE_ACTIONS,
    LOG_DELIVERY_ACTIONS,
    SECRET_INJECTION_ACTIONS,
} from "../../policies/iam/ecsActions";
import { ECR_PULL, EXECUTION_ROLE_ALLOWED, TASK_ROLE_FORBIDDEN } from "../helpers/independent";

// The documented lists are written out in test/helpers/independent.ts, apart from the code.
describe("ECS action sets", () => {
    it("are the documented ECR pull, log delivery and secret injection actions for the execution role", () => {
        assert.deepEqual(ECR_PULL_ACTIONS, ECR_PULL);
        assert.deepEqual(LOG_DELIVERY_ACTIONS, ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup"]);
        assert.deepEqual(SECRET_INJECTION_ACTIONS, ["secretsmanager:GetSecretValue", "ssm:GetParameters", "kms:Decrypt"]);
        assert.deepEqual(EXECUTION_ROLE_ACTIONS, EXECUTION_ROLE_ALLOWED);
    });

    it("forbid the task role ECR pull and the container-instance agent's API", () => {
        assert.deepEqual(ECS_AGENT_ACTIONS, TASK_ROLE_FORBIDDEN.slice(ECR_PULL.length));
        assert.deepEqual(AGENT_LEVEL_ACTIONS, TASK_ROLE_FORBIDDEN);
    });
});
