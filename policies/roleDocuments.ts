import { boundaryExcludesAsWritten, boundaryMayExclude, SourcedDocument, uncountedDenials, UncountedDenial } from "./iam/grants";
import { acceptedByIam, DocumentProblem, IAM_SIZE_QUOTAS, PolicyDocument } from "./iam/policyDocument";
import { ExecutionNeed } from "./stack/containers";
import { notKnown } from "./stack/phase";
import { OR_EXEMPT } from "./exemptions";
import { about, capacityNoun, capitalise, Finding, formatCount, roleLabel, roleUse, taskDefinitionLabel, withArticle } from "./format";
import { EcsStackModel, PermissionSource, RoleCapacity, RoleModel, TaskDefinitionModel } from "./stack/ecsModel";

/**
 * The documents of a role that can be judged, with where each came from, as IAM will hold them:
 * a document this stack deploys also carries what IAM would reject it for, size quotas included;
 * one IAM already holds (AWS-managed, declared) is taken as accepted.
 */
export function knownDocuments(role: RoleModel): SourcedDocument<PermissionSource>[] {
    return judged(role).documents;
}

interface Judged {
    readonly documents: SourcedDocument<PermissionSource>[];
    /** What IAM's quota on the role's inline policies together says of each of them, when the role is over it. */
    readonly inline: DocumentProblem | undefined;
}

/** Each policy of a stack asks again for the same role's documents: they are worked out once per role. */
const judgedRoles = new WeakMap<RoleModel, Judged>();

function judged(role: RoleModel): Judged {
    let found = judgedRoles.get(role);
    if (found === undefined) {
        const inline = inlineOverQuota(role);
        const documents = role.sources.flatMap((source) =>
            source.state.kind === "known" ? [{ source, document: asIamTakesIt(source, source.state.document, inline) }] : [],
        );
        judgedRoles.set(role, (found = { documents, inline }));
    }
    return found;
}

/** The rejection that IAM's quota on a role's inline policies together gives each of them, when the role is over it. */
function inlineOverQuota(role: RoleModel): DocumentProblem | undefined {
    const size = inlineSize(role);
    if (size <= IAM_SIZE_QUOTAS.roleInlinePolicies) return undefined;
    return {
        path: "",
        message: `the inline policies of ${roleLabel(role)} together hold ${formatCount(size)} characters (whitespace not counted), over IAM's quota of ${formatCount(IAM_SIZE_QUOTAS.roleInlinePolicies)} for a role`,
    };
}

/**
 * Characters in the role's own inline policies together, as IAM counts them against its quota:
 * each named policy once, since after a refresh the provider also lists an `aws.iam.RolePolicy`
 * among its role's `inlinePolicies`. A lower bound while some are not known.
 */
function inlineSize(role: RoleModel): number {
    const byName = new Map<string, number>();
    let unnamed = 0;
    for (const source of role.sources) {
        if (source.deployedAs?.kind !== "inline" || source.state.kind !== "known") continue;
        const size = source.state.document.size;
        if (source.deployedAs.name === undefined) unnamed += size;
        else byName.set(source.deployedAs.name, Math.max(size, byName.get(source.deployedAs.name) ?? 0));
    }
    let total = unnamed;
    for (const size of byName.values()) total += size;
    return total;
}

/** The document as IAM will take it: rejections only where this stack deploys it, quotas included. */
function asIamTakesIt(source: PermissionSource, document: PolicyDocument, inlineRejection: DocumentProblem | undefined): PolicyDocument {
    const deployed = source.deployedAs;
    if (deployed === undefined) return document.rejections.length === 0 ? document : { ...document, rejections: [] };
    const extra: DocumentProblem[] = [];
    if (deployed.kind === "managed" && document.size > IAM_SIZE_QUOTAS.managedPolicy) {
        extra.push({
            path: "",
            message: `it holds ${formatCount(document.size)} characters (whitespace not counted), over IAM's quota of ${formatCount(IAM_SIZE_QUOTAS.managedPolicy)} for a managed policy`,
        });
    }
    if (deployed.kind === "inline" && inlineRejection) extra.push(inlineRejection);
    return extra.length === 0 ? document : { ...document, rejections: [...document.rejections, ...extra] };
}

