import { strict as assert } from "assert";
import fc from "fast-check";
import { ecsExecutionRoleLeastPrivilege } from "../../policies/ecsExecutionRoleLeastPrivilege";
import { ecsExecutionRoleOnlyEcrSecretsLogs } from "../../policies/ecsExecutionRoleOnlyEcrSecretsLogs";
import { ecsExecutionRoleSufficient } from "../../policies/ecsExecutionRoleSufficient";
import { buildEcsStackModel } from "../../policies/stack/ecsModel";
import { IamPolicyDocument, suggestExecutionRolePolicies } from "../../policies/suggest/executionRolePolicy";
import { DOORS, Door, globMatches, phaseArb } from "../helpers/arbitraries";
import { ACCOUNT, EXECUTION_POLICY_ARN, Phase, runStackPolicy, StackBuilder } from "../helpers/stacks";

/**
 * The suggested policy is the fix: over generated task definitions (every kind of need, images in
 * other accounts and Regions, shared roles, Fargate and EC2, keys behind the stack's secrets), the
 * suggestion put on the execution role in place of what it had, through any door, leaves the three
 * execution-role policies quiet; and it holds nothing ecs-execution-role-sufficient does not ask for.
 */
const RUNS = 200;
const MINIMAL_RUNS = 100;

const REGION = "us-east-1";
const OTHER_ACCOUNT = "210987654321";

interface Generated {
    readonly phase: Phase;
    readonly taskDefinitions: readonly { readonly fargate: boolean; readonly containers: readonly Record<string, unknown>[] }[];
    /** The stack's secrets and parameters, with the key that encrypts each. */
    readonly stored: readonly { readonly kind: "secret" | "parameter"; readonly name: string; readonly key: string }[];
    readonly door: Door;
}

const NAMES = ["db", "api-key", "orders/password", "token"];
const GROUPS = ["/ecs/app", "/ecs/side", "app-logs"];
const KEYS = [
    `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111-aaaa`,
    `arn:aws:kms:${REGION}:${ACCOUNT}:key/2222-bbbb`,
    "alias/aws/secretsmanager",
    "alias/app-secrets",
];

const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
const parameterArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}`;

const imageArb = fc.oneof(
    fc
        .record({ account: fc.constantFrom(ACCOUNT, OTHER_ACCOUNT), region: fc.constantFrom(REGION, "eu-west-1"), repo: fc.constantFrom("app", "team/worker") })
        .map(({ account, region, repo }) => `${account}.dkr.ecr.${region}.amazonaws.com/${repo}:1.0`),
    fc.constantFrom("public.ecr.aws/nginx/nginx:1.27", "docker.io/acme/agent:2", "nginx:latest"),
);

/** A `valueFrom` as containers write it: a secret by full or partial ARN (with a JSON key or not), a parameter by ARN or name. */
const valueFromArb = fc.oneof(
    fc.constantFrom(...NAMES).map(secretArn),
    fc.constantFrom(...NAMES).map((n) => `${secretArn(n)}:password::`),
    fc.constantFrom(...NAMES).map((n) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${n}`),
    fc.constantFrom(...NAMES).map(parameterArn),
    fc.constantFrom(...NAMES).map((n) => `/${n}`),
);

const loggingArb = fc.oneof(
    fc.constant(undefined),
    fc
        .record({ group: fc.constantFrom(...GROUPS), region: fc.boolean(), create: fc.boolean(), secretOptions: fc.array(valueFromArb, { maxLength: 1 }) })
        .map(({ group, region, create, secretOptions }) => ({
            logDriver: "awslogs",
            options: { "awslogs-group": group, ...(region ? { "awslogs-region": REGION } : {}), ...(create ? { "awslogs-create-group": "true" } : {}) },
            ...(secretOptions.length ? { secretOptions: secretOptions.map((valueFrom) => ({ name: "TOKEN", valueFrom })) } : {}),
        })),
    fc.constant({ logDriver: "json-file" }),
);

const s3ObjectArb = fc.constantFrom("arn:aws:s3:::app-config/app.env", "arn:aws:s3:::app-config/side.env", "arn:aws:s3:::other-config/x/y.env");

