import { StackValidationPolicy } from "@pulumi/policy";
import { capacityNoun, Finding, listNames, roleLabel, taskDefinitionLabel, taskDefinitionsLabel } from "./format";
import { ecsModelOf, EcsStackModel, ROLE_PROPERTY, RoleCapacity, RoleModel, rolesUsedAs, TaskDefinitionModel } from "./stack/ecsModel";

const LATER = "it will be evaluated at `pulumi up`, when the value is known";

/** How a role serves the stack's task definitions, e.g. `the execution role of task definition "app"`. */
function usesOf(role: RoleModel, uses: Map<RoleModel, Map<RoleCapacity, TaskDefinitionModel[]>>): string {
    const byCapacity = uses.get(role) ?? new Map<RoleCapacity, TaskDefinitionModel[]>();
    const phrases = [...byCapacity].map(([capacity, tds]) => `the ${capacityNoun(capacity)} of ${taskDefinitionsLabel(tds)}`);
    return `${roleLabel(role)}, ${phrases.join(" and ")},`;
}

/** Everything the other policies could not judge yet, each said once, against the resource it concerns. */
export function evaluabilityFindings(model: EcsStackModel): Finding[] {
    const uses = new Map<RoleModel, Map<RoleCapacity, TaskDefinitionModel[]>>();
    for (const capacity of ["execution", "task"] as const) {
        for (const { role, taskDefinitions } of rolesUsedAs(model, capacity)) {
            const byCapacity = uses.get(role) ?? new Map<RoleCapacity, TaskDefinitionModel[]>();
            byCapacity.set(capacity, [...taskDefinitions]);
            uses.set(role, byCapacity);
        }
    }
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const add = (urn: string, message: string) => {
        if (seen.has(`${urn}\n${message}`)) return;
        seen.add(`${urn}\n${message}`);
        findings.push({ urn, message });
    };

    for (const td of model.taskDefinitions) {
        for (const capacity of ["execution", "task"] as const) {
            const link = td.roles[capacity];
            const subject = `${capitalise(taskDefinitionLabel(td))}: its ${capacityNoun(capacity)}`;
            if (link.kind === "external") {
                add(td.resource.urn, `${subject} ${JSON.stringify(link.value)} is not defined in this stack, so its permissions were not evaluated. Judge it in the stack that defines it.`);
            } else if (link.kind === "unresolved") {
                add(td.resource.urn, `${subject} was not evaluated: ${link.reason} (${ROLE_PROPERTY[capacity]}); ${LATER}.`);
            }
        }
    }
    for (const role of uses.keys()) {
        const subject = usesOf(role, uses);
        for (const source of role.sources) {
            const state = source.state;
            if (state.kind === "unknown") {
                add(source.grantor.urn, `${subject} was not fully evaluated: ${state.reason}; ${LATER}.`);
            } else if (state.kind === "unavailable") {
                add(source.grantor.urn, `${subject} was not fully evaluated: ${state.reason}, so what it grants cannot be judged here.`);
            } else if (state.document.unknownPaths.length > 0) {
                add(source.grantor.urn, `${subject} was not fully evaluated: ${listNames(state.document.unknownPaths, 5)} of ${source.label} ${state.document.unknownPaths.length === 1 ? "is" : "are"} not known during preview; the rest was judged, and ${LATER}.`);
            }
        }
        for (const gap of role.gaps) add(gap.grantor.urn, `${subject} was not fully evaluated: ${gap.reason}; ${LATER}.`);
    }
    if (model.taskDefinitions.length > 0) {
        for (const gap of model.unattributed) add(gap.grantor.urn, `A grant may reach an ECS role but was not evaluated: ${gap.reason}; ${LATER}.`);
    }
    return findings;
}

function capitalise(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}

export const ecsRolePermissionsEvaluable: StackValidationPolicy = {
    name: "ecs-role-permissions-evaluable",
    description:
        "Says what the pack could not judge yet about the roles of ECS task definitions, and why, so that nothing unknown passes as compliant in silence.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: [
        "During a preview of new resources, ARNs and policy documents built from other resources' outputs are not known yet: run `pulumi up` (the policies run again on the known values) or preview again after the resources exist.",
        "A role or policy defined outside the stack cannot be judged here: judge it in the stack that defines it.",
        "An AWS-managed policy missing from the pack's snapshot means the pack is older than the policy: upgrade ecs-role-guard.",
    ].join("\n"),
    tags: ["ecs", "iam", "preview"],
    validateStack: (args, reportViolation) => {
        for (const f of evaluabilityFindings(ecsModelOf(args.resources))) reportViolation(f.message, f.urn);
    },
};
