// Every bundled example program, captured under Pulumi's mocks as the engine would see it and judged by the pack
// over the Analyzer protocol, in a preview (new resources: ARNs and documents built from them unknown) and in an
// update (everything known). Each example asserts the exact findings it is built to show, so a changed verdict fails.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeploymentResult, PackSession, startPack } from "../../cli/analyzerClient";
import { EngineResource, UNKNOWN } from "../../cli/engineResources";
import { AWSX_TRUST_POLICY } from "../../cli/awsxModel";
import { captureProgram } from "../../cli/capture";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const EXAMPLES_DIR = path.join(ROOT, "examples");

const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";
const TASK = "ecs-task-role-no-agent-permissions";
const DISTINCT = "ecs-task-and-execution-roles-distinct";
const EVALUABLE = "ecs-role-permissions-evaluable";
const LEAST_PRIVILEGE = "ecs-execution-role-least-privilege";
const SUFFICIENT = "ecs-execution-role-sufficient";
const TRUST = "ecs-role-trust-policy";

/** The type chain of what awsx's FargateService "shop" creates inside its task-definition component. */
const AWSX_SHOP = "awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition";

type Mode = "preview" | "update";
const MODES: readonly Mode[] = ["preview", "update"];

/** A finding as a reader checks it: policy, level, and the URN after `<stack>::<project>::` (type chain and name). */
type Verdict = [policyName: string, enforcementLevel: string, resource: string];

const resourceOf = (urn: string): string => urn.split("::").slice(2).join("::");

function verdicts(result: DeploymentResult): Verdict[] {
    return result.all.map((d): Verdict => [d.policyName, d.enforcementLevel, resourceOf(d.urn)]).sort((a, b) => a.join(" ").localeCompare(b.join(" ")));
}

const sorted = (list: Verdict[]): Verdict[] => [...list].sort((a, b) => a.join(" ").localeCompare(b.join(" ")));

interface ExampleVerdicts {
    preview: Verdict[];
    update: Verdict[];
    /** The resource whose mandatory Analyze finding stops the update before AnalyzeStack. */
    updateStopsAt?: string;
}

