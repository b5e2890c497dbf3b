import { strict as assert } from "assert";
import { ResourceValidationArgs } from "@pulumi/policy";
import { ecsTaskAndExecutionRolesDistinct as policy, sameRoleByValue } from "../policies/ecsTaskAndExecutionRolesDistinct";
import { StackResource } from "../policies/stack/resources";
import { correctStack, PHASES, runStackPolicy, UNKNOWN } from "./helpers/stacks";

/** Runs the per-resource check the way Analyze does, props behind the SDK's proxy, and waits for it. */
async function analyze(r: StackResource): Promise<string[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };
    const reported: string[] = [];
    const args = {
        type: r.type,
        urn: r.urn,
        name: r.name,
        props: unknownCheckingProxy(structuredClone(r.props) as object),
    } as unknown as ResourceValidationArgs;
    const validate = policy.validateResource;
    if (typeof validate !== "function") throw new Error("the policy has one validateResource function");
    // As @pulumi/policy takes them: a string, or a diagnostic object.
    await validate(args, (message: unknown) => reported.push(typeof message === "string" ? message : (message as { message: string }).message));
    return reported;
}

const BOTH_TAIL =
    "its task role and its execution role. Create a separate execution role that carries only ECR image pull, log delivery and secret injection, and give the application's own permissions to the task role.";

describe(policy.name, () => {
    for (const phase of PHASES) {
        it(`passes separate task and execution roles (${phase})`, async () => {
            const { s, taskDefinition } = correctStack(phase);
            assert.deepEqual(await runStackPolicy(policy, s.resources), []);
            assert.deepEqual(await analyze(taskDefinition), []);
        });
    }

    it("flags one role for both during a preview, linked by dependency, against the task definition", async () => {
        const { s, executionRole } = correctStack("preview");
        const td = s.taskDefinition("shared", { execution: executionRole, task: executionRole });
        const reported = await runStackPolicy(policy, s.resources);
        assert.deepEqual(reported, [
            {
                urn: td.urn,
                message: `Task definition "shared" uses aws.iam.Role "exec" as both its task role and its execution role. Create a separate execution role that carries only ECR image pull, log delivery and secret injection, and give the application's own permissions to the task role.`,
            },
        ]);
        assert.deepEqual(await analyze(td), [], "an unknown ARN cannot be compared per resource");
    });

    it("flags one role for both after the update already per resource, and not twice", async () => {
        const { s, executionRole } = correctStack("update");
        const td = s.taskDefinition("shared", { execution: executionRole, task: executionRole });
        assert.deepEqual(await analyze(td), [`Task definition "shared" uses the role "arn:aws:iam::123456789012:role/exec-a1b2c3d" as both ${BOTH_TAIL}`]);
        assert.deepEqual(await runStackPolicy(policy, s.resources), []);
    });

    it("flags the same role named by ARN in one place and by name in the other", async () => {
        const { s, executionRole } = correctStack("update");
        const td = s.taskDefinition("mixed", { execution: s.arnOf(executionRole), task: s.nameOf(executionRole) });
        assert.deepEqual(await analyze(td), [`Task definition "mixed" uses the role "exec-a1b2c3d" as both ${BOTH_TAIL}`]);
    });

    it("tells same-named roles of different accounts apart by their ARNs", () => {
        assert.equal(sameRoleByValue("arn:aws:iam::111111111111:role/app", "arn:aws:iam::222222222222:role/app"), false);
        assert.equal(sameRoleByValue("arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/app"), true);
        assert.equal(sameRoleByValue("arn:aws:iam::111111111111:role/path/app", "app"), true);
        assert.equal(sameRoleByValue(UNKNOWN, UNKNOWN), false);
        assert.equal(sameRoleByValue("", ""), false);
        assert.equal(sameRoleByValue(undefined, 7), false);
    });

    it("takes role names that differ only in case for the same role, as IAM does", () => {
        assert.equal(sameRoleByValue("arn:aws:iam::111111111111:role/App", "arn:aws:iam::111111111111:role/app"), true);
        assert.equal(sameRoleByValue("arn:aws:iam::111111111111:role/path/APP", "app"), true);
        assert.equal(sameRoleByValue("App", "aPP"), true);
        assert.equal(sameRoleByValue("App", "Apps"), false);
    });

    it("flags one role for both of a daemon task definition per resource, and names it a daemon task definition", async () => {
        const { s, executionRole } = correctStack("update");
        const daemon = s.other("aws:ecs/daemonTaskDefinition:DaemonTaskDefinition", "agent", {
            family: "agent",
            executionRoleArn: s.arnOf(executionRole),
            taskRoleArn: s.arnOf(executionRole),
        });
        assert.deepEqual(await analyze(daemon), [`Daemon task definition "agent" uses the role "${s.arnOf(executionRole)}" as both ${BOTH_TAIL}`]);
    });

    it("ignores resources other than task definitions per resource", async () => {
        const { executionRole } = correctStack("update");
        assert.deepEqual(await analyze({ ...executionRole, props: { executionRoleArn: "a", taskRoleArn: "a" } }), []);
    });
});
