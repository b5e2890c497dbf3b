import { StackValidationPolicy } from "@pulumi/policy";
import { ExternalRoles, externalRolesProperty, readConfig } from "./config";
import { exemptionsProperty } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, capitalise, Finding, listNames, roleLabel, taskDefinitionLabel } from "./format";
import { docsUrl } from "./packageInfo";
import { grantsOn } from "./iam/grants";
import { judgedDocuments, undeclaredRoleFindings } from "./roleDocuments";
import { ExecutionNeed, UNSCOPABLE_ACTIONS } from "./stack/containers";
import { EcsStackModel, RoleModel, TaskDefinitionModel } from "./stack/ecsModel";
import { SUGGEST_POINTER } from "./suggest/pointer";

/** Needs that only the execution role can meet; on EC2 the instance role may pull images and deliver logs. */
export function needsExecutionRole(need: ExecutionNeed, td: TaskDefinitionModel): boolean {
    return need.kind === "secret" || need.kind === "s3File" || td.fargate === true;
}

/**
 * Whether anything may grant the role more than its known documents show: a document, or an
 * action or statement in one, not known yet. (A Resource not known yet is read as covering the
 * need, and a boundary or Deny with parts not known yet as taking nothing away.)
 */
function fullyKnown(role: RoleModel): boolean {
    return (
        role.gaps.length === 0 &&
        role.sources.every((s) => s.state.kind === "known" && s.state.document.unknownPaths.length === 0) &&
        (role.boundary === undefined || role.boundary.state.kind === "known")
    );
}

function describeNeed(need: ExecutionNeed, missing: readonly string[]): string {
    const on = need.arn && !missing.every((a) => UNSCOPABLE_ACTIONS.has(a.toLowerCase())) ? ` on ${need.arn.text}` : "";
    return `container "${need.container}" ${need.field} needs ${listNames(missing)}${on}`;
}

/** Task definitions whose containers need what their execution role is not granted: the task would not start. */
export function sufficiencyFindings(model: EcsStackModel): Finding[] {
    const findings: Finding[] = undeclaredRoleFindings(model, "execution", "ecs-execution-role-sufficient");
    for (const td of model.taskDefinitions) {
        if (td.needs.kind !== "known" || td.needs.needs.length === 0) continue;
        const link = td.roles.execution;
        const subject = capitalise(taskDefinitionLabel(td));
        if (link.kind === "none") {
            const needs = td.needs.needs.filter((n) => needsExecutionRole(n, td));
            if (needs.length === 0) continue;
            findings.push({
                urn: td.resource.urn,
                ...about(undefined, [td]),
                message: `${subject} cannot start as written: ${listNames(
                    needs.map((n) => describeNeed(n, n.actions)),
                    3,
                )}, and it has no execution role (executionRoleArn). Give it an execution role that grants them.`,
            });
            continue;
        }
        // A role the pack cannot see whole is for the evaluability policy to speak of.
        if (link.kind !== "linked" || !fullyKnown(link.role)) continue;
        const role = link.role;
        const groups = judgedDocuments(role);
        const unmet: string[] = [];
        for (const need of td.needs.needs) {
            if (!needsExecutionRole(need, td)) continue;
            const resource = (action: string) => (UNSCOPABLE_ACTIONS.has(action.toLowerCase()) ? undefined : need.arn);
            const missing = need.actions.filter((action) => !groups.some(({ documents, options }) => grantsOn(documents, action, resource(action), options)));
            if (missing.length > 0) unmet.push(describeNeed(need, missing));
        }
        if (unmet.length > 0) {
            findings.push({
                urn: td.resource.urn,
                ...about(role, [td]),
                message: `${subject} cannot start as written: ${listNames(unmet, 3)}, which its execution role ${roleLabel(role)} is not granted. Grant ${unmet.length === 1 && !unmet[0].includes(" and ") ? "it" : "them"} to the execution role. ${SUGGEST_POINTER}`,
            });
        }
    }
    return findings;
}

export const ecsExecutionRoleSufficient: StackValidationPolicy = checkingConfig({
    name: "ecs-execution-role-sufficient",
    description: "An ECS execution role must grant what its containers need to start.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "The ECS agent uses the execution role to start the task. Grant it, for each need the task definition creates:",
        "  an ECR image: ecr:GetAuthorizationToken, ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage (AmazonECSTaskExecutionRolePolicy has them);",
        "  the awslogs driver: logs:CreateLogStream and logs:PutLogEvents on the log group, and logs:CreateLogGroup with awslogs-create-group;",
        "  secrets, repositoryCredentials and logConfiguration.secretOptions: secretsmanager:GetSecretValue on each secret, ssm:GetParameters on each parameter (and kms:Decrypt on a customer-managed key);",
        "  environmentFiles: s3:GetObject on each file and s3:GetBucketLocation on its bucket.",
        "On Fargate nothing else can do it; on EC2 the container instance role may pull images and deliver logs instead.",
    ].join("\n"),
    url: docsUrl("ecs-execution-role-sufficient"),
    tags: ["ecs", "iam", "availability"],
    configSchema: { properties: { externalRoles: externalRolesProperty, exemptions: exemptionsProperty } },
    validateStack: judgeEcsStack((given: unknown) => readConfig(given, { externalRoles: {} as ExternalRoles }), sufficiencyFindings),
});
