import { describe, PolicyDocument, Statement, unreadableDocument } from "../iam/policyDocument";
import { parsePrincipalString, Principal, ResourcePolicy, ResourceStatement } from "../iam/resourcePolicy";
import type { PermissionSource, RoleGap, RoleModel } from "./ecsModel";
import { nameKey, sameRoleArn } from "../iam/names";
import { isPreview, notKnown } from "./phase";
import {
    OPAQUE_GRANT_SHAPES,
    OpaqueGrantShape,
    PRINCIPAL_GRANT_SHAPES,
    PrincipalGrantShape,
    RESOURCE_POLICY_SHAPES,
    ResourcePolicyShape,
} from "./resourceShapes";
import { dependenciesAt, isUnknown, knownString, plain, refOf as ref, shortType, StackResource, valueAt, valuesAt } from "./resources";

/**
 * Grants that reach a role from the resource side: resource-based policies whose statements name
 * the role (by its ARN, a session of it, or `"*"`), resources that grant one principal some actions
 * (`aws.lambda.Permission`, `aws.kms.Grant`), and grants the pack cannot read (RAM shares). Each
 * becomes a source of the role it names, in the resource's own account (across accounts the role's
 * identity policies must allow the action too, and they are judged where they are), or a gap when
 * the pack cannot tell whether it names the role.
 */

/** The roles in use, as grants find them. */
export interface GrantTargets {
    readonly used: readonly RoleModel[];
    readonly inUse: ReadonlySet<RoleModel>;
    readonly byName: ReadonlyMap<string, readonly RoleModel[]>;
    readonly byUniqueId: ReadonlyMap<string, RoleModel>;
    readonly byUrn: ReadonlyMap<string, RoleModel>;
    readonly unattributed: RoleGap[];
    /** Parses a resource-based policy, the same text once per build. */
    readonly parse: (raw: unknown, resourceArn: string | undefined) => ResourcePolicy;
}

/** How a statement names a role: through its ARN (a permissions boundary limits it), or otherwise (it does not). */
export type PrincipalVia = "role" | "session" | "everyone";

export function addResourceGrants(ofType: (type: string) => readonly StackResource[], targets: GrantTargets): void {
    if (targets.used.length === 0) return;
    for (const [type, shape] of Object.entries(RESOURCE_POLICY_SHAPES)) for (const r of ofType(type)) documentGrants(r, shape, targets);
    for (const [type, shapes] of Object.entries(PRINCIPAL_GRANT_SHAPES)) {
        for (const r of ofType(type)) for (const shape of shapes) principalGrant(r, shape, targets);
    }
    for (const [type, shape] of Object.entries(OPAQUE_GRANT_SHAPES)) for (const r of ofType(type)) opaqueGrant(r, shape, targets);
}

const label = (r: StackResource) => `${shortType(r.type)} "${r.name}"`;

/** The ARN a property holds, when it holds one. */
function arnIn(value: unknown): string | undefined {
    const known = knownString(value);
    return known?.startsWith("arn:") ? known : undefined;
}

/** The account an ID, an ARN (its fifth field) or a queue URL names. */
export function accountIn(value: unknown): string | undefined {
    const known = knownString(value);
    if (known === undefined) return undefined;
    if (known.startsWith("arn:")) {
        const account = known.split(":", 5)[4] ?? "";
        return ACCOUNT_ID.test(account) ? account : undefined;
    }
    if (ACCOUNT_ID.test(known)) return known;
    return /^https:\/\/[^/]+\/(\d{12})\//.exec(known)?.[1];
}

const ACCOUNT_ID = /^\d{12}$/;

/** The roles in use that a property depends on. */
function dependedRoles(r: StackResource, path: string, targets: GrantTargets): RoleModel[] {
    const roles: RoleModel[] = [];
    for (const urn of dependenciesAt(r, path)) {
        const role = targets.byUrn.get(urn);
        if (role && targets.inUse.has(role) && !roles.includes(role)) roles.push(role);
    }
    return roles;
}

