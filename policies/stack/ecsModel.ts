import { AwsManagedPolicy, awsManagedPolicySnapshotInfo, findAwsManagedPolicy, parseAwsManagedPolicyArn } from "../iam/managedPolicies";
import { isPreview, notKnown } from "./phase";
import { describe, PolicyDocument, parsePolicyDocument, unreadableDocument } from "../iam/policyDocument";
import { parseTrustPolicy, TrustPolicy } from "../iam/trustPolicy";
import { exactArn } from "../iam/arnPattern";
import { nameKey, sameRoleArn } from "../iam/names";
import { containerNeeds, ContainerNeeds, ExecutionNeed, primaryContainerDefinitions } from "./containers";
import {
    ATTACHMENT_SHAPES,
    AttachmentShape,
    INLINE_EXCLUSIVE_SHAPES,
    INLINE_GRANT_SHAPES,
    MANAGED_POLICY_SHAPES,
    MODEL_PROPERTIES,
    ROLE_SHAPES,
    RoleShape,
    SECRET_SHAPES,
    TASK_DEFINITION_SHAPES,
    TASK_ROLES_ELSEWHERE,
} from "./resourceShapes";
import { DOORS } from "./doors";
import { PolicyResource } from "@pulumi/policy";
import { types } from "util";
import { parseResourcePolicy, ResourcePolicy } from "../iam/resourcePolicy";
import { accountIn, addResourceGrants, PrincipalVia } from "./resourceGrants";
import {
    dependenciesAt,
    foreignDoorKeys,
    fromPolicyResources,
    isUnknown,
    knownString,
    plain,
    prop,
    refOf as ref,
    ResourceRef,
    shortType,
    StackResource,
    unwrapProps,
    valueAt,
} from "./resources";

export type { ResourceRef } from "./resources";

/**
 * The typed model every policy judges: which roles ECS task definitions use, in which capacity,
 * and every door through which permissions reach those roles. Built once from the stack's
 * resources; documents are parsed here, once, and never again by a policy.
 */

/** What the pack knows of one policy document reaching a role. */
export type DocumentState =
    | { readonly kind: "known"; readonly document: PolicyDocument }
    /** Not known during this preview; known at `pulumi up`. */
    | { readonly kind: "unknown"; readonly reason: string }
    /** Cannot be known from this stack at all. */
    | { readonly kind: "unavailable"; readonly reason: string };

/** One door through which a policy document reaches a role. */
export interface PermissionSource {
    /** The resource that grants the permission: findings are reported against it. */
    readonly grantor: ResourceRef;
    /** How a reader would name it, e.g. `inline policy "logs" of aws.iam.Role "exec"`. */
    readonly label: string;
    readonly state: DocumentState;
    /** An AWS-managed policy: its authors cannot scope it, only replace it. */
    readonly awsManaged?: boolean;
    /**
     * How this stack gives the document to IAM, which checks it then and may reject it: as an
     * inline policy of the role (named, for IAM's quota on a role's inline policies together, and
     * for `RolePoliciesExclusive`, which deletes by name) or as a managed policy. Absent for a
     * document IAM already holds (AWS-managed, declared) and for a resource-based policy.
     */
    readonly deployedAs?: { readonly kind: "inline"; readonly name: string | undefined } | { readonly kind: "managed" };
    /**
     * A resource-based policy, and how its statements name the role: by the role's ARN (which the
     * role's permissions boundary limits), or by a session of it or everyone (which it does not).
     */
    readonly resourceBased?: PrincipalVia;
    /** The policy ARN through which it is attached, when known: exclusive attachments detach by it. */
    readonly attachedArn?: string;
    /** What to fix when the pack cannot read it, when that is not a document: `the value`. */
    readonly fix?: string;
}

/** Something that may grant the role more than its sources show. */
export interface RoleGap {
    readonly grantor: ResourceRef;
    readonly reason: string;
    /** What would let the pack judge it, when a later `pulumi up` would not. */
    readonly remedy?: string;
}

export interface RoleModel {
    readonly resource: ResourceRef;
    /** The role's name when known; `taskRoleArn` and attachments may name it. */
    readonly roleName: string | undefined;
    readonly arn: string | undefined;
    /** The account its known ARN names. */
    readonly account?: string;
    /** The ID IAM writes in resource-based policies for a role that was deleted, when known. */
    readonly uniqueId?: string;
    readonly sources: PermissionSource[];
    readonly gaps: RoleGap[];
    /** The permissions boundary, when the role has one. */
    readonly boundary: PermissionSource | undefined;
    readonly trust: TrustPolicy;
}

export type RoleCapacity = "execution" | "task";

export const ROLE_PROPERTY: Record<RoleCapacity, "executionRoleArn" | "taskRoleArn"> = {
    execution: "executionRoleArn",
    task: "taskRoleArn",
};

export type RoleLink =
    | { readonly kind: "none" }
    | { readonly kind: "linked"; readonly role: RoleModel; readonly by: "dependency" | "arn" | "name" | "declaration" }
    /** A known ARN or name of a role this stack does not define. */
    | { readonly kind: "external"; readonly value: string }
    /** Not known during preview, and the dependencies do not tell which role; or a name several roles have. */
    | { readonly kind: "unresolved"; readonly reason: string; readonly remedy?: string };

export interface TaskDefinitionModel {
    readonly resource: ResourceRef;
    /** What it is, for messages: "task definition", "daemon task definition", "ECS Express service". */
    readonly what: string;
    readonly family: string | undefined;
    readonly roles: Readonly<Record<RoleCapacity, RoleLink>>;
    /** The raw `executionRoleArn` and `taskRoleArn` values, for comparing what is known. */
    readonly values: Readonly<Record<RoleCapacity, unknown>>;
    /** What the containers need the execution role to do. */
    readonly needs: ContainerNeeds;
    /** Runs on Fargate, where nothing but the execution role can pull images or deliver logs. */
    readonly fargate: boolean | undefined;
    /** Why `fargate` is undefined: `requiresCompatibilities` is not known yet, or cannot be read. */
    readonly fargateUnknown?: { readonly reason: string; readonly unreadable: boolean };
}

export interface EcsStackModel {
    readonly taskDefinitions: readonly TaskDefinitionModel[];
    /** Grants whose role cannot be told during preview, which may reach any role. */
    readonly unattributed: readonly RoleGap[];
    /** Roles given to ECS tasks outside a task definition (TASK_ROLES_ELSEWHERE), which the pack does not judge. */
    readonly rolesElsewhere?: readonly RoleGap[];
}

/** Every task definition's use of a role, grouped by role: what the role policies judge. */
export interface RoleUse {
    readonly role: RoleModel;
    readonly taskDefinitions: readonly TaskDefinitionModel[];
}

export function rolesUsedAs(model: EcsStackModel, capacity: RoleCapacity): readonly RoleUse[] {
    const memo = usesOf(model);
    let uses = memo[capacity];
    if (uses === undefined) {
        const byRole = new Map<RoleModel, TaskDefinitionModel[]>();
        for (const td of model.taskDefinitions) {
            const link = td.roles[capacity];
            if (link.kind !== "linked") continue;
            const list = byRole.get(link.role) ?? [];
            list.push(td);
            byRole.set(link.role, list);
        }
        uses = memo[capacity] = [...byRole].map(([role, taskDefinitions]) => ({ role, taskDefinitions }));
    }
    return uses;
}