/** The role's permissions boundary as IAM will take it, when the pack can read it. */
function boundaryDocument(role: RoleModel): PolicyDocument | undefined {
    const boundary = role.boundary;
    if (boundary?.state.kind !== "known") return undefined;
    return asIamTakesIt(boundary, boundary.state.document, undefined);
}

/**
 * What is wrong with the documents of a role, as a finding of every policy that judges the role:
 * a document the pack cannot read (it cannot tell what it grants), and a document IAM would
 * reject (its deployment will fail, and none of its Denies takes anything away). Neither is
 * passed in silence. A role over IAM's quota for its inline policies together is said once.
 */
export function documentFindings(role: RoleModel, capacity: RoleCapacity, taskDefinitions: readonly TaskDefinitionModel[]): Finding[] {
    const findings: Finding[] = [];
    const subject = roleUse(role, capacity, taskDefinitions);
    const subjects = about(role, taskDefinitions);
    const { documents, inline } = judged(role);
    for (const { source, document } of documents) {
        if (document.problems.length > 0) {
            findings.push({
                urn: source.grantor.urn,
                ...subjects,
                message: `${subject}, and ${source.label} cannot be read: ${faults(document.problems)}. The pack cannot tell what it grants ${withArticle(capacityNoun(capacity))}: fix ${source.fix ?? "the document"}.`,
            });
            continue;
        }
        const rejections = document.rejections.filter((r) => r !== inline);
        if (rejections.length > 0) {
            findings.push({
                urn: source.grantor.urn,
                ...subjects,
                message: `${subject}, and IAM would reject ${source.label}: ${faults(rejections)}. The deployment of that document will fail, and none of its Denies takes anything away here: fix the document.`,
            });
        }
    }
    if (inline) {
        findings.push({
            urn: role.resource.urn,
            ...subjects,
            message: `${subject}, and ${inline.message}. IAM rejects the inline policy that takes the role over it, so the deployment of one of them will fail, and none of their Denies takes anything away here: move some of them into managed policies.`,
        });
    }
    const boundary = role.boundary;
    const document = boundaryDocument(role);
    if (boundary && document && !acceptedByIam(document)) {
        const cannotRead = document.problems.length > 0;
        findings.push({
            urn: boundary.grantor.urn,
            ...subjects,
            message: cannotRead
                ? `${subject}, and its permissions boundary, ${boundary.label}, cannot be read: ${faults(document.problems)}. The role is judged as if it had no boundary: fix ${boundary.fix ?? "the document"}.`
                : `${subject}, and IAM would reject its permissions boundary, ${boundary.label}: ${faults(document.rejections)}. The deployment of that policy (and so of the role) will fail, and the role is judged as if it had no boundary: fix the document.`,
        });
    }
    return findings;
}

/** `Statement[0].Sid: ...; Version: ...` with at most three, and how many more. */
function faults(list: readonly DocumentProblem[]): string {
    const shown = list
        .slice(0, 3)
        .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
        .join("; ");
    return list.length > 3 ? `${shown} (and ${list.length - 3} more)` : shown;
}

/** How the role's permissions boundary limits what its documents grant, when IAM would take it and the pack can read it. */
export function grantOptions(role: RoleModel): { boundary?: readonly PolicyDocument[] } {
    const document = boundaryDocument(role);
    // A boundary the pack cannot read, or that IAM would reject, limits nothing here: the role is judged as if it had none.
    if (document === undefined || !acceptedByIam(document)) return {};
    return { boundary: [document] };
}

/**
 * What could still take a forbidden grant away but is not known yet, or would take it away but
 * IAM would reject: sentences to end a finding's message with, empty when there is nothing. The
 * finding stands (fail closed) and says what would cure it.
 */
