import { OR_EXEMPT } from "./exemptions";
import { SourcedDocument } from "./iam/grants";
import { PolicyDocument } from "./iam/policyDocument";
import { ExecutionNeed } from "./stack/containers";
import { about, capacityNoun, capitalise, Finding, roleUse, taskDefinitionLabel, withArticle } from "./format";
import { EcsStackModel, PermissionSource, RoleCapacity, RoleModel, TaskDefinitionModel } from "./stack/ecsModel";

/** The documents of a role that can be judged, with where each came from. */
export function knownDocuments(role: RoleModel): SourcedDocument<PermissionSource>[] {
    return role.sources.flatMap((source) => (source.state.kind === "known" ? [{ source, document: source.state.document }] : []));
}

/**
 * A document that cannot be read is a finding of every policy that judges the role: the pack
 * cannot tell what it grants, and must not pass it in silence.
 */
export function unreadableDocumentFindings(role: RoleModel, capacity: RoleCapacity, taskDefinitions: readonly TaskDefinitionModel[]): Finding[] {
    const findings: Finding[] = [];
    for (const { source, document } of knownDocuments(role)) {
        if (document.problems.length === 0) continue;
        const problems = document.problems
            .slice(0, 3)
            .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
            .join("; ");
        const more = document.problems.length > 3 ? ` (and ${document.problems.length - 3} more problems)` : "";
        findings.push({
            urn: source.grantor.urn,
            ...about(role, taskDefinitions),
            message:
                `${roleUse(role, capacity, taskDefinitions)}, and ${source.label} cannot be read: ${problems}${more}. ` +
                `The pack cannot tell what it grants ${withArticle(capacityNoun(capacity))}: fix the document.`,
        });
    }
    return findings;
}

/** How the role's permissions boundary limits what its documents grant, when the boundary can be read. */
export function grantOptions(role: RoleModel): { boundary?: readonly PolicyDocument[] } {
    const state = role.boundary?.state;
    // A boundary the pack cannot read limits nothing here: the role is judged as if it had none.
    if (state?.kind !== "known" || state.document.problems.length > 0) return {};
    return { boundary: [state.document] };
}

/** Every need of the containers of the task definitions that use a role as their execution role. */
export function executionNeeds(taskDefinitions: readonly TaskDefinitionModel[]): ExecutionNeed[] | undefined {
    const needs: ExecutionNeed[] = [];
    for (const td of taskDefinitions) {
        if (td.needs.kind !== "known") return undefined;
        needs.push(...td.needs.needs);
    }
    return needs;
}

/**
 * Roles from outside the stack that this policy was not told about: each policy judges only the
 * roles its own externalRoles config declares, so each says which it could not judge.
 */
export function undeclaredRoleFindings(model: EcsStackModel, capacity: RoleCapacity, policyName: string): Finding[] {
    const findings: Finding[] = [];
    for (const td of model.taskDefinitions) {
        const link = td.roles[capacity];
        if (link.kind !== "external") continue;
        findings.push({
            urn: td.resource.urn,
            advisory: true,
            ...about(undefined, [td], [link.value]),
            message: `${capitalise(taskDefinitionLabel(td))}: its ${capacityNoun(capacity)} ${JSON.stringify(link.value)} is defined outside this stack and was not judged by ${policyName}. Declare what it is granted in this policy's externalRoles config${OR_EXEMPT}`,
        });
    }
    return findings;
}
