import { strict as assert } from "assert";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsRolePermissionsEvaluable } from "../policies/ecsRolePermissionsEvaluable";
import { ecsTaskAndExecutionRolesDistinct } from "../policies/ecsTaskAndExecutionRolesDistinct";
import { ecsTaskRoleNoAgentPermissions } from "../policies/ecsTaskRoleNoAgentPermissions";
import {
    ACCOUNT,
    appContainer,
    correctStack,
    EXECUTION_POLICY_ARN,
    PARAMETER_ARN,
    Phase,
    PHASES,
    runStackPolicy,
    SECRET_ARN,
    StackBuilder,
    UNKNOWN,
    runEveryStackPolicy,
} from "./helpers/stacks";

/** aws-native keeps documents as objects, so an unknown can sit at a single leaf. */
const TRUST = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
    ],
};
const document = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });

/** The correct Fargate setup again, built from aws-native resources. */
function nativeStack(phase: Phase) {
    const s = new StackBuilder(phase);
    const computed = (v: string) => (phase === "preview" ? UNKNOWN : v);
    const role = (name: string, props: Record<string, unknown>) =>
        s.other("aws-native:iam:Role", name, {
            roleName: `${name}-n1`,
            arn: computed(`arn:aws:iam::${ACCOUNT}:role/${name}-n1`),
            assumeRolePolicyDocument: TRUST,
            ...props,
        });
    const executionRole = role("exec", {
        managedPolicyArns: [EXECUTION_POLICY_ARN],
        policies: [
            {
                policyName: "secrets",
                policyDocument: document(
                    { Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameters"], Resource: [SECRET_ARN, PARAMETER_ARN] },
                    { Effect: "Allow", Action: "kms:Decrypt", Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234` },
                ),
            },
        ],
    });
    const taskRole = role("task", {
        policies: [{ policyName: "app", policyDocument: document({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }],
    });
    const taskDefinition = s.other(
        "aws-native:ecs:TaskDefinition",
        "app",
        {
            family: "app",
            requiresCompatibilities: ["FARGATE"],
            containerDefinitions: [appContainer()],
            executionRoleArn: executionRole.props.arn,
            taskRoleArn: taskRole.props.arn,
        },
        { executionRoleArn: [executionRole.urn], taskRoleArn: [taskRole.urn] },
    );
    return { s, executionRole, taskRole, taskDefinition };
}

describe("aws-native resources", () => {
    for (const phase of PHASES) {
        it(`passes the correct setup built from aws-native resources (${phase})`, async () => {
            assert.deepEqual(await runEveryStackPolicy(nativeStack(phase).s.resources), []);
        });
    }

    it("flags an aws-native ManagedPolicy that attaches itself to the execution role", async () => {
        const { s, executionRole } = nativeStack("preview");
        const policy = s.other(
            "aws-native:iam:ManagedPolicy",
            "wide",
            { roles: [UNKNOWN], policyDocument: document({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }), policyArn: UNKNOWN },
            { roles: [executionRole.urn] },
        );
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [policy.urn],
        );
        assert.match(reported[0].message, /awsnative\.iam\.ManagedPolicy "wide" \(attached by its own roles\)/);
    });

    it("flags an aws-native RolePolicy on the task role, linked by roleName", async () => {
        const { s, taskRole } = nativeStack("update");
        const grant = s.other("aws-native:iam:RolePolicy", "pull", {
            roleName: taskRole.props.roleName,
            policyName: "pull",
            policyDocument: document({ Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" }),
        });
        const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
    });

    it("flags an aws-native Policy that names the task role among its roles", async () => {
        const { s, taskRole } = nativeStack("update");
        const grant = s.other("aws-native:iam:Policy", "agent", {
            roles: [taskRole.props.roleName],
            policyName: "agent",
            policyDocument: document({ Effect: "Allow", Action: "ecs:Poll", Resource: "*" }),
        });
        const reported = await runStackPolicy(ecsTaskRoleNoAgentPermissions, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [grant.urn],
        );
    });

    it("judges a statement on its known actions when only its Resource is unknown, and says nothing of that Resource", async () => {
        const { s, executionRole } = nativeStack("preview");
        s.set(executionRole, {
            policies: [{ policyName: "leaf", policyDocument: document({ Effect: "Allow", Action: ["ecr:BatchGetImage", "s3:PutObject"], Resource: UNKNOWN }) }],
        });
        const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
        assert.deepEqual(
            reported.map((r) => r.urn),
            [executionRole.urn],
        );
        assert.match(reported[0].message, /inline policy "leaf" of awsnative\.iam\.Role "exec", Statement\[0\], grants s3:PutObject/);
        assert.deepEqual(await runStackPolicy(ecsRolePermissionsEvaluable, s.resources), []);
    });

    it("judges the known actions of a statement with one unknown action, and says the rest was not known", async () => {
        const { s, executionRole } = nativeStack("preview");
        s.set(executionRole, {
            policies: [{ policyName: "leaf", policyDocument: document({ Effect: "Allow", Action: ["sqs:SendMessage", UNKNOWN], Resource: "*" }) }],
        });
        assert.deepEqual(
            (await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources)).map((r) => r.urn),
            [executionRole.urn],
        );
        const evaluable = await runStackPolicy(ecsRolePermissionsEvaluable, s.resources);
        assert.deepEqual(
            evaluable.map((r) => r.urn),
            [executionRole.urn],
        );
        assert.match(
            evaluable[0].message,
            /Statement\[0\]\.Action\[1\] of inline policy "leaf" of awsnative\.iam\.Role "exec" is not known during preview; the rest was judged/,
        );
    });

    it("judges one role used for both by an aws-native task definition", async () => {
        const { s, executionRole, taskDefinition } = nativeStack("preview");
        s.set(taskDefinition, { taskRoleArn: executionRole.props.arn }, { taskRoleArn: [executionRole.urn] });
        assert.deepEqual(
            (await runStackPolicy(ecsTaskAndExecutionRolesDistinct, s.resources)).map((r) => r.urn),
            [taskDefinition.urn],
        );
    });

    describe("in stacks that mix providers", () => {
        it("links an @pulumi/aws task definition to an aws-native role", async () => {
            const native = nativeStack("update");
            const { s, taskRole } = correctStack("update");
            s.resources.push(native.executionRole);
            s.taskDefinition("mixed", { execution: native.executionRole, task: taskRole });
            assert.deepEqual(await runEveryStackPolicy(s.resources), []);
            s.set(native.executionRole, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
            const reported = await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources);
            assert.deepEqual(
                reported.map((r) => r.urn),
                [native.executionRole.urn],
            );
            assert.match(reported[0].message, /execution role of task definition "mixed"/);
        });

        it("links an aws-native task definition to an @pulumi/aws role, and an @pulumi/aws attachment to an aws-native role", async () => {
            const native = nativeStack("preview");
            const { s, taskRole } = correctStack("preview");
            s.resources.push(native.executionRole, native.taskDefinition);
            s.set(native.taskDefinition, { taskRoleArn: taskRole.props.arn }, { taskRoleArn: [taskRole.urn] });
            const grant = s.other(
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "native-admin",
                { role: native.executionRole.props.roleName, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
                { role: [native.executionRole.urn] },
            );
            assert.deepEqual(
                (await runStackPolicy(ecsExecutionRoleOnlyEcrSecretsLogs, s.resources)).map((r) => r.urn),
                [grant.urn],
            );
        });
    });
});
