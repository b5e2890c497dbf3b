import { StackValidationPolicy } from "@pulumi/policy";
import { actionListProperty, ExternalRoles, externalRolesProperty, readConfig, strings } from "./config";
import { exemptionsProperty } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, Finding, listNames, roleUse, statementLabel } from "./format";
import { docsUrl } from "./packageInfo";
import { AGENT_LEVEL_ACTIONS } from "./iam/ecsActions";
import { grantsAmong, resolveActionNames } from "./iam/grants";
import { curesNotCounted, documentFindings, judgedDocuments, takeAway, undeclaredRoleFindings } from "./roleDocuments";
import { EcsStackModel, rolesUsedAs } from "./stack/ecsModel";

export interface EcsTaskRoleNoAgentPermissionsConfig {
    /** More actions or patterns an organisation treats as agent-level. */
    additionalAgentActions: string[];
    /** Roles defined outside the stack, with what an organisation declares they are granted. */
    externalRoles: ExternalRoles;
}

const defaults: EcsTaskRoleNoAgentPermissionsConfig = { additionalAgentActions: [], externalRoles: {} };

/** Every statement that gives a task role an ECR image-pull or ECS container-agent action. */
export async function taskRoleFindings(model: EcsStackModel, config: EcsTaskRoleNoAgentPermissionsConfig = defaults): Promise<Finding[]> {
    const findings: Finding[] = undeclaredRoleFindings(model, "task", "ecs-task-role-no-agent-permissions");
    const uses = rolesUsedAs(model, "task");
    if (uses.length === 0) return findings;
    const forbidden = await resolveActionNames([...AGENT_LEVEL_ACTIONS, ...strings(config.additionalAgentActions)]);
    for (const { role, taskDefinitions } of uses) {
        findings.push(...documentFindings(role, "task", taskDefinitions));
        for (const { documents, options } of judgedDocuments(role)) {
            for (const { source, statement, actions } of grantsAmong(documents, forbidden, options)) {
                const how = statement.actionKind === "NotAction" ? "with NotAction grants" : "grants";
                const them = actions.length === 1 ? "it" : "them";
                const pull = actions.some((a) => a.toLowerCase().startsWith("ecr:")) ? "image pull belongs on the execution role, so " : "";
                findings.push({
                    urn: source.grantor.urn,
                    ...about(role, taskDefinitions),
                    message:
                        `${roleUse(role, "task", taskDefinitions)}, and ${source.label}, ${statementLabel(statement)}, ${how} agent-level ` +
                        `${actions.length === 1 ? "action" : "actions"} ${listNames(actions)}. ` +
                        `Application code never needs ${them}: ${pull}${takeAway(source, "task", them)}.${curesNotCounted(role, actions)}`,
                });
            }
        }
    }
    return findings;
}

export const ecsTaskRoleNoAgentPermissions: StackValidationPolicy = checkingConfig({
    name: "ecs-task-role-no-agent-permissions",
    description: "An ECS task role may not grant ECR image pull or ECS container-agent actions.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "The task role is what your application code runs as. It must not hold what the ECS agent uses:",
        `  ${AGENT_LEVEL_ACTIONS.join(", ")}`,
        "Image pull belongs on the execution role (executionRoleArn); container-agent actions belong on a container instance role, never on a task.",
        "A common cause is attaching AmazonECSTaskExecutionRolePolicy or AmazonECS_FullAccess (ecs:*) to the task role: attach it to the execution role instead, and grant the task role only what the application calls.",
        "Logs, KMS, Secrets Manager, SSM and ssmmessages (ECS Exec) actions stay allowed on task roles.",
    ].join("\n"),
    url: docsUrl("ecs-task-role-no-agent-permissions"),
    tags: ["ecs", "iam", "least-privilege"],
    configSchema: {
        properties: {
            additionalAgentActions: actionListProperty("More IAM actions or patterns (case-insensitive, * and ? wildcards) that task roles may not carry."),
            externalRoles: externalRolesProperty,
            exemptions: exemptionsProperty,
        },
    },
    validateStack: judgeEcsStack((given: unknown) => readConfig(given, defaults), taskRoleFindings),
});
