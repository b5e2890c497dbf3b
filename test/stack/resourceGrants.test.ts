import { strict as assert } from "assert";
import { ecsExecutionRoleLeastPrivilege } from "../../policies/ecsExecutionRoleLeastPrivilege";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "../../policies/ecsExecutionRoleSufficient";
import { ecsRolePermissionsEvaluable } from "../../policies/ecsRolePermissionsEvaluable";
import { ecsTaskRoleNoAgentPermissions } from "../../policies/ecsTaskRoleNoAgentPermissions";
import { accountIn } from "../../policies/stack/resourceGrants";
import { StackResource } from "../../policies/stack/resources";
import { ACCOUNT, allow, correctStack, doc, runStackPolicy, SECRET_ARN, StackBuilder, UNKNOWN } from "../helpers/stacks";

/**
 * Grants from the resource side, judged by the policies that judge roles: how each form of
 * principal reaches a role, what a permissions boundary limits, and what is said when the pack
 * cannot tell.
 */

const repositoryPolicy = (s: StackBuilder, name: string, statement: object, deps: Record<string, string[]> = {}) =>
    s.other(
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
        name,
        { repository: "app", registryId: ACCOUNT, policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) },
        deps,
    );

const pull = (principal: unknown) => ({ Effect: "Allow", Principal: principal, Action: ["ecr:BatchGetImage"] });

const urns = async (policy: Parameters<typeof runStackPolicy>[0], s: StackBuilder) => (await runStackPolicy(policy, s.resources)).map((r) => r.urn);

