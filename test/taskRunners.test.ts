import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "../policies/ecsExecutionRoleSufficient";
import { ecsRolePermissionsEvaluable } from "../policies/ecsRolePermissionsEvaluable";
import { ecsTaskAndExecutionRolesDistinct } from "../policies/ecsTaskAndExecutionRolesDistinct";
import { ecsTaskRoleNoAgentPermissions } from "../policies/ecsTaskRoleNoAgentPermissions";
import { StackResource } from "../policies/stack/resources";
import { appContainer, correctStack, IMAGE, PHASES, runStackPolicy, SECRET_ARN, StackBuilder, UNKNOWN } from "./helpers/stacks";

/**
 * Resources other than task definitions that run ECS tasks with roles: daemon task definitions
 * and ECS Express services are judged as task definitions are; a role given to tasks elsewhere
 * (a Pipe's override, a Batch job) is said not to be judged.
 */

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const PULL = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly";

/** The correct stack with its task definition replaced by another resource that runs tasks with the same two roles. */
function runnerStack(phase: (typeof PHASES)[number], type: string, props: (s: StackBuilder) => Record<string, unknown>) {
    const stack = correctStack(phase);
    const { s, executionRole, taskRole } = stack;
    s.remove("app");
    const runner = s.other(
        type,
        "runner",
        { executionRoleArn: s.arnOf(executionRole), taskRoleArn: s.arnOf(taskRole), ...props(s) },
        { executionRoleArn: [executionRole.urn], taskRoleArn: [taskRole.urn] },
    );
    return { ...stack, runner };
}

const daemon = (phase: (typeof PHASES)[number]) =>
    runnerStack(phase, "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition", () => ({ family: "agent", containerDefinitions: [appContainer()] }));

const express = (phase: (typeof PHASES)[number], primaryContainer: Record<string, unknown> = {}) =>
    runnerStack(phase, "aws-native:ecs:ExpressGatewayService", () => ({
        serviceName: "web",
        infrastructureRoleArn: "arn:aws:iam::123456789012:role/ecs-infrastructure",
        primaryContainer: {
            image: IMAGE,
            awsLogsConfiguration: { logGroup: "/ecs/app", logStreamPrefix: "web" },
            secrets: [{ name: "DB_PASSWORD", valueFrom: SECRET_ARN }],
            ...primaryContainer,
        },
    }));

/** A Step Functions state machine whose one state runs the task definition "app" with these overrides. */
const stateMachineRunningTask = (s: StackBuilder, overrides: Record<string, unknown>) =>
    s.other("aws:sfn/stateMachine:StateMachine", "flow", {
        roleArn: "arn:aws:iam::123456789012:role/sfn",
        definition: JSON.stringify({
            StartAt: "Run",
            States: {
                Run: { Type: "Task", Resource: "arn:aws:states:::ecs:runTask.sync", Parameters: { TaskDefinition: "app", Overrides: overrides }, End: true },
            },
        }),
    });

const urns = async (policy: Parameters<typeof runStackPolicy>[0], resources: StackResource[]) => (await runStackPolicy(policy, resources)).map((f) => f.urn);

