import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { docsUrl } from "./packageInfo";
import { exemptionsProperty, givenConfig, reportFindings } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, capitalise, Finding, roleLabel, taskDefinitionLabel } from "./format";
import { EcsStackModel, roleNameOf } from "./stack/ecsModel";
import { nameKey, sameRoleArn } from "./iam/names";
import { TASK_DEFINITION_SHAPES, TASK_DEFINITION_TYPES } from "./stack/resourceShapes";
import { isUnknown, prop, unwrapProps } from "./stack/resources";

const FIX =
    "Create a separate execution role that carries only ECR image pull, log delivery and secret injection, and give the application's own permissions to the task role.";

function knownRoleValue(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknown(v) ? v : undefined;
}

/**
 * Whether two known role values name the same role: equal ARNs, or equal names where one of
 * them is a bare name (`taskRoleArn` accepts one) and so carries no account to tell them apart;
 * names compared as IAM compares them, without regard to case.
 */
export function sameRoleByValue(executionRoleArn: unknown, taskRoleArn: unknown): boolean {
    const execution = knownRoleValue(executionRoleArn);
    const task = knownRoleValue(taskRoleArn);
    if (!execution || !task) return false;
    if (execution.startsWith("arn:") && task.startsWith("arn:")) return sameRoleArn(execution, task);
    return nameKey(roleNameOf(execution)) === nameKey(roleNameOf(task));
}

/** The finding for a task definition whose two known role values name the same role, judged per resource. */
function sameValueFinding(urn: string, what: string, name: string, family: unknown, execution: unknown, task: unknown): Finding {
    return {
        urn,
        message: `${capitalise(what)} "${name}" uses the role ${JSON.stringify(task)} as both its task role and its execution role. ${FIX}`,
        roles: [execution, task, roleNameOf(String(task))].filter((v): v is string => typeof v === "string"),
        families: [name, ...(typeof family === "string" ? [family] : [])],
    };
}

/**
 * Task definitions whose two roles are the same role resource. Those whose two values are both
 * known are judged per resource, as soon as the task definition is analysed, and not again here.
 */
export function distinctRoleFindings(model: EcsStackModel): Finding[] {
    const findings: Finding[] = [];
    for (const td of model.taskDefinitions) {
        if (knownRoleValue(td.values.execution) && knownRoleValue(td.values.task)) continue;
        const { execution, task } = td.roles;
        if (execution.kind === "linked" && task.kind === "linked" && execution.role === task.role) {
            findings.push({
                urn: td.resource.urn,
                ...about(execution.role, [td]),
                message: `${capitalise(taskDefinitionLabel(td))} uses ${roleLabel(execution.role)} as both its task role and its execution role. ${FIX}`,
            });
        }
    }
    return findings;
}

/** The stack's findings, with those already reported per resource, which count for exemptions but are not reported again. */
function stackFindings(model: EcsStackModel): Finding[] {
    const perResource = model.taskDefinitions
        .filter((td) => sameRoleByValue(td.values.execution, td.values.task))
        .map((td): Finding => ({
            ...sameValueFinding(td.resource.urn, td.what, td.resource.name, td.family, td.values.execution, td.values.task),
            reportedElsewhere: true,
        }));
    return [...distinctRoleFindings(model), ...perResource];
}

export const ecsTaskAndExecutionRolesDistinct: ResourceValidationPolicy & StackValidationPolicy = checkingConfig({
    name: "ecs-task-and-execution-roles-distinct",
    description: "An ECS task definition must use different task and execution roles.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: [
        "One role in both places gives the application everything the agent needs (image pull, secrets of every container) and the agent everything the application needs.",
        FIX,
    ].join("\n"),
    url: docsUrl("ecs-task-and-execution-roles-distinct"),
    tags: ["ecs", "iam", "least-privilege"],
    configSchema: { properties: { exemptions: exemptionsProperty } },
    validateResource: (args, reportViolation) => {
        if (!TASK_DEFINITION_TYPES.has(args.type)) return;
        const shape = TASK_DEFINITION_SHAPES[args.type];
        const props = unwrapProps(args.props);
        const execution = prop(props, shape.executionRole);
        const task = prop(props, shape.taskRole);
        if (!sameRoleByValue(execution, task)) return;
        const finding = sameValueFinding(args.urn, shape.what, args.name, shape.family !== undefined ? prop(props, shape.family) : undefined, execution, task);
        reportFindings([finding], givenConfig(args), reportViolation);
    },
    validateStack: judgeEcsStack(() => ({}), stackFindings),
});