const containerArb = fc
    .record({
        image: imageArb,
        logging: loggingArb,
        secrets: fc.array(valueFromArb, { maxLength: 3 }),
        credentials: fc.option(fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES).map(secretArn)), { nil: undefined }),
        files: fc.array(s3ObjectArb, { maxLength: 2 }),
        firelens: fc.option(s3ObjectArb, { nil: undefined }),
    })
    .map((g): Record<string, unknown> => ({
        name: "c",
        image: g.image,
        essential: true,
        ...(g.logging ? { logConfiguration: g.logging } : {}),
        ...(g.secrets.length ? { secrets: g.secrets.map((valueFrom, j) => ({ name: `S${j}`, valueFrom })) } : {}),
        ...(g.credentials ? { repositoryCredentials: { credentialsParameter: g.credentials } } : {}),
        ...(g.files.length ? { environmentFiles: g.files.map((value) => ({ type: "s3", value })) } : {}),
        ...(g.firelens ? { firelensConfiguration: { type: "fluentbit", options: { "config-file-type": "s3", "config-file-value": g.firelens } } } : {}),
    }));

const generatedArb: fc.Arbitrary<Generated> = fc.record({
    phase: phaseArb,
    taskDefinitions: fc.array(
        fc.record({
            fargate: fc.boolean(),
            containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }).map((cs) => cs.map((c, i) => ({ ...c, name: `c${i}` }))),
        }),
        { minLength: 1, maxLength: 3 },
    ),
    stored: fc.uniqueArray(
        fc.record({ kind: fc.constantFrom("secret" as const, "parameter" as const), name: fc.constantFrom(...NAMES), key: fc.constantFrom(...KEYS) }),
        { selector: (s) => `${s.kind} ${s.name}`, maxLength: 4 },
    ),
    door: fc.constantFrom(...DOORS),
});

/**
 * The generated stack: an execution role shared by the task definitions, granted `grants` (the
 * stack's own over-broad policy before the fix, or the suggestion after it), and a task role.
 */
function build(g: Generated, grants: (s: StackBuilder, role: ReturnType<StackBuilder["role"]>) => void): StackBuilder {
    const s = new StackBuilder(g.phase);
    const executionRole = s.role("exec");
    const taskRole = s.role("task");
    grants(s, executionRole);
    g.taskDefinitions.forEach((td, i) => {
        const r = s.taskDefinition(`td${i}`, { execution: executionRole, task: taskRole }, { requiresCompatibilities: td.fargate ? ["FARGATE"] : ["EC2"] });
        s.containers(r, ...td.containers);
    });
    for (const stored of g.stored) {
        if (stored.kind === "secret")
            s.other("aws:secretsmanager/secret:Secret", `secret-${stored.name}`, { arn: secretArn(stored.name), kmsKeyId: stored.key });
        else
            s.other("aws:ssm/parameter:Parameter", `param-${stored.name}`, {
                name: `/${stored.name}`,
                type: "SecureString",
                keyId: stored.key,
                arn: parameterArn(stored.name),
            });
    }
    return s;
}

/** What the stack had before: AmazonECSTaskExecutionRolePolicy and a broad secrets policy. */
function before(s: StackBuilder, role: ReturnType<StackBuilder["role"]>): void {
    s.rolePolicyAttachment("exec-managed", role, EXECUTION_POLICY_ARN);
    s.rolePolicy(
        "exec-broad",
        role,
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:*", "s3:*"], Resource: "*" }] }),
    );
}

/** Puts a document on the role through one door, as a program would. */
function grant(door: Door, document: IamPolicyDocument | undefined): (s: StackBuilder, role: ReturnType<StackBuilder["role"]>) => void {
    return (s, role) => {
        if (document === undefined) return;
        const text = JSON.stringify(document);
        switch (door) {
            case "inline":
                s.set(role, { inlinePolicies: [{ name: "least-privilege", policy: text }] });
                return;
            case "rolePolicy":
                s.rolePolicy("exec-least-privilege", role, text);
                return;
            case "rolePolicyAttachment":
                s.rolePolicyAttachment("exec-least-privilege", role, s.policy("exec-least-privilege-policy", text));
                return;
            case "policyAttachment":
            case "sharedPolicyAttachment":
                s.policyAttachment("exec-least-privilege", [role], s.policy("exec-least-privilege-policy", text));
                return;
            case "managedPolicyArns":
                s.managedPolicyArns(role, [s.policy("exec-least-privilege-policy", text)]);
                return;
        }
    };
}

/** The suggestion for the generated stack's one execution role, where the tasks run in us-east-1 of ACCOUNT. */
function suggestionFor(g: Generated) {
    const [suggestion] = suggestExecutionRolePolicies(buildEcsStackModel(build(g, before).resources), {
        placeOf: () => ({ partition: "aws", region: REGION, account: ACCOUNT }),
    });
    return suggestion;
}

const EXECUTION_POLICIES = [ecsExecutionRoleOnlyEcrSecretsLogs, ecsExecutionRoleLeastPrivilege, ecsExecutionRoleSufficient];

