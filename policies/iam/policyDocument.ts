import { ActionPattern, parseActionPattern } from "./actionPattern";

/**
 * An IAM identity-policy document, parsed once at the boundary into the few facts the pack
 * judges. Whatever cannot be read becomes a problem with a path into the document; nothing
 * unreadable is dropped in silence, and nothing here throws.
 */
export interface PolicyDocument {
    readonly statements: readonly Statement[];
    /** What makes the document malformed, each with a path such as `Statement[0].Action[2]`. */
    readonly problems: readonly DocumentProblem[];
    /** Paths of values not known yet (only objects can hold an unknown leaf; a string is wholly known or not). */
    readonly unknownPaths: readonly string[];
}

export interface DocumentProblem {
    readonly path: string;
    readonly message: string;
}

export type Effect = "Allow" | "Deny";

export interface Statement {
    /** Where the statement sits: `Statement` for a lone object, `Statement[i]` in an array. */
    readonly path: string;
    readonly sid: string | undefined;
    readonly effect: Effect;
    /** `Action` grants the listed patterns; `NotAction` grants every action the patterns miss. */
    readonly actionKind: "Action" | "NotAction";
    readonly actions: readonly ActionPattern[];
    /** The statement's `Resource` (or `NotResource`) entries that could be read. */
    readonly resources: { readonly kind: "Resource" | "NotResource"; readonly values: readonly string[] };
    /** `Resource` holds `*` and there is no `NotResource`. */
    readonly coversAllResources: boolean;
    /** A non-empty (or unreadable) `Condition`. */
    readonly conditional: boolean;
    /** Part of the statement could not be read or is not known yet: it may grant more, and must not subtract. */
    readonly incomplete: boolean;
}

export const IAM_POLICY_VERSIONS: readonly string[] = ["2012-10-17", "2008-10-17"];

const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);

/** Values the caller knows to be unknown (the engine's preview sentinels). */
export type UnknownTest = (value: unknown) => boolean;

const neverUnknown: UnknownTest = () => false;

/** Parse a policy document given as a JSON string or as an object. */
export function parsePolicyDocument(raw: unknown, isUnknown: UnknownTest = neverUnknown): PolicyDocument {
    const acc = new Accumulator(isUnknown);
    let doc: unknown = raw;
    if (typeof raw === "string") {
        if (raw.trim() === "") {
            acc.problem("", "the policy document is empty");
            return acc.result([]);
        }
        try {
            doc = JSON.parse(raw);
        } catch (e) {
            acc.problem("", `the policy document is not valid JSON (${errorMessage(e)})`);
            return acc.result([]);
        }
    }
    if (!isPlainObject(doc)) {
        acc.problem("", `the policy document must be a JSON object, not ${describe(doc)}`);
        return acc.result([]);
    }
    for (const key of Object.keys(doc)) {
        if (!DOCUMENT_KEYS.has(key)) acc.problem(key, `unexpected key "${key}" in the policy document`);
    }
    const version = own(doc, "Version");
    if (version !== undefined && !acc.unknown("Version", version)) {
        if (typeof version !== "string" || !IAM_POLICY_VERSIONS.includes(version)) {
            acc.problem("Version", `Version must be "2012-10-17" or "2008-10-17", not ${describe(version)}`);
        }
    }
    const statement = own(doc, "Statement");
    if (statement === undefined) {
        acc.problem("Statement", "the policy document has no Statement");
        return acc.result([]);
    }
    if (acc.unknown("Statement", statement)) return acc.result([]);
    const statements: Statement[] = [];
    if (Array.isArray(statement)) {
        statement.forEach((s, i) => {
            const parsed = parseStatement(s, `Statement[${i}]`, acc);
            if (parsed) statements.push(parsed);
        });
    } else {
        const parsed = parseStatement(statement, "Statement", acc);
        if (parsed) statements.push(parsed);
    }
    return acc.result(statements);
}

