// Documents IAM would accept, boundaries and Denies with parts not known yet, and environment-file scopes,
// driven through the whole pack as the Pulumi CLI drives it, in a preview of new resources and in an update.

import { strict as assert } from "assert";
import * as path from "path";
import { Diagnostic, PackSession, startPack } from "../helpers/engine";
import { toEngineResources } from "../helpers/engineResources";
import {
    ACCOUNT,
    allow,
    appContainer,
    ASSUME_ECS_TASKS,
    correctStack,
    deny,
    doc,
    EXECUTION_POLICY_ARN,
    Phase,
    PHASES,
    SECRET_ARN,
    StackBuilder,
    UNKNOWN,
} from "../helpers/stacks";
import { EVALUABLE, EXECUTION, LEAST, sorted, SUFFICIENT, TASK, TRUST, Verdict, verdicts } from "../helpers/verdicts";
import { StackResource } from "../../policies/stack/resources";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

/** The findings, which policy at which level against which resource, whatever order the policies ran in. */
function assertVerdicts(diagnostics: readonly Diagnostic[], expected: Verdict[]): void {
    assert.deepEqual(verdicts(diagnostics), sorted(expected));
}

/** The one message a policy reported against a resource. */
function messageOf(diagnostics: readonly Diagnostic[], policyName: string, urn: string): string {
    const found = diagnostics.filter((d) => d.policyName === policyName && d.urn === urn);
    assert.equal(found.length, 1, `one ${policyName} finding against ${urn}`);
    return found[0].message;
}

/** The AWS-managed execution policy attached to the task role: ECR image pull, which no task role may carry. */
function pullOnTaskRole(phase: Phase) {
    const stack = correctStack(phase);
    const grant = stack.s.rolePolicyAttachment("task-pull", stack.taskRole, EXECUTION_POLICY_ARN);
    return { ...stack, grant };
}

/** Long Resource lists, to take a document past a size quota: each ARN is 53 characters, 56 with its quotes and comma. */
function padding(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `arn:aws:s3:::padding-bucket-${String(i).padStart(6, "0")}/objects/0000000000`);
}

/** An aws-native inline policy of a role, naming it by its (known) name, as `aws-native:iam:RolePolicy` does. */
function nativeRolePolicy(s: StackBuilder, name: string, role: StackResource, document: object): StackResource {
    return s.other(
        "aws-native:iam:RolePolicy",
        name,
        { roleName: s.nameOf(role), policyName: `${name}-p`, policyDocument: document },
        { roleName: [role.urn] },
    );
}

/** An aws-native managed policy, whose document keeps an unknown at the leaf. */
function nativeManagedPolicy(s: StackBuilder, name: string, document: object): StackResource {
    return s.other("aws-native:iam:ManagedPolicy", name, {
        managedPolicyName: `${name}-m`,
        policyArn: s.phase === "preview" ? UNKNOWN : `arn:aws:iam::${ACCOUNT}:policy/${name}-m`,
        policyDocument: document,
    });
}

function withBoundary(s: StackBuilder, role: StackResource, policy: StackResource): void {
    const arn = (policy.props.arn ?? policy.props.policyArn) as string;
    s.set(role, { permissionsBoundary: arn }, { permissionsBoundary: [policy.urn] });
}