/** Every role some task definition uses, with the task definitions it serves in each capacity. */
export function rolesInUse(model: EcsStackModel): ReadonlyMap<RoleModel, ReadonlyMap<RoleCapacity, readonly TaskDefinitionModel[]>> {
    const memo = usesOf(model);
    if (memo.inUse === undefined) {
        const uses = new Map<RoleModel, Map<RoleCapacity, readonly TaskDefinitionModel[]>>();
        for (const capacity of ["execution", "task"] as const) {
            for (const { role, taskDefinitions } of rolesUsedAs(model, capacity)) {
                const byCapacity = uses.get(role) ?? new Map<RoleCapacity, readonly TaskDefinitionModel[]>();
                byCapacity.set(capacity, taskDefinitions);
                uses.set(role, byCapacity);
            }
        }
        memo.inUse = uses;
    }
    return memo.inUse;
}

/** The stack policies share one model, and so its groupings: each is worked out once, read-only. */
interface Uses {
    execution?: readonly RoleUse[];
    task?: readonly RoleUse[];
    inUse?: ReadonlyMap<RoleModel, ReadonlyMap<RoleCapacity, readonly TaskDefinitionModel[]>>;
}

const usesByModel = new WeakMap<EcsStackModel, Uses>();

function usesOf(model: EcsStackModel): Uses {
    let uses = usesByModel.get(model);
    if (uses === undefined) usesByModel.set(model, (uses = {}));
    return uses;
}

export interface ModelOptions {
    /** Roles defined outside the stack: role ARN or name → the policy ARNs and documents declared for it. */
    readonly externalRoles?: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Documents and trust policies met as the same JSON text during one build parse to one shared,
 * read-only value: stacks give many roles the same trust policy and the same inline documents.
 * Emptied after each build, so texts never outlive the model that holds what they parsed to.
 */
let parsedTexts: { trust: Map<string, TrustPolicy>; documents: Map<string, PolicyDocument>; resourcePolicies: Map<string, ResourcePolicy> } | undefined;

function parseTrustOnce(raw: unknown): TrustPolicy {
    if (typeof raw !== "string" || parsedTexts === undefined) return parseTrustPolicy(raw, isUnknown);
    let trust = parsedTexts.trust.get(raw);
    if (trust === undefined) parsedTexts.trust.set(raw, (trust = parseTrustPolicy(raw, isUnknown)));
    return trust;
}

function parseDocumentOnce(raw: unknown): PolicyDocument {
    if (typeof raw !== "string" || parsedTexts === undefined) return parsePolicyDocument(raw, isUnknown);
    let document = parsedTexts.documents.get(raw);
    if (document === undefined) parsedTexts.documents.set(raw, (document = parsePolicyDocument(raw, isUnknown)));
    return document;
}

function parseResourcePolicyOnce(raw: unknown, resourceArn: string | undefined): ResourcePolicy {
    if (typeof raw !== "string" || parsedTexts === undefined) return parseResourcePolicy(raw, isUnknown, resourceArn);
    const key = `${resourceArn ?? ""}\n${raw}`;
    let policy = parsedTexts.resourcePolicies.get(key);
    if (policy === undefined) parsedTexts.resourcePolicies.set(key, (policy = parseResourcePolicy(raw, isUnknown, resourceArn)));
    return policy;
}

export function buildEcsStackModel(resources: readonly StackResource[], options: ModelOptions = {}): EcsStackModel {
    parsedTexts = { trust: new Map(), documents: new Map(), resourcePolicies: new Map() };
    try {
        return buildModel(resources, options);
    } finally {
        parsedTexts = undefined;
    }
}

function buildModel(resources: readonly StackResource[], options: ModelOptions): EcsStackModel {
    const index = new StackIndex(resources);
    /** How to read each role in full, once a task definition is known to use it. */
    const completions = new Map<RoleModel, () => void>();
    const roles = new Map<string, RoleModel>();
    /** Roles whose name is not known yet. */
    const nameless = new Set<RoleModel>();
    for (const [type, shape] of Object.entries(ROLE_SHAPES)) {
        for (const r of index.ofType(type)) {
            const role = roleShell(r, shape);
            completions.set(role, () => completeRole(role, r, shape, index));
            roles.set(r.urn, role);
            if (isUnknown(prop(r.props, shape.name))) nameless.add(role);
        }
    }
    const byArn = new Map<string, RoleModel>();
    for (const role of roles.values()) if (role.arn) byArn.set(role.arn, role);
    const roleIndex: RoleIndex = { byUrn: roles, byName: byNameKey(roles.values()), byArn, nameless: [...nameless], namedElsewhere: [] };

    const taskDefinitions = Object.entries(TASK_DEFINITION_SHAPES).flatMap(([type, shape]) =>
        index.ofType(type).map((r): TaskDefinitionModel => {
            const family = shape.family !== undefined ? prop(r.props, shape.family) : undefined;
            const compatibilities = shape.compatibilities !== undefined ? launchTypes(prop(r.props, shape.compatibilities)) : { fargate: shape.fargate };
            const containers = prop(r.props, shape.containers);
            return {
                resource: ref(r),
                what: shape.what,
                family: typeof family === "string" && !isUnknown(family) ? family : undefined,
                roles: {
                    execution: linkRole(r, shape.executionRole, roleIndex),
                    task: linkRole(r, shape.taskRole, roleIndex),
                },
                values: { execution: prop(r.props, shape.executionRole), task: prop(r.props, shape.taskRole) },
                needs: withKeyNeeds(
                    containerNeeds(shape.containerForm === "primaryContainer" ? primaryContainerDefinitions(containers) : containers, r.name),
                    index,
                ),
                ...compatibilities,
            };
        }),
    );

    // Only the roles task definitions use are judged, so only they are read in full, and only grants reaching them are parsed.
    const used = new Set<RoleModel>();
    for (const td of taskDefinitions) {
        for (const link of [td.roles.execution, td.roles.task]) if (link.kind === "linked") used.add(link.role);
    }
    for (const role of used) completions.get(role)?.();
    const unattributed: RoleGap[] = [];
    for (const [type, shape] of Object.entries(INLINE_GRANT_SHAPES)) {
        for (const r of index.ofType(type)) {
            const label = `${shortType(r.type)} "${r.name}"`;
            attachToRoles(r, shape, roleIndex, used, unattributed, () => [
                {
                    grantor: ref(r),
                    label,
                    state: documentState(prop(r.props, shape.document), `the policy of ${label}`),
                    deployedAs: { kind: "inline", name: knownString(prop(r.props, shape.name)) },
                },
            ]);
        }
    }
    for (const [type, shape] of Object.entries(MANAGED_POLICY_SHAPES)) {
        if (!shape.roles) continue;
        for (const r of index.ofType(type)) {
            attachToRoles(r, { roles: shape.roles, list: true }, roleIndex, used, unattributed, () => [
                managedPolicySource(r, ref(r), `its own ${shape.roles}`),
            ]);
        }
    }
    for (const [type, shape] of Object.entries(ATTACHMENT_SHAPES)) {
        for (const r of index.ofType(type)) attachToRoles(r, shape, roleIndex, used, unattributed, () => attachedPolicies(r, shape, index));
    }
    namelessGaps(roleIndex, used);
    if (used.size > 0) {
        exclusiveGaps(index, roleIndex, used);
        const inUse = [...used];
        const byUniqueId = new Map<string, RoleModel>();
        for (const role of inUse) if (role.uniqueId) byUniqueId.set(role.uniqueId, role);
        addResourceGrants((type) => index.ofType(type), {
            used: inUse,
            inUse: used,
            byName: byNameKey(inUse),
            byUniqueId,
            byUrn: roles,
            unattributed,
            parse: parseResourcePolicyOnce,
        });
        foreignGaps(resources, roleIndex, used);
    }

    const declared = new DeclaredRoles(options.externalRoles ?? {}, index);
    const withDeclared = taskDefinitions.map((td) => ({
        ...td,
        roles: { execution: declared.link(td.roles.execution, td), task: declared.link(td.roles.task, td) },
    }));
    return { taskDefinitions: withDeclared, unattributed, rolesElsewhere: rolesElsewhere(index) };
}

/** Roles by their name as IAM looks names up (nameKey); a role whose name is not known is left out. */
function byNameKey(roles: Iterable<RoleModel>): Map<string, RoleModel[]> {
    const byName = new Map<string, RoleModel[]>();
    for (const role of roles) {
        if (!role.roleName) continue;
        const key = nameKey(role.roleName);
        byName.set(key, [...(byName.get(key) ?? []), role]);
    }
    return byName;
}

// A Step Functions state may take the role from its input: `"TaskRoleArn.$": "$.role"`.
const ROLE_KEYS = /^(taskRoleArn|executionRoleArn|jobRoleArn)(\.\$)?$/i;

/** Where a resource of TASK_ROLES_ELSEWHERE gives an ECS task a role: each path with a role set, or not known yet. */
function rolesElsewhere(index: StackIndex): RoleGap[] {
    const gaps: RoleGap[] = [];
    for (const [type, properties] of Object.entries(TASK_ROLES_ELSEWHERE)) {
        for (const r of index.ofType(type)) {
            const found = properties.flatMap((property) => roleKeysIn(prop(r.props, property), property));
            if (found.length === 0) continue;
            gaps.push({
                grantor: ref(r),
                reason: `${shortType(r.type)} "${r.name}" gives ECS tasks a role outside a task definition (${found.join(", ")}), and the pack judges a role only as a task definition names it`,
                remedy: "name the role in a task definition of this stack, where the pack judges it",
            });
        }
    }
    return gaps;
}

/** The paths under `value` of a task role, execution role or job role that is set or not known yet; JSON text is read as what it holds. */
function roleKeysIn(value: unknown, at: string): string[] {
    const v = plain(value);
    if (isUnknown(v)) return [`${at} (${notKnown()})`];
    if (typeof v === "string") {
        if (!/roleArn/i.test(v)) return [];
        try {
            return roleKeysIn(JSON.parse(v), at);
        } catch {
            return [`${at} (text naming a role that is not JSON)`];
        }
    }
    if (Array.isArray(v)) return v.flatMap((entry, i) => roleKeysIn(entry, `${at}[${i}]`));
    if (typeof v !== "object" || v === null) return [];
    return Object.entries(v).flatMap(([key, inner]) => {
        const path = `${at}.${key}`;
        if (!ROLE_KEYS.test(key)) return roleKeysIn(inner, path);
        const role = plain(inner);
        return role === undefined || role === null || role === "" ? [] : [path];
    });
}

/**
 * Roles an organisation declares in config because they live outside the stack: a task
 * definition that names one is judged against what the declaration says it is granted.
 */
class DeclaredRoles {
    private readonly roles = new Map<string, RoleModel>();
    constructor(
        private readonly declarations: Readonly<Record<string, readonly unknown[]>>,
        private readonly index: StackIndex,
    ) {}

