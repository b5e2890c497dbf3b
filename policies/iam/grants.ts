import { allCatalogActions, expandActionPattern } from "./actionCatalog";
import { ActionPattern, anyMatches, parseActionPattern } from "./actionPattern";
import { covers, mayCover, NeededArn } from "./arnPattern";
import { acceptedByIam, PolicyDocument, Statement } from "./policyDocument";

/**
 * What a set of identity-policy documents grants, as IAM evaluates them for one principal:
 * every `Allow` statement grants its actions (whatever its Resource or Condition, since it may
 * apply), `NotAction` grants every action it does not name, and a `Deny` takes an action away
 * only when it certainly applies: no Condition, `Resource: "*"`, no NotResource, fully readable
 * and known, in a document IAM would accept (`grantsOn`, which asks about one resource, also counts
 * a Deny certain to cover that resource). An `Allow` whose NotResource holds `*` applies to no
 * resource and grants nothing.
 */

export interface SourcedDocument<S> {
    readonly source: S;
    readonly document: PolicyDocument;
}

/** One Allow statement that grants actions it should not. */
export interface StatementGrant<S> {
    readonly source: S;
    readonly statement: Statement;
    /** Catalog actions the statement grants that cross the line, in canonical case, sorted. */
    readonly actions: readonly string[];
    /** For an `Action` statement: which of its patterns grant which of those actions. */
    readonly byPattern: readonly { readonly pattern: string; readonly actions: readonly string[] }[];
    /** Patterns the statement grants that match no known action (and so cannot be shown to be allowed). */
    readonly unrecognised: readonly string[];
}

export interface GrantOptions {
    /** The role's permissions boundary, when it has one: an action counts only if the boundary allows it too. */
    readonly boundary?: readonly PolicyDocument[];
    /**
     * Exceptions a statement earns by what it is scoped to (S3 environment files, say): which of
     * its actions it may have, or undefined when it earns none.
     */
    readonly alsoAllowed?: (statement: Statement) => ((action: string) => boolean) | undefined;
}

/**
 * Statements granting any action outside `allowed`. A pattern that matches no catalog action is
 * outside too, unless it is a plain name the allowlist itself names.
 */
export async function grantsOutside<S>(
    documents: readonly SourcedDocument<S>[],
    allowed: readonly ActionPattern[],
    options: GrantOptions = {},
): Promise<StatementGrant<S>[]> {
    const effective = effectiveTest(documents, options.boundary);
    const findings: StatementGrant<S>[] = [];
    for (const { source, statement } of allowStatements(documents)) {
        const earned = options.alsoAllowed?.(statement);
        // Undefined when nothing can take an action away: the cached lists are then used as they are.
        const notDenied =
            effective === undefined && earned === undefined ? undefined : (name: string) => (effective === undefined || effective(name)) && !earned?.(name);
        const lists: (readonly string[])[] = [];
        const byPattern: { pattern: string; actions: readonly string[] }[] = [];
        const unrecognised: string[] = [];
        if (statement.actionKind === "NotAction") {
            const outside = await notActionOutside(statement.actions, allowed);
            lists.push(notDenied ? outside.filter(notDenied) : outside);
        } else {
            for (const pattern of statement.actions) {
                const outside = await patternOutside(pattern, allowed);
                if (outside === "unrecognised") {
                    // A plain name the catalog does not know passes only if the allowlist names it.
                    const crosses = !anyMatches(allowed, pattern.normalized) && (notDenied === undefined || notDenied(pattern.normalized));
                    if (pattern.hasWildcard || crosses) unrecognised.push(pattern.source);
                    continue;
                }
                const crossing = notDenied ? outside.filter(notDenied) : outside;
                lists.push(crossing);
                if (crossing.length > 0) byPattern.push({ pattern: pattern.source, actions: crossing });
            }
        }
        const actions = sortedUnion(lists);
        if (actions.length > 0 || unrecognised.length > 0) {
            findings.push({ source, statement, actions, byPattern, unrecognised });
        }
    }
    return findings;
}

/** Sorted, distinct names of lists shared between roles: the union of one cached list is computed once. */
const sortedCache = new WeakMap<readonly string[], readonly string[]>();

