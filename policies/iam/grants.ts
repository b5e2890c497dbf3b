import { allCatalogActions, expandActionPattern } from "./actionCatalog";
import { ActionPattern, anyMatches, parseActionPattern } from "./actionPattern";
import { PolicyDocument, Statement } from "./policyDocument";

/**
 * What a set of identity-policy documents grants, as IAM evaluates them for one principal:
 * every `Allow` statement grants its actions (whatever its Resource or Condition, since it may
 * apply), `NotAction` grants every action it does not name, and a `Deny` takes an action away
 * only when it certainly applies: no Condition, `Resource: "*"`, no NotResource, fully readable.
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

/**
 * Statements granting any action outside `allowed`. A pattern that matches no catalog action is
 * outside too, unless it is a plain name the allowlist itself names.
 */
export async function grantsOutside<S>(
    documents: readonly SourcedDocument<S>[],
    allowed: readonly ActionPattern[],
): Promise<StatementGrant<S>[]> {
    const denies = certainDenies(documents);
    const notDenied = (name: string) => !isDenied(denies, name);
    const findings: StatementGrant<S>[] = [];
    for (const { source, statement } of allowStatements(documents)) {
        const actions = new Set<string>();
        const byPattern: { pattern: string; actions: string[] }[] = [];
        const unrecognised: string[] = [];
        if (statement.actionKind === "NotAction") {
            for (const name of (await notActionOutside(statement.actions, allowed)).filter(notDenied)) actions.add(name);
        } else {
            for (const pattern of statement.actions) {
                const outside = await patternOutside(pattern, allowed);
                if (outside === "unrecognised") {
                    // A plain name the catalog does not know passes only if the allowlist names it.
                    const crosses = !anyMatches(allowed, pattern.normalized) && notDenied(pattern.normalized);
                    if (pattern.hasWildcard || crosses) unrecognised.push(pattern.source);
                    continue;
                }
                const crossing = outside.filter(notDenied);
                crossing.forEach((name) => actions.add(name));
                if (crossing.length > 0) byPattern.push({ pattern: pattern.source, actions: crossing });
            }
        }
        if (actions.size > 0 || unrecognised.length > 0) {
            findings.push({ source, statement, actions: [...actions].sort(), byPattern, unrecognised });
        }
    }
    return findings;
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
export function grantsAmong<S>(documents: readonly SourcedDocument<S>[], targets: readonly string[]): StatementGrant<S>[] {
    const denies = certainDenies(documents);
    const findings: StatementGrant<S>[] = [];
    for (const { source, statement } of allowStatements(documents)) {
        const named = statement.actionKind === "Action";
        const actions = targets.filter(
            (name) => anyMatches(statement.actions, name) === named && !isDenied(denies, name),
        );
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

function* allowStatements<S>(documents: readonly SourcedDocument<S>[]): Generator<{ source: S; statement: Statement }> {
    for (const { source, document } of documents) {
        for (const statement of document.statements) {
            if (statement.effect === "Allow") yield { source, statement };
        }
    }
}

/** IAM accepts or rejects a document whole: a Deny in a document it would reject never exists. */
function certainDenies<S>(documents: readonly SourcedDocument<S>[]): Statement[] {
    return documents.flatMap(({ document }) =>
        document.problems.length > 0 ? [] : document.statements.filter(
            (s) => s.effect === "Deny" && s.coversAllResources && !s.conditional && !s.incomplete,
        ),
    );
}

function isDenied(denies: readonly Statement[], name: string): boolean {
    return denies.some((d) => anyMatches(d.actions, name) === (d.actionKind === "Action"));
}