function documentGrants(r: StackResource, shape: ResourcePolicyShape, targets: GrantTargets): void {
    const arn = shape.arn ? arnIn(valueAt(r.props, shape.arn)) : undefined;
    const account = accountIn(arn) ?? (shape.account ? accountIn(valueAt(r.props, shape.account)) : undefined);
    for (const path of shape.documents) {
        for (const { at, value } of valuesAt(r.props, path)) {
            if (value === "") continue;
            const what =
                at === shape.documents[0] && !at.includes(".") ? `the resource-based policy of ${label(r)}` : `the resource-based policy ${at} of ${label(r)}`;
            if (isUnknown(value)) {
                // As for a role's own lists (setByProgram in ecsModel.ts): a policy the program set can be unknown only
                // through another resource's output, and the engine then records that dependency. Unknown with none is,
                // in a preview, the provider computing an output the program left unset (a bucket's `policy`): no grant at
                // all. Outside a preview every output is computed, and one not known is an encrypted secret.
                if (isPreview() && dependenciesAt(r, at).length === 0) continue;
                unknownGrant(r, at, `${what} is ${notKnown()}`, targets, "it may name any principal, every role of its account included");
                continue;
            }
            grantsOfPolicy(r, targets.parse(value, arn), what, account, dependedRoles(r, at, targets), targets);
        }
    }
}

/** A grant whose principal is not known: it may name the roles its value depends on, or, with no such role, any. */
function unknownGrant(r: StackResource, path: string, reason: string, targets: GrantTargets, anyRole: string | undefined, remedy?: string): void {
    const depended = dependedRoles(r, path, targets);
    const fix = remedy !== undefined ? { remedy } : {};
    for (const role of depended) role.gaps.push({ grantor: ref(r), reason: `${reason} and depends on this role, so it may grant it permissions`, ...fix });
    if (depended.length === 0 && anyRole !== undefined) targets.unattributed.push({ grantor: ref(r), reason: `${reason}; ${anyRole}`, ...fix });
}

const FIX_VALUE = "fix the value";

/** What one parsed resource-based policy grants each role in use. */
function grantsOfPolicy(
    r: StackResource,
    policy: ResourcePolicy,
    what: string,
    account: string | undefined,
    depended: readonly RoleModel[],
    targets: GrantTargets,
): void {
    const reached = new Map<RoleModel, { statements: Statement[]; via: Set<PrincipalVia> }>();
    // The Allows whose principal is not known, by the role each may name: one may grant it what no statement that names it does.
    const maybe = new Map<RoleModel, Statement[]>();
    // Allows first: a Deny matters only to a role some Allow of the same policy reaches, so "*" in a
    // Deny (a common guard, such as a bucket's aws:SecureTransport) never walks every role in use.
    for (const effect of ["Allow", "Deny"] as const) {
        const reach = (role: RoleModel, statement: Statement, via: PrincipalVia) => {
            if (account !== undefined && role.account !== undefined && role.account !== account) return;
            let entry = reached.get(role);
            if (effect === "Deny") {
                // A Deny on "*" in a resource-based policy means this resource, which is not known: it takes nothing away elsewhere.
                if (entry === undefined || statement.resources.values.includes("*")) return;
            } else if (entry === undefined) {
                reached.set(role, (entry = { statements: [], via: new Set() }));
            }
            if (!entry.statements.includes(statement)) entry.statements.push(statement);
            if (effect === "Allow") entry.via.add(via);
        };
        for (const rs of policy.statements) {
            if (rs.statement.effect !== effect) continue;
            if (rs.notPrincipal) {
                notPrincipalGrants(rs, effect === "Deny" ? [...reached.keys()] : targets.used, targets, reach);
                continue;
            }
            for (const principal of rs.principals) {
                if (principal.kind === "unknown") {
                    if (effect === "Allow") for (const role of depended) maybe.set(role, [...(maybe.get(role) ?? []), rs.statement]);
                } else if (principal.kind === "everyone" && effect === "Deny") {
                    for (const role of [...reached.keys()]) reach(role, rs.statement, "everyone");
                } else {
                    for (const { role, via } of rolesNamedBy(principal, targets)) reach(role, rs.statement, via);
                }
            }
        }
    }
    for (const [role, statements] of maybe) {
        const named = reached.get(role)?.statements ?? [];
        if (statements.every((s) => named.includes(s))) continue;
        role.gaps.push({ grantor: ref(r), reason: `a principal of ${what} is ${notKnown()} and depends on this role, so it may grant it permissions` });
    }
    if (policy.document.problems.length > 0) {
        // What could not be read may name any role (a Principal written twice names one of two): the
        // statements that could be read still grant what they grant, below.
        const problem = policy.document.problems[0].message;
        if (depended.length > 0) for (const role of depended) role.sources.push(unreadable(r, what, policy.document));
        else
            targets.unattributed.push({
                grantor: ref(r),
                reason: `${what} cannot be read (${problem}), so whom it names cannot be told`,
                remedy: "fix the document",
            });
        if (reached.size === 0) return;
    }
    // Roles the same statements reach the same way share one source: "*" reaches every role in use.
    const shared = new Map<string, PermissionSource>();
    for (const [role, { statements, via }] of reached) {
        if (!statements.some((s) => s.effect === "Allow")) continue;
        const key = `${[...via].sort().join()}\n${statements.map((s) => s.path).join()}`;
        const known = shared.get(key);
        if (known !== undefined) {
            role.sources.push(known);
            continue;
        }
        const paths = statements.map((s) => s.path);
        // Each service holds its resource-based policies to its own grammar (API Gateway's `execute-api:/*`
        // resources, larger size quotas): what the identity-policy parser finds wrong in one is no reason to
        // call the statements it read unreadable. A statement it could not read whole is marked incomplete.
        const document: PolicyDocument = {
            statements,
            problems: [],
            rejections: [],
            unknownPaths: policy.document.unknownPaths.filter((p) => paths.some((s) => p.startsWith(`${s}.`)) && !/\.(Not)?Principal\b/.test(p)),
            size: policy.document.size,
        };
        const naming = [...via];
        const source: PermissionSource = {
            grantor: ref(r),
            label: `${what}, whose ${naming.includes("everyone") ? 'Principal "*" names every principal' : naming.includes("session") ? "Principal names a session of this role" : "Principal names this role"}`,
            state: { kind: "known", document },
            resourceBased: naming.includes("everyone") ? "everyone" : naming.includes("session") ? "session" : "role",
        };
        shared.set(key, source);
        role.sources.push(source);
    }
}

