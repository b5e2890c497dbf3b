import { StackValidationPolicy } from "@pulumi/policy";
import { notKnown, whenKnown } from "./stack/phase";
import { ExternalRoles, externalRolesProperty, readConfig } from "./config";
import { exemptionsProperty } from "./exemptions";
import { checkingConfig, judgeEcsStack } from "./stackPolicy";
import { about, capitalise, capacityNoun, Finding, listNames, roleUses, taskDefinitionLabel } from "./format";
import { docsUrl } from "./packageInfo";
import { EcsStackModel, ROLE_PROPERTY, rolesInUse } from "./stack/ecsModel";

/** Everything the other policies could not judge yet, each said once, against the resource it concerns. */
export function evaluabilityFindings(model: EcsStackModel): Finding[] {
    const uses = rolesInUse(model);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const add = (urn: string, message: string, subjects: Pick<Finding, "roles" | "families">) => {
        if (seen.has(`${urn}\n${message}`)) return;
        seen.add(`${urn}\n${message}`);
        findings.push({ urn, message, ...subjects });
    };

    for (const td of model.taskDefinitions) {
        for (const capacity of ["execution", "task"] as const) {
            const link = td.roles[capacity];
            const subject = `${capitalise(taskDefinitionLabel(td))}: its ${capacityNoun(capacity)}`;
            // A role from outside the stack is spoken of by each policy that could not judge it.
            if (link.kind === "unresolved") {
                add(
                    td.resource.urn,
                    `${subject} was not evaluated: ${link.reason} (${ROLE_PROPERTY[capacity]}); ${link.remedy ?? whenKnown()}.`,
                    about(undefined, [td]),
                );
            }
        }
    }
    for (const td of model.taskDefinitions) {
        // On Fargate only the execution role can pull images and deliver logs; elsewhere the instance role may.
        const launch = td.fargateUnknown;
        if (
            launch &&
            td.needs.kind === "known" &&
            td.needs.needs.some((n) => n.kind === "ecrPull" || n.kind === "logDelivery" || n.kind === "logGroupCreation")
        ) {
            add(
                td.resource.urn,
                `${capitalise(taskDefinitionLabel(td))}: whether its execution role must pull its images and deliver its logs was not evaluated: ${launch.reason}, so whether it runs on Fargate cannot be told; ${launch.unreadable ? "fix the value" : whenKnown()}.`,
                about(undefined, [td]),
            );
        }
        if (td.needs.kind === "unknown") {
            add(
                td.resource.urn,
                `${capitalise(taskDefinitionLabel(td))}: what its containers need from the execution role was not evaluated: ${td.needs.reason}; ${whenKnown()}.`,
                about(undefined, [td]),
            );
        } else if (td.needs.problems.length > 0) {
            add(
                td.resource.urn,
                `${capitalise(taskDefinitionLabel(td))}: what its containers need from the execution role was not evaluated: ${listNames(td.needs.problems, 3)}.`,
                about(undefined, [td]),
            );
        }
    }
    for (const [role, byCapacity] of uses) {
        // Worked out only for a role with something to say: in an update, that is hardly any.
        let said: { subject: string; subjects: Pick<Finding, "roles" | "families"> } | undefined;
        const roleAdd = (urn: string, message: (subject: string) => string) => {
            said ??= { subject: roleUses(role, byCapacity), subjects: about(role, [...byCapacity.values()].flat()) };
            add(urn, message(said.subject), said.subjects);
        };
        if (role.trust.kind === "unknown") {
            roleAdd(role.resource.urn, (subject) => `${subject} has a trust policy that is ${notKnown()}, so it was not evaluated; ${whenKnown()}.`);
        }
        const boundary = role.boundary?.state;
        if (boundary && boundary.kind !== "known") {
            roleAdd(
                role.resource.urn,
                (subject) =>
                    `${subject} was judged without its permissions boundary: ${boundary.reason}; ${boundary.kind === "unknown" ? whenKnown() : "what the boundary allows cannot be known here"}.`,
            );
        } else if (role.boundary && boundary?.kind === "known" && boundary.document.unknownPaths.length > 0) {
            // A boundary with parts not known yet never limits in silence: those parts are taken to exclude nothing.
            const { label, grantor } = role.boundary;
            const paths = boundary.document.unknownPaths;
            roleAdd(
                grantor.urn,
                (subject) =>
                    `${subject} was judged with only the known part of its permissions boundary: ${listNames(paths, 5)} of ${label} ${paths.length === 1 ? "is" : "are"} ${notKnown()}, and until ${paths.length === 1 ? "it is" : "they are"} known the boundary is taken to exclude nothing through ${paths.length === 1 ? "it" : "them"}; ${whenKnown()}.`,
            );
        }
        for (const source of role.sources) {
            const state = source.state;
            if (state.kind === "unknown") {
                roleAdd(source.grantor.urn, (subject) => `${subject} was not fully evaluated: ${state.reason}; ${whenKnown()}.`);
            } else if (state.kind === "unavailable") {
                roleAdd(source.grantor.urn, (subject) => `${subject} was not fully evaluated: ${state.reason}, so what it grants cannot be judged here.`);
            } else if (state.document.unknownPaths.length > 0) {
                const paths = state.document.unknownPaths;
                roleAdd(
                    source.grantor.urn,
                    (subject) =>
                        `${subject} was not fully evaluated: ${listNames(paths, 5)} of ${source.label} ${paths.length === 1 ? "is" : "are"} ${notKnown()}; the rest was judged, and ${whenKnown()}.`,
                );
            }
        }
        for (const gap of role.gaps) roleAdd(gap.grantor.urn, (subject) => `${subject} was not fully evaluated: ${gap.reason}; ${gap.remedy ?? whenKnown()}.`);
    }
    if (model.taskDefinitions.length > 0) {
        for (const gap of model.unattributed)
            add(gap.grantor.urn, `A grant may reach an ECS role but was not evaluated: ${gap.reason}; ${gap.remedy ?? whenKnown()}.`, {});
    }
    return findings;
}

export const ecsRolePermissionsEvaluable: StackValidationPolicy = checkingConfig({
    name: "ecs-role-permissions-evaluable",
    description: "Says what could not be judged yet about ECS roles, and why.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: [
        "During a preview of new resources, ARNs and policy documents built from other resources' outputs are not known yet: run `pulumi up` (the policies run again on the known values) or preview again after the resources exist.",
        "A role defined outside the stack is judged only by the policies whose externalRoles config declares what it is granted (set it on each of them); a customer-managed policy outside the stack cannot be judged here: judge it in the stack that defines it.",
        "An AWS-managed policy missing from the pack's snapshot means the pack is older than the policy: upgrade ecs-role-guard.",
    ].join("\n"),
    url: docsUrl("ecs-role-permissions-evaluable"),
    tags: ["ecs", "iam", "preview"],
    configSchema: { properties: { externalRoles: externalRolesProperty, exemptions: exemptionsProperty } },
    validateStack: judgeEcsStack((given: unknown) => readConfig(given, { externalRoles: {} as ExternalRoles }), evaluabilityFindings),
});