function sortedUnion(lists: readonly (readonly string[])[]): readonly string[] {
    const nonEmpty = lists.filter((l) => l.length > 0);
    if (nonEmpty.length === 0) return [];
    if (nonEmpty.length === 1) {
        let sorted = sortedCache.get(nonEmpty[0]);
        if (sorted === undefined) {
            sorted = [...new Set(nonEmpty[0])].sort();
            sortedCache.set(nonEmpty[0], sorted);
        }
        return sorted;
    }
    return [...new Set(nonEmpty.flat())].sort();
}

/** What one pattern grants outside an allowlist, before any Deny: the same question recurs across a stack's roles. */
const outsideCache = new Map<string, Promise<readonly string[] | "unrecognised">>();

function patternOutside(pattern: ActionPattern, allowed: readonly ActionPattern[]): Promise<readonly string[] | "unrecognised"> {
    const key = `${pattern.normalized}\n${allowed.map((a) => a.normalized).join("\n")}`;
    let result = outsideCache.get(key);
    if (!result) {
        result = expandActionPattern(pattern).then((expansion) =>
            expansion.length === 0 ? "unrecognised" : expansion.filter((name) => !anyMatches(allowed, name)),
        );
        if (outsideCache.size > 20_000) outsideCache.clear();
        outsideCache.set(key, result);
    }
    return result;
}

/** What an Allow with NotAction grants outside an allowlist, before any Deny. */
function notActionOutside(notActions: readonly ActionPattern[], allowed: readonly ActionPattern[]): Promise<readonly string[]> {
    const key = `not\n${notActions.map((a) => a.normalized).join("\n")}\n\n${allowed.map((a) => a.normalized).join("\n")}`;
    let result = outsideCache.get(key) as Promise<readonly string[]> | undefined;
    if (!result) {
        result = allCatalogActions().then((all) => all.filter((name) => !anyMatches(notActions, name) && !anyMatches(allowed, name)));
        if (outsideCache.size > 20_000) outsideCache.clear();
        outsideCache.set(key, result);
    }
    return result;
}

/** Statements granting any of `targets` (canonical action names). */
export function grantsAmong<S>(
    documents: readonly SourcedDocument<S>[],
    targets: readonly string[],
    options: Pick<GrantOptions, "boundary"> = {},
): StatementGrant<S>[] {
    const effective = effectiveTest(documents, options.boundary);
    const findings: StatementGrant<S>[] = [];
    for (const { source, statement } of allowStatements(documents)) {
        const actions = targets.filter((name) => statementGrants(statement, name) && (effective === undefined || effective(name)));
        if (actions.length > 0) {
            findings.push({ source, statement, actions: [...new Set(actions)].sort(), byPattern: [], unrecognised: [] });
        }
    }
    return findings;
}

/**
 * Concrete action names for a list of patterns: each wildcard expanded against the catalog, and
 * each plain name kept as written even when the catalog does not know it (it may be newer).
 */
export async function resolveActionNames(patterns: readonly string[]): Promise<string[]> {
    const names = new Map<string, string>();
    for (const source of patterns) {
        const pattern = parseActionPattern(source);
        const expansion = await expandActionPattern(pattern);
        for (const name of expansion) names.set(name.toLowerCase(), name);
        if (!pattern.hasWildcard && expansion.length === 0) names.set(pattern.normalized, source);
    }
    return [...names.values()];
}

/**
 * Whether the documents may grant `action` on `resource` (the ARN a need names, parts of which may
 * not be known; undefined where the need names none): some Allow names both, and no certain Deny
 * takes it away; and, with a permissions boundary, the boundary lets it through on that resource.
 * An Allow with a Condition counts, since it may apply; this answers "could the task work", never
 * "is it too much". Resources are matched as IAM matches ARNs, field by field (`arnPattern.ts`).
 */
export function grantsOn(
    documents: readonly SourcedDocument<unknown>[],
    action: string,
    resource: NeededArn | undefined,
    options: Pick<GrantOptions, "boundary"> = {},
): boolean {
    if (!allowedOn(documents, action, resource) || deniedOn(documents, action, resource)) return false;
    if (options.boundary === undefined) return true;
    // A boundary with an Allow not known yet may let anything through (see boundaryTest).
    const sourced = options.boundary.map((document) => ({ source: undefined, document }));
    return (options.boundary.some(mayAllowMoreThanKnown) || allowedOn(sourced, action, resource)) && !deniedOn(sourced, action, resource);
}

