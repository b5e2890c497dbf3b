import { strict as assert } from "assert";
import { containerNeeds, primaryContainerDefinitions } from "../../policies/stack/containers";
import { UNKNOWN } from "../helpers/stacks";

describe("an ECS Express service's primary container", () => {
    it("becomes one container definition, its CloudWatch Logs settings (a list in @pulumi/aws) as the awslogs driver's options", () => {
        assert.deepEqual(
            primaryContainerDefinitions({
                image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
                awsLogsConfigurations: [{ logGroup: "/ecs/web", logStreamPrefix: "web" }],
                secrets: [{ name: "DB", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" }],
            }),
            [
                {
                    name: "primary",
                    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
                    secrets: [{ name: "DB", valueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/db" }],
                    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-stream-prefix": "web" } },
                },
            ],
        );
    });

    it("reads @pulumi/aws-native's one logs object the same way, and no logs setting as no logging", () => {
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfiguration: { logGroup: "/ecs/web", logStreamPrefix: "w" } }), [
            {
                name: "primary",
                image: "nginx",
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-stream-prefix": "w" } },
            },
        ]);
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx" }), [{ name: "primary", image: "nginx" }]);
    });

    it("passes on what is not known or cannot be read, for the reader to say", () => {
        assert.equal(primaryContainerDefinitions(UNKNOWN), UNKNOWN);
        assert.deepEqual(primaryContainerDefinitions(7), [7]);
        assert.deepEqual(primaryContainerDefinitions(undefined), []);
        assert.deepEqual(primaryContainerDefinitions(null), []);
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfiguration: null }), [{ name: "primary", image: "nginx" }]);
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfigurations: null }), [{ name: "primary", image: "nginx" }]);
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfigurations: [null] }), [{ name: "primary", image: "nginx" }]);
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfigurations: UNKNOWN }), [
            { name: "primary", image: "nginx", logConfiguration: UNKNOWN },
        ]);
        const two = [
            { logGroup: "/a", logStreamPrefix: "a" },
            { logGroup: "/b", logStreamPrefix: "b" },
        ];
        assert.deepEqual(primaryContainerDefinitions({ image: "nginx", awsLogsConfigurations: two }), [
            { name: "primary", image: "nginx", logConfiguration: two },
        ]);
    });

    it("needs log delivery to its group, and says two logs settings cannot be read", () => {
        const needs = containerNeeds(
            primaryContainerDefinitions({ image: "nginx", awsLogsConfigurations: [{ logGroup: "/ecs/web", logStreamPrefix: "w" }] }),
            "web",
        );
        assert.deepEqual(needs.kind === "known" ? needs.needs.map((n) => n.actions) : needs.kind, [["logs:CreateLogStream", "logs:PutLogEvents"]]);
        const two = containerNeeds(
            primaryContainerDefinitions({
                image: "nginx",
                awsLogsConfigurations: [
                    { logGroup: "/a", logStreamPrefix: "a" },
                    { logGroup: "/b", logStreamPrefix: "b" },
                ],
            }),
            "web",
        );
        assert.equal(two.kind, "known");
        assert.deepEqual(two.kind === "known" ? two.problems : [], ['container "primary" logConfiguration must be an object, not a list']);
    });
});
