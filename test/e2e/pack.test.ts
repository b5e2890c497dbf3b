// The whole pack, launched and driven as the Pulumi CLI drives it: GetAnalyzerInfo, Configure, Analyze per resource
// and AnalyzeStack, in a preview (new resources, ARNs unknown) and in an update (everything known).

import { strict as assert } from "assert";
import * as path from "path";
import { PackSession, PolicyConfigError, PolicySummary, RpcMethod, startPack, UNKNOWN } from "../helpers/engine";
import { toEngineResources } from "../helpers/engineResources";
import { allow, correctStack, doc, EXECUTION_POLICY_ARN, managedArn, Phase, StackBuilder } from "../helpers/stacks";
import { DISTINCT, EVALUABLE, EXECUTION, LEAST, sorted, SUFFICIENT, TASK, TRUST, verdicts } from "../helpers/verdicts";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

async function deploy(session: PackSession, s: StackBuilder) {
    return session.deploy(toEngineResources(s.resources));
}

// The mistakes each phase is tested with, each one change to the correct stack.

function adminOnExecutionRole(phase: Phase) {
    const { s, executionRole } = correctStack(phase);
    const grant = s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
    return { s, grant };
}

function executionPolicyOnTaskRole(phase: Phase) {
    const { s, taskRole } = correctStack(phase);
    const grant = s.rolePolicyAttachment("task-managed", taskRole, EXECUTION_POLICY_ARN);
    return { s, grant };
}

/** The execution role given as taskRoleArn too: the usual way one role ends up in both places. */
function oneRoleForBoth(phase: Phase) {
    const { s, executionRole, taskDefinition } = correctStack(phase);
    s.set(taskDefinition, { taskRoleArn: s.arnOf(executionRole) }, { taskRoleArn: [executionRole.urn] });
    // The shared role is now a task role, so the ECR pull it carries is judged too.
    const executionManaged = s.resources.find((r) => r.name === "exec-managed")!;
    return { s, taskDefinition, executionManaged };
}

function executionRoleGranting(phase: Phase, action: string) {
    const { s, executionRole } = correctStack(phase);
    const grant = s.rolePolicy("exec-env-files", executionRole, doc(allow(action, "arn:aws:s3:::app-config/app.env")));
    return { s, grant };
}

