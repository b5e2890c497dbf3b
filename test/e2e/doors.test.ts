// Doors beyond a role's identity policies, through the whole pack as the Pulumi CLI drives it: resource-based
// policies and grants that name a role, exclusive attachments, door types the pack does not know, and roles that
// share a name across two providers. Each case is one change to the correct stack, in a preview (new resources,
// ARNs unknown) and in an update (everything known).

import { strict as assert } from "assert";
import { Diagnostic, UNKNOWN } from "../helpers/engine";
import { packPerPhase } from "../helpers/packPerPhase";
import { ACCOUNT, correctStack, EXECUTION_POLICY_ARN, managedArn, Phase, PHASES, providerUrn, StackBuilder } from "../helpers/stacks";

const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";
const TASK = "ecs-task-role-no-agent-permissions";
const EVALUABLE = "ecs-role-permissions-evaluable";
const LEAST = "ecs-execution-role-least-privilege";

type Verdict = [policyName: string, enforcementLevel: string, urn: string];

function verdicts(diagnostics: readonly Diagnostic[]): Verdict[] {
    return diagnostics.map((d): Verdict => [d.policyName, d.enforcementLevel, d.urn]).sort((a, b) => a.join(" ").localeCompare(b.join(" ")));
}

/** A resource-based policy document as the AWS provider hands it to a pack: compact JSON. */
function resourcePolicy(principal: unknown, actions: string[], extra: object = {}): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Grant", Effect: "Allow", Principal: principal, Action: actions, ...extra }] });
}

const IMAGE_PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/**
 * A document built with `pulumi.jsonStringify` from a role's ARN: in a preview of new resources the
 * whole document is unknown, and it depends on the role.
 */
function naming(s: StackBuilder, phase: Phase, role: ReturnType<StackBuilder["role"]>, build: (arn: string) => string): string {
    return phase === "preview" ? UNKNOWN : build(s.arnOf(role));
}

