import { StackValidationPolicy } from "@pulumi/policy";
import { ExternalRoles, externalRolesProperty, readConfig } from "./config";
import { exemptionsProperty } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, capitalise, Finding, listNames, roleUse, statementLabel, taskDefinitionsLabel } from "./format";
import { docsUrl } from "./packageInfo";
import { ECR_PULL_ACTIONS, EXECUTION_ROLE_ACTIONS } from "./iam/ecsActions";
import { NeededArn } from "./iam/arnPattern";
import { grantsAmong } from "./iam/grants";
import { executionNeeds, judgedDocuments, takeAway, undeclaredRoleFindings } from "./roleDocuments";
import { ExecutionNeed, NeedKind, UNSCOPABLE_ACTIONS } from "./stack/containers";
import { EcsStackModel, rolesUsedAs, TaskDefinitionModel } from "./stack/ecsModel";
import { SUGGEST_POINTER } from "./suggest/pointer";

/** Which allowed actions serve which need, and what to say when no container has that need. */
const PURPOSES: readonly { actions: readonly string[]; needed: (needs: readonly ExecutionNeed[]) => boolean; absent: string }[] = [
    {
        actions: ECR_PULL_ACTIONS,
        needed: (needs) => needs.some((n) => n.kind === "ecrPull"),
        absent: "no container image is in Amazon ECR",
    },
    {
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        needed: (needs) => needs.some((n) => n.kind === "logDelivery"),
        absent: "no container uses the awslogs log driver",
    },
    {
        actions: ["logs:CreateLogGroup"],
        needed: (needs) => needs.some((n) => n.kind === "logGroupCreation"),
        absent: "no container sets awslogs-create-group",
    },
    {
        actions: ["secretsmanager:GetSecretValue"],
        needed: (needs) => needs.some((n) => n.kind === "secret" && n.actions.includes("secretsmanager:GetSecretValue")),
        absent: "no container takes secrets, repositoryCredentials or logConfiguration.secretOptions from Secrets Manager",
    },
    {
        actions: ["ssm:GetParameters"],
        needed: (needs) => needs.some((n) => n.kind === "secret" && n.actions.includes("ssm:GetParameters")),
        absent: "no container takes secrets from SSM Parameter Store",
    },
    {
        actions: ["kms:Decrypt"],
        needed: (needs) => needs.some((n) => n.kind === "secret"),
        absent: "no container takes secrets, so no secret needs decrypting",
    },
];

const purposeOf = (action: string) => PURPOSES.find((p) => p.actions.some((a) => a.toLowerCase() === action.toLowerCase()));

/** Among the actions an execution role may carry, those its task definitions do not need, and `*` where they name the resource. */
export function leastPrivilegeFindings(model: EcsStackModel): Finding[] {
    const findings: Finding[] = undeclaredRoleFindings(model, "execution", "ecs-execution-role-least-privilege");
    for (const { role, taskDefinitions } of rolesUsedAs(model, "execution")) {
        const needs = executionNeeds(taskDefinitions);
        if (needs === undefined) continue; // not known during preview: the evaluability policy says so
        for (const grant of judgedDocuments(role).flatMap(({ documents, options }) => grantsAmong(documents, EXECUTION_ROLE_ACTIONS, options))) {
            const { source, statement } = grant;
            const where = `${roleUse(role, "execution", taskDefinitions)}, and ${source.label}, ${statementLabel(statement)},`;
            const unneeded = new Map<string, string[]>();
            for (const action of grant.actions) {
                const purpose = purposeOf(action);
                if (purpose && !purpose.needed(needs)) unneeded.set(purpose.absent, [...(unneeded.get(purpose.absent) ?? []), action]);
            }
            if (unneeded.size > 0) {
                const reasons = [...unneeded].map(([absent, actions]) => `${listNames(actions)} (${absent})`);
                const count = [...unneeded.values()].flat().length;
                findings.push({
                    urn: source.grantor.urn,
                    ...about(role, taskDefinitions),
                    message: `${where} grants ${listNames(reasons, 6)}, which ${taskDefinitionsLabel(taskDefinitions)} ${taskDefinitions.length === 1 ? "does" : "do"} not need. ${
                        source.awsManaged
                            ? "An AWS-managed policy cannot be edited: replace it with a policy of your own that grants only what the task definitions use."
                            : `${capitalise(takeAway(source, "execution", count === 1 ? "it" : "them"))}.`
                    } ${SUGGEST_POINTER}`,
                });
            }
            if (statement.coversAllResources && statement.actionKind === "Action" && !source.awsManaged && source.resourceBased === undefined) {
                const subjects = about(role, taskDefinitions);
                findings.push(...scopeFindings(where, source.grantor.urn, grant.actions, needs, taskDefinitions).map((f) => ({ ...f, ...subjects })));
            }
        }
    }
    return findings;
}

