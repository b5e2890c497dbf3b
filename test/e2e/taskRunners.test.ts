// Resources other than task definitions that run ECS tasks with roles, through the whole pack as the Pulumi CLI
// drives it, in a preview of new resources and in an update.

import { strict as assert } from "assert";
import { packPerPhase } from "../helpers/packPerPhase";
import { appContainer, correctStack, IMAGE, PHASES } from "../helpers/stacks";
import { EVALUABLE, EXECUTION, LEAST, sorted, TASK, verdicts } from "../helpers/verdicts";

describe("daemons, Express services and run-time role overrides, driven as the Pulumi CLI drives them", function () {
    this.timeout(30000);
    const deploy = packPerPhase();

    for (const phase of PHASES) {
        it(`judges the roles of a daemon task definition and an Express service, and says a Pipe's task role override (${phase})`, async () => {
            const { s, executionRole, taskRole } = correctStack(phase);
            s.remove("app");
            const roles = { executionRoleArn: s.arnOf(executionRole), taskRoleArn: s.arnOf(taskRole) };
            const deps = { executionRoleArn: [executionRole.urn], taskRoleArn: [taskRole.urn] };
            s.other("aws:ecs/daemonTaskDefinition:DaemonTaskDefinition", "agent", { family: "agent", containerDefinitions: [appContainer()], ...roles }, deps);
            s.other(
                "aws:ecs/expressGatewayService:ExpressGatewayService",
                "web",
                {
                    serviceName: "web",
                    infrastructureRoleArn: "arn:aws:iam::123456789012:role/ecs-infrastructure",
                    primaryContainer: { image: IMAGE, awsLogsConfigurations: [{ logGroup: "/ecs/app", logStreamPrefix: "web" }] },
                    ...roles,
                },
                deps,
            );
            const admin = s.rolePolicyAttachment("admin", executionRole, "arn:aws:iam::aws:policy/AdministratorAccess");
            const pull = s.rolePolicyAttachment("pull", taskRole, "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly");
            const pipe = s.other("aws:pipes/pipe:Pipe", "nightly", {
                targetParameters: {
                    ecsTaskParameters: {
                        taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
                        overrides: { executionRoleArn: "arn:aws:iam::123456789012:role/other" },
                    },
                },
            });
            const result = await deploy(phase, s);
            const found = verdicts(result.all);
            assert.ok(
                found.some(([policy, level, urn]) => policy === EXECUTION && level === "mandatory" && urn === admin.urn),
                "the daemon's and the service's execution role",
            );
            assert.ok(
                found.some(([policy, level, urn]) => policy === TASK && level === "mandatory" && urn === pull.urn),
                "their task role",
            );
            assert.deepEqual(
                found.filter(([policy]) => policy === EVALUABLE),
                sorted([[EVALUABLE, "advisory", pipe.urn]]),
            );
            const messages = result.all.filter((d) => d.urn === admin.urn && d.policyName === EXECUTION).map((d) => d.message);
            assert.equal(messages.length, 1);
            assert.match(
                messages[0],
                /^aws\.iam\.Role "exec" is the execution role of daemon task definition "agent" and ECS Express service "web", and AWS-managed policy AdministratorAccess/,
            );
            assert.ok(found.some(([policy]) => policy === LEAST));
        });
    }
});
