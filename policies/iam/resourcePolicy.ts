import { repeatedKey } from "./jsonText";
import { documentSize, isPlainObject, parsePolicyDocument, PolicyDocument, repeatedKeyMessage, Statement, UnknownTest } from "./policyDocument";

/**
 * Resource-based policies: documents attached to a resource, whose statements name the principals
 * they grant to. In the resource's own account, a statement whose Principal names a role (by its
 * ARN, a session of it, or everyone with "*") grants that role its actions on the resource without
 * any identity-based policy; across accounts the role's own policies must allow it too, and those
 * are judged where they are (IAM user guide, "Policy evaluation logic": "Identity-based policies
 * and resource-based policies", and "Cross-account policy evaluation logic").
 */

/** Who a statement's Principal (or NotPrincipal) names. */
export type Principal =
    /** `"*"` or `{ "AWS": "*" }`: every principal, any role of any account included. */
    | { readonly kind: "everyone" }
    /** An account ID or `arn:aws:iam::<account>:root`: it delegates to that account's identity policies and grants nothing by itself. */
    | { readonly kind: "account"; readonly account: string }
    /** `arn:aws:iam::<account>:role/<path>/<name>` */
    | { readonly kind: "role"; readonly account: string; readonly name: string; readonly arn: string }
    /** `arn:aws:sts::<account>:assumed-role/<name>/<session>`: a session of the role. */
    | { readonly kind: "roleSession"; readonly account: string; readonly name: string }
    /** A role's unique ID (`AROA…`), which IAM writes in place of the ARN of a role that was deleted. */
    | { readonly kind: "roleId"; readonly id: string }
    /** Users, services, federated identities, canonical users: never a role of a stack. */
    | { readonly kind: "other"; readonly value: string }
    | { readonly kind: "unknown" };

export interface ResourceStatement {
    readonly statement: Statement;
    /** Whom `Principal` names, or, with `notPrincipal`, whom `NotPrincipal` leaves out. */
    readonly principals: readonly Principal[];
    readonly notPrincipal: boolean;
}

export interface ResourcePolicy {
    readonly statements: readonly ResourceStatement[];
    /** The whole document as IAM would read it: its problems and unknown paths concern every principal it names. */
    readonly document: PolicyDocument;
}

const ARN_PRINCIPAL = /^arn:[a-z-]+:(iam|sts)::(\d{12}):(.*)$/;

/** What one `AWS` principal value names. */
export function parseAwsPrincipal(value: string): Principal {
    if (value === "*") return { kind: "everyone" };
    if (/^\d{12}$/.test(value)) return { kind: "account", account: value };
    if (/^AROA[A-Z0-9]+$/.test(value)) return { kind: "roleId", id: value };
    const arn = ARN_PRINCIPAL.exec(value);
    if (!arn) return { kind: "other", value };
    const [, service, account, resource] = arn;
    if (service === "iam" && resource === "root") return { kind: "account", account };
    if (service === "iam" && resource.startsWith("role/")) return { kind: "role", account, name: resource.split("/").pop() as string, arn: value };
    const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(resource);
    if (service === "sts" && session) return { kind: "roleSession", account, name: session[1] };
    return { kind: "other", value };
}

/**
 * A principal as resource types that take one principal string name it (`aws.lambda.Permission`,
 * `aws.kms.Grant`): an account ID, an ARN, `*`, or a service principal. A service principal
 * (`s3.amazonaws.com`) is no ARN, account or role ID, so it is read as other; a role whose name
 * ends in `.amazonaws.com` (role names may hold dots) is still a role.
 */
export function parsePrincipalString(value: string): Principal {
    return parseAwsPrincipal(value);
}

/**
 * Parse a resource-based policy, given as a JSON string or an object. The statements are read as
 * identity-policy statements once their Principal is taken out; a statement without Resource (ECR
 * and other policies leave it out) concerns the resource the policy is attached to, and so does
 * `"*"`: both become `resourceArn` when it is known.
 */