/**
 * Some Allow names the action and may apply to the resource: its Resource may cover it (an entry
 * not known yet may be it), or its NotResource does not certainly name it.
 */
function allowedOn(documents: readonly SourcedDocument<unknown>[], action: string, resource: NeededArn | undefined): boolean {
    const applies = (statement: Statement) => {
        if (resource === undefined) return true;
        const { kind, values } = statement.resources;
        const variables = statement.policyVariables;
        if (kind === "NotResource") return !values.some((r) => covers(r, resource, variables));
        return statement.unknownParts.includes("Resource") || values.some((r) => mayCover(r, resource, variables));
    };
    for (const { document } of documents) {
        for (const statement of document.statements) {
            if (statement.effect === "Allow" && grantsSomething(statement) && statementGrants(statement, action) && applies(statement)) return true;
        }
    }
    return false;
}

/**
 * A Deny takes the need away only when it certainly applies: unconditional, read whole, in a
 * document IAM would accept, and certain to cover the resource whatever its unknown parts turn out
 * to be (a Resource entry that covers every value of them, or a NotResource none of whose entries
 * may). A need that names no resource is taken away only by a Deny on `*`.
 */
function deniedOn(documents: readonly SourcedDocument<unknown>[], action: string, resource: NeededArn | undefined): boolean {
    const applies = (d: Statement) => {
        const { kind, values } = d.resources;
        const variables = d.policyVariables;
        if (kind === "NotResource") return resource !== undefined && !values.some((r) => mayCover(r, resource, variables));
        return values.some((r) => r === "*" || (resource !== undefined && covers(r, resource, variables)));
    };
    return documents.some(
        ({ document }) =>
            acceptedByIam(document) &&
            document.statements.some((d) => d.effect === "Deny" && !d.conditional && !d.incomplete && statementGrants(d, action) && applies(d)),
    );
}

function statementGrants(statement: Statement, name: string): boolean {
    return anyMatches(statement.actions, name) === (statement.actionKind === "Action");
}

/** Whether an action survives the role's certain Denies and its permissions boundary; undefined when every action does. */
function effectiveTest<S>(documents: readonly SourcedDocument<S>[], boundary: readonly PolicyDocument[] | undefined): ((name: string) => boolean) | undefined {
    const denies = certainDenies(documents);
    if (denies.length === 0 && boundary === undefined) return undefined;
    const permits = boundary === undefined ? undefined : boundaryTest(boundary);
    return (name) => !isDenied(denies, name) && (permits === undefined || permits(name));
}

/**
 * A permissions boundary lets through what its Allows name and its certain Denies do not take
 * away. A boundary with an Allow (or a statement) not known yet may let through anything: it
 * limits nothing but its certain Denies until it is known, and the policies say so.
 */
function boundaryTest(boundary: readonly PolicyDocument[]): (name: string) => boolean {
    const sourced = boundary.map((document) => ({ source: undefined, document }));
    const allows = [...allowStatements(sourced)].map(({ statement }) => statement);
    const denies = certainDenies(sourced);
    const open = boundary.some(mayAllowMoreThanKnown);
    return (name) => (open || allows.some((statement) => statementGrants(statement, name))) && !isDenied(denies, name);
}

/**
 * Whether a permissions boundary the pack reads in part may, once known, exclude one of `actions`
 * that its known part lets through: its known Allows do not name it, or a Deny not known yet may.
 */
export function boundaryMayExclude(boundary: PolicyDocument, actions: readonly string[]): boolean {
    if (boundary.unknownPaths.length === 0) return false;
    const sourced = [{ source: undefined, document: boundary }];
    const permits = boundaryTest([boundary]);
    const knownAllows = [...allowStatements(sourced)].map(({ statement }) => statement);
    const open = mayAllowMoreThanKnown(boundary);
    return actions.some(
        (action) => permits(action) && ((open && !knownAllows.some((s) => statementGrants(s, action))) || uncountedDenials(sourced, action).length > 0),
    );
}

/** Whether a boundary IAM would reject would, were it accepted as written, exclude one of `actions`. */
export function boundaryExcludesAsWritten(boundary: PolicyDocument, actions: readonly string[]): boolean {
    const permits = boundaryTest([{ ...boundary, rejections: [] }]);
    return actions.some((action) => !permits(action));
}