    link(link: RoleLink, td: TaskDefinitionModel): RoleLink {
        if (link.kind !== "external") return link;
        const key = Object.keys(this.declarations).find((k) => k === link.value || roleNameOf(k) === roleNameOf(link.value));
        if (key === undefined) return link;
        let role = this.roles.get(key);
        if (!role) {
            role = this.declared(key, this.declarations[key], td.resource);
            this.roles.set(key, role);
        }
        return { kind: "linked", role, by: "declaration" };
    }

    /** Findings about a declared role are reported against the first task definition that names it. */
    private declared(key: string, entries: readonly unknown[], reportedOn: ResourceRef): RoleModel {
        const role: RoleModel = {
            resource: { urn: reportedOn.urn, type: "external role", name: key },
            roleName: roleNameOf(key),
            arn: key.startsWith("arn:") ? key : undefined,
            sources: [],
            gaps: [],
            boundary: undefined,
            trust: { kind: "undeclared" },
        };
        // A declaration that is not a list is read as a list of one: reported if it cannot be read, never taken as granting nothing.
        (Array.isArray(entries) ? entries : [entries]).forEach((entry, i) => {
            const via = Array.isArray(entries) ? `externalRoles["${key}"][${i}]` : `externalRoles["${key}"]`;
            if (typeof entry === "string" && entry.startsWith("arn:")) {
                role.sources.push(arnSource(entry, reportedOn, via, this.index));
            } else {
                role.sources.push({ grantor: reportedOn, label: via, state: { kind: "known", document: parseDocumentOnce(entry) } });
            }
        });
        return role;
    }
}

interface RoleIndex {
    readonly byUrn: ReadonlyMap<string, RoleModel>;
    /** Roles of one name: two providers (two accounts) may each hold one. */
    readonly byName: ReadonlyMap<string, readonly RoleModel[]>;
    readonly byArn: ReadonlyMap<string, RoleModel>;
    /** Roles whose name is not known yet: a name no role has may be theirs. */
    readonly nameless: readonly RoleModel[];
    /** Grants, depending on no role, that name roles no role of this stack is known to be named (filled as grants are read). */
    readonly namedElsewhere: { readonly grantor: ResourceRef; readonly names: readonly string[] }[];
}

/** Resources by URN and by type, so that no lookup scans the stack. */
class StackIndex {
    private readonly byUrn = new Map<string, StackResource>();
    private readonly byType = new Map<string, StackResource[]>();
    private policiesByArn: Map<string, StackResource> | undefined;
    private secretsByArn: Map<string, string> | undefined;

    constructor(resources: readonly StackResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
        }
    }
    ofType(type: string): readonly StackResource[] {
        return this.byType.get(type) ?? [];
    }
    policyByArn(arn: string): StackResource | undefined {
        if (!this.policiesByArn) {
            this.policiesByArn = new Map();
            for (const [type, shape] of Object.entries(MANAGED_POLICY_SHAPES)) {
                for (const p of this.ofType(type)) {
                    const a = prop(p.props, shape.arn);
                    if (typeof a === "string" && !isUnknown(a)) this.policiesByArn.set(a, p);
                }
            }
        }
        return this.policiesByArn.get(arn);
    }
    /**
     * The customer-managed key that encrypts the secret or parameter at `resource` (an ARN, or a
     * parameter ARN pattern built from a name): its ARN, `*` when the key is named by alias or ID,
     * undefined when there is no such resource here or it uses an AWS-managed key.
     */
    secretKey(resource: string): string | undefined {
        if (!this.secretsByArn) {
            this.secretsByArn = new Map();
            for (const [type, shape] of Object.entries(SECRET_SHAPES)) {
                for (const r of this.ofType(type)) {
                    if (shape.encryptedWhen && prop(r.props, shape.encryptedWhen.property) !== shape.encryptedWhen.value) continue;
                    const key = prop(r.props, shape.key);
                    if (typeof key !== "string" || key === "" || isUnknown(key) || key.startsWith("alias/aws/") || key.includes(":alias/aws/")) continue;
                    const value = key.startsWith("arn:") && key.includes(":key/") ? key : "*";
                    const arn = prop(r.props, shape.arn);
                    if (typeof arn === "string" && !isUnknown(arn)) this.secretsByArn.set(arn, value);
                    const name = shape.name ? prop(r.props, shape.name) : undefined;
                    if (typeof name === "string" && !isUnknown(name)) this.secretsByArn.set(`arn:*:ssm:*:*:parameter/${name.replace(/^\//, "")}`, value);
                }
            }
        }
        return this.secretsByArn.get(resource);
    }
    /** The managed policies (of any provider) that a property of `r` depends on. */
    policyDependenciesOf(r: StackResource, property: string): StackResource[] {
        const urns = dependenciesAt(r, property);
        return urns.map((u) => this.byUrn.get(u)).filter((d): d is StackResource => d !== undefined && d.type in MANAGED_POLICY_SHAPES);
    }
}