function unreadable(r: StackResource, what: string, document: PolicyDocument): PermissionSource {
    return {
        grantor: ref(r),
        label: what,
        state: { kind: "known", document: unreadableDocument(document.problems, document.size) },
        resourceBased: "role",
    };
}

/** The roles in use a principal names, and how. */
function rolesNamedBy(principal: Principal, targets: GrantTargets): { role: RoleModel; via: PrincipalVia }[] {
    switch (principal.kind) {
        case "everyone":
            return targets.used.map((role) => ({ role, via: "everyone" as const }));
        case "role":
            return (targets.byName.get(nameKey(principal.name)) ?? [])
                .filter((role) =>
                    role.arn !== undefined ? sameRoleArn(role.arn, principal.arn) : role.account === undefined || role.account === principal.account,
                )
                .map((role) => ({ role, via: "role" as const }));
        case "roleSession":
            return (targets.byName.get(nameKey(principal.name)) ?? [])
                .filter((role) => role.account === undefined || role.account === principal.account)
                .map((role) => ({ role, via: "session" as const }));
        case "roleId": {
            const role = targets.byUniqueId.get(principal.id);
            return role ? [{ role, via: "role" }] : [];
        }
        default:
            return [];
    }
}

/**
 * `NotPrincipal`: an Allow grants everyone it does not name; a Deny denies everyone it does not
 * name, and is weighed only where it certainly applies (no unknown among the names, and not for
 * the roles it names, whose sessions it still denies).
 */
function notPrincipalGrants(
    rs: ResourceStatement,
    among: readonly RoleModel[],
    targets: GrantTargets,
    reach: (role: RoleModel, statement: Statement, via: PrincipalVia) => void,
): void {
    const named = new Set(
        rs.principals.flatMap((p) =>
            rolesNamedBy(p, targets)
                .filter(({ via }) => via !== "everyone")
                .map(({ role }) => role),
        ),
    );
    if (rs.statement.effect === "Deny" && rs.principals.some((p) => p.kind === "unknown" || p.kind === "everyone")) return;
    for (const role of among) if (!named.has(role)) reach(role, rs.statement, "everyone");
}

