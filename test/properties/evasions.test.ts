import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs as execPolicy } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsTaskRoleNoAgentPermissions as taskPolicy } from "../../policies/ecsTaskRoleNoAgentPermissions";
import { EXECUTION_ROLE_ALLOWED as EXECUTION_ROLE_ACTIONS, TASK_ROLE_FORBIDDEN } from "../helpers/independent";
import { Catalog, loadCatalog } from "../helpers/arbitraries";
import { allow, correctStack, deny, doc, Phase, PHASES, runStackPolicy } from "../helpers/stacks";

const ECS_AGENT_ACTIONS = TASK_ROLE_FORBIDDEN.filter((a) => a.startsWith("ecs:"));

/**
 * Evasions that fooled other IAM scanners, each kept as a regression test named after the trick
 * and the tool it fooled (see FACTS.md, "Evasions"). Every case runs in a preview and after the update.
 */

type Capacity = "execution" | "task";

/** The correct stack plus one aws.iam.RolePolicy with these statements on the given role; the findings of that role's policy. */
async function withGrant(phase: Phase, capacity: Capacity, ...statements: object[]) {
    const { s, executionRole, taskRole } = correctStack(phase);
    const grant = s.rolePolicy("evasion", capacity === "execution" ? executionRole : taskRole, doc(...statements));
    const reported = await runStackPolicy(capacity === "execution" ? execPolicy : taskPolicy, s.resources);
    return { grant, reported };
}

/** Every finding is against the grant, and one of them says what `message` says. */
async function assertFlagged(capacity: Capacity, message: RegExp | undefined, ...statements: object[]): Promise<void> {
    for (const phase of PHASES) {
        const { grant, reported } = await withGrant(phase, capacity, ...statements);
        assert.deepEqual([...new Set(reported.map((r) => r.urn))], [grant.urn], `in ${phase}`);
        if (message) {
            const messages = reported.map((r) => r.message);
            assert.ok(
                messages.some((m) => message.test(m)),
                `in ${phase}, no finding matches ${message}:\n${messages.join("\n")}`,
            );
        }
    }
}

async function assertCompliant(capacity: Capacity, ...statements: object[]): Promise<void> {
    for (const phase of PHASES) {
        const { reported } = await withGrant(phase, capacity, ...statements);
        assert.deepEqual(reported, [], `in ${phase}`);
    }
}

const n = (count: number) => count.toLocaleString("en-US");
const notAction = (actions: string | string[]) => ({ Effect: "Allow", NotAction: actions, Resource: "*" });