/**
 * Whether a document may allow more than its known statements show: a statement, or its Effect,
 * not known yet, or an Allow naming an action not known yet. (An unknown NotAction entry can only
 * allow less than the known ones show.)
 */
export function mayAllowMoreThanKnown(document: PolicyDocument): boolean {
    return (
        document.unknownPaths.some(isStatementPath) ||
        document.statements.some((s) => s.effect === "Allow" && s.actionKind === "Action" && s.unknownParts.includes("Action"))
    );
}

/** `Statement`, `Statement[3]` or `Statement[3].Effect`: a path whose unknown hides a whole statement. */
function isStatementPath(path: string): boolean {
    return /^Statement(\[\d+\])?(\.Effect)?$/.test(path);
}

function* allowStatements<S>(documents: readonly SourcedDocument<S>[]): Generator<{ source: S; statement: Statement }> {
    for (const { source, document } of documents) {
        for (const statement of document.statements) {
            if (statement.effect === "Allow" && grantsSomething(statement)) yield { source, statement };
        }
    }
}

/** An Allow whose NotResource holds `*` excepts every resource, so it applies to none (IAM User Guide, "IAM JSON policy elements: NotResource"). */
function grantsSomething(statement: Statement): boolean {
    return statement.resources.kind === "Resource" || !statement.resources.values.includes("*");
}

/** IAM accepts or rejects a document whole: a Deny in a document it would reject never exists. */
function certainDenies<S>(documents: readonly SourcedDocument<S>[]): Statement[] {
    return documents.flatMap(({ document }) =>
        acceptedByIam(document) ? document.statements.filter((s) => s.effect === "Deny" && s.coversAllResources && !s.conditional && !s.incomplete) : [],
    );
}

function isDenied(denies: readonly Statement[], name: string): boolean {
    for (const d of denies) if (statementGrants(d, name)) return true;
    return false;
}

/** A Deny that would take an action away but does not count, and why. */
export interface UncountedDenial<S> {
    readonly source: S;
    /** The Deny statement; undefined when a whole statement (or its Effect) is not known yet. */
    readonly statement: Statement | undefined;
    /** The statement's path in its document. */
    readonly path: string;
    /** `unknown`: part of it is not known yet, and once known it may count. `rejected`: IAM would reject its document. */
    readonly why: "unknown" | "rejected";
}

/**
 * The Denies that might take `action` away but do not count today: a Deny (or a statement) with
 * parts not known yet that, once known, may certainly apply to it; and a Deny that would
 * certainly apply but sits in a document IAM would reject. What the messages name as the cure
 * that is not there yet, or that IAM would refuse.
 */
export function uncountedDenials<S>(documents: readonly SourcedDocument<S>[], action: string): UncountedDenial<S>[] {
    const out: UncountedDenial<S>[] = [];
    for (const { source, document } of documents) {
        if (document.problems.length > 0) continue;
        const rejected = document.rejections.length > 0;
        for (const d of document.statements) {
            if (d.effect !== "Deny") continue;
            if (rejected) {
                if (d.coversAllResources && !d.conditional && !d.incomplete && statementGrants(d, action))
                    out.push({ source, statement: d, path: d.path, why: "rejected" });
            } else if (d.unknownParts.length > 0 && mayCertainlyDeny(d, action)) {
                out.push({ source, statement: d, path: d.path, why: "unknown" });
            }
        }
        if (!rejected) {
            for (const path of document.unknownPaths) {
                if (isStatementPath(path)) out.push({ source, statement: undefined, path: path.replace(/\.Effect$/, ""), why: "unknown" });
            }
        }
    }
    return out;
}

/** Whether a Deny with parts not known yet may, once they are known, certainly take `action` away. */
function mayCertainlyDeny(d: Statement, action: string): boolean {
    const unknown = (part: string) => d.unknownParts.includes(part as Statement["unknownParts"][number]);
    const resources = d.resources.kind === "Resource" && (d.resources.values.includes("*") || unknown("Resource"));
    const condition = !d.conditional || unknown("Condition");
    // An unknown Action entry may name it; an unknown NotAction entry can only spare more.
    const named = d.actionKind === "Action" ? anyMatches(d.actions, action) || unknown("Action") : !anyMatches(d.actions, action);
    return resources && condition && named;
}