/**
 * The role name inside a role ARN (`arn:aws:iam::123456789012:role/path/name`), or the value itself:
 * an ARN of anything else (an account's root, an STS session) names no role, and a role name never
 * holds a colon, so it matches no role's name.
 */
export function roleNameOf(value: string): string {
    if (!value.startsWith("arn:")) return value;
    const resource = value.split(":").slice(5).join(":");
    if (!resource.startsWith("role/")) return value;
    const parts = resource.split("/");
    return parts[parts.length - 1];
}

/** A role as the model builds it: its names first, the rest once a task definition is known to use it. */
type RoleUnderConstruction = { -readonly [K in keyof RoleModel]: RoleModel[K] };

/** What linking needs of a role, and nothing that costs: most stacks hold roles no task definition uses. */
function roleShell(r: StackResource, shape: RoleShape): RoleUnderConstruction {
    const arn = knownString(prop(r.props, shape.arn));
    const uniqueId = knownString(prop(r.props, shape.uniqueId));
    const account = accountIn(arn);
    return {
        resource: ref(r),
        roleName: knownString(prop(r.props, shape.name)),
        arn,
        ...(account !== undefined ? { account } : {}),
        ...(uniqueId !== undefined ? { uniqueId } : {}),
        sources: [],
        gaps: [],
        boundary: undefined,
        trust: { kind: "unknown" },
    };
}

/** The rest of a role a task definition uses: its boundary, its trust policy, and the grants it carries itself. */
function completeRole(role: RoleUnderConstruction, r: StackResource, shape: RoleShape, index: StackIndex): void {
    role.boundary = boundarySource(r, shape.boundary, index);
    role.trust = parseTrustOnce(prop(r.props, shape.trust));
    const roleLabel = `${shortType(r.type)} "${r.name}"`;

    // Grants name the role by its name or ARN: one that holds something else cannot be matched by them.
    const identity = [shape.name, shape.arn, shape.uniqueId].filter((property) => {
        const value = prop(r.props, property);
        return value !== undefined && value !== null && !isUnknown(value) && knownString(value) === undefined;
    });
    if (identity.length > 0) {
        role.sources.push(
            unreadableValue(
                ref(r),
                `the ${identity.join(" and ")} of ${roleLabel}`,
                identity.map((property) => `${property} must be a non-empty string, not ${describe(prop(r.props, property))}`),
            ),
        );
    }

    const list = shape.inline.list;
    const inline = setByProgram(r, list);
    if (isUnknown(inline)) {
        role.gaps.push({ grantor: ref(r), reason: `the ${list} of ${roleLabel} are ${notKnown()}` });
    } else if (Array.isArray(inline)) {
        inline.forEach((raw: unknown, i) => {
            const at = `${list}[${i}]`;
            const entry = plain(raw);
            if (isUnknown(entry) || typeof entry !== "object" || entry === null || Array.isArray(entry)) {
                role.sources.push(
                    isUnknown(entry)
                        ? { grantor: ref(r), label: `${at} of ${roleLabel}`, state: { kind: "unknown", reason: `${at} of ${roleLabel} is ${notKnown()}` } }
                        : unreadableValue(ref(r), `${at} of ${roleLabel}`, [`${at} must be an object with a name and a policy, not ${describe(entry)}`]),
                );
                return;
            }
            const name = prop(entry as Record<string, unknown>, shape.inline.name);
            const policy = prop(entry as Record<string, unknown>, shape.inline.document);
            // The provider reports a role without inline policies as one entry with empty strings.
            if ((policy === "" || policy === undefined) && (name === "" || name === undefined)) return;
            const known = knownString(name);
            const label = known !== undefined ? `inline policy "${known}" of ${roleLabel}` : `${at} of ${roleLabel}`;
            role.sources.push({ grantor: ref(r), label, state: documentState(policy, label), deployedAs: { kind: "inline", name: known } });
        });
    } else if (inline !== undefined && inline !== null) {
        role.sources.push(unreadableValue(ref(r), `${list} of ${roleLabel}`, [`${list} must be a list, not ${describe(inline)}`]));
    }

    const managed = setByProgram(r, shape.managedPolicyArns);
    const via = `managedPolicyArns of ${roleLabel}`;
    if (isUnknown(managed)) {
        const policyDeps = index.policyDependenciesOf(r, shape.managedPolicyArns);
        for (const p of policyDeps) role.sources.push(managedPolicySource(p, ref(r), via));
        role.gaps.push({
            grantor: ref(r),
            reason: `the managedPolicyArns of ${roleLabel} are ${notKnown()}${policyDeps.length ? "; the customer-managed policies it depends on were judged" : ""}`,
        });
    } else if (Array.isArray(managed)) {
        const listed = listedPolicies(r, shape.managedPolicyArns, managed, via, index);
        role.sources.push(...listed.sources);
        if (listed.unknown > 0) role.gaps.push({ grantor: ref(r), reason: `${listed.unknown} of the managedPolicyArns of ${roleLabel} are ${notKnown()}` });
    } else if (managed !== undefined && managed !== null) {
        role.sources.push(unreadableValue(ref(r), via, [`managedPolicyArns must be a list, not ${describe(managed)}`]));
    }
}

/**
 * The policies a list of policy ARNs attaches (a role's `managedPolicyArns`, an exclusive
 * attachment's `policyArns`): the document behind each known ARN. Where the list holds entries not
 * known yet, or ARNs that no policy of this stack has while the list depends on policies of this
 * stack it does not name, those policies are attached too: the dependency is the engine's truth,
 * and an ARN may be stale or mistyped. `unknown` counts the entries not known that no such
 * dependency may stand for.
 */
function listedPolicies(
    r: StackResource,
    property: string,
    entries: readonly unknown[],
    via: string,
    index: StackIndex,
): { sources: PermissionSource[]; unknown: number } {
    const owner = `${shortType(r.type)} "${r.name}"`;
    const sources: PermissionSource[] = [];
    const matched = new Set<string>();
    let unknownEntries = 0;
    let unmatched = 0;
    entries.forEach((raw, i) => {
        const entry = plain(raw);
        if (isUnknown(entry)) {
            unknownEntries++;
            return;
        }
        const arn = knownString(entry);
        if (arn === undefined) {
            sources.push(unreadableValue(ref(r), `${property}[${i}] of ${owner}`, [`${property}[${i}] must be a policy ARN, not ${describe(entry)}`]));
            return;
        }
        const policy = index.policyByArn(arn);
        if (policy) matched.add(policy.urn);
        else if (!parseAwsManagedPolicyArn(arn)) unmatched++;
        sources.push(arnSource(arn, ref(r), via, index));
    });
    if (unknownEntries + unmatched === 0) return { sources, unknown: 0 };
    const rest = index.policyDependenciesOf(r, property).filter((p) => !matched.has(p.urn));
    for (const p of rest) sources.push(managedPolicySource(p, ref(r), via));
    // Some of the policies depended on may be what the unmatched ARNs meant rather than the entries not known.
    return { sources, unknown: Math.max(0, Math.min(unknownEntries, unknownEntries + unmatched - rest.length)) };
}