async function executionFindings(s: StackBuilder): Promise<string[]> {
    const out: string[] = [];
    for (const policy of EXECUTION_POLICIES) for (const r of await runStackPolicy(policy, s.resources)) out.push(`${policy.name}: ${r.message}`);
    return out;
}

/** An ARN split at its first five colons: the resource part keeps the rest. */
function fieldsOf(arn: string): string[] {
    const fields = arn.split(":");
    return [...fields.slice(0, 5), fields.slice(5).join(":")];
}

/**
 * A resource the need stands for in the generated stack: the task runs in us-east-1 of ACCOUNT (the
 * fields its definition leaves out), every secret of the stack ends in -AbCdEf, and the agent names
 * its log stream.
 */
function instance(need: string): string {
    const fields = fieldsOf(need);
    const place = ["arn", "aws", fields[2], REGION, ACCOUNT];
    const head = fields.slice(0, 5).map((field, i) => (field === "*" ? place[i] : field));
    const resource = fields[5].replace(/-\?{6}$/, "-AbCdEf").replace(/:\*$/, ":log-stream:app/c0/0123456789abcdef");
    return [...head, resource].join(":");
}

/**
 * Whether a granted ARN pattern covers a need, read as IAM reads it but by a matcher of this test's
 * own: the partition, service, Region and account each as a glob ignoring case, the resource part
 * as a glob whose `*` runs over `/` and `:`.
 */
function meets(granted: string, need: string | undefined): boolean {
    if (need === undefined) return true;
    const g = fieldsOf(granted);
    const n = fieldsOf(instance(need));
    const resource = new RegExp(`^${[...g[5]].map((ch) => (ch === "*" ? "[^]*" : ch === "?" ? "[^]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`);
    return g.slice(0, 5).every((field, i) => globMatches(field, n[i])) && resource.test(n[5]);
}

describe("property: the suggested execution-role policy is the fix, and no more", () => {
    it(`put on the role in place of what it had, through any door, leaves ecs-execution-role-only-ecr-secrets-logs, -least-privilege and -sufficient quiet (numRuns: ${RUNS})`, async () => {
        await fc.assert(
            fc.asyncProperty(generatedArb, async (g) => {
                // The stack as it was gives the policies something to say, so that quiet after the fix means something.
                assert.notDeepEqual(await executionFindings(build(g, before)), []);
                const suggestion = suggestionFor(g);
                assert.notEqual(suggestion.status, "unknown");
                assert.deepEqual(await executionFindings(build(g, grant(g.door, suggestion.document))), []);
            }),
            { numRuns: RUNS },
        );
    });

    it(`holds only actions and ARNs some container needs, and drops none of them without some container losing what it needs (numRuns: ${MINIMAL_RUNS})`, async () => {
        await fc.assert(
            fc.asyncProperty(generatedArb, async (g) => {
                const document = suggestionFor(g).document;
                if (document === undefined) return;
                const model = buildEcsStackModel(build(g, before).resources);
                // What ecs-execution-role-sufficient asks of the role: every need, but image pull and logs only on Fargate.
                const needs = model.taskDefinitions.flatMap((td) =>
                    td.needs.kind === "known" ? td.needs.needs.filter((n) => n.kind === "secret" || n.kind === "s3File" || td.fargate) : [],
                );
                for (const [i, st] of document.Statement.entries()) {
                    const resources = [st.Resource].flat();
                    for (const action of [st.Action].flat()) {
                        const asking = needs.filter((n) => n.actions.includes(action));
                        for (const resource of resources) {
                            const met = asking.filter((n) => (resource === "*" ? action === "ecr:GetAuthorizationToken" : meets(resource, n.arn?.text)));
                            assert.ok(met.length > 0, `${action} on ${resource} is asked for by no container`);
                            // Some need it meets, no other resource of the statement meets: without it, a container goes without.
                            const alone = met.some((n) => resources.every((other) => other === resource || !meets(other, n.arn?.text)));
                            assert.ok(alone || resource.includes("<kms-key-id"), `${action} on ${resource} only repeats what another resource grants`);
                        }
                    }
                    // And without the statement, the sufficiency policy itself finds a task that cannot start.
                    const reduced = build(g, grant("inline", { ...document, Statement: document.Statement.filter((_, j) => j !== i) }));
                    assert.notDeepEqual(await runStackPolicy(ecsExecutionRoleSufficient, reduced.resources), [], `without ${st.Sid} nothing is missing`);
                }
            }),
            { numRuns: MINIMAL_RUNS },
        );
    });
});
