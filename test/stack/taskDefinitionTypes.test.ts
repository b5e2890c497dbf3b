import { strict as assert } from "assert";
import { TASK_DEFINITION_SHAPES, TASK_ROLES_ELSEWHERE } from "../../policies/stack/resourceShapes";
import { sdkTypes } from "../helpers/sdkDeclarations";

/**
 * Every resource type that gives ECS tasks a role is known to the pack: read from the installed
 * SDKs, so that a provider release adding one fails here instead of leaving its roles unjudged.
 */

const ROLE_PROPERTY = /^(taskRoleArn|executionRoleArn)$/;
const isEcsType = (type: string) => /^aws(-native)?:ecs[/:]/.test(type);

describe("the resource types that give ECS tasks a role", () => {
    const types = sdkTypes();
    const byType = new Map(types.map((t) => [t.type, t]));

    it("are, with a role at the top (taskRoleArn anywhere, executionRoleArn in ECS), the six the model reads as task definitions", () => {
        const found = types.filter((t) => t.inputs.includes("taskRoleArn") || (isEcsType(t.type) && t.inputs.some((p) => ROLE_PROPERTY.test(p))));
        assert.deepEqual(found.map((t) => t.type).sort(), [
            "aws-native:ecs:DaemonTaskDefinition",
            "aws-native:ecs:ExpressGatewayService",
            "aws-native:ecs:TaskDefinition",
            "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition",
            "aws:ecs/expressGatewayService:ExpressGatewayService",
            "aws:ecs/taskDefinition:TaskDefinition",
        ]);
        assert.deepEqual(
            found.map((t) => t.type).filter((type) => !Object.prototype.hasOwnProperty.call(TASK_DEFINITION_SHAPES, type)),
            [],
        );
    });

    it("are, with a task role deeper inside, each read as a task definition or said not to be judged", () => {
        const deeper = types.filter((t) => t.nested.some((n) => n.endsWith(".taskRoleArn"))).map((t) => t.type);
        assert.deepEqual(deeper.sort(), ["aws-native:batch:JobDefinition", "aws-native:pipes:Pipe", "aws:pipes/pipe:Pipe"]);
        const unclassified = deeper.filter(
            (type) => !Object.prototype.hasOwnProperty.call(TASK_DEFINITION_SHAPES, type) && !Object.prototype.hasOwnProperty.call(TASK_ROLES_ELSEWHERE, type),
        );
        assert.deepEqual(unclassified, []);
    });

    it("are read through properties their types declare", () => {
        for (const [type, shape] of Object.entries(TASK_DEFINITION_SHAPES)) {
            const declared = byType.get(type);
            assert.ok(declared, `${type} is a type of the installed SDKs`);
            for (const property of [shape.family, shape.executionRole, shape.taskRole, shape.containers, shape.compatibilities]) {
                if (property !== undefined) assert.ok(declared.inputs.includes(property), `${type} declares ${property}`);
            }
        }
        for (const [type, properties] of Object.entries(TASK_ROLES_ELSEWHERE)) {
            const declared = byType.get(type);
            assert.ok(declared, `${type} is a type of the installed SDKs`);
            for (const property of properties) assert.ok(declared.inputs.includes(property), `${type} declares ${property}`);
        }
    });
});