/**
 * A role's optional lists as the program set them. During a preview the provider reports a list the
 * program left unset as unknown (it computes it), while a value the program set can be unknown only
 * through another resource's output, and then the engine records that dependency. So an unknown
 * with no dependency is, in a preview, the provider's own default: nothing the program grants.
 */
function setByProgram(r: StackResource, property: string): unknown {
    const value = prop(r.props, property);
    // Outside a preview (an update, a stack export) every output is computed: one not known is an encrypted secret.
    if (!isUnknown(value) || !isPreview()) return value;
    return (r.propertyDependencies[property] ?? []).length > 0 ? value : undefined;
}

/** A source the pack cannot read: judged as a malformed document, never passed in silence. */
function malformed(...messages: string[]): DocumentState {
    return { kind: "known", document: unreadableDocument(messages.map((message) => ({ path: "", message }))) };
}

/** A value where a grant should be that the pack cannot read (not a document): judged as a malformed document. */
function unreadableValue(grantor: ResourceRef, label: string, messages: readonly string[]): PermissionSource {
    return { grantor, label, state: malformed(...messages), fix: "the value" };
}

/** A policy document given as a property value: a JSON string, an object, or unknown. */
function documentState(value: unknown, what: string): DocumentState {
    if (isUnknown(value)) return { kind: "unknown", reason: `${what} is ${notKnown()}` };
    return { kind: "known", document: parseDocumentOnce(value) };
}

/** A managed policy of this stack, as attached to a role by `via`. */
function managedPolicySource(policy: StackResource, attachedBy: ResourceRef, via: string): PermissionSource {
    const label = `${shortType(policy.type)} "${policy.name}" (attached by ${via})`;
    const shape = MANAGED_POLICY_SHAPES[policy.type];
    const arn = knownString(prop(policy.props, shape.arn));
    return {
        grantor: attachedBy,
        label,
        state: documentState(prop(policy.props, shape.document), `the policy of ${label}`),
        deployedAs: { kind: "managed" },
        ...(arn !== undefined ? { attachedArn: arn } : {}),
    };
}

/** AWS-managed documents, parsed once: a stack attaches the same few to many roles. */
const managedDocuments = new WeakMap<AwsManagedPolicy, PolicyDocument>();

function managedDocument(policy: AwsManagedPolicy): PolicyDocument {
    let document = managedDocuments.get(policy);
    if (!document) {
        document = parsePolicyDocument(policy.document);
        managedDocuments.set(policy, document);
    }
    return document;
}

/** The document behind a known policy ARN: AWS-managed from the snapshot, customer-managed from the stack. */
function arnSource(arn: string, attachedBy: ResourceRef, via: string, index: StackIndex): PermissionSource {
    const managed = parseAwsManagedPolicyArn(arn);
    if (managed) {
        const label = `AWS-managed policy ${managed.name} (attached by ${via})`;
        const found = findAwsManagedPolicy(arn);
        if (found) return { grantor: attachedBy, label, awsManaged: true, attachedArn: arn, state: { kind: "known", document: managedDocument(found) } };
        const info = awsManagedPolicySnapshotInfo();
        return {
            grantor: attachedBy,
            label,
            attachedArn: arn,
            state: {
                kind: "unavailable",
                reason: `${arn} is not in the pack's snapshot of AWS-managed policies (${info.packageName} ${info.packageVersion}, data up to ${info.newestDate.slice(0, 10)})`,
            },
        };
    }
    const policy = index.policyByArn(arn);
    if (policy) return managedPolicySource(policy, attachedBy, via);
    return {
        grantor: attachedBy,
        label: `policy ${arn} (attached by ${via})`,
        attachedArn: arn,
        state: { kind: "unavailable", reason: `the policy ${arn} is not defined in this stack` },
    };
}

/**
 * A secret or parameter of this stack encrypted with a customer-managed KMS key needs kms:Decrypt
 * on that key too (ECS developer guide); AWS-managed keys (`alias/aws/...`) need nothing more.
 */
function withKeyNeeds(needs: ContainerNeeds, index: StackIndex): ContainerNeeds {
    if (needs.kind !== "known") return needs;
    const keyNeeds: ExecutionNeed[] = [];
    for (const need of needs.needs) {
        if (need.kind !== "secret" || need.arn === undefined) continue;
        const key = index.secretKey(need.arn.text);
        if (key === undefined) continue;
        keyNeeds.push({ ...need, actions: ["kms:Decrypt"], arn: key === "*" ? undefined : exactArn(key) });
    }
    return keyNeeds.length === 0 ? needs : { ...needs, needs: [...needs.needs, ...keyNeeds] };
}

/** Whether `requiresCompatibilities` says Fargate; when it cannot be told, why. Left out, a task definition is for EC2. */
function launchTypes(compatibilities: unknown): Pick<TaskDefinitionModel, "fargate" | "fargateUnknown"> {
    if (compatibilities === undefined || compatibilities === null) return { fargate: false };
    const entries = Array.isArray(compatibilities) ? compatibilities.map(plain) : undefined;
    if (entries?.includes("FARGATE")) return { fargate: true };
    if (isUnknown(compatibilities) || entries?.some(isUnknown)) {
        return { fargate: undefined, fargateUnknown: { reason: `requiresCompatibilities is ${notKnown()}`, unreadable: false } };
    }
    const odd = entries === undefined ? compatibilities : entries.find((entry) => typeof entry !== "string");
    if (odd !== undefined) {
        const what = entries === undefined ? "a list of launch types" : "a launch type";
        const at = entries === undefined ? "requiresCompatibilities" : `requiresCompatibilities[${entries.indexOf(odd)}]`;
        return { fargate: undefined, fargateUnknown: { reason: `${at} must be ${what}, not ${describe(odd)}`, unreadable: true } };
    }
    return { fargate: false };
}

/** The permissions boundary a role names, if it names one. */
function boundarySource(r: StackResource, property: string, index: StackIndex): PermissionSource | undefined {
    const value = prop(r.props, property);
    if (value === undefined || value === null || value === "") return undefined;
    return referencedPolicy(r, property, index, `${property} of ${shortType(r.type)} "${r.name}"`);
}

