import { strict as assert } from "assert";
import { MODEL_PROPERTIES } from "../../policies/stack/resourceShapes";

describe("the properties the model reads", () => {
    it("reads of a KMS grant its principals, its operations and its key, never the words its shapes hold for messages or action names", () => {
        assert.deepEqual(MODEL_PROPERTIES.get("aws:kms/grant:Grant"), ["granteePrincipal", "operations", "keyId", "retiringPrincipal"]);
    });

    it("reads of a RAM principal association its principal alone, not the words that say what it shares", () => {
        assert.deepEqual(MODEL_PROPERTIES.get("aws:ram/principalAssociation:PrincipalAssociation"), ["principal"]);
    });

    it("reads of a RolePolicyAttachment its role and policy ARN, and nothing for the flags that say how they are written", () => {
        assert.deepEqual(MODEL_PROPERTIES.get("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), ["role", "policyArn"]);
    });

    it("reads of a task definition its family, its two roles, its containers and its launch types", () => {
        assert.deepEqual(MODEL_PROPERTIES.get("aws:ecs/taskDefinition:TaskDefinition"), [
            "family",
            "executionRoleArn",
            "taskRoleArn",
            "containerDefinitions",
            "requiresCompatibilities",
        ]);
    });

    it("reads of an aws-native secret its ARN output and its key", () => {
        assert.deepEqual(MODEL_PROPERTIES.get("aws-native:secretsmanager:Secret"), ["awsId", "kmsKeyId"]);
    });

    it("reads nothing of a type the table of doors calls irrelevant, such as a RAM resource share", () => {
        assert.equal(MODEL_PROPERTIES.has("aws:ram/resourceShare:ResourceShare"), false);
    });
});