describe("doors beyond identity policies, driven as the Pulumi CLI drives them", function () {
    this.timeout(30000);
    const deploy = packPerPhase();

    describe(TASK, () => {
        it("reports an ECR repository policy that lets the task role pull images, against the repository policy, once its document is known", async () => {
            for (const phase of PHASES) {
                const { s, taskRole } = correctStack(phase);
                const policy = naming(s, phase, taskRole, (arn) => resourcePolicy({ AWS: arn }, IMAGE_PULL));
                const grant = s.other(
                    "aws:ecr/repositoryPolicy:RepositoryPolicy",
                    "app-pull",
                    { repository: "app", policy, registryId: ACCOUNT },
                    { policy: [taskRole.urn] },
                );
                const result = await deploy(phase, s);
                if (phase === "preview") {
                    assert.deepEqual(verdicts(result.all), [[EVALUABLE, "advisory", grant.urn]], phase);
                    assert.match(
                        result.all[0].message,
                        /the resource-based policy of aws\.ecr\.RepositoryPolicy "app-pull" is not known during preview and depends on this role, so it may grant it permissions; it will be evaluated at `pulumi up`/,
                    );
                } else {
                    assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", grant.urn]], phase);
                    assert.equal(
                        result.all[0].message,
                        'aws.iam.Role "task" is the task role of task definition "app", and the resource-based policy of aws.ecr.RepositoryPolicy "app-pull", ' +
                            'whose Principal names this role, Statement[0] (Sid "Grant"), grants agent-level actions ecr:BatchGetImage and ecr:GetDownloadUrlForLayer. ' +
                            "Application code never needs them: image pull belongs on the execution role, so take the task role out of that statement's Principal.",
                    );
                }
            }
        });

        it("reports, already in a preview, a repository policy whose known document names the task role by the ARN its known name makes", async () => {
            const { s, taskRole } = correctStack("preview");
            const policy = resourcePolicy({ AWS: `arn:aws:iam::${ACCOUNT}:role/${s.nameOf(taskRole)}` }, ["ecr:BatchGetImage"]);
            const grant = s.other("aws:ecr/repositoryPolicy:RepositoryPolicy", "app-pull", { repository: "app", policy }, { policy: [taskRole.urn] });
            assert.deepEqual(verdicts((await deploy("preview", s)).all), [[TASK, "mandatory", grant.urn]]);
        });

        it('reports an ECR registry policy whose Principal "*" lets every role of the account pull, the task role among them', async () => {
            for (const phase of PHASES) {
                const { s } = correctStack(phase);
                const grant = s.other("aws:ecr/registryPolicy:RegistryPolicy", "registry", { policy: resourcePolicy("*", IMAGE_PULL), registryId: ACCOUNT });
                const result = await deploy(phase, s);
                assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", grant.urn]], phase);
                assert.match(
                    result.all[0].message,
                    /the resource-based policy of aws\.ecr\.RegistryPolicy "registry", whose Principal "\*" names every principal/,
                );
                assert.match(
                    result.all[0].message,
                    /name in that statement's Principal only the principals that need them, never "\*", which grants every role of the account\.$/,
                );
            }
        });

        it("passes a repository policy that names only the execution role, or the task role in another account", async () => {
            for (const phase of PHASES) {
                const { s, executionRole, taskRole } = correctStack(phase);
                s.other(
                    "aws:ecr/repositoryPolicy:RepositoryPolicy",
                    "exec-pull",
                    {
                        repository: "app",
                        policy: naming(s, phase, executionRole, (arn) => resourcePolicy({ AWS: arn }, IMAGE_PULL)),
                        registryId: ACCOUNT,
                    },
                    { policy: [executionRole.urn] },
                );
                s.other("aws:ecr/repositoryPolicy:RepositoryPolicy", "shared-pull", {
                    repository: "shared",
                    policy: resourcePolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, IMAGE_PULL),
                    registryId: "210987654321",
                });
                if (phase === "update") {
                    // The task role's pull from another account's registry needs its own identity policy too, which it lacks.
                    s.other("aws:ecr/repositoryPolicy:RepositoryPolicy", "cross-account", {
                        repository: "other",
                        policy: resourcePolicy({ AWS: s.arnOf(taskRole) }, IMAGE_PULL),
                        registryId: "210987654321",
                    });
                }
                const result = await deploy(phase, s);
                const evaluable = phase === "preview" ? [[EVALUABLE, "advisory", s.resources.find((r) => r.name === "exec-pull")!.urn]] : [];
                assert.deepEqual(verdicts(result.all), evaluable, phase);
            }
        });

        it("reports RolePolicyAttachmentsExclusive attaching AmazonECSTaskExecutionRolePolicy to the task role, against it", async () => {
            for (const phase of PHASES) {
                const { s, taskRole } = correctStack(phase);
                const grant = s.other(
                    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                    "task-attachments",
                    { roleName: s.nameOf(taskRole), policyArns: [EXECUTION_POLICY_ARN] },
                    { roleName: [taskRole.urn] },
                );
                const result = await deploy(phase, s);
                assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", grant.urn]], phase);
                assert.match(
                    result.all[0].message,
                    /AWS-managed policy AmazonECSTaskExecutionRolePolicy \(attached by aws\.iam\.RolePolicyAttachmentsExclusive "task-attachments"\)/,
                );
            }
        });

        it("reports a PolicyAttachment whose unknown roles list depends on both roles as reaching each of them", async () => {
            for (const phase of PHASES) {
                const { s, executionRole, taskRole } = correctStack(phase);
                const roles = phase === "preview" ? UNKNOWN : [s.nameOf(executionRole), s.nameOf(taskRole)];
                const grant = s.other(
                    "aws:iam/policyAttachment:PolicyAttachment",
                    "admin-everywhere",
                    { name: "admin", roles, policyArn: managedArn("AdministratorAccess") },
                    { roles: [executionRole.urn, taskRole.urn] },
                );
                const result = await deploy(phase, s);
                assert.deepEqual(
                    verdicts(result.all),
                    [
                        [LEAST, "advisory", grant.urn],
                        [EXECUTION, "mandatory", grant.urn],
                        [TASK, "mandatory", grant.urn],
                    ],
                    phase,
                );
            }
        });
    });

    describe(EXECUTION, () => {
        it("reports an S3 bucket policy that lets the execution role write, against the bucket policy, once its document is known", async () => {
            for (const phase of PHASES) {
                const { s, executionRole } = correctStack(phase);
                const policy = naming(s, phase, executionRole, (arn) => resourcePolicy({ AWS: arn }, ["s3:PutObject"], { Resource: "arn:aws:s3:::uploads/*" }));
                const grant = s.other("aws:s3/bucketPolicy:BucketPolicy", "uploads", { bucket: "uploads", policy }, { policy: [executionRole.urn] });
                const result = await deploy(phase, s);
                assert.deepEqual(
                    verdicts(result.all),
                    [[phase === "preview" ? EVALUABLE : EXECUTION, phase === "preview" ? "advisory" : "mandatory", grant.urn]],
                    phase,
                );
                if (phase === "update") {
                    assert.equal(
                        result.all[0].message,
                        'aws.iam.Role "exec" is the execution role of task definition "app", and the resource-based policy of aws.s3.BucketPolicy "uploads", ' +
                            'whose Principal names this role, Statement[0] (Sid "Grant"), grants s3:PutObject beyond ECR image pull, log delivery and secret injection. ' +
                            "Take the execution role out of that statement's Principal, or exempt this case with exemptions. `ecs-role-guard suggest` prints the exact policy the role needs.",
                    );
                }
            }
        });

        it("reports a KMS grant of operations beyond kms:Decrypt to the execution role, against the grant", async () => {
            for (const phase of PHASES) {
                const { s, executionRole } = correctStack(phase);
                const grant = s.other(
                    "aws:kms/grant:Grant",
                    "exec-key",
                    { keyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`, granteePrincipal: s.arnOf(executionRole), operations: ["Decrypt", "Encrypt"] },
                    { granteePrincipal: [executionRole.urn] },
                );
                const result = await deploy(phase, s);
                if (phase === "preview") {
                    assert.deepEqual(verdicts(result.all), [[EVALUABLE, "advisory", grant.urn]]);
                    assert.match(
                        result.all[0].message,
                        /the granteePrincipal of aws\.kms\.Grant "exec-key" is not known during preview and depends on this role/,
                    );
                } else {
                    assert.deepEqual(verdicts(result.all), [[EXECUTION, "mandatory", grant.urn]]);
                    assert.match(
                        result.all[0].message,
                        /aws\.kms\.Grant "exec-key" \(its granteePrincipal\), whose Principal names this role, Statement\[0\], grants kms:Encrypt beyond/,
                    );
                }
            }
        });

        it("reports a Lambda permission that lets the execution role invoke a function, and passes one for a service", async () => {
            for (const phase of PHASES) {
                const { s, executionRole } = correctStack(phase);
                const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:resize`;
                s.other("aws:lambda/permission:Permission", "from-s3", { function: fn, principal: "s3.amazonaws.com", action: "lambda:InvokeFunction" });
                const grant = s.other(
                    "aws:lambda/permission:Permission",
                    "from-exec",
                    { function: fn, principal: s.arnOf(executionRole), action: "lambda:InvokeFunction" },
                    { principal: [executionRole.urn] },
                );
                const result = await deploy(phase, s);
                assert.deepEqual(
                    verdicts(result.all),
                    [[phase === "preview" ? EVALUABLE : EXECUTION, phase === "preview" ? "advisory" : "mandatory", grant.urn]],
                    phase,
                );
                assert.match(
                    result.all[0].message,
                    phase === "preview"
                        ? /the principal of aws\.lambda\.Permission "from-exec" is not known during preview/
                        : /grants lambda:InvokeFunction beyond ECR image pull/,
                );
            }
        });
    });

    describe(EVALUABLE, () => {
        it("says that RolePoliciesExclusive deletes an inline policy the execution role is still given, against it", async () => {
            for (const phase of PHASES) {
                const { s, executionRole } = correctStack(phase);
                const exclusive = s.other(
                    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                    "exec-inline",
                    { roleName: s.nameOf(executionRole), policyNames: [] },
                    { roleName: [executionRole.urn] },
                );
                const result = await deploy(phase, s);
                assert.deepEqual(verdicts(result.all), [[EVALUABLE, "advisory", exclusive.urn]], phase);
                assert.match(
                    result.all[0].message,
                    /aws\.iam\.RolePoliciesExclusive "exec-inline" deletes the inline policy "exec-secrets-p" \(aws\.iam\.RolePolicy "exec-secrets"\) at each update, while that grant is still declared: the pack judges it as granted; list it in policyNames, or remove the inline policy\.$/,
                );
            }
        });

        it("says that a resource of a door type this release does not know depends on the task role, against it", async () => {
            for (const phase of PHASES) {
                const { s, taskRole } = correctStack(phase);
                const future = s.other("aws:iam/roleGrant:RoleGrant", "future", { roleName: s.nameOf(taskRole), grant: "ecr:*" }, { roleName: [taskRole.urn] });
                const result = await deploy(phase, s);
                assert.deepEqual(verdicts(result.all), [[EVALUABLE, "advisory", future.urn]], phase);
                assert.match(
                    result.all[0].message,
                    /aws\.iam\.RoleGrant "future" is of type aws:iam\/roleGrant:RoleGrant, which this release of the pack does not know, and its roleName depends on this role: it may give the role permissions the pack cannot see; upgrade ecs-role-guard, or judge it by hand and exempt it\.$/,
                );
            }
        });
    });

    describe("roles with the same name in two accounts", () => {
        /** The correct stack, its task role named "shared" in the west account, and another role of that name in the east account. */
        function twoAccounts(phase: Phase) {
            const { s, taskRole, taskDefinition } = correctStack(phase);
            const west = providerUrn("west");
            const east = providerUrn("east");
            s.set(taskRole, { name: "shared", ...(phase === "update" ? { arn: `arn:aws:iam::${ACCOUNT}:role/shared`, id: "shared" } : {}) });
            // The task definition's value is the role's ARN output: renamed with it.
            s.set(taskDefinition, { taskRoleArn: s.arnOf(taskRole) });
            s.set(
                s.resources.find((r) => r.name === "task-app")!,
                { role: phase === "update" ? "shared" : UNKNOWN },
            );
            s.provide(taskRole, west);
            s.provide(taskDefinition, west);
            const other = s.role("east-shared", {
                name: "shared",
                ...(phase === "update" ? { arn: "arn:aws:iam::210987654321:role/shared", id: "shared" } : {}),
            });
            s.provide(other, east);
            return { s, taskRole, taskDefinition, west, east };
        }

        it("links an attachment that names the role by name to the role of its own provider, never the last one declared", async () => {
            for (const phase of PHASES) {
                const { s, west, east } = twoAccounts(phase);
                const eastAdmin = s.other("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "east-admin", {
                    role: "shared",
                    policyArn: managedArn("AdministratorAccess"),
                });
                s.provide(eastAdmin, east);
                assert.deepEqual(verdicts((await deploy(phase, s)).all), [], `${phase}: the east role is not in use`);
                s.provide(eastAdmin, west);
                assert.deepEqual(verdicts((await deploy(phase, s)).all), [[TASK, "mandatory", eastAdmin.urn]], `${phase}: the west role is the task role`);
            }
        });

        it("links a task definition that names its task role by bare name to the role of its own provider", async () => {
            for (const phase of PHASES) {
                const { s, taskDefinition } = twoAccounts(phase);
                s.set(taskDefinition, { taskRoleArn: "shared" }, { taskRoleArn: [] });
                const grant = s.resources.find((r) => r.name === "task-app")!;
                s.set(grant, { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ecs:Poll", Resource: "*" }] }) });
                assert.deepEqual(verdicts((await deploy(phase, s)).all), [[TASK, "mandatory", grant.urn]], phase);
            }
        });

        it("says what stays ambiguous, and judges the grant as given to each role of the name", async () => {
            for (const phase of PHASES) {
                const { s, taskDefinition } = twoAccounts(phase);
                const admin = s.other("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", {
                    role: "shared",
                    policyArn: managedArn("AdministratorAccess"),
                });
                const result = await deploy(phase, s);
                assert.deepEqual(
                    verdicts(result.all),
                    [
                        [EVALUABLE, "advisory", admin.urn],
                        [TASK, "mandatory", admin.urn],
                    ],
                    phase,
                );
                assert.match(
                    result.all.find((d) => d.policyName === EVALUABLE)!.message,
                    /aws\.iam\.RolePolicyAttachment "admin" names the role "shared", which 2 roles of this stack are named \(aws\.iam\.Role "task", aws\.iam\.Role "east-shared"\), and neither its dependencies nor its provider tell which: it was judged as granted to each; name the role by its ARN or its resource's output/,
                );
                s.remove("admin");
                s.set(taskDefinition, { taskRoleArn: "shared" }, { taskRoleArn: [] });
                s.provide(taskDefinition, providerUrn("default"));
                const unlinked = await deploy(phase, s);
                assert.deepEqual(verdicts(unlinked.all), [[EVALUABLE, "advisory", taskDefinition.urn]], phase);
                assert.match(
                    unlinked.all[0].message,
                    /taskRoleArn names "shared", which 2 roles of this stack are named .*; set it from the role's arn output/,
                );
            }
        });
    });
});