/** The documents an attachment's `policyArn` (or its list `policyArns`) names. */
function attachedPolicies(r: StackResource, shape: AttachmentShape, index: StackIndex): PermissionSource[] {
    const owner = `${shortType(r.type)} "${r.name}"`;
    const value = valueAt(r.props, shape.policyArns);
    if (!shape.arnList) {
        const arn = knownString(value);
        const deps = arn !== undefined && !parseAwsManagedPolicyArn(arn) && !index.policyByArn(arn) ? index.policyDependenciesOf(r, shape.policyArns) : [];
        // An ARN no policy of this stack has, while the attachment depends on one: the dependency is the engine's truth.
        if (deps.length > 0) return [...deps.map((p) => managedPolicySource(p, ref(r), owner)), arnSource(arn as string, ref(r), owner, index)];
        return [referencedPolicy(r, shape.policyArns, index)];
    }
    if (isUnknown(value)) {
        // The policies it depends on are judged; what else the list may hold is not known.
        return [
            ...index.policyDependenciesOf(r, shape.policyArns).map((p) => managedPolicySource(p, ref(r), owner)),
            {
                grantor: ref(r),
                label: `the ${shape.policyArns} of ${owner}`,
                state: { kind: "unknown", reason: `the ${shape.policyArns} of ${owner} are ${notKnown()}` },
            },
        ];
    }
    if (!Array.isArray(value)) {
        if (value === undefined || value === null) return [];
        return [unreadableValue(ref(r), `the ${shape.policyArns} of ${owner}`, [`${shape.policyArns} must be a list of policy ARNs, not ${describe(value)}`])];
    }
    const { sources, unknown } = listedPolicies(r, shape.policyArns, value, owner, index);
    if (unknown > 0) {
        sources.push({
            grantor: ref(r),
            label: `the ${shape.policyArns} of ${owner}`,
            state: { kind: "unknown", reason: `${unknown} of the ${shape.policyArns} of ${owner} are ${notKnown()}` },
        });
    }
    return sources;
}

/**
 * A policy a property names: by its known ARN or, during preview, by the one policy the property
 * depends on. `via` says how the policy reaches the role, for labels.
 */
function referencedPolicy(r: StackResource, property: string, index: StackIndex, via = `${shortType(r.type)} "${r.name}"`): PermissionSource {
    const owner = `${shortType(r.type)} "${r.name}"`;
    const value = valueAt(r.props, property);
    const arn = knownString(value);
    if (arn) return arnSource(arn, ref(r), via, index);
    const deps = index.policyDependenciesOf(r, property);
    if (deps.length === 1) return managedPolicySource(deps[0], ref(r), via);
    const several = deps.length > 1 ? ` and it depends on ${deps.length} policies` : "";
    const label = `the policy named by the ${property} of ${owner}`;
    if (isUnknown(value)) return { grantor: ref(r), label, state: { kind: "unknown", reason: `the ${property} of ${owner} is ${notKnown()}${several}` } };
    return unreadableValue(ref(r), label, [`${property} must be a policy ARN, not ${describe(value)}`]);
}

/**
 * The roles of this stack a known ARN or name may be. An ARN names one role; a name may be held by
 * roles of several accounts (two providers), and then what the naming resource depends on, and
 * then its provider, narrow them down: never "the last one declared". More than one left means the
 * pack cannot tell which.
 */
function rolesNamed(value: string, roles: RoleIndex, depended: readonly RoleModel[], provider: string | undefined): readonly RoleModel[] {
    const byArn = roles.byArn.get(value);
    if (byArn) return [byArn];
    let candidates = roles.byName.get(nameKey(roleNameOf(value))) ?? [];
    // A full ARN names one role: a role whose ARN is known, and is another, is not it.
    if (value.startsWith("arn:")) candidates = candidates.filter((role) => role.arn === undefined || sameRoleArn(role.arn, value));
    const narrow = (keep: (role: RoleModel) => boolean) => {
        const kept = candidates.filter(keep);
        if (kept.length > 0) candidates = kept;
    };
    // IAM names are unique within an account, so roles that share one are in different accounts.
    if (candidates.length > 1) narrow((role) => depended.includes(role));
    if (candidates.length > 1 && provider !== undefined) narrow((role) => role.resource.provider === provider);
    return candidates;
}

function roleList(roles: readonly RoleModel[]): string {
    return roles.map((role) => `${shortType(role.resource.type)} "${role.resource.name}"`).join(", ");
}