function parseStatement(raw: unknown, path: string, acc: Accumulator): Statement | undefined {
    if (acc.unknown(path, raw)) return undefined;
    if (!isPlainObject(raw)) {
        acc.problem(path, `a statement must be an object, not ${describe(raw)}`);
        return undefined;
    }
    const problemsBefore = acc.problemCount;
    const unknownsBefore = acc.unknownCount;
    for (const key of Object.keys(raw)) {
        if (!STATEMENT_KEYS.has(key)) acc.problem(`${path}.${key}`, `unexpected key "${key}" in a statement`);
    }

    for (const key of ["Principal", "NotPrincipal"]) {
        if (own(raw, key) !== undefined) acc.problem(`${path}.${key}`, `an identity policy may not hold the element ${key}`);
    }

    const sidRaw = own(raw, "Sid");
    const sid = typeof sidRaw === "string" && !acc.isUnknown(sidRaw) ? sidRaw : undefined;

    const effectRaw = own(raw, "Effect");
    let effect: Effect | undefined;
    if (acc.unknown(`${path}.Effect`, effectRaw)) {
        return undefined;
    } else if (effectRaw === "Allow" || effectRaw === "Deny") {
        effect = effectRaw;
    } else if (typeof effectRaw === "string" && ["allow", "deny"].includes(effectRaw.trim().toLowerCase())) {
        // IAM rejects it; judge it as what it was meant to be so that the intent is still weighed.
        acc.problem(`${path}.Effect`, `Effect must be exactly "Allow" or "Deny", not ${describe(effectRaw)}`);
        effect = effectRaw.trim().toLowerCase() === "allow" ? "Allow" : "Deny";
    } else {
        acc.problem(`${path}.Effect`, `Effect must be "Allow" or "Deny", not ${describe(effectRaw)}`);
        return undefined;
    }

    const hasAction = own(raw, "Action") !== undefined;
    const hasNotAction = own(raw, "NotAction") !== undefined;
    if (hasAction === hasNotAction) {
        acc.problem(path, hasAction ? "a statement may not have both Action and NotAction" : "a statement needs Action or NotAction");
    }
    const actionKind = hasNotAction && !hasAction ? "NotAction" : "Action";
    const actions = readActionPatterns(own(raw, actionKind), `${path}.${actionKind}`, acc);

    // An Allow grants whatever its Resource and Condition turn out to be: only a Deny needs them known.
    acc.muteUnknowns = effect === "Allow";
    const resource = own(raw, "Resource");
    const notResource = own(raw, "NotResource");
    const resourceStrings = readResources(resource, `${path}.Resource`, acc, "Resource");
    const notResourceStrings = notResource !== undefined ? readResources(notResource, `${path}.NotResource`, acc, "NotResource") : [];
    if (resource === undefined && notResource === undefined) {
        acc.problem(path, "a statement needs Resource or NotResource");
    }
    const coversAllResources = notResource === undefined && resourceStrings.some((r) => r.value === "*");

    const condition = own(raw, "Condition");
    let conditional = false;
    if (condition !== undefined && !acc.unknown(`${path}.Condition`, condition)) {
        if (isPlainObject(condition)) {
            conditional = Object.keys(condition).length > 0;
        } else {
            acc.problem(`${path}.Condition`, `Condition must be an object, not ${describe(condition)}`);
            conditional = true;
        }
    } else if (condition !== undefined) {
        conditional = true;
    }
    acc.muteUnknowns = false;

    return {
        path,
        sid,
        effect,
        actionKind,
        actions,
        resources:
            notResource !== undefined
                ? { kind: "NotResource", values: notResourceStrings.map((r) => r.value) }
                : { kind: "Resource", values: resourceStrings.map((r) => r.value) },
        coversAllResources,
        conditional,
        incomplete: acc.problemCount > problemsBefore || acc.unknownCount > unknownsBefore,
    };
}

function readActionPatterns(raw: unknown, path: string, acc: Accumulator): ActionPattern[] {
    if (Array.isArray(raw) && raw.length === 0) acc.problem(path, "a statement must name at least one action");
    return readStrings(raw, path, acc, "an action").map(({ value, at }) => {
        if (value !== "*" && !value.includes(":")) {
            acc.problem(at, `${describe(value)} is not an action: write it as service:Action`);
        }
        return parseActionPattern(value);
    });
}

/** Resource or NotResource entries: each an ARN or `*`, as IAM requires. */
function readResources(raw: unknown, path: string, acc: Accumulator, what: string): { value: string; at: string }[] {
    const entries = readStrings(raw, path, acc, what);
    for (const { value, at } of entries) {
        if (value !== "*" && !value.startsWith("arn:")) acc.problem(at, `${describe(value)} is not an ARN or "*"`);
    }
    if (Array.isArray(raw) && raw.length === 0) acc.problem(path, `${what} may not be an empty list`);
    return entries;
}

/** A string or an array of strings, each with its path; anything else is a problem at its path. */
function readStrings(raw: unknown, path: string, acc: Accumulator, what: string): { value: string; at: string }[] {
    if (raw === undefined || acc.unknown(path, raw)) return [];
    if (typeof raw === "string") return [{ value: raw, at: path }];
    if (!Array.isArray(raw)) {
        acc.problem(path, `${what} must be a string or a list of strings, not ${describe(raw)}`);
        return [];
    }
    const out: { value: string; at: string }[] = [];
    for (let i = 0; i < raw.length; i++) {
        const item: unknown = raw[i];
        const at = `${path}[${i}]`;
        if (acc.unknown(at, item)) continue;
        if (typeof item === "string") out.push({ value: item, at });
        else acc.problem(at, `${what} must be a string, not ${describe(item)}`);
    }
    return out;
}

class Accumulator {
    private readonly problems: DocumentProblem[] = [];
    private readonly unknownPaths: string[] = [];
    /** While set, an unknown value is still recognised but not recorded as something left unjudged. */
    muteUnknowns = false;
    constructor(readonly isUnknown: UnknownTest) {}

    get problemCount(): number {
        return this.problems.length;
    }
    get unknownCount(): number {
        return this.unknownPaths.length;
    }
    problem(path: string, message: string): void {
        this.problems.push({ path, message });
    }
    /** Records and reports whether the value is not known yet. */
    unknown(path: string, value: unknown): boolean {
        if (!this.isUnknown(value)) return false;
        if (!this.muteUnknowns) this.unknownPaths.push(path);
        return true;
    }
    result(statements: Statement[]): PolicyDocument {
        return { statements, problems: this.problems, unknownPaths: this.unknownPaths };
    }
}

/** An own property only: a document's `__proto__` or `constructor` is data, never the prototype's. */
function own(obj: Record<string, unknown>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of a value for messages. */
export function describe(v: unknown): string {
    if (v === undefined) return "nothing";
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "an object";
    if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    return `${typeof v} ${String(v)}`;
}

function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