describe("resources other than task definitions that run ECS tasks", () => {
    for (const phase of PHASES) {
        describe(`in ${phase === "preview" ? "a preview of new resources" : "an update"}`, () => {
            it("flags AdministratorAccess on the execution role of a daemon task definition, naming the daemon", async () => {
                const { s, executionRole } = daemon(phase);
                const grant = s.rolePolicyAttachment("admin", executionRole, ADMIN);
                const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [grant.urn],
                );
                assert.match(
                    reported[0].message,
                    /^aws\.iam\.Role "exec" is the execution role of daemon task definition "runner", and AWS-managed policy AdministratorAccess/,
                );
            });

            it("flags ECR pull on the task role of an ECS Express service, naming the service", async () => {
                const { s, taskRole } = express(phase);
                const grant = s.rolePolicyAttachment("pull", taskRole, PULL);
                const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [grant.urn],
                );
                assert.match(
                    reported[0].message,
                    /^aws\.iam\.Role "task" is the task role of ECS Express service "runner", and AWS-managed policy AmazonEC2ContainerRegistryReadOnly/,
                );
            });

            it("passes the roles of a daemon and an Express service set up as the correct task definition is", async () => {
                for (const { s } of [daemon(phase), express(phase)]) {
                    assert.deepEqual(await urns(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources), []);
                    assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s.resources), []);
                    assert.deepEqual(await urns(ecsExecutionRoleSufficient, s.resources), []);
                    assert.deepEqual(await urns(ecsRolePermissionsEvaluable, s.resources), []);
                }
            });

            it("flags an Express service whose execution role cannot read the secret its primary container takes", async () => {
                const { s, runner } = express(phase, {
                    secrets: [{ name: "OTHER", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf" }],
                });
                const reported = await runStackPolicy(ecsExecutionRoleSufficient, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [runner.urn],
                );
                assert.match(reported[0].message, /secretsmanager:GetSecretValue/);
            });

            it("flags one role used as both roles of a daemon task definition (the stack policy in a preview, per resource in an update)", async () => {
                const { s, executionRole } = correctStack(phase);
                s.remove("app");
                const runner = s.other(
                    "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition",
                    "agent",
                    { family: "agent", executionRoleArn: s.arnOf(executionRole), taskRoleArn: s.arnOf(executionRole), containerDefinitions: [appContainer()] },
                    { executionRoleArn: [executionRole.urn], taskRoleArn: [executionRole.urn] },
                );
                assert.deepEqual(await urns(ecsTaskAndExecutionRolesDistinct, s.resources), phase === "preview" ? [runner.urn] : []);
            });

            it("says that a Pipe overriding the task role of the tasks it runs gives a role the pack does not judge", async () => {
                const { s } = correctStack(phase);
                const pipe = s.other("aws:pipes/pipe:Pipe", "nightly", {
                    targetParameters: {
                        ecsTaskParameters: {
                            taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
                            overrides: { taskRoleArn: "arn:aws:iam::123456789012:role/admin" },
                        },
                    },
                });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.message),
                    [
                        'A role of ECS tasks was not evaluated: aws.pipes.Pipe "nightly" gives ECS tasks a role outside a task definition (targetParameters.ecsTaskParameters.overrides.taskRoleArn), and the pack judges a role only as a task definition names it; name the role in a task definition of this stack, where the pack judges it, or exempt this case with exemptions.',
                    ],
                );
                assert.equal(reported[0].urn, pipe.urn);
            });

            it("says that a Step Functions state that runs a task with its own TaskRoleArn gives a role the pack does not judge", async () => {
                const { s } = correctStack(phase);
                const machine = stateMachineRunningTask(s, { TaskRoleArn: "arn:aws:iam::123456789012:role/admin" });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [machine.urn],
                );
                assert.match(reported[0].message, /\(definition\.States\.Run\.Parameters\.Overrides\.TaskRoleArn\)/);
            });

            it("says that a Step Functions state that takes the task role from its input (TaskRoleArn.$) gives a role the pack does not judge", async () => {
                const { s } = correctStack(phase);
                const machine = stateMachineRunningTask(s, { "TaskRoleArn.$": "$.role" });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [machine.urn],
                );
                assert.match(reported[0].message, /\(definition\.States\.Run\.Parameters\.Overrides\.TaskRoleArn\.\$\)/);
            });

            it("names every path of an aws-native Batch job that sets a role, and none that is empty, absent or only like one", async () => {
                const { s } = correctStack(phase);
                const job = s.other("aws-native:batch:JobDefinition", "job", {
                    type: "container",
                    ecsProperties: {
                        taskProperties: [
                            { taskRoleArn: "arn:aws:iam::123456789012:role/a", executionRoleArn: "" },
                            { taskRoleArn: null, jobRoleArn: undefined, containers: [{ image: IMAGE }], otherTaskRoleArn: "x", taskRoleArnOverride: "y" },
                            { executionRoleArn: "arn:aws:iam::123456789012:role/b" },
                        ],
                    },
                    nodeProperties: null,
                    containerProperties: 7,
                });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [job.urn],
                );
                assert.match(reported[0].message, /\(ecsProperties\.taskProperties\[0\]\.taskRoleArn, ecsProperties\.taskProperties\[2\]\.executionRoleArn\)/);
            });

            it("says a role-holding property that is not known yet, or text that names a role and is not JSON", async () => {
                const { s } = correctStack(phase);
                const job = s.other("aws:batch/jobDefinition:JobDefinition", "job", {
                    type: "container",
                    containerProperties: UNKNOWN,
                    ecsProperties: "taskRoleArn: arn:aws:iam::123456789012:role/a",
                });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [job.urn],
                );
                // The unit harness leaves the phase to the pack's default; the wording of "not known" is the phase's own.
                assert.match(reported[0].message, /\(containerProperties \(not known [^)]*\), ecsProperties \(text naming a role that is not JSON\)\)/);
            });

            it("says that a Batch job's container properties, as JSON text, give a role the pack does not judge, and nothing of one without", async () => {
                const { s } = correctStack(phase);
                const job = s.other("aws:batch/jobDefinition:JobDefinition", "job", {
                    type: "container",
                    containerProperties: JSON.stringify({ image: IMAGE, executionRoleArn: "arn:aws:iam::123456789012:role/batch-exec" }),
                });
                s.other("aws:batch/jobDefinition:JobDefinition", "plain-job", { type: "container", containerProperties: JSON.stringify({ image: IMAGE }) });
                s.other("aws:pipes/pipe:Pipe", "plain-pipe", {
                    targetParameters: { ecsTaskParameters: { taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1" } },
                });
                const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
                assert.deepEqual(
                    reported.map((f) => f.urn),
                    [job.urn],
                );
                assert.match(reported[0].message, /\(containerProperties\.executionRoleArn\)/);
            });
        });
    }
});