export function curesNotCounted(role: RoleModel, actions: readonly string[]): string {
    const them = actions.length === 1 ? "it" : "them";
    const pending: string[] = [];
    const refused: string[] = [];
    const boundary = role.boundary;
    const document = boundaryDocument(role);
    if (boundary && boundary.state.kind === "unknown") {
        pending.push(`the permissions boundary, ${boundary.label}, ${notKnown()}, excludes ${them}`);
    } else if (boundary && boundary.state.kind === "unavailable") {
        pending.push(`the permissions boundary, ${boundary.label}, which the pack cannot read, excludes ${them}`);
    } else if (boundary && document && document.problems.length === 0) {
        if (!acceptedByIam(document)) {
            if (boundaryExcludesAsWritten(document, actions))
                refused.push(`The permissions boundary ${boundary.label} would exclude ${them}, but IAM would reject it.`);
        } else if (boundaryMayExclude(document, actions)) {
            pending.push(`the permissions boundary, ${boundary.label}, part of which is ${notKnown()}, excludes ${them}`);
        }
    }
    const denials = new Map<string, UncountedDenial<PermissionSource>>();
    const documents = knownDocuments(role);
    if (documents.some(({ document }) => document.problems.length === 0 && (document.rejections.length > 0 || document.unknownPaths.length > 0))) {
        for (const action of actions) {
            for (const d of uncountedDenials(documents, action)) denials.set(`${d.source.label}\n${d.path}`, d);
        }
    }
    for (const d of denials.values()) {
        if (d.why === "rejected") refused.push(`The Deny at ${d.path} of ${d.source.label} would take ${them} away, but IAM would reject that document.`);
        else if (d.statement === undefined) pending.push(`the statement at ${d.path} of ${d.source.label}, ${notKnown()}, is a Deny that takes ${them} away`);
        else pending.push(`the Deny at ${d.path} of ${d.source.label}, part of which is ${notKnown()}, takes ${them} away`);
    }
    const sentences = [...refused];
    if (pending.length > 0) sentences.push(`This stands unless ${eitherOf(pending)}.`);
    return sentences.length === 0 ? "" : ` ${sentences.join(" ")}`;
}

/** `a, b or c`, the first three and how many more. */
function eitherOf(phrases: readonly string[]): string {
    if (phrases.length > 3) return `${phrases.slice(0, 3).join(", ")}, or one of ${phrases.length - 3} more`;
    return phrases.length === 1 ? phrases[0] : `${phrases.slice(0, -1).join(", ")} or ${phrases[phrases.length - 1]}`;
}

/**
 * The role's readable documents, in the groups IAM weighs alike, each with its options: a
 * permissions boundary limits identity-based policies and resource-based grants to the role's ARN,
 * but not resource-based grants to a session of the role or to every principal (IAM user guide,
 * "Permissions boundaries for IAM entities": resource-based policies). Certain Denies count in both.
 */
export function judgedDocuments(role: RoleModel): { documents: SourcedDocument<PermissionSource>[]; options: ReturnType<typeof grantOptions> }[] {
    const known = knownDocuments(role);
    const options = grantOptions(role);
    const unbounded = (source: PermissionSource) => source.resourceBased === "session" || source.resourceBased === "everyone";
    if (options.boundary === undefined || !known.some((d) => unbounded(d.source))) return [{ documents: known, options }];
    const bounded = known.filter((d) => !unbounded(d.source));
    const denies = bounded.map(({ source, document }) => ({
        source,
        document: { ...document, statements: document.statements.filter((s) => s.effect === "Deny") },
    }));
    return [
        { documents: bounded, options },
        { documents: [...known.filter((d) => unbounded(d.source)), ...denies], options: {} },
    ];
}

/** How to take a grant away, by where it comes from: `remove them from the task role`, or out of a resource-based policy's Principal. */
export function takeAway(source: PermissionSource, capacity: RoleCapacity, them: string): string {
    if (source.resourceBased === "everyone")
        return `name in that statement's Principal only the principals that need ${them}, never "*", which grants every role of the account`;
    if (source.resourceBased !== undefined) return `take the ${capacityNoun(capacity)} out of that statement's Principal`;
    return `remove ${them} from the ${capacityNoun(capacity)}`;
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
 * roles its own externalRoles config declares, so each says which it could not judge. `remedy`
 * says what would let it judge them, for a policy whose config cannot declare them.
 */
export function undeclaredRoleFindings(
    model: EcsStackModel,
    capacity: RoleCapacity,
    policyName: string,
    remedy = "Declare what it is granted in this policy's externalRoles config",
): Finding[] {
    const findings: Finding[] = [];
    for (const td of model.taskDefinitions) {
        const link = td.roles[capacity];
        if (link.kind !== "external") continue;
        findings.push({
            urn: td.resource.urn,
            advisory: true,
            ...about(undefined, [td], [link.value]),
            message: `${capitalise(taskDefinitionLabel(td))}: its ${capacityNoun(capacity)} ${JSON.stringify(link.value)} is defined outside this stack and was not judged by ${policyName}. ${remedy}${OR_EXEMPT}`,
        });
    }
    return findings;
}