describe("grants from the resource side", () => {
    describe("who a statement's Principal reaches", () => {
        it("reaches a role named by a session of it, and every role of the account through *", async () => {
            const { s, taskRole } = correctStack("update");
            const session = repositoryPolicy(s, "session", pull({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/${s.nameOf(taskRole)}/a1b2` }));
            const everyone = repositoryPolicy(s, "everyone", pull({ AWS: "*" }));
            const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [session.urn, everyone.urn],
            );
            assert.match(
                reported[0].message,
                /the resource-based policy of aws\.ecr\.RepositoryPolicy "session", whose Principal names a session of this role, Statement\[0\]/,
            );
            assert.match(
                reported[1].message,
                /the resource-based policy of aws\.ecr\.RepositoryPolicy "everyone", whose Principal "\*" names every principal, Statement\[0\]/,
            );
        });

        it("reaches no role through an account, a service, a user, or a role or session of the same name in another account or under another path", async () => {
            const { s, taskRole } = correctStack("update");
            repositoryPolicy(s, "account", pull({ AWS: ACCOUNT }));
            repositoryPolicy(s, "service", pull({ Service: "codebuild.amazonaws.com" }));
            repositoryPolicy(s, "user", pull({ AWS: `arn:aws:iam::${ACCOUNT}:user/${s.nameOf(taskRole)}` }));
            repositoryPolicy(s, "elsewhere", pull({ AWS: `arn:aws:iam::210987654321:role/${s.nameOf(taskRole)}` }));
            repositoryPolicy(s, "session-elsewhere", pull({ AWS: `arn:aws:sts::210987654321:assumed-role/${s.nameOf(taskRole)}/a1b2` }));
            repositoryPolicy(s, "other-path", pull({ AWS: `arn:aws:iam::${ACCOUNT}:role/team/${s.nameOf(taskRole)}` }));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), []);
        });

        it("judges each role by the statements that reach it: * for both roles, and a statement of its own for the task role", async () => {
            const { s, taskRole } = correctStack("update");
            const grant = repositoryPolicy(s, "mixed", {});
            s.set(grant, {
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [pull({ AWS: "*" }), { Effect: "Allow", Principal: { AWS: s.arnOf(taskRole) }, Action: "ecs:Poll" }],
                }),
            });
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources), []);
            const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
            assert.deepEqual(
                reported.map((r) => r.message.match(/Statement\[\d\], grants agent-level actions? [^.]*/)?.[0]),
                ["Statement[0], grants agent-level action ecr:BatchGetImage", "Statement[1], grants agent-level action ecs:Poll"],
            );
        });

        it("reaches every role a NotPrincipal Allow does not leave out", async () => {
            const { s, executionRole } = correctStack("update");
            const grant = repositoryPolicy(s, "all-but-exec", { Effect: "Allow", NotPrincipal: { AWS: s.arnOf(executionRole) }, Action: "ecr:BatchGetImage" });
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [grant.urn]);
        });

        it("reaches through a NotPrincipal Allow as through *, and not the role it leaves out", async () => {
            const { s, executionRole } = correctStack("update");
            repositoryPolicy(s, "all-but-exec", { Effect: "Allow", NotPrincipal: { AWS: s.arnOf(executionRole) }, Action: "ecs:Poll" });
            const reported = [
                ...(await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources)),
                ...(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources)),
            ];
            assert.deepEqual(
                reported.map((r) => r.message),
                [
                    `aws.iam.Role "task" is the task role of task definition "app", and the resource-based policy of aws.ecr.RepositoryPolicy "all-but-exec", whose Principal "*" names every principal, Statement[0], grants agent-level action ecs:Poll. Application code never needs it: name in that statement's Principal only the principals that need it, never "*", which grants every role of the account.`,
                ],
            );
        });

        it("reads an Allow whose NotPrincipal is * as reaching every role, not counting on IAM to leave everyone out", async () => {
            const { s } = correctStack("update");
            const grant = repositoryPolicy(s, "all-but-all", { Effect: "Allow", NotPrincipal: { AWS: "*" }, Action: "ecs:Poll" });
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [grant.urn]);
        });

        it("reaches a role a policy names by the unique ID IAM keeps for it", async () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, { uniqueId: "AROA3XFRBF23EXAMPLE" });
            const grant = repositoryPolicy(s, "by-id", pull({ AWS: "AROA3XFRBF23EXAMPLE" }));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [grant.urn]);
        });

        it("reaches no role through a session of a role not in the stack, or a unique ID no role of the stack has", async () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, { uniqueId: "AROA3XFRBF23EXAMPLE" });
            repositoryPolicy(s, "stranger-session", pull({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/stranger/a1b2` }));
            repositoryPolicy(s, "stranger-id", pull({ AWS: "AROA9ZZZZZZZZEXAMPLE" }));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), []);
            assert.deepEqual(await urns(ecsRolePermissionsEvaluable, s), []);
        });

        it("reaches a role whose account is not known yet, in a preview, through a session of it and through * in a policy of a known account", async () => {
            const { s, taskRole } = correctStack("preview");
            const session = repositoryPolicy(s, "session", pull({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/${s.nameOf(taskRole)}/a1b2` }));
            const everyone = repositoryPolicy(s, "everyone", pull("*"));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [session.urn, everyone.urn]);
        });

        it("judges a statement that names the role twice once, and says how it names each role it reaches", async () => {
            const { s, taskRole, executionRole } = correctStack("update");
            repositoryPolicy(s, "poll", {
                Effect: "Allow",
                Principal: {
                    AWS: [
                        s.arnOf(taskRole),
                        `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(taskRole).toUpperCase()}`,
                        `arn:aws:sts::${ACCOUNT}:assumed-role/${s.nameOf(executionRole)}/a1b2`,
                    ],
                },
                Action: "ecs:Poll",
            });
            const reported = [
                ...(await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources)),
                ...(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources)),
            ];
            assert.deepEqual(
                reported.map((r) => r.message),
                [
                    `aws.iam.Role "task" is the task role of task definition "app", and the resource-based policy of aws.ecr.RepositoryPolicy "poll", whose Principal names this role, Statement[0], grants agent-level action ecs:Poll. Application code never needs it: take the task role out of that statement's Principal.`,
                    'aws.iam.Role "exec" is the execution role of task definition "app", and the resource-based policy of aws.ecr.RepositoryPolicy "poll", whose Principal names a session of this role, Statement[0], grants ecs:Poll beyond ECR image pull, log delivery and secret injection. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                ],
            );
        });

        it("gives each role the statements that name it, when two statements name two roles the same way", async () => {
            const { s, taskRole, executionRole } = correctStack("update");
            const grant = repositoryPolicy(s, "two", {});
            s.set(grant, {
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { AWS: s.arnOf(taskRole) }, Action: "ecs:Poll" },
                        { Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "ecr:BatchGetImage" },
                    ],
                }),
            });
            assert.deepEqual(await urns(ecsExecutionRoleOnlyEcrSecretsLogs, s), []);
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [grant.urn]);
        });

        it("reads a policy in an input list of an aws-native resource, and names where it is", async () => {
            const { s, executionRole } = correctStack("update");
            const table = s.other("aws-native:dynamodb:GlobalTable", "orders", {
                arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
                replicas: [
                    { region: "us-east-1" },
                    {
                        region: "eu-west-1",
                        resourcePolicy: {
                            policyDocument: {
                                Version: "2012-10-17",
                                Statement: [{ Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "dynamodb:PutItem", Resource: "*" }],
                            },
                        },
                    },
                ],
            });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [table.urn],
            );
            assert.match(
                reported[0].message,
                /the resource-based policy replicas\[1\]\.resourcePolicy\.policyDocument of awsnative\.dynamodb\.GlobalTable "orders", whose Principal names this role/,
            );
        });
    });

    describe("the account a resource is in", () => {
        const cases: [value: unknown, account: string | undefined][] = [
            [`arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`, ACCOUNT],
            ["arn:aws:s3:::assets", undefined],
            ["arn:aws:iam::aws:policy/ReadOnlyAccess", undefined],
            ["arn:aws", undefined],
            [ACCOUNT, ACCOUNT],
            ["12345678901", undefined],
            ["1234567890123", undefined],
            [`x${ACCOUNT}`, undefined],
            [`https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`, ACCOUNT],
            [`see https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/jobs`, undefined],
            ["jobs", undefined],
            ["", undefined],
            [UNKNOWN, undefined],
            [undefined, undefined],
        ];
        for (const [value, account] of cases) {
            it(`reads ${JSON.stringify(value)} as ${account === undefined ? "no account" : `account ${account}`}`, () =>
                assert.equal(accountIn(value), account));
        }

        it("reaches no role of another account through a key policy's *, the key's ARN naming its account", async () => {
            const { s } = correctStack("update");
            s.other("aws:kms/key:Key", "elsewhere", {
                arn: "arn:aws:kms:us-east-1:210987654321:key/1",
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [pull("*")] }),
            });
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), []);
        });
    });

    describe("grants to one principal", () => {
        it("reads a whole statement an aws-native EventBusPolicy takes, naming the task role", async () => {
            const { s, taskRole } = correctStack("update");
            const bus = s.other("aws-native:events:EventBusPolicy", "bus", {
                statementId: "pull",
                statement: { Effect: "Allow", Principal: { AWS: s.arnOf(taskRole) }, Action: "ecr:BatchGetImage", Resource: "*" },
            });
            const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        bus.urn,
                        `aws.iam.Role "task" is the task role of task definition "app", and the statement of awsnative.events.EventBusPolicy "bus", whose Principal names this role, Statement[0], grants agent-level action ecr:BatchGetImage. Application code never needs it: image pull belongs on the execution role, so take the task role out of that statement's Principal.`,
                    ],
                ],
            );
        });

        it("says an EventBusPolicy statement not known during preview may grant the role it depends on, or with none any principal", async () => {
            const { s, executionRole } = correctStack("preview");
            const bus = s.other("aws-native:events:EventBusPolicy", "bus", { statementId: "pull", statement: UNKNOWN }, { statement: [executionRole.urn] });
            const free = s.other("aws-native:events:EventBusPolicy", "free", { statementId: "pull", statement: UNKNOWN });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        bus.urn,
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: the statement of awsnative.events.EventBusPolicy "bus" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                    [
                        free.urn,
                        'A grant may reach an ECS role but was not evaluated: the statement of awsnative.events.EventBusPolicy "free" is not known during preview; it may name any principal; it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });

        it("reads an EventBusPolicy's principal and action when its statement is null", async () => {
            const { s, executionRole } = correctStack("update");
            const bus = s.other("aws-native:events:EventBusPolicy", "bus", {
                statementId: "put",
                statement: null,
                principal: s.arnOf(executionRole),
                action: "events:PutEvents",
            });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        bus.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and awsnative.events.EventBusPolicy "bus" (its principal), whose Principal names this role, Statement[0], grants events:PutEvents beyond ECR image pull, log delivery and secret injection. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    ],
                ],
            );
        });

        it("writes a KMS grant's operations with the kms: prefix, on the grant's key", async () => {
            const { s, executionRole } = correctStack("update");
            const grant = s.other("aws:kms/grant:Grant", "encrypt", {
                keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`,
                granteePrincipal: s.arnOf(executionRole),
                operations: ["Encrypt", "kms:GenerateDataKey"],
            });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        grant.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and aws.kms.Grant "encrypt" (its granteePrincipal), whose Principal names this role, Statement[0], grants kms:Encrypt and kms:GenerateDataKey beyond ECR image pull, log delivery and secret injection. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    ],
                ],
            );
        });

        it("grants the action a type fixes when the resource names none: events:PutEvents for an EventPermission", async () => {
            const { s, executionRole } = correctStack("update");
            const permission = s.other("aws:cloudwatch/eventPermission:EventPermission", "put", { principal: s.arnOf(executionRole), statementId: "put" });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        permission.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and aws.cloudwatch.EventPermission "put" (its principal), whose Principal names this role, Statement[0], grants events:PutEvents beyond ECR image pull, log delivery and secret injection. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    ],
                ],
            );
        });

        it("reads actions as written: none given grants nothing, one without a service on a type with no prefix stays as it is, one not a string cannot be read, and null takes the fixed action", async () => {
            const { s, executionRole } = correctStack("update");
            s.other("aws:lambda/permission:Permission", "none", { function: "f", principal: s.arnOf(executionRole) });
            const bare = s.other("aws:lambda/permission:Permission", "bare", { function: "f", principal: s.arnOf(executionRole), action: "InvokeFunction" });
            const number = s.other("aws:kms/grant:Grant", "number", { keyId: "1234", granteePrincipal: s.arnOf(executionRole), operations: [7] });
            const fixed = s.other("aws:cloudwatch/eventPermission:EventPermission", "null", {
                principal: s.arnOf(executionRole),
                statementId: "put",
                action: null,
            });
            const reported = [
                ...(await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources)),
                ...(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources)),
            ];
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        number.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and aws.kms.Grant "number" (its granteePrincipal) cannot be read: its operations[0] must be an action name, not number 7. The pack cannot tell what it grants an execution role: fix the document.',
                    ],
                    [
                        fixed.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and aws.cloudwatch.EventPermission "null" (its principal), whose Principal names this role, Statement[0], grants events:PutEvents beyond ECR image pull, log delivery and secret injection. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    ],
                    [
                        bare.urn,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and aws.lambda.Permission "bare" (its principal), whose Principal names this role, Statement[0], grants InvokeFunction, which matches no known IAM action. Take the execution role out of that statement\'s Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.',
                    ],
                ],
            );
        });

        it("says a principal, an entry of one, or an action not known during preview, each against the role it depends on or names", async () => {
            const { s, executionRole, taskRole } = correctStack("preview");
            const whole = s.other(
                "aws:lambda/permission:Permission",
                "whole",
                { function: "f", action: "lambda:InvokeFunction", principal: UNKNOWN },
                { principal: [taskRole.urn] },
            );
            const entry = s.other(
                "aws:kms/grant:Grant",
                "entry",
                { keyId: "1234", granteePrincipal: [UNKNOWN], operations: ["Decrypt"] },
                { granteePrincipal: [executionRole.urn] },
            );
            const action = s.other("aws:kms/grant:Grant", "action", {
                keyId: "1234",
                granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(executionRole)}`,
                operations: ["Decrypt", UNKNOWN],
            });
            const share = s.other(
                "aws:ram/principalAssociation:PrincipalAssociation",
                "share",
                { principal: UNKNOWN, resourceShareArn: "x" },
                { principal: [taskRole.urn] },
            );
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        action.urn,
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: the operations of aws.kms.Grant "action", which names this role, is not known during preview; it will be evaluated at `pulumi up`.',
                    ],
                    [
                        entry.urn,
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: an entry of the granteePrincipal of aws.kms.Grant "entry" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                    [
                        whole.urn,
                        'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: the principal of aws.lambda.Permission "whole" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                    [
                        share.urn,
                        'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: the principal of aws.ram.PrincipalAssociation "share" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });
        it("says an entry of a list of principals that is not a principal, or not known, beside the role's own ARN, against the role it depends on", async () => {
            const { s, executionRole } = correctStack("preview");
            const execArn = `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(executionRole)}`;
            const odd = s.other(
                "aws:kms/grant:Grant",
                "odd",
                { keyId: "1234", granteePrincipal: [execArn, 7], operations: ["Decrypt"] },
                { granteePrincipal: [executionRole.urn] },
            );
            const unknown = s.other(
                "aws:kms/grant:Grant",
                "unknown",
                { keyId: "1234", granteePrincipal: [execArn, UNKNOWN], operations: ["Decrypt"] },
                { granteePrincipal: [executionRole.urn] },
            );
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        odd.urn,
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: an entry of the granteePrincipal of aws.kms.Grant "odd" (number 7) is not a principal and depends on this role, so it may grant it permissions; fix the value.',
                    ],
                    [
                        unknown.urn,
                        'aws.iam.Role "exec", the execution role of task definition "app", was not fully evaluated: an entry of the granteePrincipal of aws.kms.Grant "unknown" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });

        it("says nothing of a grant to the role's own ARN that depends on the role, as a program writes it", async () => {
            const { s, executionRole } = correctStack("update");
            s.other(
                "aws:kms/grant:Grant",
                "decrypt",
                { keyId: "1234", granteePrincipal: s.arnOf(executionRole), operations: ["Decrypt"] },
                { granteePrincipal: [executionRole.urn] },
            );
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says nothing of a principal that is missing or null, even one that depends on the task role", async () => {
            const { s, taskRole } = correctStack("update");
            const deps = { principal: [taskRole.urn] };
            s.other("aws:lambda/permission:Permission", "missing", { function: "f", action: "ecs:Poll" }, deps);
            s.other("aws:lambda/permission:Permission", "null", { function: "f", action: "ecs:Poll", principal: null }, deps);
            s.other("aws:ram/principalAssociation:PrincipalAssociation", "share-missing", { resourceShareArn: "x" }, deps);
            s.other("aws:ram/principalAssociation:PrincipalAssociation", "share-null", { principal: null, resourceShareArn: "x" }, deps);
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says nothing of a principal not known in a preview that depends on no role", async () => {
            const { s } = correctStack("preview");
            s.other("aws:lambda/permission:Permission", "invoke", { function: "f", action: "ecs:Poll", principal: UNKNOWN });
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("reads no further a grant to an account or a service, whatever its effect, and says a grant to the role with an effect IAM does not know cannot be read", async () => {
            const { s, taskRole } = correctStack("update");
            const statement = (principal: string) => ({
                principal,
                action: "entityresolution:StartMatchingJob",
                effect: "Allows",
                arn: `arn:aws:entityresolution:us-east-1:${ACCOUNT}:matchingworkflow/w`,
            });
            s.other("aws-native:entityresolution:PolicyStatement", "account", statement(ACCOUNT));
            s.other("aws-native:entityresolution:PolicyStatement", "service", statement("codebuild.amazonaws.com"));
            const role = s.other("aws-native:entityresolution:PolicyStatement", "role", statement(s.arnOf(taskRole)));
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        role.urn,
                        'A grant may reach an ECS role but was not evaluated: awsnative.entityresolution.PolicyStatement "role" (its principal) cannot be read (Effect must be "Allow" or "Deny", not "Allows"), so whom it names cannot be told; fix the document.',
                    ],
                ],
            );
        });
    });

    describe("a Deny in a resource-based policy", () => {
        /** The execution role's secret, with a secret policy of these statements. */
        const secretPolicy = (s: StackBuilder, ...statements: object[]) =>
            s.other("aws:secretsmanager/secretPolicy:SecretPolicy", "db", {
                secretArn: SECRET_ARN,
                policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
            });
        const read = (principal: object, effect = "Allow", resource = SECRET_ARN) => ({
            Effect: effect,
            ...principal,
            Action: "secretsmanager:GetSecretValue",
            Resource: resource,
        });
        const sufficient = async (s: StackBuilder) => (await runStackPolicy(ecsExecutionRoleSufficient, s.resources)).length === 0;

        it("takes away from a role the same policy allows what it denies everyone, or everyone but another role", async () => {
            for (const denied of [{ Principal: "*" }, { NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` } }]) {
                const { s, executionRole } = correctStack("update");
                secretPolicy(s, read({ Principal: { AWS: s.arnOf(executionRole) } }), read(denied, "Deny"));
                assert.equal(await sufficient(s), false, JSON.stringify(denied));
            }
        });

        it("takes away from the execution role what it denies everyone but the task role, another role of the stack", async () => {
            const { s, executionRole, taskRole } = correctStack("update");
            secretPolicy(s, read({ Principal: { AWS: s.arnOf(executionRole) } }), read({ NotPrincipal: { AWS: s.arnOf(taskRole) } }, "Deny"));
            assert.equal(await sufficient(s), false);
        });

        it("takes nothing away when it denies everyone but the role, everyone but everyone, or everyone but a principal not known", async () => {
            for (const [denied, resource] of [
                [{ NotPrincipal: { AWS: "ROLE" } }, SECRET_ARN],
                [{ NotPrincipal: "*" }, SECRET_ARN],
                [{ NotPrincipal: { AWS: UNKNOWN } }, SECRET_ARN],
            ] as const) {
                const { s, executionRole } = correctStack("update");
                const named = JSON.parse(JSON.stringify(denied).replace('"ROLE"', JSON.stringify(s.arnOf(executionRole)))) as object;
                secretPolicy(s, read({ Principal: { AWS: s.arnOf(executionRole) } }), read(named, "Deny", resource));
                assert.equal(await sufficient(s), true, JSON.stringify(named));
            }
        });
        it("takes nothing away from the role the policy allows when it denies another role, which no Allow of it reaches", async () => {
            const { s, executionRole, taskRole } = correctStack("update");
            secretPolicy(s, read({ Principal: { AWS: s.arnOf(executionRole) } }), read({ Principal: { AWS: s.arnOf(taskRole) } }, "Deny"));
            assert.equal(await sufficient(s), true);
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("takes nothing away when it denies everyone but a principal not known and another role", async () => {
            const { s, executionRole } = correctStack("update");
            secretPolicy(
                s,
                read({ Principal: { AWS: s.arnOf(executionRole) } }),
                read({ NotPrincipal: { AWS: [UNKNOWN, `arn:aws:iam::${ACCOUNT}:role/other`] } }, "Deny"),
            );
            assert.equal(await sufficient(s), true);
        });

        it("takes nothing away when it denies everyone on *, the resource whose ARN is not known", async () => {
            const { s, taskRole } = correctStack("update");
            const grant = repositoryPolicy(s, "guarded", {});
            s.set(grant, {
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [pull({ AWS: s.arnOf(taskRole) }), { Effect: "Deny", Principal: "*", Action: "ecr:BatchGetImage", Resource: "*" }],
                }),
            });
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [grant.urn]);
        });

        it("leaves a permissions boundary to limit what the policy grants the role's ARN when it also denies everyone something", async () => {
            const { s, taskRole } = correctStack("update");
            const boundary = s.policy("boundary", doc(allow(["s3:*", "sqs:*", "ssmmessages:*"])));
            s.set(taskRole, { permissionsBoundary: s.arnOf(boundary) });
            const grant = repositoryPolicy(s, "bounded", {});
            s.set(grant, {
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        pull({ AWS: s.arnOf(taskRole) }),
                        { Effect: "Deny", Principal: "*", Action: "ecr:DeleteRepository", Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app` },
                    ],
                }),
            });
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), []);
        });

        it("says nothing of a Deny whose principal is not known, even one that depends on a role", async () => {
            const { s, taskRole } = correctStack("preview");
            s.other(
                "aws-native:ecr:Repository",
                "app",
                {
                    repositoryPolicyText: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Deny", Principal: { AWS: [UNKNOWN] }, Action: "ecr:DeleteRepository" }],
                    },
                },
                { repositoryPolicyText: [taskRole.urn] },
            );
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });
    });

    describe("documents in a service's own grammar", () => {
        it("judges a statement whose Resource only its service reads, such as API Gateway's execute-api:/*", async () => {
            const { s, executionRole } = correctStack("update");
            const api = s.other("aws:apigateway/restApiPolicy:RestApiPolicy", "api", {
                restApiId: "a1b2c3",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "execute-api:Invoke", Resource: "execute-api:/*" }],
                }),
            });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [api.urn],
            );
            assert.match(reported[0].message, /Statement\[0\], grants execute-api:Invoke beyond ECR image pull, log delivery and secret injection\./);
        });

        it("says a policy that cannot be read at all, and that depends on no role, may name any role", async () => {
            const { s } = correctStack("update");
            const broken = repositoryPolicy(s, "broken", {});
            s.set(broken, { policy: "{not json" });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [broken.urn],
            );
            assert.match(
                reported[0].message,
                /the resource-based policy of aws\.ecr\.RepositoryPolicy "broken" cannot be read \(the policy document is not valid JSON/,
            );
        });
        it("says a policy that writes a Principal twice may name any role, and still counts the statements it could read", async () => {
            const { s, taskRole, executionRole } = correctStack("update");
            const twice = repositoryPolicy(s, "twice", {});
            s.set(twice, {
                policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${s.arnOf(executionRole)}"},"Principal":{"AWS":"${s.arnOf(taskRole)}"},"Action":"ecr:BatchGetImage"}]}`,
            });
            const evaluable = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                evaluable.map((r) => r.urn),
                [twice.urn],
            );
            assert.equal(
                evaluable[0].message,
                'A grant may reach an ECS role but was not evaluated: the resource-based policy of aws.ecr.RepositoryPolicy "twice" cannot be read (the key "Principal" appears twice here, and IAM does not document which of the two it reads: write it once), so whom it names cannot be told; fix the document.',
            );
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [twice.urn]);
        });
    });

    describe("a permissions boundary", () => {
        /** The task role, bounded to the application's own services. */
        function bounded() {
            const { s, taskRole } = correctStack("update");
            const boundary = s.policy("boundary", doc(allow(["s3:*", "sqs:*", "ssmmessages:*"])));
            s.set(taskRole, { permissionsBoundary: s.arnOf(boundary) });
            return { s, taskRole };
        }

        it("limits what a resource-based policy grants the role's ARN", async () => {
            const { s, taskRole } = bounded();
            repositoryPolicy(s, "by-arn", pull({ AWS: s.arnOf(taskRole) }));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), []);
        });

        it("limits nothing that a resource-based policy grants everyone or a session, which IAM does not bound", async () => {
            const { s, taskRole } = bounded();
            const everyone = repositoryPolicy(s, "everyone", pull("*"));
            const session = repositoryPolicy(s, "session", pull({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/${s.nameOf(taskRole)}/a1b2` }));
            assert.deepEqual(await urns(ecsTaskRoleNoAgentPermissions, s), [everyone.urn, session.urn]);
        });
    });

    describe("the execution role's needs", () => {
        it("are met by a secret policy that names the execution role, and no scope is asked of a resource-based statement", async () => {
            const { s, executionRole } = correctStack("update");
            const secrets = s.resources.find((r) => r.name === "exec-secrets")!;
            s.set(secrets, {
                policy: doc(
                    allow("ssm:GetParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/*`),
                    allow("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`),
                ),
            });
            assert.equal((await runStackPolicy(ecsExecutionRoleSufficient, s.resources)).length, 1, "the secret is not granted yet");
            s.other("aws:secretsmanager/secretPolicy:SecretPolicy", "db", {
                secretArn: SECRET_ARN,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
                }),
            });
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources), []);
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleLeastPrivilege, s.resources), []);
        });
        it("are met by a secret's aws-native resource policy that names the secret by its name, its * left as *, not read as that name", async () => {
            const { s, executionRole } = correctStack("update");
            const secrets = s.resources.find((r) => r.name === "exec-secrets")!;
            s.set(secrets, { policy: doc(allow("ssm:GetParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/*`)) });
            s.other("aws-native:secretsmanager:ResourcePolicy", "db", {
                secretId: "db",
                resourcePolicy: {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: s.arnOf(executionRole) }, Action: "secretsmanager:GetSecretValue", Resource: "*" }],
                },
            });
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources), []);
        });

        it("are met by the statement of an aws-native EventBusPolicy whose Resource holds a policy variable, read as IAM reads it in a 2012-10-17 document", async () => {
            const { s, executionRole } = correctStack("update");
            const secrets = s.resources.find((r) => r.name === "exec-secrets")!;
            s.set(secrets, { policy: doc(allow("ssm:GetParameters", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/*`)) });
            s.other("aws-native:events:EventBusPolicy", "bus", {
                statementId: "read",
                statement: {
                    Effect: "Allow",
                    Principal: { AWS: s.arnOf(executionRole) },
                    Action: "secretsmanager:GetSecretValue",
                    Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:\${aws:PrincipalTag/secret}-*`,
                },
            });
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources), []);
        });

        it("are met by a KMS grant on a key given by its ID, which grants on *", async () => {
            const { s, executionRole } = correctStack("update");
            const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/9f8e7d6c`;
            s.other("aws:secretsmanager/secret:Secret", "db", { name: "db", arn: SECRET_ARN, kmsKeyId: key });
            assert.equal((await runStackPolicy(ecsExecutionRoleSufficient, s.resources)).length, 1, "the key is not granted yet");
            s.other("aws:kms/grant:Grant", "decrypt", { keyId: "9f8e7d6c", granteePrincipal: s.arnOf(executionRole), operations: ["Decrypt"] });
            assert.deepEqual(await runStackPolicy(ecsExecutionRoleSufficient, s.resources), []);
        });
    });

    describe("what the pack cannot tell", () => {
        it("takes a policy not known in a preview and depending on nothing as the provider's own output, which grants nothing", async () => {
            // A policy the program set can be unknown only through another resource's output, which the engine records.
            const { s } = correctStack("preview");
            s.other("aws:s3/bucket:Bucket", "assets", { bucket: "assets", policy: UNKNOWN });
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says nothing of a policy not known in a stack with no ECS role in it", async () => {
            const s = new StackBuilder("preview");
            const bucket = s.other("aws:s3/bucket:Bucket", "assets-bucket", { bucket: "assets" });
            s.other("aws:s3/bucketPolicy:BucketPolicy", "assets", { bucket: "assets", policy: UNKNOWN }, { policy: [bucket.urn] });
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says a policy not known in a preview, that depends on no role, may name any", async () => {
            const { s } = correctStack("preview");
            const bucket = s.other("aws:s3/bucket:Bucket", "assets-bucket", { bucket: "assets" });
            const unknown = s.other("aws:s3/bucketPolicy:BucketPolicy", "assets", { bucket: "assets", policy: UNKNOWN }, { policy: [bucket.urn] });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [unknown.urn],
            );
            assert.equal(
                reported[0].message,
                'A grant may reach an ECS role but was not evaluated: the resource-based policy of aws.s3.BucketPolicy "assets" is not known during preview; it may name any principal, every role of its account included; it will be evaluated at `pulumi up`.',
            );
        });

        it("says an aws-native policy whose principal alone is not known may name the role it depends on", async () => {
            const { s, taskRole } = correctStack("preview");
            const repository = s.other(
                "aws-native:ecr:Repository",
                "app",
                {
                    repositoryPolicyText: {
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "ecr:BatchGetImage" }],
                    },
                },
                { repositoryPolicyText: [taskRole.urn] },
            );
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [repository.urn],
            );
            assert.match(
                reported[0].message,
                /a principal of the resource-based policy of awsnative\.ecr\.Repository "app" is not known during preview and depends on this role, so it may grant it permissions/,
            );
        });

        it("says a grant to the role whose actions are not known yet was not fully evaluated", async () => {
            const { s, executionRole } = correctStack("preview");
            const grant = s.other("aws:kms/grant:Grant", "key", {
                keyId: "1234",
                granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(executionRole)}`,
                operations: UNKNOWN,
            });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [grant.urn],
            );
            assert.match(reported[0].message, /the operations of aws\.kms\.Grant "key", which names this role, is not known during preview/);
        });

        it("says a RAM share with the role grants what the pack cannot read", async () => {
            const { s, taskRole } = correctStack("update");
            const share = s.other("aws:ram/principalAssociation:PrincipalAssociation", "share", {
                principal: s.arnOf(taskRole),
                resourceShareArn: `arn:aws:ram:us-east-1:${ACCOUNT}:resource-share/x`,
            });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [share.urn],
            );
            assert.match(
                reported[0].message,
                /aws\.ram\.PrincipalAssociation "share" shares resources with it, with the actions of the share's RAM permissions, which the pack cannot read in IAM terms; judge what it grants by hand/,
            );
        });

        it("says a policy not known in a preview, that depends only on a role no task definition uses, may name any", async () => {
            const { s } = correctStack("preview");
            const spare = s.role("spare");
            const unknown = s.other("aws:s3/bucketPolicy:BucketPolicy", "assets", { bucket: "assets", policy: UNKNOWN }, { policy: [spare.urn] });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        unknown.urn,
                        'A grant may reach an ECS role but was not evaluated: the resource-based policy of aws.s3.BucketPolicy "assets" is not known during preview; it may name any principal, every role of its account included; it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });

        it("takes an empty policy, as the provider reports a bucket with none, as no policy", async () => {
            const { s } = correctStack("update");
            s.other("aws:s3/bucket:Bucket", "assets", { bucket: "assets", arn: "arn:aws:s3:::assets", policy: "" });
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says a principal not known may name the role it depends on, even when another statement, itself with a principal not known, names that role", async () => {
            const { s, taskRole } = correctStack("preview");
            const repository = s.other(
                "aws-native:ecr:Repository",
                "app",
                {
                    repositoryPolicyText: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: [UNKNOWN, `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(taskRole)}`] },
                                Action: "ecr:DescribeImages",
                            },
                            { Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "ecr:BatchGetImage" },
                        ],
                    },
                },
                { repositoryPolicyText: [taskRole.urn] },
            );
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        repository.urn,
                        'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: a principal of the resource-based policy of awsnative.ecr.Repository "app" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });

        it("says nothing of a principal not known beside the role's own ARN in one statement, which is judged for the role whole", async () => {
            const { s, taskRole } = correctStack("preview");
            s.other(
                "aws-native:ecr:Repository",
                "app",
                {
                    repositoryPolicyText: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { AWS: [UNKNOWN, `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(taskRole)}`] },
                                Action: "ecr:DescribeImages",
                            },
                        ],
                    },
                },
                { repositoryPolicyText: [taskRole.urn] },
            );
            assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
        });

        it("says which parts of the statements that reach the role are not known, and none of other statements or of a Principal", async () => {
            const { s, taskRole } = correctStack("preview");
            const taskArn = `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(taskRole)}`;
            const repository = s.other("aws-native:ecr:Repository", "app", {
                repositoryPolicyText: {
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }, Action: ["ecr:BatchGetImage", UNKNOWN] },
                        { Effect: "Allow", Principal: { AWS: taskArn }, Action: ["ecr:DescribeImages", UNKNOWN] },
                        { Effect: "Allow", Principal: { AWS: [taskArn, UNKNOWN] }, Action: "ecr:DescribeRepositories" },
                    ],
                },
            });
            const reported = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
            assert.deepEqual(
                reported.map((r) => [r.urn, r.message]),
                [
                    [
                        repository.urn,
                        'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: Statement[1].Action[1] of the resource-based policy of awsnative.ecr.Repository "app", whose Principal names this role is not known during preview; the rest was judged, and it will be evaluated at `pulumi up`.',
                    ],
                ],
            );
        });

        const pullByTask = (arn: string) => ({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: arn }, Action: "ecr:BatchGetImage", Resource: "*" }],
        });
        const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;
        const odd: { name: string; build: (s: StackBuilder, task: StackResource) => StackResource; expected: (grant: StackResource) => [string, string][] }[] =
            [
                {
                    name: "a string where an object holding the policy should be, depending on the task role: a grant to it that cannot be read",
                    build: (s, task) => s.other("aws-native:dynamodb:Table", "orders", { arn: TABLE_ARN, resourcePolicy: "x" }, { resourcePolicy: [task.urn] }),
                    expected: (grant) => [
                        [
                            grant.urn,
                            'aws.iam.Role "task" is the task role of task definition "app", and the resource-based policy resourcePolicy.policyDocument of awsnative.dynamodb.Table "orders" cannot be read: the policy document is not valid JSON (Unexpected token \'x\', "x" is not valid JSON). The pack cannot tell what it grants a task role: fix the document.',
                        ],
                    ],
                },
                {
                    name: "an object where a list of replicas should be, depending on no role: a grant that may reach any role",
                    build: (s, task) =>
                        s.other("aws-native:dynamodb:GlobalTable", "orders", {
                            arn: TABLE_ARN,
                            replicas: { resourcePolicy: { policyDocument: pullByTask(s.arnOf(task)) } },
                        }),
                    expected: (grant) => [
                        [
                            grant.urn,
                            'A grant may reach an ECS role but was not evaluated: the resource-based policy replicas of awsnative.dynamodb.GlobalTable "orders" cannot be read (the policy document has no Statement), so whom it names cannot be told; fix the document.',
                        ],
                    ],
                },
                {
                    name: "a number among the replicas, beside a replica given as the engine marshals a secret, which is read",
                    build: (s, task) =>
                        s.other("aws-native:dynamodb:GlobalTable", "orders", {
                            arn: TABLE_ARN,
                            replicas: [
                                7,
                                {
                                    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                    value: { resourcePolicy: { policyDocument: pullByTask(s.arnOf(task)) } },
                                },
                            ],
                        }),
                    expected: (grant) => [
                        [
                            grant.urn,
                            'aws.iam.Role "task" is the task role of task definition "app", and the resource-based policy replicas[1].resourcePolicy.policyDocument of awsnative.dynamodb.GlobalTable "orders", whose Principal names this role, Statement[0], grants agent-level action ecr:BatchGetImage. Application code never needs it: image pull belongs on the execution role, so take the task role out of that statement\'s Principal.',
                        ],
                        [
                            grant.urn,
                            'A grant may reach an ECS role but was not evaluated: the resource-based policy replicas[0] of awsnative.dynamodb.GlobalTable "orders" cannot be read (the policy document must be a JSON object, not number 7), so whom it names cannot be told; fix the document.',
                        ],
                    ],
                },
                {
                    name: "a principal that is not a string, depending on the task role",
                    build: (s, task) =>
                        s.other(
                            "aws:lambda/permission:Permission",
                            "invoke",
                            { function: "f", action: "ecr:BatchGetImage", principal: 7 },
                            { principal: [task.urn] },
                        ),
                    expected: (grant) => [
                        [
                            grant.urn,
                            'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: an entry of the principal of aws.lambda.Permission "invoke" (number 7) is not a principal and depends on this role, so it may grant it permissions; fix the value.',
                        ],
                    ],
                },
                {
                    name: "a RAM share's principal that is not a string, depending on the task role",
                    build: (s, task) =>
                        s.other(
                            "aws:ram/principalAssociation:PrincipalAssociation",
                            "share",
                            { principal: [7], resourceShareArn: "x" },
                            { principal: [task.urn] },
                        ),
                    expected: (grant) => [
                        [
                            grant.urn,
                            'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: an entry of the principal of aws.ram.PrincipalAssociation "share" (number 7) is not a principal and depends on this role, so it may grant it permissions; fix the value.',
                        ],
                    ],
                },
            ];
        for (const { name, build, expected } of odd) {
            it(`says ${name}`, async () => {
                const { s, taskRole } = correctStack("update");
                const grant = build(s, taskRole);
                const reported = [
                    ...(await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources)),
                    ...(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources)),
                ];
                assert.deepEqual(
                    reported.map((r) => [r.urn, r.message]),
                    expected(grant),
                );
            });
        }
    });
});