export function parseResourcePolicy(raw: unknown, isUnknown: UnknownTest, resourceArn?: string): ResourcePolicy {
    let doc: unknown = raw;
    const problems: { path: string; message: string }[] = [];
    if (typeof raw === "string") {
        try {
            doc = JSON.parse(raw);
        } catch {
            return { statements: [], document: parsePolicyDocument(raw, isUnknown) };
        }
        const repeated = repeatedKey(raw);
        if (repeated) problems.push({ path: repeated.path, message: repeatedKeyMessage(repeated.key) });
    }
    if (!isPlainObject(doc) || isUnknown(doc.Statement) || !Object.prototype.hasOwnProperty.call(doc, "Statement")) {
        return { statements: [], document: parsePolicyDocument(doc, isUnknown) };
    }
    const rawStatements: unknown[] = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    const pathOf = (i: number) => (Array.isArray(doc.Statement) ? `Statement[${i}]` : "Statement");
    const unknownPaths: string[] = [];
    const byPath = new Map<string, { principals: Principal[]; notPrincipal: boolean }>();
    const asIdentity = rawStatements.map((s, i) => {
        if (!isPlainObject(s)) return s;
        const path = pathOf(i);
        const { Principal: principal, NotPrincipal: notPrincipal, ...rest } = s;
        const named = notPrincipal !== undefined ? notPrincipal : principal;
        if (principal === undefined && notPrincipal === undefined) {
            problems.push({ path, message: "a resource-based policy statement needs a Principal or NotPrincipal" });
        } else if (principal !== undefined && notPrincipal !== undefined) {
            problems.push({ path, message: "a statement may not have both Principal and NotPrincipal" });
        }
        const key = notPrincipal !== undefined ? "NotPrincipal" : "Principal";
        byPath.set(path, { principals: readPrincipals(named, `${path}.${key}`, isUnknown, unknownPaths, problems), notPrincipal: notPrincipal !== undefined });
        return withResource(rest, resourceArn);
    });
    const parsed = parsePolicyDocument({ ...doc, Statement: Array.isArray(doc.Statement) ? asIdentity : asIdentity[0] }, isUnknown);
    const statements: ResourceStatement[] = [];
    for (const statement of parsed.statements) {
        const named = byPath.get(statement.path);
        if (named) statements.push({ statement, principals: named.principals, notPrincipal: named.notPrincipal });
    }
    return {
        statements,
        document: {
            statements: parsed.statements,
            problems: problems.length > 0 ? [...parsed.problems, ...problems] : parsed.problems,
            // Each service holds its resource-based policies to its own grammar and quotas: the identity-policy
            // rules IAM checks are not the ones it checks here, so none is said to reject the document.
            rejections: [],
            unknownPaths: unknownPaths.length > 0 ? [...parsed.unknownPaths, ...unknownPaths] : parsed.unknownPaths,
            // Counted on the document as written, Principal included, not on the statements as read here.
            size: documentSize(raw, isUnknown),
        },
    };
}

/** Resource `"*"` or none, in a resource-based policy, is the resource itself. */
function withResource(statement: Record<string, unknown>, resourceArn: string | undefined): Record<string, unknown> {
    if (statement.Resource === undefined && statement.NotResource === undefined) return { ...statement, Resource: resourceArn ?? "*" };
    if (resourceArn === undefined) return statement;
    const resource = statement.Resource;
    if (resource === "*") return { ...statement, Resource: resourceArn };
    if (Array.isArray(resource) && resource.includes("*")) return { ...statement, Resource: resource.map((r) => (r === "*" ? resourceArn : r)) };
    return statement;
}

function readPrincipals(
    value: unknown,
    path: string,
    isUnknown: UnknownTest,
    unknownPaths: string[],
    problems: { path: string; message: string }[],
): Principal[] {
    if (value === undefined) return [];
    if (isUnknown(value)) {
        unknownPaths.push(path);
        return [{ kind: "unknown" }];
    }
    if (value === "*") return [{ kind: "everyone" }];
    if (!isPlainObject(value)) {
        problems.push({ path, message: `a principal must be "*" or an object such as { "AWS": "<role ARN>" }` });
        return [];
    }
    const principals: Principal[] = [];
    for (const [kind, entries] of Object.entries(value)) {
        const list: unknown[] = isUnknown(entries) ? [entries] : Array.isArray(entries) ? entries : [entries];
        list.forEach((entry, i) => {
            const at = Array.isArray(entries) ? `${path}.${kind}[${i}]` : `${path}.${kind}`;
            if (isUnknown(entry)) {
                unknownPaths.push(at);
                principals.push({ kind: "unknown" });
            } else if (typeof entry !== "string") {
                problems.push({ path: at, message: "a principal must be a string" });
            } else {
                principals.push(kind === "AWS" ? parseAwsPrincipal(entry) : { kind: "other", value: `${kind}:${entry}` });
            }
        });
    }
    return principals;
}