/** What each example is built to show; examples/README.md says the same in prose. */
const EXPECTED: Record<string, ExampleVerdicts> = {
    "fargate-correct": {
        // Only what a preview cannot know: documents and container definitions built from ARNs not yet assigned.
        preview: [
            [EVALUABLE, "advisory", "aws:ecs/taskDefinition:TaskDefinition::app"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::app-execution-secrets"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::app-task-data"],
        ],
        update: [],
    },
    "admin-execution-role": {
        preview: [
            [EXECUTION, "mandatory", "aws:iam/role:Role::worker-execution"],
            [LEAST_PRIVILEGE, "advisory", "aws:iam/role:Role::worker-execution"],
        ],
        update: [
            [EXECUTION, "mandatory", "aws:iam/role:Role::worker-execution"],
            [LEAST_PRIVILEGE, "advisory", "aws:iam/role:Role::worker-execution"],
        ],
    },
    "execution-policy-on-task-role": {
        preview: [[TASK, "mandatory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::api-task-managed"]],
        update: [[TASK, "mandatory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::api-task-managed"]],
    },
    "one-role-for-both": {
        // In a preview the ARNs are unknown, so the shared role is found through propertyDependencies at the end,
        // and then judged in both capacities.
        preview: [
            [DISTINCT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::web"],
            [EXECUTION, "mandatory", "aws:iam/rolePolicy:RolePolicy::web-assets"],
            [TASK, "mandatory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::web-managed"],
        ],
        // In an update Analyze sees the two equal ARNs, and the engine stops there.
        update: [[DISTINCT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::web"]],
        updateStopsAt: "aws:ecs/taskDefinition:TaskDefinition::web",
    },
    "ecr-wildcard-execution-role": {
        preview: [
            [EXECUTION, "mandatory", "aws:iam/role:Role::batch-execution"],
            [LEAST_PRIVILEGE, "advisory", "aws:iam/role:Role::batch-execution"],
        ],
        update: [
            [EXECUTION, "mandatory", "aws:iam/role:Role::batch-execution"],
            [LEAST_PRIVILEGE, "advisory", "aws:iam/role:Role::batch-execution"],
        ],
    },
    "broad-customer-policy": {
        // The s3:* document is built from the bucket's ARN: a preview can only say so; the update finds the violation.
        preview: [
            [EVALUABLE, "advisory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::ops-execution-artifacts"],
            [TASK, "mandatory", "aws:iam/policyAttachment:PolicyAttachment::ops-ecs-admin"],
        ],
        update: [
            [EXECUTION, "mandatory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::ops-execution-artifacts"],
            [TASK, "mandatory", "aws:iam/policyAttachment:PolicyAttachment::ops-ecs-admin"],
        ],
    },
    "needs-correct": {
        // Every need granted and scoped; a preview cannot read what is built from ARNs not assigned yet.
        preview: [
            [EVALUABLE, "advisory", "aws:ecs/taskDefinition:TaskDefinition::needs"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::needs-execution-start"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::needs-task-data"],
        ],
        update: [],
    },
    "insufficient-execution-role": {
        // The container definitions are built from the log group's name, which a preview knows: found before `up`.
        preview: [[SUFFICIENT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::orders"]],
        update: [[SUFFICIENT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::orders"]],
    },
    "aws-native-service": {
        // The ecs:* statement's Resource is unknown during a preview, its Action is not: judged before `up`.
        preview: [
            [EVALUABLE, "advisory", "aws-native:ecs:TaskDefinition::reports"],
            [TASK, "mandatory", "aws-native:iam:ManagedPolicy::reports-ecs-control"],
        ],
        update: [[TASK, "mandatory", "aws-native:iam:ManagedPolicy::reports-ecs-control"]],
    },
    "policy-document-own-ecr": {
        // Every document from getPolicyDocument, built on ARNs a preview does not know, and the image on the repository's
        // URL: only the update can find the pull the execution role lacks; its table ARN is known there, so the task
        // role's policy reads as written.
        preview: [
            [EVALUABLE, "advisory", "aws:ecs/taskDefinition:TaskDefinition::orders"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::orders-execution-logs"],
            [EVALUABLE, "advisory", "aws:iam/rolePolicy:RolePolicy::orders-task-data"],
        ],
        update: [[SUFFICIENT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::orders"]],
    },
    "awsx-fargate": {
        // The component's children, judged as the program's own; awsx's trust policy has no aws:SourceAccount.
        preview: [
            [TASK, "mandatory", `${AWSX_SHOP}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::shop-task-9a42f520`],
            [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-execution`],
            [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-task`],
        ],
        update: [
            [TASK, "mandatory", `${AWSX_SHOP}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::shop-task-9a42f520`],
            [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-execution`],
            [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-task`],
        ],
    },
};

/** Runs the tasks at most `limit` at a time: each capture is a Node.js process loading @pulumi/aws. */
async function inParallel<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
    const results: T[] = new Array(tasks.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < tasks.length) {
            const i = next++;
            results[i] = await tasks[i]();
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
    return results;
}

describe("the bundled examples, captured and judged as Pulumi would judge them", function () {
    this.timeout(120000);
    const sessions = {} as Record<Mode, PackSession>;
    const captures = new Map<string, EngineResource[]>();
    const key = (name: string, mode: Mode): string => `${name} ${mode}`;

    before(async () => {
        const names = Object.keys(EXPECTED);
        const jobs = names.flatMap((name) =>
            MODES.map((mode) => async () => {
                // The compiled program (`npm run build` compiles examples/ too) skips compiling TypeScript on the fly,
                // which test/cli/capture.test.ts covers; the project is the one its Pulumi.yaml names.
                const compiled = path.join(ROOT, "bin", "examples", name, "index.js");
                captures.set(key(name, mode), await captureProgram(compiled, { preview: mode === "preview", project: name }));
            }),
        );
        const [preview, update] = await Promise.all([
            startPack(ROOT, { preview: true }),
            startPack(ROOT, { preview: false }),
            inParallel(jobs, Math.max(2, Math.min(4, os.cpus().length))),
        ]);
        sessions.preview = preview;
        sessions.update = update;
    });

    after(async () => {
        await Promise.all(MODES.map((m) => sessions[m]?.close()));
    });

    it("has verdicts for every example directory", () => {
        const dirs = fs
            .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => d.name)
            .sort();
        assert.deepEqual(dirs, Object.keys(EXPECTED).sort());
    });

    for (const [name, expected] of Object.entries(EXPECTED)) {
        describe(name, () => {
            for (const mode of MODES) {
                it(`gives exactly the findings it is built to show in ${mode === "preview" ? "a preview" : "an update"}`, async () => {
                    const resources = captures.get(key(name, mode))!;
                    // The root stack comes first, as the engine registers it.
                    assert.equal(resources[0].type, "pulumi:pulumi:Stack");
                    assert.equal(resources[0].urn, `urn:pulumi:dev::${name}::pulumi:pulumi:Stack::${name}-dev`);
                    const result = await sessions[mode].deploy(resources, { stackResource: false });
                    assert.deepEqual(verdicts(result), sorted(expected[mode]));
                    const stopsAt = mode === "update" ? expected.updateStopsAt : undefined;
                    assert.equal(result.bailedAt && resourceOf(result.bailedAt), stopsAt);
                    assert.equal(result.stackAnalyzed, stopsAt === undefined);
                });
            }
        });
    }

    /** A captured resource by the end of its URN (type chain and name). */
    const find = (name: string, mode: Mode, resource: string): EngineResource => {
        const found = captures.get(key(name, mode))!.find((r) => resourceOf(r.urn) === resource);
        assert.ok(found, `${name} (${mode}) has no ${resource}`);
        return found;
    };

    describe("the captures these verdicts rest on", () => {
        it("resolve getPolicyDocument into the policies, and the image to the stack's own ECR repository", () => {
            const repository = find("policy-document-own-ecr", "update", "aws:ecr/repository:Repository::orders");
            const table = find("policy-document-own-ecr", "update", "aws:dynamodb/table:Table::orders");
            const taskDefinition = find("policy-document-own-ecr", "update", "aws:ecs/taskDefinition:TaskDefinition::orders");
            assert.equal(
                JSON.parse(taskDefinition.inputs.containerDefinitions as string)[0].image,
                `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository.inputs.name}:1.0.0`,
            );
            assert.equal(
                find("policy-document-own-ecr", "update", "aws:iam/rolePolicy:RolePolicy::orders-task-data").inputs.policy,
                `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Orders",
      "Effect": "Allow",
      "Action": [
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:GetItem"
      ],
      "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/${table.inputs.name}"
    }
  ]
}`,
            );
        });

        it("keep aws-native documents as objects with the unknown at its leaf, autonamed in Check, with read-only outputs unknown in a preview", () => {
            const policy = find("aws-native-service", "preview", "aws-native:iam:ManagedPolicy::reports-ecs-control");
            const taskRole = find("aws-native-service", "preview", "aws-native:iam:Role::reports-task");
            assert.deepEqual(policy.inputs.policyDocument, { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecs:*", Resource: UNKNOWN }] });
            assert.match(policy.inputs.managedPolicyName as string, /^reports-ecs-control-[0-9a-f]{7}$/);
            assert.match(taskRole.inputs.roleName as string, /^reports-task-[0-9a-f]{7}$/);
            assert.deepEqual(policy.inputs.roles, [taskRole.inputs.roleName]);
            assert.deepEqual(policy.propertyDependencies, {
                roles: [taskRole.urn],
                policyDocument: [find("aws-native-service", "preview", "aws-native:ecs:Cluster::reports").urn],
            });
            assert.equal(policy.outputs!.policyArn, UNKNOWN);
            assert.equal(taskRole.outputs!.arn, UNKNOWN);
            assert.equal(find("aws-native-service", "preview", "aws-native:ecs:TaskDefinition::reports").outputs!.taskDefinitionArn, UNKNOWN);
            const deployed = find("aws-native-service", "update", "aws-native:iam:ManagedPolicy::reports-ecs-control");
            assert.equal(deployed.outputs!.policyArn, `arn:aws:iam::123456789012:policy/${deployed.inputs.managedPolicyName}`);
            assert.match(
                (deployed.inputs.policyDocument as { Statement: { Resource: string }[] }).Statement[0].Resource,
                /^arn:aws:ecs:us-east-1:123456789012:cluster\/reports-[0-9a-f]{7}$/,
            );
        });

        it("build what the awsx plugin builds for a FargateService: its children, their parent chain and dependencies", () => {
            const service = find("awsx-fargate", "preview", "awsx:ecs:FargateService::shop");
            const component = find("awsx-fargate", "preview", "awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition::shop");
            assert.deepEqual([service.inputs, component.parent], [{}, service.urn]);
            const execution = find("awsx-fargate", "preview", `${AWSX_SHOP}$aws:iam/role:Role::shop-execution`);
            const task = find("awsx-fargate", "preview", `${AWSX_SHOP}$aws:iam/role:Role::shop-task`);
            const logs = find("awsx-fargate", "preview", `${AWSX_SHOP}$aws:cloudwatch/logGroup:LogGroup::shop`);
            for (const child of [execution, task, logs]) assert.equal(child.parent, component.urn);
            assert.equal(execution.inputs.assumeRolePolicy, AWSX_TRUST_POLICY);
            // The execution role's default policy, attached by a child named after the policy ARN's hash.
            const attachment = find("awsx-fargate", "preview", `${AWSX_SHOP}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::shop-execution-9a42f520`);
            assert.deepEqual(attachment.inputs, {
                role: execution.inputs.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            });
            assert.deepEqual(attachment.propertyDependencies, { role: [execution.urn] });
            const taskDefinition = find("awsx-fargate", "preview", `${AWSX_SHOP}$aws:ecs/taskDefinition:TaskDefinition::shop`);
            assert.equal(taskDefinition.inputs.executionRoleArn, UNKNOWN);
            assert.deepEqual(taskDefinition.propertyDependencies!.executionRoleArn, [execution.urn]);
            assert.deepEqual(taskDefinition.propertyDependencies!.taskRoleArn, [task.urn]);
            assert.deepEqual(taskDefinition.propertyDependencies!.containerDefinitions, [logs.urn]);
            assert.deepEqual(
                [taskDefinition.inputs.cpu, taskDefinition.inputs.memory, taskDefinition.inputs.requiresCompatibilities],
                ["256", "512", ["FARGATE"]],
            );
            // A container without a logConfiguration logs to the component's log group, whose name a preview knows.
            const [container] = JSON.parse(taskDefinition.inputs.containerDefinitions as string);
            assert.deepEqual(container.logConfiguration, {
                logDriver: "awslogs",
                options: { "awslogs-group": logs.inputs.name, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "shop" },
            });
            const ecsService = find("awsx-fargate", "preview", "awsx:ecs:FargateService$aws:ecs/service:Service::shop");
            assert.deepEqual(ecsService.propertyDependencies!.taskDefinition, [taskDefinition.urn]);
            // The children use the @pulumi/aws version the awsx plugin bundles (the exact version its SDK names),
            // through their own default provider.
            const awsxPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "awsx", "package.json"), "utf8"));
            const bundled = (awsxPackage.dependencies["@pulumi/aws"] as string).replace(/^\^/, "");
            assert.equal(taskDefinition.provider!.urn, `urn:pulumi:dev::awsx-fargate::pulumi:providers:aws::default_${bundled.replace(/\./g, "_")}`);
        });
    });
});