/** A resource that grants the principal one property names the actions another names. */
function principalGrant(r: StackResource, shape: PrincipalGrantShape, targets: GrantTargets): void {
    const arn = shape.arn ? arnIn(valueAt(r.props, shape.arn)) : undefined;
    const what = `${label(r)} (its ${shape.principal})`;
    const statement = shape.statement ? valueAt(r.props, shape.statement) : undefined;
    if (statement !== undefined && statement !== null) {
        if (isUnknown(statement))
            unknownGrant(r, shape.statement as string, `the ${shape.statement} of ${label(r)} is ${notKnown()}`, targets, "it may name any principal");
        else
            grantsOfPolicy(
                r,
                targets.parse({ Version: "2012-10-17", Statement: [statement] }, arn),
                `the ${shape.statement} of ${label(r)}`,
                accountIn(arn),
                dependedRoles(r, shape.statement as string, targets),
                targets,
            );
        return;
    }
    const principals = valueAt(r.props, shape.principal);
    if (principals === undefined || principals === null || principals === "") return;
    if (isUnknown(principals)) {
        unknownGrant(r, shape.principal, `the ${shape.principal} of ${label(r)} is ${notKnown()}`, targets, undefined);
        return;
    }
    const list = Array.isArray(principals) ? principals.map(plain) : [principals];
    const strings = list.filter((p): p is string => typeof p === "string" && !isUnknown(p));
    if (list.some(isUnknown)) unknownGrant(r, shape.principal, `an entry of the ${shape.principal} of ${label(r)} is ${notKnown()}`, targets, undefined);
    const odd = list.find((p) => typeof p !== "string" && !isUnknown(p));
    if (odd !== undefined)
        unknownGrant(
            r,
            shape.principal,
            `an entry of the ${shape.principal} of ${label(r)} (${describe(odd)}) is not a principal`,
            targets,
            undefined,
            FIX_VALUE,
        );
    // Only a principal a role can be matters here: services and accounts are left out before anything else is read.
    const named = strings.map(parsePrincipalString).filter((p) => p.kind !== "other" && p.kind !== "account");
    if (named.length === 0) return;
    const actions = shape.actions ? valueAt(r.props, shape.actions) : undefined;
    const effect = shape.effect ? valueAt(r.props, shape.effect) : "Allow";
    if (isUnknown(actions) || isUnknown(effect) || (Array.isArray(actions) && actions.some(isUnknown))) {
        for (const { role } of named.flatMap((p) => rolesNamedBy(p, targets))) {
            role.sources.push({
                grantor: ref(r),
                label: what,
                state: {
                    kind: "unknown",
                    reason: `the ${isUnknown(effect) ? shape.effect : shape.actions} of ${label(r)}, which names this role, is ${notKnown()}`,
                },
            });
        }
        return;
    }
    const given = actions === undefined || actions === null ? (shape.fixedActions ?? []) : Array.isArray(actions) ? actions.map(plain) : [actions];
    const names = given.map((a: unknown) => (typeof a === "string" && shape.actionPrefix && !a.includes(":") ? `${shape.actionPrefix}${a}` : a));
    // The resource's own property, not a service's grammar: an entry that is not an action name is said, never read as no action.
    const notName = names.findIndex((a: unknown) => typeof a !== "string");
    if (notName >= 0) {
        const entry = Array.isArray(actions) ? `${shape.actions}[${notName}]` : shape.actions;
        const document = unreadableDocument([{ path: "", message: `its ${entry} must be an action name, not ${describe(names[notName])}` }]);
        for (const { role } of named.flatMap((p) => rolesNamedBy(p, targets))) role.sources.push(unreadable(r, what, document));
        return;
    }
    const document = {
        Version: "2012-10-17",
        Statement: [{ Effect: effect, Principal: { AWS: strings }, Action: names, Resource: arn ?? "*" }],
    };
    grantsOfPolicy(r, targets.parse(document, arn), what, accountIn(arn), [], targets);
}

/** A grant to a principal of actions the pack cannot read: the role it names was not fully evaluated. */
function opaqueGrant(r: StackResource, shape: OpaqueGrantShape, targets: GrantTargets): void {
    const principals = valueAt(r.props, shape.principals);
    if (principals === undefined || principals === null) return;
    const list = Array.isArray(principals) ? principals.map(plain) : [principals];
    for (const entry of list) {
        if (isUnknown(entry)) {
            unknownGrant(r, shape.principals, `the ${shape.principals} of ${label(r)} is ${notKnown()}`, targets, undefined);
            continue;
        }
        if (typeof entry !== "string") {
            unknownGrant(
                r,
                shape.principals,
                `an entry of the ${shape.principals} of ${label(r)} (${describe(entry)}) is not a principal`,
                targets,
                undefined,
                FIX_VALUE,
            );
            continue;
        }
        for (const { role } of rolesNamedBy(parsePrincipalString(entry), targets)) {
            role.gaps.push({
                grantor: ref(r),
                reason: `${label(r)} ${shape.what}, which the pack cannot read in IAM terms`,
                remedy: "judge what it grants by hand, and exempt it once it is right",
            });
        }
    }
}