describe("documents IAM would accept, driven as the Pulumi CLI drives it", function () {
    this.timeout(60000);
    const sessions: Partial<Record<Phase, PackSession>> = {};

    before(async () => {
        [sessions.preview, sessions.update] = await Promise.all([startPack(PACK_DIR, { preview: true }), startPack(PACK_DIR, { preview: false })]);
    });

    after(async () => {
        await Promise.all([sessions.preview?.close(), sessions.update?.close()]);
    });

    async function deploy(phase: Phase, s: StackBuilder) {
        const session = sessions[phase];
        assert.ok(session, `a ${phase} session`);
        // Preview and update both reach AnalyzeStack here: no case has a mandatory per-resource finding.
        const result = await session.deploy(toEngineResources(s.resources));
        assert.equal(result.stackAnalyzed, true);
        return result.all;
    }

    for (const phase of PHASES) {
        describe(`a Deny in a document IAM would reject takes nothing away (${phase})`, () => {
            /** The task role carries ECR pull, and an inline policy meant to deny it that breaks one of IAM's rules. */
            async function guarded(document: string) {
                const { s, taskRole, grant } = pullOnTaskRole(phase);
                const guard = s.rolePolicy("task-guard", taskRole, document);
                return { grant, guard, all: await deploy(phase, s) };
            }

            it("passes the task role once the Deny is one IAM accepts", async () => {
                const { all } = await guarded(doc(deny("ecr:*", "*", { Sid: "NoImagePull" })));
                assertVerdicts(all, []);
            });

            const RULES: { name: string; document: string; fault: RegExp }[] = [
                {
                    name: "a Version IAM does not know",
                    document: JSON.stringify({ Version: "2012-10-18", Statement: [deny("ecr:*")] }),
                    fault: /: Version: Version must be "2012-10-17" or "2008-10-17", not "2012-10-18"\./,
                },
                {
                    name: "an Effect in the wrong case",
                    document: doc(deny("ecr:*", "*", { Effect: "deny" })),
                    fault: /: Statement\[0\]\.Effect: Effect must be exactly "Allow" or "Deny", not "deny"\./,
                },
                {
                    name: "a Sid with a hyphen",
                    document: doc(deny("ecr:*", "*", { Sid: "no-image-pull" })),
                    fault: /: Statement\[0\]\.Sid: Sid "no-image-pull" may hold only the letters A-Z and a-z and the digits 0-9\./,
                },
                {
                    name: "a Sid repeated",
                    document: doc(deny("ecr:*", "*", { Sid: "Guard" }), deny("ecs:Poll", "*", { Sid: "Guard" })),
                    fault: /: Statement\[1\]\.Sid: Sid "Guard" is also the Sid of Statement\[0\]: each Sid must be unique within the document\./,
                },
                {
                    name: "a character outside Latin-1",
                    document: doc(deny("ecr:*"), deny("s3:DeleteBucket", "*", { Condition: { StringEquals: { "aws:PrincipalTag/team": "☃" } } })),
                    fault: /: Statement\[1\]\.Condition\.StringEquals\.aws:PrincipalTag\/team: U\+2603 \("☃"\) is not a character IAM accepts in a policy document/,
                },
                {
                    name: "an action with two colons",
                    document: doc(deny(["ecr:*", "ecr:ecr:PutImage"])),
                    fault: /: Statement\[0\]\.Action\[1\]: "ecr:ecr:PutImage" holds 2 colons: an action is service:action, with one\./,
                },
                {
                    name: "a service prefix with a space",
                    document: doc(deny(["ecr:*", "ec r:*"])),
                    fault: /: Statement\[0\]\.Action\[1\]: "ec r:\*" has a service prefix IAM does not accept \(it holds a character other than letters, digits, "-", "\." and wildcards\)\./,
                },
                {
                    name: "a Resource ARN whose partition is not one",
                    document: doc(deny("ecr:*"), deny("s3:DeleteBucket", "arn:amazon:s3:::logs")),
                    fault: /: Statement\[1\]\.Resource: "arn:amazon:s3:::logs" names no partition: "amazon" is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc\./,
                },
                {
                    name: "a condition operator IAM does not know",
                    document: doc(deny("ecr:*"), allow("s3:GetObject", "*", { Condition: { StringEqual: { "aws:PrincipalTag/team": "app" } } })),
                    fault: /: Statement\[1\]\.Condition\.StringEqual: "StringEqual" is not a condition operator\./,
                },
            ];

            for (const { name, document, fault } of RULES) {
                it(`keeps the grant and says the deployment will fail, for ${name}`, async () => {
                    const { grant, guard, all } = await guarded(document);
                    assertVerdicts(all, [
                        [TASK, "mandatory", grant.urn],
                        [TASK, "mandatory", guard.urn],
                    ]);
                    const rejected = messageOf(all, TASK, guard.urn);
                    assert.match(
                        rejected,
                        /^aws\.iam\.Role "task" is the task role of task definition "app", and IAM would reject aws\.iam\.RolePolicy "task-guard": /,
                    );
                    assert.match(rejected, fault);
                    assert.match(rejected, /The deployment of that document will fail, and none of its Denies takes anything away here: fix the document\.$/);
                    assert.match(
                        messageOf(all, TASK, grant.urn),
                        /The Deny at Statement\[0\] of aws\.iam\.RolePolicy "task-guard" would take them away, but IAM would reject that document\.$/,
                    );
                });
            }

            it("keeps the grant and says the document cannot be read when its Deny writes Effect twice", async () => {
                const { grant, guard, all } = await guarded(
                    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"ecr:*","Resource":"*"}]}',
                );
                assertVerdicts(all, [
                    [TASK, "mandatory", grant.urn],
                    [TASK, "mandatory", guard.urn],
                ]);
                assert.equal(
                    messageOf(all, TASK, guard.urn),
                    'aws.iam.Role "task" is the task role of task definition "app", and aws.iam.RolePolicy "task-guard" cannot be read: Statement[0]: the key "Effect" appears twice here, and IAM does not document which of the two it reads: write it once. The pack cannot tell what it grants a task role: fix the document.',
                );
            });

            it("keeps the grant when a managed policy meant to deny it is over IAM's quota of 6,144 characters", async () => {
                const { s, taskRole, grant } = pullOnTaskRole(phase);
                // 6,586 characters: 115 padding ARNs and the two statements.
                const guard = s.policy("task-guard", doc(deny("ecr:*"), deny("s3:DeleteObject", padding(115))));
                const attachment = s.rolePolicyAttachment("task-guard-attachment", taskRole, guard);
                const all = await deploy(phase, s);
                assertVerdicts(all, [
                    [TASK, "mandatory", grant.urn],
                    [TASK, "mandatory", attachment.urn],
                ]);
                assert.match(
                    messageOf(all, TASK, attachment.urn),
                    /IAM would reject aws\.iam\.Policy "task-guard" \(attached by aws\.iam\.RolePolicyAttachment "task-guard-attachment"\): it holds 6,586 characters \(whitespace not counted\), over IAM's quota of 6,144 for a managed policy\. The deployment of that document will fail/,
                );
            });

            it("passes a managed policy of the same Deny under the quota", async () => {
                const { s, taskRole } = pullOnTaskRole(phase);
                // 5,746 characters.
                const guard = s.policy("task-guard", doc(deny("ecr:*"), deny("s3:DeleteObject", padding(100))));
                s.rolePolicyAttachment("task-guard-attachment", taskRole, guard);
                assertVerdicts(await deploy(phase, s), []);
            });

            it("keeps the grant when the role's inline policies together are over IAM's quota of 10,240 characters", async () => {
                const { s, taskRole, grant } = pullOnTaskRole(phase);
                // 5,466 and 5,416 characters, and the task's own inline policy of 434: 11,316 together.
                s.rolePolicy("task-guard", taskRole, doc(deny("ecr:*"), deny("s3:DeleteObject", padding(95))));
                s.rolePolicy("task-more", taskRole, doc(deny("s3:DeleteBucket", padding(95))));
                const all = await deploy(phase, s);
                assertVerdicts(all, [
                    [TASK, "mandatory", grant.urn],
                    [TASK, "mandatory", taskRole.urn],
                ]);
                assert.match(
                    messageOf(all, TASK, taskRole.urn),
                    /^aws\.iam\.Role "task" is the task role of task definition "app", and the inline policies of aws\.iam\.Role "task" together hold 11,316 characters \(whitespace not counted\), over IAM's quota of 10,240 for a role\. IAM rejects the inline policy that takes the role over it, so the deployment of one of them will fail/,
                );
                assert.match(
                    messageOf(all, TASK, grant.urn),
                    /The Deny at Statement\[0\] of aws\.iam\.RolePolicy "task-guard" would take them away, but IAM would reject that document\./,
                );
            });

            it("counts an inline policy the provider also lists on its role once", async () => {
                const { s, taskRole } = pullOnTaskRole(phase);
                // 5,466 characters, which counted twice would be over 10,240.
                const document = doc(deny("ecr:*"), deny("s3:DeleteObject", padding(95)));
                s.rolePolicy("task-guard", taskRole, document);
                // After a refresh the provider lists the RolePolicy among the role's own inline policies too.
                s.set(taskRole, { inlinePolicies: [{ name: "task-guard-p", policy: document }] });
                assertVerdicts(await deploy(phase, s), []);
            });

            it("says that a trust policy over IAM's default quota of 2,048 characters will be rejected", async () => {
                const { s, taskRole } = correctStack(phase);
                const trust = JSON.parse(ASSUME_ECS_TASKS) as { Statement: Record<string, unknown>[] };
                trust.Statement[0].Condition = { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": padding(35) } };
                s.set(taskRole, { assumeRolePolicy: JSON.stringify(trust) });
                const all = await deploy(phase, s);
                assertVerdicts(all, [[TRUST, "advisory", taskRole.urn]]);
                assert.match(
                    messageOf(all, TRUST, taskRole.urn),
                    /has a trust policy of 2,189 characters \(whitespace not counted\), over IAM's default quota of 2,048 for a role trust policy: unless the account's quota was raised, IAM will reject it and the deployment of the role will fail\./,
                );
            });
        });

        describe(`Allows that apply to nothing, and NotResource read the right way round (${phase})`, () => {
            it("passes an execution role with an Allow of every action on NotResource star: it applies to no resource", async () => {
                const { s, executionRole } = correctStack(phase);
                s.rolePolicy(
                    "exec-nothing",
                    executionRole,
                    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", NotResource: "*" }] }),
                );
                assertVerdicts(await deploy(phase, s), []);
            });

            it("flags an execution role with an Allow of every action on NotResource of one bucket", async () => {
                const { s, executionRole } = correctStack(phase);
                const grant = s.rolePolicy(
                    "exec-nothing",
                    executionRole,
                    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::one-bucket" }] }),
                );
                assertVerdicts(await deploy(phase, s), [
                    [EXECUTION, "mandatory", grant.urn],
                    [LEAST, "advisory", grant.urn],
                ]);
            });

            /** The execution role's secrets policy granted on every resource but those named. */
            function secretsOnAllBut(notResource: string[]) {
                const { s, executionRole, taskDefinition } = correctStack(phase);
                const secrets = s.resources.find((r) => r.name === "exec-secrets")!;
                s.set(secrets, {
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameters"], NotResource: notResource },
                            allow("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`),
                        ],
                    }),
                });
                return { s, executionRole, taskDefinition };
            }

            it("flags a task that needs a secret its execution role grants on every resource but that secret", async () => {
                const { s, taskDefinition } = secretsOnAllBut([SECRET_ARN]);
                const all = await deploy(phase, s);
                assertVerdicts(all, [[SUFFICIENT, "mandatory", taskDefinition.urn]]);
                assert.equal(
                    messageOf(all, SUFFICIENT, taskDefinition.urn),
                    `Task definition "app" cannot start as written: container "app" secrets[0].valueFrom needs secretsmanager:GetSecretValue on ${SECRET_ARN}, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. \`ecs-role-guard suggest\` prints the exact policy the role needs.`,
                );
            });

            it("passes a task whose execution role grants the secret on every resource but another", async () => {
                const { s } = secretsOnAllBut([`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:other-XyZ123`]);
                assertVerdicts(await deploy(phase, s), []);
            });
        });

        describe(`resources matched as IAM matches ARNs, field by field (${phase})`, () => {
            /**
             * The execution role pulls the task's image and writes the streams of `group` only (in place of
             * AmazonECSTaskExecutionRolePolicy, which writes every group's); the container logs to /ecs/app.
             */
            function logsOnly(group: string) {
                const { s, executionRole, taskDefinition } = correctStack(phase);
                s.remove("exec-managed");
                s.rolePolicy(
                    "exec-pull-logs",
                    executionRole,
                    doc(
                        allow("ecr:GetAuthorizationToken"),
                        allow(
                            ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                            `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
                        ),
                        allow(["logs:CreateLogStream", "logs:PutLogEvents"], `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group}:*`),
                    ),
                );
                return { s, taskDefinition };
            }

            it("flags a container logging to /ecs/app when its execution role writes the streams of /ecs/side only", async () => {
                const { s, taskDefinition } = logsOnly("/ecs/side");
                const all = await deploy(phase, s);
                assertVerdicts(all, [[SUFFICIENT, "mandatory", taskDefinition.urn]]);
                assert.equal(
                    messageOf(all, SUFFICIENT, taskDefinition.urn),
                    'Task definition "app" cannot start as written: container "app" logConfiguration (awslogs) needs logs:CreateLogStream and logs:PutLogEvents on arn:*:logs:us-east-1:*:log-group:/ecs/app:*, which its execution role aws.iam.Role "exec" is not granted. Grant them to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
                );
            });

            it("passes the same container when its execution role writes the streams of /ecs/app", async () => {
                assertVerdicts(await deploy(phase, logsOnly("/ecs/app").s), []);
            });

            it("flags a parameter named by its name when the execution role reads only another path of parameters", async () => {
                const { s, taskDefinition } = correctStack(phase);
                s.containers(
                    taskDefinition,
                    appContainer({
                        secrets: [
                            { name: "DB_PASSWORD", valueFrom: SECRET_ARN },
                            { name: "API_KEY", valueFrom: "/db/api-key" },
                        ],
                    }),
                );
                const all = await deploy(phase, s);
                assertVerdicts(all, [[SUFFICIENT, "mandatory", taskDefinition.urn]]);
                assert.equal(
                    messageOf(all, SUFFICIENT, taskDefinition.urn),
                    'Task definition "app" cannot start as written: container "app" secrets[1].valueFrom needs ssm:GetParameters on arn:*:ssm:*:*:parameter/db/api-key, which its execution role aws.iam.Role "exec" is not granted. Grant it to the execution role. `ecs-role-guard suggest` prints the exact policy the role needs.',
                );
            });

            it("flags a container whose log group's streams an unconditional Deny takes away wherever the task runs", async () => {
                const { s, executionRole, taskDefinition } = correctStack(phase);
                s.rolePolicy("exec-no-app-logs", executionRole, doc(deny("logs:*", "arn:*:logs:*:*:log-group:/ecs/app:*")));
                const all = await deploy(phase, s);
                assertVerdicts(all, [[SUFFICIENT, "mandatory", taskDefinition.urn]]);
                assert.match(
                    messageOf(all, SUFFICIENT, taskDefinition.urn),
                    /needs logs:CreateLogStream and logs:PutLogEvents on arn:\*:logs:us-east-1:\*:log-group:\/ecs\/app:\*, which/,
                );
            });
        });

        describe(`Denies and conditions on the execution role's needs (${phase})`, () => {
            it("passes a task whose execution role denies everything without TLS: an aws:SecureTransport guard removes no need", async () => {
                const { s, executionRole } = correctStack(phase);
                s.rolePolicy("exec-tls", executionRole, doc(deny("*", "*", { Condition: { Bool: { "aws:SecureTransport": "false" } } })));
                assertVerdicts(await deploy(phase, s), []);
            });

            it("flags a task whose execution role denies Secrets Manager outright", async () => {
                const { s, executionRole, taskDefinition } = correctStack(phase);
                s.rolePolicy("exec-deny", executionRole, doc(deny("secretsmanager:*")));
                const all = await deploy(phase, s);
                assertVerdicts(all, [[SUFFICIENT, "mandatory", taskDefinition.urn]]);
                assert.match(messageOf(all, SUFFICIENT, taskDefinition.urn), /needs secretsmanager:GetSecretValue on arn:aws:secretsmanager:/);
            });
        });

        describe(`permissions boundaries (${phase})`, () => {
            it("passes a task role whose boundary denies the ECR pull it is granted", async () => {
                const { s, taskRole } = pullOnTaskRole(phase);
                withBoundary(s, taskRole, s.policy("task-boundary", doc(allow("*"), deny("ecr:*"))));
                assertVerdicts(await deploy(phase, s), []);
            });

            it("flags the ECR pull when the boundary allows everything and denies nothing", async () => {
                const { s, taskRole, grant } = pullOnTaskRole(phase);
                withBoundary(s, taskRole, s.policy("task-boundary", doc(allow("*"))));
                assertVerdicts(await deploy(phase, s), [[TASK, "mandatory", grant.urn]]);
            });

            it("flags the ECR pull when the boundary that denies it is a document IAM would reject, and says both", async () => {
                const { s, taskRole, grant } = pullOnTaskRole(phase);
                withBoundary(s, taskRole, s.policy("task-boundary", doc(allow("*"), deny("ecr:*", "*", { Sid: "no-pull" }))));
                const all = await deploy(phase, s);
                assertVerdicts(all, [
                    [TASK, "mandatory", grant.urn],
                    [TASK, "mandatory", taskRole.urn],
                ]);
                assert.match(
                    messageOf(all, TASK, taskRole.urn),
                    /and IAM would reject its permissions boundary, aws\.iam\.Policy "task-boundary" \(attached by permissionsBoundary of aws\.iam\.Role "task"\): Statement\[1\]\.Sid: Sid "no-pull" may hold only/,
                );
                assert.match(
                    messageOf(all, TASK, grant.urn),
                    /The permissions boundary aws\.iam\.Policy "task-boundary" \(attached by permissionsBoundary of aws\.iam\.Role "task"\) would exclude them, but IAM would reject it\.$/,
                );
            });
        });
    }

    describe("boundaries and Denies with parts not known yet", () => {
        /** A boundary that lets through only s3:GetObject, and, in a preview, an action not known yet. */
        function openBoundary(phase: Phase) {
            const { s, taskRole, grant } = pullOnTaskRole(phase);
            const actions = phase === "preview" ? ["s3:GetObject", UNKNOWN] : ["s3:GetObject"];
            const boundary = nativeManagedPolicy(s, "task-boundary", {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
            });
            withBoundary(s, taskRole, boundary);
            return { s, taskRole, grant };
        }

        it("keeps a forbidden grant in a preview while only a part of the boundary not known yet could exclude it, and says so", async () => {
            const { s, taskRole, grant } = openBoundary("preview");
            const all = await deploy("preview", s);
            assertVerdicts(all, [
                [TASK, "mandatory", grant.urn],
                [EVALUABLE, "advisory", taskRole.urn],
            ]);
            assert.match(
                messageOf(all, TASK, grant.urn),
                /remove them from the task role\. This stands unless the permissions boundary, awsnative.iam.ManagedPolicy "task-boundary" \(attached by permissionsBoundary of aws\.iam\.Role "task"\), part of which is not known during preview, excludes them\.$/,
            );
            assert.equal(
                messageOf(all, EVALUABLE, taskRole.urn),
                'aws.iam.Role "task", the task role of task definition "app", was judged with only the known part of its permissions boundary: Statement[0].Action[1] of awsnative.iam.ManagedPolicy "task-boundary" (attached by permissionsBoundary of aws.iam.Role "task") is not known during preview, and until it is known the boundary is taken to exclude nothing through it; it will be evaluated at `pulumi up`.',
            );
        });

        it("passes the same role in the update, once the boundary is known to let through only s3:GetObject", async () => {
            assertVerdicts(await deploy("update", openBoundary("update").s), []);
        });

        it("keeps a forbidden grant in a preview while the whole boundary is not known, and says so", async () => {
            const { s, taskRole, grant } = pullOnTaskRole("preview");
            s.set(taskRole, { permissionsBoundary: UNKNOWN });
            const all = await deploy("preview", s);
            assertVerdicts(all, [
                [TASK, "mandatory", grant.urn],
                [EVALUABLE, "advisory", taskRole.urn],
            ]);
            assert.match(
                messageOf(all, TASK, grant.urn),
                /This stands unless the permissions boundary, the policy named by the permissionsBoundary of aws\.iam\.Role "task", not known during preview, excludes them\.$/,
            );
        });

        /** The task role's own Deny, with NotAction not known in a preview: it would deny all but s3, ECR pull included. */
        function openDeny(phase: Phase) {
            const { s, taskRole, grant } = pullOnTaskRole(phase);
            const guard = nativeRolePolicy(s, "task-guard", taskRole, {
                Version: "2012-10-17",
                Statement: [{ Effect: "Deny", NotAction: phase === "preview" ? UNKNOWN : ["s3:*", "sqs:*", "ssmmessages:*"], Resource: "*" }],
            });
            return { s, grant, guard };
        }

        it("keeps a forbidden grant in a preview while only a Deny not known in full could take it away, and says so", async () => {
            const { s, grant, guard } = openDeny("preview");
            const all = await deploy("preview", s);
            assertVerdicts(all, [
                [TASK, "mandatory", grant.urn],
                [EVALUABLE, "advisory", guard.urn],
            ]);
            assert.match(
                messageOf(all, TASK, grant.urn),
                /This stands unless the Deny at Statement\[0\] of awsnative.iam.RolePolicy "task-guard", part of which is not known during preview, takes them away\.$/,
            );
            assert.match(
                messageOf(all, EVALUABLE, guard.urn),
                /Statement\[0\]\.NotAction of awsnative.iam.RolePolicy "task-guard" is not known during preview/,
            );
        });

        it("passes the same role in the update, once the Deny is known to take the ECR pull away", async () => {
            assertVerdicts(await deploy("update", openDeny("update").s), []);
        });
    });

    describe("environment-file scopes", () => {
        /** The execution role reads the task's environment file, named by an S3 ARN whose key holds a wildcard character. */
        function envFile(phase: Phase, key: string, grantedOn = `arn:aws:s3:::config/${key}`) {
            const { s, executionRole, taskDefinition } = correctStack(phase);
            s.containers(taskDefinition, appContainer({ environmentFiles: [{ value: `arn:aws:s3:::config/${key}`, type: "s3" }] }));
            const files = s.rolePolicy(
                "exec-files",
                executionRole,
                doc(allow("s3:GetObject", grantedOn), allow("s3:GetBucketLocation", "arn:aws:s3:::config")),
            );
            return { s, files, taskDefinition };
        }

        for (const phase of PHASES) {
            it(`passes reads scoped to exactly the task's own file (${phase})`, async () => {
                assertVerdicts(await deploy(phase, envFile(phase, "app.env").s), []);
            });

            for (const key of ["*.env", "app?.env"]) {
                it(`flags reads scoped to a key holding ${key.includes("*") ? "*" : "?"}, a pattern to IAM even when the file's key holds it (${phase})`, async () => {
                    const { s, files } = envFile(phase, key);
                    const all = await deploy(phase, s);
                    assertVerdicts(all, [[EXECUTION, "mandatory", files.urn]]);
                    assert.match(
                        messageOf(all, EXECUTION, files.urn),
                        new RegExp(
                            `grants s3:GetObject beyond ECR image pull, log delivery and secret injection\\. IAM reads \\* and \\? in a Resource as wildcards, even where an S3 key holds them, so arn:aws:s3:::config/${key.replace(/[*?.]/g, "\\$&")} is a pattern, not just the task's own file\\. Remove it`,
                        ),
                    );
                });
            }
        }

        it("flags s3:GetObject on every bucket in a preview where the containers are not known", async () => {
            const { s, executionRole, taskDefinition } = correctStack("preview");
            s.set(taskDefinition, { containerDefinitions: UNKNOWN });
            const files = s.rolePolicy("exec-files", executionRole, doc(allow("s3:GetObject", "arn:aws:s3:::*")));
            const all = await deploy("preview", s);
            assertVerdicts(all, [
                [EXECUTION, "mandatory", files.urn],
                [EVALUABLE, "advisory", taskDefinition.urn],
            ]);
        });

        it("flags s3:GetObject on every bucket in the update, where the containers name one file", async () => {
            const { s, files } = envFile("update", "app.env", "arn:aws:s3:::*");
            assertVerdicts(await deploy("update", s), [[EXECUTION, "mandatory", files.urn]]);
        });
    });
});
