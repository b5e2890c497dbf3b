// Values of a type the pack did not expect where a grant meets its role, through the whole pack as the Pulumi CLI
// drives it, in a preview of new resources and in an update: a grant is judged or said, never dropped.

import { strict as assert } from "assert";
import { Diagnostic } from "../helpers/engine";
import { packPerPhase } from "../helpers/packPerPhase";
import { correctStack, EXECUTION_POLICY_ARN, Phase, PHASES, UNKNOWN } from "../helpers/stacks";
import { EVALUABLE, sorted, TASK, TRUST, Verdict, verdicts } from "../helpers/verdicts";

function assertVerdicts(diagnostics: readonly Diagnostic[], expected: Verdict[], phase: Phase): void {
    assert.deepEqual(verdicts(diagnostics), sorted(expected), phase);
}

/** The one message a policy reported against a resource. */
function messageOf(diagnostics: readonly Diagnostic[], policyName: string, urn: string): string {
    const found = diagnostics.filter((d) => d.policyName === policyName && d.urn === urn);
    assert.equal(found.length, 1, `one ${policyName} finding against ${urn}`);
    return found[0].message;
}

describe("odd values between a grant and its role, driven as the Pulumi CLI drives them", function () {
    this.timeout(30000);
    const deploy = packPerPhase();

    describe("a role named in another case, as IAM looks names up", () => {
        it("flags the task role's pull granted by a RolePolicyAttachment and a repository policy that name it in capitals, depending on nothing", async () => {
            for (const phase of PHASES) {
                const { s } = correctStack(phase);
                const attachment = s.other("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "shouting", {
                    role: "TASK-A1B2C3D",
                    policyArn: EXECUTION_POLICY_ARN,
                });
                const repository = s.other("aws:ecr/repositoryPolicy:RepositoryPolicy", "shouting-repo", {
                    repository: "app",
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/Task-A1B2C3D" }, Action: "ecr:BatchGetImage" }],
                    }),
                });
                const result = await deploy(phase, s);
                assertVerdicts(
                    result.all,
                    [
                        [TASK, "mandatory", attachment.urn],
                        [TASK, "mandatory", repository.urn],
                    ],
                    phase,
                );
            }
        });
    });

    describe("a role whose name output is odd", () => {
        for (const [name, value] of [
            ["a number", 7],
            ["an empty string", ""],
            ["a name its grants do not use", "other-name"],
        ] as const) {
            it(`keeps its RolePolicyAttachment and PolicyAttachment grants, through their dependencies, when the name is ${name}`, async () => {
                for (const phase of PHASES) {
                    const { s, taskRole } = correctStack(phase);
                    const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
                    const shared = s.policyAttachment("task-pull-shared", [taskRole], EXECUTION_POLICY_ARN);
                    const inline = s.resources.find((r) => r.name === "task-app")!;
                    s.set(taskRole, { name: value });
                    const result = await deploy(phase, s);
                    const oddName = typeof value !== "string" || value === "";
                    assertVerdicts(
                        result.all,
                        [
                            ...(oddName ? [[TASK, "mandatory", taskRole.urn] as Verdict] : []),
                            [TASK, "mandatory", attachment.urn],
                            [TASK, "mandatory", shared.urn],
                            [EVALUABLE, "advisory", attachment.urn],
                            [EVALUABLE, "advisory", shared.urn],
                            // After an update the RolePolicy names the role by its id, which the name no longer matches.
                            ...(phase === "update" ? [[EVALUABLE, "advisory", inline.urn] as Verdict] : []),
                        ],
                        phase,
                    );
                    assert.match(
                        messageOf(result.all, EVALUABLE, shared.urn),
                        /aws\.iam\.PolicyAttachment "task-pull-shared" names the role "task-a1b2c3d", which no role of this stack is known to be named, yet the engine records its roles as coming from this role/,
                    );
                    if (oddName) {
                        assert.match(
                            messageOf(result.all, TASK, taskRole.urn),
                            /the name of aws\.iam\.Role "task" cannot be read: name must be a non-empty string, not /,
                        );
                    }
                }
            });
        }
    });

    describe("an aws.iam.PolicyAttachment whose roles is not a list", () => {
        it("judges one name as a list of one, and an object as a grant to the role it depends on that cannot be read", async () => {
            for (const phase of PHASES) {
                const { s, taskRole } = correctStack(phase);
                const attachment = s.policyAttachment("task-pull", [taskRole], EXECUTION_POLICY_ARN);
                s.set(attachment, { roles: s.nameOf(taskRole) });
                assertVerdicts((await deploy(phase, s)).all, [[TASK, "mandatory", attachment.urn]], phase);
                s.set(attachment, { roles: { name: s.nameOf(taskRole) } });
                const result = await deploy(phase, s);
                assertVerdicts(
                    result.all,
                    [
                        [TASK, "mandatory", attachment.urn],
                        [TASK, "mandatory", attachment.urn],
                    ],
                    phase,
                );
                assert.ok(
                    result.all.some(
                        (d) =>
                            d.message ===
                            'aws.iam.Role "task" is the task role of task definition "app", and the roles of aws.iam.PolicyAttachment "task-pull" cannot be read: roles must be a list of role names or ARNs, not an object. The pack cannot tell what it grants a task role: fix the value.',
                    ),
                    phase,
                );
            }
        });
    });

    describe(TRUST, () => {
        it("says it did not judge the trust policy of a role outside the stack", async () => {
            for (const phase of PHASES) {
                const { s, executionRole } = correctStack(phase);
                const td = s.taskDefinition("platform", { execution: executionRole, task: "arn:aws:iam::123456789012:role/platform-task" });
                const result = await deploy(phase, s);
                // The policies that judge task roles each say so too, as they did already.
                assert.deepEqual(
                    result.all.filter((d) => d.policyName === TRUST).map((d) => [d.enforcementLevel, d.urn, d.message]),
                    [
                        [
                            "advisory",
                            td.urn,
                            'Task definition "platform": its task role "arn:aws:iam::123456789012:role/platform-task" is defined outside this stack and was not judged by ecs-role-trust-policy. Judge its trust policy in the stack or account that defines it, or exempt this case with exemptions.',
                        ],
                    ],
                    phase,
                );
            }
        });
    });

    describe("after an update, a value the pack is not given", () => {
        it("says that a role's inline policies it was not given (an encrypted secret) were not evaluated, rather than taking them for none", async () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, { inlinePolicies: UNKNOWN });
            const result = await deploy("update", s);
            assertVerdicts(result.all, [[EVALUABLE, "advisory", taskRole.urn]], "update");
            assert.equal(
                result.all[0].message,
                'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: the inlinePolicies of aws.iam.Role "task" are not known to the pack (an encrypted secret, or a value the engine left unresolved); give the pack the value (for a stack export, `pulumi stack export --show-secrets`) to have it evaluated.',
            );
        });

        it("says that a resource-based policy it was not given may name any role, rather than taking it for none", async () => {
            const { s } = correctStack("update");
            const bucket = s.other("aws:s3/bucketPolicy:BucketPolicy", "assets", { bucket: "assets", policy: UNKNOWN });
            const result = await deploy("update", s);
            assertVerdicts(result.all, [[EVALUABLE, "advisory", bucket.urn]], "update");
            assert.match(
                result.all[0].message,
                /^A grant may reach an ECS role but was not evaluated: the resource-based policy of aws\.s3\.BucketPolicy "assets" is not known to the pack/,
            );
        });

        it("still takes, in a preview, a list the provider computes and the program did not set for none", async () => {
            const { s, taskRole } = correctStack("preview");
            s.set(taskRole, { inlinePolicies: UNKNOWN });
            assertVerdicts((await deploy("preview", s)).all, [], "preview");
        });
    });
});