describe("known evasions of other IAM scanners", () => {
    let c: Catalog;
    before(async () => {
        c = await loadCatalog();
    });

    describe("an invalid action inside NotAction grants everything (prowler PR #5035)", () => {
        it('flags Allow NotAction "prowler:action" on an execution role as granting every catalog action beyond the allowlist', async () => {
            await assertFlagged("execution", new RegExp(`with NotAction grants ${n(c.execForbidden.length)} actions beyond`), notAction("prowler:action"));
        });

        it("flags Allow NotAction with a misspelt action on a task role as granting every agent-level action", async () => {
            await assertFlagged(
                "task",
                /with NotAction grants agent-level actions ecr:BatchCheckLayerAvailability, .* and 7 more\./,
                notAction(["ecr:GetAuthorisationToken"]),
            );
        });

        it("flags Allow NotAction holding a non-action (no colon) on an execution role", async () => {
            await assertFlagged("execution", undefined, notAction(["not-an-action"]));
        });
    });

    describe("`**` in a pattern (prowler PR #7708)", () => {
        it('flags "**" on an execution role as granting every action', async () => {
            await assertFlagged("execution", /grants "\*\*" \([\d,]+ actions, such as iam:/, allow("**"));
        });

        it('flags "ecr:**" on an execution role with the push actions it adds', async () => {
            await assertFlagged("execution", new RegExp(`grants "ecr:\\*\\*" \\(${c.expand("ecr:*").length - 5} actions`), allow("ecr:**"));
        });

        it('flags "e**:P**l" on a task role as granting ecs:Poll', async () => {
            await assertFlagged("task", /grants agent-level action ecs:Poll\./, allow("e**:P**l"));
        });
    });

    describe("case-sensitive matching (trivy-checks PR #413)", () => {
        it('flags "ECR:PutImage" and "SQS:*" on an execution role', async () => {
            await assertFlagged("execution", /grants ecr:PutImage and "SQS:\*" \(\d+ actions, such as sqs:/, allow(["ECR:PutImage", "SQS:*"]));
        });

        it('flags "ECS:POLL" and "Ecr:batchGETimage" on a task role', async () => {
            await assertFlagged("task", /grants agent-level actions ecr:BatchGetImage and ecs:Poll\./, allow(["ECS:POLL", "Ecr:batchGETimage"]));
        });

        it("passes allowed actions written in other case on an execution role", async () => {
            await assertCompliant("execution", allow(EXECUTION_ROLE_ACTIONS.map((a) => a.toUpperCase())));
        });
    });

    describe("`?` wildcards ignored (cfn-lint PR #4026)", () => {
        it('flags "ecr:PutImag?" on an execution role as ecr:PutImage', async () => {
            await assertFlagged("execution", /grants "ecr:PutImag\?" \(1 action, such as ecr:PutImage\)/, allow("ecr:PutImag?"));
        });

        it('flags "ec?:Pol?" and "???:*" on a task role', async () => {
            await assertFlagged("task", /grants agent-level action ecs:Poll\./, allow("ec?:Pol?"));
            await assertFlagged("task", /grants agent-level actions ecr:BatchCheckLayerAvailability, .* and 7 more\./, allow("???:*"));
        });

        it('passes "ecr:BatchGetImag?" on an execution role: it matches only ecr:BatchGetImage', async () => {
            await assertCompliant("execution", allow("ecr:BatchGetImag?"));
        });
    });

    describe("NotAction statements skipped", () => {
        it('flags Allow NotAction "s3:*" on an execution role', async () => {
            await assertFlagged("execution", /with NotAction grants [\d,]+ actions beyond .* such as iam:/, notAction("s3:*"));
        });

        it("flags Allow NotAction of every agent action but one on a task role, naming that one", async () => {
            const allButPoll = [...ECS_AGENT_ACTIONS.filter((a) => a !== "ecs:Poll"), "ecr:*"];
            await assertFlagged("task", /with NotAction grants agent-level action ecs:Poll\./, notAction(allButPoll));
        });
    });

    describe("a Deny compared by exact string (Cloudsplaining)", () => {
        it('lets Deny "ECR:put*" take ecr:PutImage away', async () => {
            await assertCompliant("execution", allow("ecr:PutImage"), deny("ECR:put*"));
        });

        it('lets Deny "ecr:*" take ecr:PutImage away', async () => {
            await assertCompliant("execution", allow("ecr:PutImage"), deny("ecr:*"));
        });

        it('lets Deny "ECR:PUTIMAGE" take ecr:PutImage away', async () => {
            await assertCompliant("execution", allow("ecr:PutImage"), deny("ECR:PUTIMAGE"));
        });

        it('does not let Deny "ecr:PutImage" take away the other actions of "ecr:*"', async () => {
            await assertFlagged(
                "execution",
                new RegExp(`grants "ecr:\\*" \\(${c.expand("ecr:*").length - 5 - 1} actions`),
                allow("ecr:*"),
                deny("ecr:PutImage"),
            );
        });

        it('does not let Deny "ecr:PutImage*" take away what "ecr:Put*" grants besides', async () => {
            const rest = c.expand("ecr:Put*").length - c.expand("ecr:PutImage*").length;
            assert.ok(rest > 1, "ecr:Put* matches more than ecr:PutImage*");
            await assertFlagged(
                "execution",
                new RegExp(`grants "ecr:Put\\*" \\(${rest} actions, such as ecr:PutAccountSetting`),
                allow("ecr:Put*"),
                deny("ecr:PutImage*"),
            );
        });

        it('does not let Deny "ecs:Poll" take away the other agent actions of "ecs:*" on a task role', async () => {
            for (const phase of PHASES) {
                const { grant, reported } = await withGrant(phase, "task", allow("ecs:*"), deny("ecs:Poll"));
                assert.deepEqual(
                    reported.map((r) => r.urn),
                    [grant.urn],
                );
                assert.match(reported[0].message, /grants agent-level actions ecs:DeregisterContainerInstance, .* and 1 more\./);
                assert.doesNotMatch(reported[0].message, /ecs:Poll\b/);
            }
        });
    });

    describe("a one-item Action list read as a string only (prowler PR #2796)", () => {
        it('flags Action ["*"] on an execution role', async () => {
            await assertFlagged("execution", /grants "\*" \(/, allow(["*"]));
        });
    });

    describe("a wildcard service prefix expanded to nothing (@cloud-copilot/iam-expand)", () => {
        it('flags "*:Poll" on a task role as ecs:Poll', async () => {
            await assertFlagged("task", /grants agent-level action ecs:Poll\./, allow("*:Poll"));
        });

        it('flags "*:PutImage" on an execution role', async () => {
            await assertFlagged("execution", /grants "\*:PutImage" \(\d+ actions?, such as ecr:PutImage/, allow("*:PutImage"));
        });
    });

    describe("patterns turned into unescaped regular expressions (@cloud-copilot/iam-expand)", () => {
        it('reports "ecr:Put[I]mage" and "ecr:(Put)Image" on an execution role as matching no known action, not as ecr:PutImage or nothing', async () => {
            await assertFlagged(
                "execution",
                /grants ecr:Put\[I\]mage and ecr:\(Put\)Image, which match no known IAM action/,
                allow(["ecr:Put[I]mage", "ecr:(Put)Image"]),
            );
        });
    });
});