/** `Resource: "*"` on actions whose resources the task definitions name. */
function scopeFindings(
    where: string,
    urn: string,
    actions: readonly string[],
    needs: readonly ExecutionNeed[],
    tds: readonly TaskDefinitionModel[],
): Finding[] {
    const findings: Finding[] = [];
    const byKind = new Map<NeedKind, { actions: Set<string>; resources: Set<string>; fields: Set<string> }>();
    for (const action of actions) {
        if (UNSCOPABLE_ACTIONS.has(action.toLowerCase()) || action.toLowerCase() === "kms:decrypt") continue;
        const using = needs.filter((n) => n.actions.some((a) => a.toLowerCase() === action.toLowerCase()));
        if (using.length === 0 || using.some((n) => n.arn === undefined)) continue;
        for (const need of using) {
            const entry = byKind.get(need.kind) ?? { actions: new Set<string>(), resources: new Set<string>(), fields: new Set<string>() };
            entry.actions.add(action);
            entry.resources.add((need.arn as NeededArn).text);
            entry.fields.add(`container "${need.container}" ${need.field}`);
            byKind.set(need.kind, entry);
        }
    }
    for (const { actions: scoped, resources, fields } of byKind.values()) {
        findings.push({
            urn,
            message: `${where} grants ${listNames([...scoped])} on every resource ("*"), while ${taskDefinitionsLabel(tds)} ${tds.length === 1 ? "needs" : "need"} ${scoped.size === 1 ? "it" : "them"} only on ${listNames([...resources], 4)} (${listNames([...fields], 3)}). Scope Resource to ${resources.size === 1 ? "that ARN" : "those ARNs"}. ${SUGGEST_POINTER}`,
        });
    }
    return findings;
}

export const ecsExecutionRoleLeastPrivilege: StackValidationPolicy = checkingConfig({
    name: "ecs-execution-role-least-privilege",
    description: "An ECS execution role should grant only what its task definitions use.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: [
        "Read the task definitions that use the execution role and grant only what their containers need:",
        "  ECR pull actions only when an image is in Amazon ECR; logs:CreateLogGroup only with awslogs-create-group;",
        "  secretsmanager:GetSecretValue, ssm:GetParameters and kms:Decrypt only when containers take secrets, and only on those secrets and parameters.",
        'Scope Resource to the secret, parameter, log group and repository ARNs the task definitions name. ecr:GetAuthorizationToken cannot be scoped and keeps Resource "*".',
        "AWS-managed policies cannot be scoped: replace AmazonECSTaskExecutionRolePolicy with your own policy to scope it.",
    ].join("\n"),
    url: docsUrl("ecs-execution-role-least-privilege"),
    tags: ["ecs", "iam", "least-privilege"],
    configSchema: { properties: { externalRoles: externalRolesProperty, exemptions: exemptionsProperty } },
    validateStack: judgeEcsStack((given: unknown) => readConfig(given, { externalRoles: {} as ExternalRoles }), leastPrivilegeFindings),
});