/** The roles of this stack a property depends on, each once. */
function dependedRoles(r: StackResource, property: string, roles: RoleIndex): RoleModel[] {
    const found: RoleModel[] = [];
    for (const urn of dependenciesAt(r, property)) {
        const role = roles.byUrn.get(urn);
        if (role !== undefined && !found.includes(role)) found.push(role);
    }
    return found;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function quotedList(values: readonly string[]): string {
    const quoted = values.map((v) => JSON.stringify(v));
    return quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/**
 * Adds a grant to the roles it reaches, of those in use; the sources are read only if it reaches
 * one. The roles are named in `shape.roles` (one, or a list): by known name or ARN, else by the roles
 * that property depends on. A grant whose role cannot be told is recorded as unattributed whatever
 * it reaches; a name several roles share reaches each of them, and says so.
 *
 * The dependency is the engine's truth: an entry not known yet, one that is not a role name at
 * all, or a name that no role of this stack has, may stand for a role the property depends on but
 * does not name, and the grant is judged as reaching it. Each such reading is said, and a value
 * that is not a name is reported as a grant that cannot be read.
 */
function attachToRoles(
    r: StackResource,
    shape: { readonly roles: string; readonly list: boolean },
    roles: RoleIndex,
    used: ReadonlySet<RoleModel>,
    unattributed: RoleGap[],
    sourcesOf: () => PermissionSource[],
): void {
    const property = shape.roles;
    const value = valueAt(r.props, property);
    const via = `${shortType(r.type)} "${r.name}"`;
    const depended = dependedRoles(r, property, roles);
    const targets = new Set<RoleModel>();
    let unknownEntries = 0;
    /** Known names or ARNs that no role of this stack has. */
    const unmatched: string[] = [];
    /** What makes entries unreadable. */
    const odd: string[] = [];
    const asList = Array.isArray(value);
    // Nothing names no role, unless the engine says the property came from one.
    const entries: readonly unknown[] = asList ? value : value === undefined || value === null ? (depended.length > 0 ? [value] : []) : [value];
    entries.forEach((raw, i) => {
        const entry = plain(raw);
        if (isUnknown(entry)) {
            unknownEntries++;
            return;
        }
        const known = knownString(entry);
        if (known === undefined) {
            const what = shape.list && !asList ? "a list of role names or ARNs" : "the name or ARN of a role";
            odd.push(`${asList ? `${property}[${i}]` : property} must be ${what}, not ${describe(entry)}`);
            return;
        }
        const named = rolesNamed(known, roles, depended, r.provider);
        if (named.length === 0) {
            unmatched.push(known);
            return;
        }
        named.forEach((role) => targets.add(role));
        if (named.length > 1) {
            for (const role of named) {
                if (!used.has(role)) continue;
                role.gaps.push({
                    grantor: ref(r),
                    reason: `${via} names the role "${roleNameOf(known)}", which ${named.length} roles of this stack are named (${roleList(named)}), and neither its dependencies nor its provider tell which: it was judged as granted to each`,
                    remedy: "name the role by its ARN or its resource's output (role.name, role.arn) so that the engine records which one",
                });
            }
        }
    });
    const rest = depended.filter((x) => !targets.has(x));
    if (rest.length > 0 && (unmatched.length > 0 || odd.length > 0)) {
        for (const role of rest) {
            targets.add(role);
            if (!used.has(role) || unmatched.length === 0) continue;
            const itsName =
                role.roleName !== undefined ? `, whose name is "${role.roleName}"` : roles.nameless.includes(role) ? `, whose name is ${notKnown()}` : "";
            role.gaps.push({
                grantor: ref(r),
                reason: `${via} names the role ${quotedList(unmatched.map(roleNameOf))}, which no role of this stack is known to be named, yet the engine records its ${property} as coming from this role${itsName}: it was judged as granted to this role`,
                remedy: "name the role by its resource's output (role.name), so that the name and the dependency agree",
            });
        }
    } else if (unknownEntries > 0) {
        if (rest.length === 0) {
            unattributed.push({ grantor: ref(r), reason: `the ${property} of ${via} is ${notKnown()} and depends on no role in this stack` });
        } else if (shape.list || rest.length === 1) {
            rest.forEach((role) => targets.add(role));
        } else {
            // One role named, several depended on: each may be it, and none is known to be.
            for (const role of rest) {
                if (!used.has(role)) continue;
                role.gaps.push({
                    grantor: ref(r),
                    reason: `${via} names one role that is ${notKnown()}, and depends on ${rest.length} roles: it may attach to this one`,
                });
            }
        }
    }
    if (odd.length > 0 && targets.size === 0) {
        unattributed.push({
            grantor: ref(r),
            reason: `the ${property} of ${via} cannot be read (${odd.join("; ")}) and depends on no role in this stack, so which role it grants to cannot be told`,
            remedy: "name the role by its resource's output (role.name)",
        });
    }
    if (unmatched.length > 0 && depended.length === 0) roles.namedElsewhere.push({ grantor: ref(r), names: unmatched });
    let sources: PermissionSource[] | undefined;
    for (const role of targets) {
        if (!used.has(role)) continue;
        sources ??= sourcesOf();
        role.sources.push(...sources);
        // A grant whose role cannot be read says so to every role it was judged as reaching.
        if (odd.length > 0) role.sources.push(unreadableValue(ref(r), `the ${property} of ${via}`, odd));
    }
}

/**
 * Names that matched no role of this stack, from grants that depend on none: in a preview, a role in
 * use whose name is not known yet may be one of them. Said once per such role, however many there are.
 */
function namelessGaps(roles: RoleIndex, used: ReadonlySet<RoleModel>): void {
    if (roles.namedElsewhere.length === 0) return;
    for (const role of roles.nameless) {
        if (!used.has(role)) continue;
        const first = roles.namedElsewhere[0];
        const more = roles.namedElsewhere.length - 1;
        role.gaps.push({
            grantor: first.grantor,
            reason: `its name is ${notKnown()}, and ${shortType(first.grantor.type)} "${first.grantor.name}"${more > 0 ? ` (and ${more} more grants)` : ""} names the role ${quotedList(first.names.map(roleNameOf))}, which no role of this stack is known to be named, without depending on any role: it may be this one`,
            remedy: "set the role's name from a value the program knows, or name the role in the grant by its output (role.name)",
        });
    }
}

function linkRole(r: StackResource, property: "executionRoleArn" | "taskRoleArn", roles: RoleIndex): RoleLink {
    const value = prop(r.props, property);
    const known = knownString(value);
    const depRoles = dependedRoles(r, property, roles);
    const owner = `task definition "${r.name}"`;
    if (known) {
        const byArn = roles.byArn.get(known);
        if (byArn) return { kind: "linked", role: byArn, by: "arn" };
        const named = rolesNamed(known, roles, depRoles, r.provider);
        if (named.length === 1) return { kind: "linked", role: named[0], by: "name" };
        if (named.length > 1) {
            return {
                kind: "unresolved",
                reason: `${property} names "${roleNameOf(known)}", which ${named.length} roles of this stack are named (${roleList(named)}), and neither its dependencies nor its provider tell which`,
                remedy: "set it from the role's arn output so that the engine records which role it is",
            };
        }
    }
    if (isUnknown(value) || known === undefined) {
        if (depRoles.length === 1) {
            // The value is not a role's ARN or name, yet the engine says it came from this role.
            if (!isUnknown(value) && value !== undefined) {
                depRoles[0].gaps.push({
                    grantor: ref(r),
                    reason: `the ${property} of ${owner} is ${describe(value)}, not a role ARN, yet the engine records that it comes from this role: the task definition was judged as using it`,
                    remedy: `set ${property} from the role's arn output`,
                });
            }
            return { kind: "linked", role: depRoles[0], by: "dependency" };
        }
        if (value === undefined || value === null || value === "") return { kind: "none" };
    }
    if (depRoles.length === 1) {
        depRoles[0].gaps.push({
            grantor: ref(r),
            reason: `the ${property} of ${owner} names ${JSON.stringify(known)}, which is neither the ARN nor the name of any role of this stack, yet the engine records that it comes from this role${depRoles[0].roleName !== undefined ? `, whose name is "${depRoles[0].roleName}"` : ""}: the task definition was judged as using it`,
            remedy: `set ${property} from the role's arn output so that the value and the dependency agree`,
        });
        return { kind: "linked", role: depRoles[0], by: "dependency" };
    }
    const names = depRoles.map((d) => `"${d.resource.name}"`).join(", ");
    if (known !== undefined) {
        if (depRoles.length === 0) return { kind: "external", value: known };
        return {
            kind: "unresolved",
            reason: `${property} names ${JSON.stringify(known)}, which no role of this stack is, and depends on ${depRoles.length} roles (${names}), so the pack cannot tell which one it is`,
            remedy: "set it from the role's arn output so that the engine records which role it is",
        };
    }
    if (!isUnknown(value)) {
        return {
            kind: "unresolved",
            reason: `${property} is ${describe(value)}, not a role ARN${depRoles.length > 1 ? `, and depends on ${depRoles.length} roles (${names})` : ""}`,
            remedy: "set it to the role's ARN, from the role's arn output",
        };
    }
    if (depRoles.length > 1) {
        return {
            kind: "unresolved",
            reason: `${property} is ${notKnown()} and depends on ${depRoles.length} roles (${names}), so the pack cannot tell which one it names`,
        };
    }
    return { kind: "unresolved", reason: `${property} is ${notKnown()} and depends on no role in this stack` };
}

/**
 * Exclusive resources take away, at each update, what they do not list: `RolePoliciesExclusive`
 * the inline policies it does not name, `RolePolicyAttachmentsExclusive` the managed policies. The
 * pack does not credit the removal (the resources that grant and the one that removes fight at
 * each update, and either may hold at any time), but says that the role's grants are in dispute.
 */
function exclusiveGaps(index: StackIndex, roles: RoleIndex, used: ReadonlySet<RoleModel>): void {
    const disputed = (
        r: StackResource,
        property: string,
        listed: string,
        kept: (source: PermissionSource) => string | undefined,
        words: { what: string; remedy: string },
    ) => {
        const value = valueAt(r.props, property);
        const role = knownString(valueAt(r.props, listed));
        const depended = dependedRoles(r, listed, roles);
        const named = role !== undefined ? rolesNamed(role, roles, depended, r.provider) : [];
        // A name no role of this stack has, or no name at all, is the role the engine says it came from.
        const targets = named.length > 0 ? named : depended.length === 1 ? depended : [];
        if (!Array.isArray(value)) return;
        const entries = value.map(plain);
        if (entries.some(isUnknown)) return;
        const keeps = new Set(entries.filter((v): v is string => typeof v === "string"));
        for (const target of targets) {
            if (!used.has(target)) continue;
            for (const source of target.sources) {
                const key = kept(source);
                if (key === undefined || keeps.has(key)) continue;
                target.gaps.push({
                    grantor: ref(r),
                    reason: `${shortType(r.type)} "${r.name}" ${words.what} ${JSON.stringify(key)} (${source.label}) at each update, while that grant is still declared: the pack judges it as granted`,
                    remedy: words.remedy,
                });
            }
        }
    };
    for (const [type, shape] of Object.entries(INLINE_EXCLUSIVE_SHAPES)) {
        for (const r of index.ofType(type)) {
            disputed(r, shape.names, shape.roles, (source) => (source.deployedAs?.kind === "inline" ? source.deployedAs.name : undefined), {
                what: "deletes the inline policy",
                remedy: "list it in policyNames, or remove the inline policy",
            });
        }
    }
    for (const [type, shape] of Object.entries(ATTACHMENT_SHAPES)) {
        if (!shape.exclusive) continue;
        for (const r of index.ofType(type)) {
            disputed(r, shape.policyArns, shape.roles, (source) => (source.grantor.urn === r.urn ? undefined : source.attachedArn), {
                what: "detaches the policy",
                remedy: "list it in policyArns, or remove that attachment",
            });
        }
    }
}

/**
 * A resource of a type the table of doors does not know (a provider newer than the pinned one)
 * that the rule of doors selects, and that depends on a role in use, may give the role permissions
 * the pack cannot see: the role was not fully evaluated.
 */
function foreignGaps(resources: readonly StackResource[], roles: RoleIndex, used: ReadonlySet<RoleModel>): void {
    for (const r of resources) {
        if (MODEL_PROPERTIES.has(r.type) || Object.prototype.hasOwnProperty.call(DOORS, r.type)) continue;
        for (const key of foreignDoorKeys(r.type, r.propertyDependencies) ?? []) {
            for (const urn of r.propertyDependencies[key]) {
                const role = roles.byUrn.get(urn);
                if (role === undefined || !used.has(role)) continue;
                role.gaps.push({
                    grantor: ref(r),
                    reason: `${shortType(r.type)} "${r.name}" is of type ${r.type}, which this release of the pack does not know, and its ${key} depends on this role: it may give the role permissions the pack cannot see`,
                    remedy: "upgrade ecs-role-guard, or judge it by hand and exempt it",
                });
            }
        }
    }
}

/**
 * A stack as a stack policy read it from the SDK's resources: what the model is built from, and
 * the model, built on first use. Reading is cheap and synchronous; building is not, and a policy
 * builds only after it has let go of the SDK's resources (see `policies/stackPolicy.ts`).
 */
export interface EcsStack {
    model(): EcsStackModel;
}

class ReadStack implements EcsStack {
    private built: EcsStackModel | undefined;

    constructor(
        readonly resources: readonly StackResource[],
        readonly options: ModelOptions,
    ) {}

    model(): EcsStackModel {
        return (this.built ??= buildEcsStackModel(this.resources, this.options));
    }
}

/** The last stack read, whose model the next policy shares when its resources hold the same. */
let lastStack: ReadStack | undefined;

/**
 * The stack a validateStack call sees. `@pulumi/policy` calls each stack policy with freshly
 * deserialised resources, so the policies of one AnalyzeStack cannot share a model by identity;
 * they share it by content: the properties the model reads (`MODEL_PROPERTIES`, of which it is
 * built and nothing else), their dependencies, and the options. One entry only, so a preview and
 * an update served by the same process never mix.
 *
 * The content is compared in place, value by value, with what the cached model was built from:
 * nothing is copied, serialised or hashed for a policy whose model is cached. The values the
 * model reads are kept by reference, not copied.
 */
export function readEcsStack(resources: readonly PolicyResource[], options: ModelOptions = {}): EcsStack {
    const externalRoles = options.externalRoles ?? {};
    if (lastStack && sameJson(lastStack.options.externalRoles ?? {}, externalRoles) && sameResources(lastStack.resources, resources)) return lastStack;
    lastStack = new ReadStack(fromPolicyResources(resources, MODEL_PROPERTIES), options);
    return lastStack;
}

/**
 * Whether the SDK's resources of the types the model reads hold exactly what the model was built
 * from, in the same order. It allocates nothing: what a policy allocates while the SDK's copy of
 * the stack is young makes the next scavenge promote that copy to the old generation. So it looks
 * properties up by name rather than listing a resource's keys, which for an object with many
 * properties allocates a list each time.
 */
function sameResources(built: readonly StackResource[], resources: readonly PolicyResource[]): boolean {
    let next = 0;
    for (let i = 0; i < resources.length; i++) {
        const b = resources[i];
        const keys = MODEL_PROPERTIES.get(b.type);
        const dependencies = b.propertyDependencies ?? {};
        // A type the model does not read is kept only as a possible door of a newer provider, by its dependencies alone.
        const foreign = keys === undefined ? foreignDoorKeys(b.type, dependencies) : undefined;
        if (keys === undefined && foreign === undefined) continue;
        if (next === built.length) return false;
        const a = built[next++];
        if (a.urn !== b.urn || a.type !== b.type || a.name !== b.name || a.provider !== b.provider?.urn) return false;
        if (foreign !== undefined) {
            if (Object.keys(a.propertyDependencies).length !== foreign.length) return false;
            for (const key of foreign) if (!sameUrns(prop(a.propertyDependencies, key) as readonly string[] | undefined, prop(dependencies, key))) return false;
            continue;
        }
        if (keys === undefined) continue;
        const props = unwrapProps(b.props);
        for (let k = 0; k < keys.length; k++) {
            const key = keys[k];
            if (!sameJson(prop(a.props, key), prop(props, key))) return false;
            if (!sameUrns(prop(a.propertyDependencies, key) as readonly string[] | undefined, prop(dependencies, key))) return false;
        }
    }
    return next === built.length;
}

/** Whether the SDK's dependencies of one property name exactly the URNs the model was built from; none is as good as an empty list. */
function sameUrns(urns: readonly string[] | undefined, resources: unknown): boolean {
    if (resources === undefined) return urns === undefined || urns.length === 0;
    if (!Array.isArray(resources)) return false;
    if ((urns?.length ?? 0) !== resources.length) return false;
    for (let j = 0; j < resources.length; j++) if ((resources[j] as PolicyResource).urn !== urns![j]) return false;
    return true;
}

/**
 * Deep equality for the values a deserialised resource holds: strings, numbers, booleans, null,
 * arrays and plain objects (secrets, assets and unknowns are plain values there too). Anything
 * else is never equal, so a stranger value makes the model be built afresh rather than reused.
 * Neither is the very object the model was built from: the SDK deserialises afresh for every
 * policy, so only a caller that kept it, and may have changed it since, passes it again.
 */
function sameJson(a: unknown, b: unknown): boolean {
    if (a === b) return typeof a !== "object" || a === null;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
        return true;
    }
    if (Array.isArray(b) || !isPlainRecord(a) || !isPlainRecord(b)) return false;
    // for...in rather than Object.keys: no array per object compared. Deserialised values inherit
    // nothing enumerable, and own keys are checked, so counting both sides finds a missing key.
    let count = 0;
    for (const key in a) {
        if (!Object.prototype.hasOwnProperty.call(a, key)) continue;
        if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
        if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
        count++;
    }
    for (const key in b) if (Object.prototype.hasOwnProperty.call(b, key)) count--;
    return count === 0;
}

/** An object as JSON gives it: no class, no proxy. */
function isPlainRecord(value: object): boolean {
    const proto: unknown = Object.getPrototypeOf(value);
    return (proto === Object.prototype || proto === null) && !types.isProxy(value);
}