describe("ecs-role-guard, driven as the Pulumi CLI drives it", function () {
    this.timeout(30000);
    let preview: PackSession;
    let update: PackSession;

    before(async () => {
        [preview, update] = await Promise.all([startPack(PACK_DIR, { preview: true }), startPack(PACK_DIR, { preview: false })]);
    });

    after(async () => {
        await Promise.all([preview?.close(), update?.close()]);
    });

    describe("GetAnalyzerInfo and Configure", () => {
        it("lists exactly the seven policies with their types, default levels and severities", () => {
            assert.equal(update.info.name, "ecs-role-guard");
            assert.equal(update.info.supportsConfig, true);
            assert.deepEqual(
                update.info.policies.map((p) => [p.name, p.policyType, p.enforcementLevel, p.severity]),
                [
                    [EXECUTION, "stack", "mandatory", "high"],
                    [TASK, "stack", "mandatory", "high"],
                    // The SDK lists a policy with both validateResource and validateStack as a resource policy.
                    [DISTINCT, "resource", "mandatory", "medium"],
                    [EVALUABLE, "stack", "advisory", "low"],
                    [LEAST, "stack", "advisory", "medium"],
                    [SUFFICIENT, "stack", "mandatory", "high"],
                    [TRUST, "stack", "advisory", "medium"],
                ],
            );
        });

        it("gives each policy a description, remediation steps and tags", () => {
            for (const p of update.info.policies) {
                assert.match(p.description, /^[A-Z].*\.$/, p.name);
                assert.ok(p.remediationSteps.length > 0, p.name);
                assert.ok(p.tags.includes("ecs"), p.name);
            }
        });

        it("publishes the config schemas: action lists defaulting to [], externalRoles on every policy that judges roles, exemptions on all", () => {
            const schemas = Object.fromEntries(update.info.policies.map((p) => [p.name, p.configSchema]));
            // The descriptions are prose; everything else is the contract the CLI validates against.
            const withoutDescriptions = (schema: PolicySummary["configSchema"]) =>
                schema && {
                    required: schema.required,
                    properties: Object.fromEntries(
                        Object.entries(schema.properties).map(([k, v]) => {
                            const { description, ...rest } = v as Record<string, unknown>;
                            assert.equal(typeof description, "string", k);
                            return [k, rest];
                        }),
                    ),
                };
            const actionList = { type: "array", items: { type: "string", minLength: 1 }, default: [] };
            const externalRoles = { type: "object", default: {}, additionalProperties: { type: "array", items: { type: ["string", "object"], minLength: 1 } } };
            const properties = (name: string) => Object.keys(withoutDescriptions(schemas[name])?.properties ?? {}).sort();
            assert.deepEqual(withoutDescriptions(schemas[EXECUTION])?.properties.additionalAllowedActions, actionList);
            assert.deepEqual(withoutDescriptions(schemas[TASK])?.properties.additionalAgentActions, actionList);
            for (const name of [EXECUTION, TASK, EVALUABLE, LEAST, SUFFICIENT])
                assert.deepEqual(withoutDescriptions(schemas[name])?.properties.externalRoles, externalRoles, name);
            assert.deepEqual(properties(EXECUTION), ["additionalAllowedActions", "exemptions", "externalRoles"]);
            assert.deepEqual(properties(TASK), ["additionalAgentActions", "exemptions", "externalRoles"]);
            for (const name of [EVALUABLE, LEAST, SUFFICIENT]) assert.deepEqual(properties(name), ["exemptions", "externalRoles"], name);
            for (const name of [DISTINCT, TRUST]) assert.deepEqual(properties(name), ["exemptions"], name);
        });

        it("is configured with each policy's default level and the schema defaults", () => {
            assert.deepEqual(update.config, {
                [EXECUTION]: { enforcementLevel: "mandatory", properties: { additionalAllowedActions: [], externalRoles: {}, exemptions: [] } },
                [TASK]: { enforcementLevel: "mandatory", properties: { additionalAgentActions: [], externalRoles: {}, exemptions: [] } },
                [DISTINCT]: { enforcementLevel: "mandatory", properties: { exemptions: [] } },
                [EVALUABLE]: { enforcementLevel: "advisory", properties: { externalRoles: {}, exemptions: [] } },
                [LEAST]: { enforcementLevel: "advisory", properties: { externalRoles: {}, exemptions: [] } },
                [SUFFICIENT]: { enforcementLevel: "mandatory", properties: { externalRoles: {}, exemptions: [] } },
                [TRUST]: { enforcementLevel: "advisory", properties: { exemptions: [] } },
            });
        });
    });

    describe("a preview of new resources", () => {
        it("passes the correct stack without a single diagnostic", async () => {
            const result = await deploy(preview, correctStack("preview").s);
            assert.equal(result.stackAnalyzed, true);
            assert.deepEqual(verdicts(result.all), []);
        });

        it("flags AdministratorAccess attached to the execution role, against the attachment linked by propertyDependencies", async () => {
            const { s, grant } = adminOnExecutionRole("preview");
            assert.equal(s.arnOf(s.resources[0]), UNKNOWN, "the roles' ARNs are unknown in this phase");
            const result = await deploy(preview, s);
            // AdministratorAccess also grants logs:CreateLogGroup, which this task definition does not need.
            assert.deepEqual(
                verdicts(result.all),
                sorted([
                    [EXECUTION, "mandatory", grant.urn],
                    [LEAST, "advisory", grant.urn],
                ]),
            );
            assert.deepEqual(verdicts(result.stack), verdicts(result.all), "found by the stack policies");
            assert.match(result.all[0].message, /AdministratorAccess/);
        });

        it("flags AmazonECSTaskExecutionRolePolicy attached to the task role, against the attachment", async () => {
            const { s, grant } = executionPolicyOnTaskRole("preview");
            const result = await deploy(preview, s);
            assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", grant.urn]]);
            assert.match(result.all[0].message, /ecr:GetDownloadUrlForLayer/);
        });

        it("flags one role used as both roles against the task definition, in AnalyzeStack since the ARNs are unknown", async () => {
            const { s, taskDefinition, executionManaged } = oneRoleForBoth("preview");
            const result = await deploy(preview, s);
            assert.deepEqual(verdicts(result.analyze), []);
            assert.deepEqual(
                verdicts(result.stack),
                sorted([
                    [DISTINCT, "mandatory", taskDefinition.urn],
                    [TASK, "mandatory", executionManaged.urn],
                ]),
            );
        });

        it("reports an execution role policy whose document is unknown as advisory, and nothing else", async () => {
            const { s, executionRole } = correctStack("preview");
            const grant = s.rolePolicy("exec-later", executionRole, UNKNOWN);
            const result = await deploy(preview, s);
            assert.deepEqual(verdicts(result.all), [[EVALUABLE, "advisory", grant.urn]]);
            assert.match(result.all[0].message, /pulumi up/);
        });
    });

    describe("an update, with everything known", () => {
        it("passes the correct stack without a single diagnostic", async () => {
            const result = await deploy(update, correctStack("update").s);
            assert.equal(result.stackAnalyzed, true);
            assert.deepEqual(verdicts(result.all), []);
        });

        it("flags AdministratorAccess attached to the execution role, against the attachment", async () => {
            const { s, grant } = adminOnExecutionRole("update");
            const result = await deploy(update, s);
            assert.deepEqual(
                verdicts(result.all),
                sorted([
                    [EXECUTION, "mandatory", grant.urn],
                    [LEAST, "advisory", grant.urn],
                ]),
            );
            assert.deepEqual(verdicts(result.stack), verdicts(result.all), "found by the stack policies");
        });

        it("flags AmazonECSTaskExecutionRolePolicy attached to the task role, against the attachment", async () => {
            const { s, grant } = executionPolicyOnTaskRole("update");
            const result = await deploy(update, s);
            assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", grant.urn]]);
        });

        it("flags one role used as both roles already in Analyze, and the update stops at the task definition", async () => {
            const { s, taskDefinition } = oneRoleForBoth("update");
            const result = await deploy(update, s);
            assert.deepEqual(verdicts(result.analyze), [[DISTINCT, "mandatory", taskDefinition.urn]]);
            assert.equal(result.bailedAt, taskDefinition.urn);
            assert.equal(result.stackAnalyzed, false);
            assert.match(result.analyze[0].message, /as both its task role and its execution role/);
        });
    });

    describe("policy config, as --policy-pack-config gives it", () => {
        afterEach(async () => {
            await update.configure();
        });

        it("turns every mandatory finding advisory with { all: advisory }, so the update reaches AnalyzeStack", async () => {
            await update.configure({ all: "advisory" });
            const { s, taskDefinition, executionManaged } = oneRoleForBoth("update");
            const result = await deploy(update, s);
            assert.equal(result.stackAnalyzed, true);
            assert.deepEqual(verdicts(result.analyze), [[DISTINCT, "advisory", taskDefinition.urn]]);
            assert.deepEqual(verdicts(result.stack), [[TASK, "advisory", executionManaged.urn]]);
        });

        it("turns AdministratorAccess on the execution role advisory with { all: advisory }", async () => {
            await update.configure({ all: "advisory" });
            const { s, grant } = adminOnExecutionRole("update");
            assert.deepEqual(
                verdicts((await deploy(update, s)).all),
                sorted([
                    [EXECUTION, "advisory", grant.urn],
                    [LEAST, "advisory", grant.urn],
                ]),
            );
        });

        it("removes the execution-role findings when that policy is disabled", async () => {
            await update.configure({ [EXECUTION]: "disabled" });
            const { s, grant } = adminOnExecutionRole("update");
            assert.deepEqual(verdicts((await deploy(update, s)).all), [[LEAST, "advisory", grant.urn]]);
        });

        it("keeps the other policies mandatory when only the execution-role policy is disabled", async () => {
            await update.configure({ [EXECUTION]: "disabled" });
            const { s, grant } = executionPolicyOnTaskRole("update");
            assert.deepEqual(verdicts((await deploy(update, s)).all), [[TASK, "mandatory", grant.urn]]);
        });

        it("passes s3:GetObject on the execution role once additionalAllowedActions allows it", async () => {
            const { s, grant } = executionRoleGranting("update", "s3:GetObject");
            assert.deepEqual(verdicts((await deploy(update, s)).all), [[EXECUTION, "mandatory", grant.urn]], "flagged by default");
            await update.configure({ [EXECUTION]: { additionalAllowedActions: ["s3:GetObject"] } });
            assert.deepEqual(verdicts((await deploy(update, s)).all), []);
        });

        it("still flags s3:PutObject on the execution role when additionalAllowedActions allows only s3:GetObject", async () => {
            await update.configure({ [EXECUTION]: { additionalAllowedActions: ["s3:GetObject"] } });
            const { s, grant } = executionRoleGranting("update", "s3:PutObject");
            const result = await deploy(update, s);
            assert.deepEqual(verdicts(result.all), [[EXECUTION, "mandatory", grant.urn]]);
            assert.match(result.all[0].message, /s3:PutObject/);
        });

        it("flags an action on the task role once additionalAgentActions names it", async () => {
            await update.configure({ [TASK]: { additionalAgentActions: ["sqs:SendMessage"] } });
            const { s } = correctStack("update");
            const taskApp = s.resources.find((r) => r.name === "task-app")!;
            const result = await deploy(update, s);
            assert.deepEqual(verdicts(result.all), [[TASK, "mandatory", taskApp.urn]]);
            assert.match(result.all[0].message, /sqs:SendMessage/);
        });

        it("rejects additionalAllowedActions given as a string before anything is analysed", async () => {
            const rpcs: RpcMethod[] = [];
            await assert.rejects(
                startPack(PACK_DIR, {
                    config: { [EXECUTION]: { additionalAllowedActions: "s3:*" } },
                    onRpc: (m) => rpcs.push(m),
                }),
                (e: unknown) => {
                    assert.ok(e instanceof PolicyConfigError);
                    assert.deepEqual(
                        e.validationErrors.map((line) => line.replace(/^validating policy config: ecs-role-guard \S+ {2}/, "")),
                        [`${EXECUTION}: additionalAllowedActions: Invalid type. Expected: array, given: string`],
                    );
                    return true;
                },
            );
            assert.deepEqual(rpcs, ["Handshake", "ConfigureStack", "GetAnalyzerInfo"]);
        });
    });
});
