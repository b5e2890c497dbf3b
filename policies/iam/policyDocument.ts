import { ActionPattern, parseActionPattern } from "./actionPattern";
import { repeatedKey } from "./jsonText";
import { PARTITIONS } from "./partitions";

/**
 * An IAM identity-policy document, parsed once at the boundary into the few facts the pack
 * judges. Two kinds of fault are told apart, each with a path into the document: what the pack
 * cannot read (it cannot tell what that part grants), and what IAM would reject when it is given
 * the document (the deployment of that document fails, and none of its Denies ever exists).
 * Nothing unreadable is dropped in silence, and nothing here throws.
 */
export interface PolicyDocument {
    readonly statements: readonly Statement[];
    /** What the pack cannot read, each with a path such as `Statement[0].Action[2]`. */
    readonly problems: readonly DocumentProblem[];
    /** The rules IAM checks on a document it is given that this one breaks: IAM rejects it whole. */
    readonly rejections: readonly DocumentProblem[];
    /** Paths of values not known yet (only objects can hold an unknown leaf; a string is wholly known or not). */
    readonly unknownPaths: readonly string[];
    /** Characters as IAM counts them against its size quotas (whitespace not counted); a lower bound while parts are unknown. */
    readonly size: number;
}

/** A document the pack cannot read: its problems and nothing else, so nothing in it is counted as granted or denied. */
export function unreadableDocument(problems: readonly DocumentProblem[], size = 0): PolicyDocument {
    return { statements: [], problems, rejections: [], unknownPaths: [], size };
}

export interface DocumentProblem {
    readonly path: string;
    readonly message: string;
}

export type Effect = "Allow" | "Deny";

/** The parts of a statement that can hold a value not known yet. */
export type StatementPart = "Action" | "NotAction" | "Resource" | "NotResource" | "Condition";

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
    /**
     * IAM reads `${...}` in its Resource or NotResource as policy variables: its document's Version
     * is 2012-10-17 (IAM User Guide, "IAM policy elements: Variables and tags"; before that version,
     * and with none, they are plain text).
     */
    readonly policyVariables: boolean;
    /** A non-empty (or unreadable) `Condition`. */
    readonly conditional: boolean;
    /** Part of the statement could not be read or is not known yet: it may grant more, and must not subtract. */
    readonly incomplete: boolean;
    /** The parts that hold a value not known yet, whatever the Effect. */
    readonly unknownParts: readonly StatementPart[];
}

export const IAM_POLICY_VERSIONS: readonly string[] = ["2012-10-17", "2008-10-17"];

/**
 * IAM's quotas on the size of policy documents, in characters not counting whitespace. IAM User
 * Guide, "IAM and AWS STS quotas", character limits: a managed policy 6,144; a role's inline
 * policies together 10,240; a role trust policy 2,048 by default (an account may raise it).
 */
export const IAM_SIZE_QUOTAS = { managedPolicy: 6_144, roleInlinePolicies: 10_240, roleTrustPolicy: 2_048 } as const;

const DOCUMENT_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);

/** A service prefix IAM accepts ("Vendor … is not valid" otherwise); wildcards are left to IAM's matching. */
const SERVICE_PREFIX = /^[A-Za-z0-9.*?-]*$/;

/** IAM User Guide, "IAM JSON policy elements: Sid": ASCII letters and digits only, unique within the policy. */
const SID = /^[A-Za-z0-9]*$/;

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
        const repeated = repeatedKey(raw);
        if (repeated) acc.problem(repeated.path, repeatedKeyMessage(repeated.key));
    }
    if (!isPlainObject(doc)) {
        acc.problem("", `the policy document must be a JSON object, not ${describe(doc)}`);
        return acc.result([]);
    }
    acc.size = documentSize(raw, isUnknown);
    checkCharacters(raw, doc, acc);
    for (const key of Object.keys(doc)) {
        if (!DOCUMENT_KEYS.has(key)) acc.reject(key, `unexpected key "${key}" in the policy document`);
    }
    // IAM User Guide, "IAM JSON policy elements: Version": "2012-10-17" or "2008-10-17"; when absent IAM reads 2008-10-17.
    const version = own(doc, "Version");
    if (version !== undefined && !acc.unknown("Version", version)) {
        if (typeof version !== "string" || !IAM_POLICY_VERSIONS.includes(version)) {
            acc.reject("Version", `Version must be "2012-10-17" or "2008-10-17", not ${describe(version)}`);
        }
    }
    const policyVariables = version === "2012-10-17";
    const statement = own(doc, "Statement");
    if (statement === undefined) {
        acc.problem("Statement", "the policy document has no Statement");
        return acc.result([]);
    }
    if (acc.unknown("Statement", statement)) return acc.result([]);
    const statements: Statement[] = [];
    if (Array.isArray(statement)) {
        statement.forEach((s, i) => {
            const parsed = parseStatement(s, `Statement[${i}]`, acc, policyVariables);
            if (parsed) statements.push(parsed);
        });
    } else {
        const parsed = parseStatement(statement, "Statement", acc, policyVariables);
        if (parsed) statements.push(parsed);
    }
    return acc.result(statements);
}

function parseStatement(raw: unknown, path: string, acc: Accumulator, policyVariables: boolean): Statement | undefined {
    if (acc.unknown(path, raw)) return undefined;
    if (!isPlainObject(raw)) {
        acc.problem(path, `a statement must be an object, not ${describe(raw)}`);
        return undefined;
    }
    const problemsBefore = acc.problemCount;
    const unknownsBefore = acc.unknownCount;
    const unknownParts: StatementPart[] = [];
    for (const key of Object.keys(raw)) {
        if (!STATEMENT_KEYS.has(key)) acc.reject(`${path}.${key}`, `unexpected key "${key}" in a statement`);
    }

    // IAM User Guide, "Grammar of the IAM JSON policy language": an identity policy names no principal.
    for (const key of ["Principal", "NotPrincipal"]) {
        if (own(raw, key) !== undefined) acc.reject(`${path}.${key}`, `an identity policy may not hold the element ${key}`);
    }

    const sid = readSid(own(raw, "Sid"), `${path}.Sid`, acc);

    // IAM User Guide, "IAM JSON policy elements: Effect": exactly "Allow" or "Deny", case-sensitive.
    const effectRaw = own(raw, "Effect");
    let effect: Effect | undefined;
    if (acc.unknown(`${path}.Effect`, effectRaw)) {
        return undefined;
    } else if (effectRaw === "Allow" || effectRaw === "Deny") {
        effect = effectRaw;
    } else if (typeof effectRaw === "string" && ["allow", "deny"].includes(effectRaw.trim().toLowerCase())) {
        // IAM rejects it; judge it as what it was meant to be so that the intent is still weighed.
        acc.reject(`${path}.Effect`, `Effect must be exactly "Allow" or "Deny", not ${describe(effectRaw)}`);
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
    const actions = readActionPatterns(own(raw, actionKind), `${path}.${actionKind}`, acc, () => unknownParts.push(actionKind));

    // An Allow grants whatever its Resource and Condition turn out to be: only a Deny needs them known.
    acc.muteUnknowns = effect === "Allow";
    const resource = own(raw, "Resource");
    const notResource = own(raw, "NotResource");
    const resourceStrings = readResources(resource, `${path}.Resource`, acc, "Resource", () => unknownParts.push("Resource"));
    const notResourceStrings =
        notResource !== undefined ? readResources(notResource, `${path}.NotResource`, acc, "NotResource", () => unknownParts.push("NotResource")) : [];
    // IAM User Guide, "Grammar of the IAM JSON policy language": a statement has Resource or NotResource, not both.
    if (resource === undefined && notResource === undefined) {
        acc.reject(path, "a statement needs Resource or NotResource");
    } else if (resource !== undefined && notResource !== undefined) {
        acc.reject(path, "a statement may not have both Resource and NotResource");
    }
    const coversAllResources = notResource === undefined && resourceStrings.some((r) => r.value === "*");

    const condition = own(raw, "Condition");
    let conditional = false;
    if (condition !== undefined && !acc.unknown(`${path}.Condition`, condition)) {
        if (isPlainObject(condition)) {
            conditional = Object.keys(condition).length > 0;
            checkCondition(condition, `${path}.Condition`, acc);
        } else {
            acc.reject(`${path}.Condition`, `Condition must be an object, not ${describe(condition)}`);
            conditional = true;
        }
    } else if (condition !== undefined) {
        unknownParts.push("Condition");
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
        policyVariables,
        conditional,
        incomplete: acc.problemCount > problemsBefore || acc.unknownCount > unknownsBefore,
        unknownParts: [...new Set(unknownParts)],
    };
}

/**
 * A statement's Sid: optional, only ASCII letters and digits, and unique within the document
 * (IAM User Guide, "IAM JSON policy elements: Sid"; IAM answers "Statement IDs (SID) must be
 * alpha-numeric" and "Statement IDs (SID) in a single policy must be unique"). An empty Sid is no
 * Sid: the pattern IAM quotes, `[0-9A-Za-z]*`, admits it, and generated documents repeat it.
 */
function readSid(raw: unknown, path: string, acc: Accumulator): string | undefined {
    if (raw === undefined || acc.isUnknown(raw)) return undefined;
    if (typeof raw !== "string") {
        acc.reject(path, `Sid must be a string, not ${describe(raw)}`);
        return undefined;
    }
    if (!SID.test(raw)) {
        acc.reject(path, `Sid ${describe(raw)} may hold only the letters A-Z and a-z and the digits 0-9`);
    } else if (raw !== "") {
        const first = acc.sids.get(raw);
        if (first !== undefined) acc.reject(path, `Sid ${describe(raw)} is also the Sid of ${first}: each Sid must be unique within the document`);
        else acc.sids.set(raw, path.slice(0, -".Sid".length));
    }
    return raw === "" ? undefined : raw;
}

/**
 * Action or NotAction entries. IAM User Guide, "IAM JSON policy elements: Action" and the policy
 * grammar: each is `*` or `service:action`, the prefix before one colon; IAM answers "Actions/
 * Conditions must be prefaced by a vendor", "Actions/Condition can contain only one colon", and,
 * for a prefix such as `ec r`, "Vendor ec r is not valid".
 */
function readActionPatterns(raw: unknown, path: string, acc: Accumulator, onUnknown: () => void): ActionPattern[] {
    if (Array.isArray(raw) && raw.length === 0) acc.reject(path, "a statement must name at least one action");
    return readStrings(raw, path, acc, "an action", "problem", onUnknown).map(({ value, at }) => {
        if (value !== "*") {
            const colons = value.split(":").length - 1;
            if (colons === 0) acc.reject(at, `${describe(value)} is not an action: write it as service:action`);
            else if (colons > 1) acc.reject(at, `${describe(value)} holds ${colons} colons: an action is service:action, with one`);
            else if (!SERVICE_PREFIX.test(value.slice(0, value.indexOf(":"))))
                acc.reject(
                    at,
                    `${describe(value)} has a service prefix IAM does not accept (it holds a character other than letters, digits, "-", "." and wildcards)`,
                );
        }
        return parseActionPattern(value);
    });
}

/** Resource or NotResource entries: each an ARN or `*`, as IAM requires ("Resource must be in ARN format or *"). */
function readResources(raw: unknown, path: string, acc: Accumulator, what: string, onUnknown: () => void): { value: string; at: string }[] {
    const entries = readStrings(raw, path, acc, what, "rejection", onUnknown);
    for (const { value, at } of entries) {
        if (value === "*") continue;
        const fault = value.startsWith("arn:") ? arnFault(value) : `${describe(value)} is not an ARN or "*"`;
        if (fault !== undefined) acc.reject(at, fault);
    }
    if (Array.isArray(raw) && raw.length === 0) acc.reject(path, `${what} may not be an empty list`);
    return entries;
}

/**
 * What IAM rejects in a resource ARN (`arn:partition:service:region:account:resource`), in the
 * words IAM answers with: a partition that is not one ("Partition "red" is not valid for resource"),
 * no service ("Resource vendor must be fully qualified"), an ARN cut short around an empty field,
 * such as `arn:aws::bucket` ("The policy failed legacy parsing"), and a Region in an IAM ARN ("IAM
 * resource … cannot contain region information"). Fields with a wildcard or a policy variable are
 * left to IAM's matching.
 */
function arnFault(value: string): string | undefined {
    const fields = value.split(":");
    const [, partition, service, region] = fields;
    const plain = (field: string) => !isResourcePattern(field) && !field.includes("$");
    if (plain(partition) && !AWS_PARTITIONS.includes(partition))
        return `${describe(value)} names no partition: ${describe(partition)} is not one of ${AWS_PARTITIONS.join(", ")}`;
    if (service === undefined || service === "") return `${describe(value)} names no service: an ARN is arn:partition:service:region:account:resource`;
    if (fields.length < 6 && value.includes("::"))
        return `${describe(value)} is cut short: an ARN is arn:partition:service:region:account:resource, with every colon`;
    if (service === "iam" && region !== "" && plain(region)) return `${describe(value)} names Region ${describe(region)}, and IAM ARNs name none`;
    return undefined;
}

/** The partitions an ARN can name (AWS General Reference, "Amazon Resource Names"; the European Sovereign Cloud's since 2025). */
export const AWS_PARTITIONS: readonly string[] = PARTITIONS.map((p) => p.name);

/**
 * A Condition: operators IAM knows, each over an object of keys whose values are strings, numbers
 * or booleans, alone or in a list (IAM User Guide, "Grammar of the IAM JSON policy language",
 * `condition_map`, and "IAM JSON policy elements: Condition operators"; IAM answers "Syntax errors
 * in policy"). An operator IAM does not know is taken only over an empty block. Operator names are
 * compared without case, so that none IAM might take is called a rejection.
 */
function checkCondition(condition: Record<string, unknown>, path: string, acc: Accumulator): void {
    for (const [operator, block] of Object.entries(condition)) {
        const at = `${path}.${operator}`;
        if (acc.isUnknown(block)) continue;
        if (!isPlainObject(block)) {
            acc.reject(at, `a condition operator takes an object of condition keys, not ${describe(block)}`);
            continue;
        }
        const entries = Object.entries(block);
        if (entries.length > 0 && !isConditionOperator(operator)) acc.reject(at, `${describe(operator)} is not a condition operator`);
        for (const [key, value] of entries) {
            const values: unknown[] = Array.isArray(value) ? value : [value];
            const odd = values.find((v) => !acc.isUnknown(v) && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean");
            if (odd !== undefined) acc.reject(`${at}.${key}`, `a condition value is a string, a number or a boolean, not ${describe(odd)}`);
        }
    }
}

const CONDITION_OPERATORS = new Set(
    [
        ...["Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike"].map((o) => `String${o}`),
        ...["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"].flatMap((o) => [`Numeric${o}`, `Date${o}`]),
        ...["Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
    ].map((o) => o.toLowerCase()),
);

/** `StringEquals`, `StringLikeIfExists`, `ForAnyValue:StringLike`, `Null`, ...: any case. */
function isConditionOperator(name: string): boolean {
    let operator = name.toLowerCase();
    for (const prefix of ["forallvalues:", "foranyvalue:"]) if (operator.startsWith(prefix)) operator = operator.slice(prefix.length);
    if (operator === "null") return true;
    if (operator.endsWith("ifexists")) operator = operator.slice(0, -"ifexists".length);
    return CONDITION_OPERATORS.has(operator);
}

/**
 * A string or an array of strings, each with its path. Anything else is recorded at its path: as
 * something the pack cannot read, or, where the pack can tell what the statement means without
 * it, as something IAM would reject.
 */
function readStrings(
    raw: unknown,
    path: string,
    acc: Accumulator,
    what: string,
    fault: "problem" | "rejection",
    onUnknown: () => void,
): { value: string; at: string }[] {
    const record = (at: string, message: string) => (fault === "problem" ? acc.problem(at, message) : acc.reject(at, message));
    if (raw === undefined) return [];
    if (acc.unknown(path, raw)) {
        onUnknown();
        return [];
    }
    if (typeof raw === "string") return [{ value: raw, at: path }];
    if (!Array.isArray(raw)) {
        record(path, `${what} must be a string or a list of strings, not ${describe(raw)}`);
        return [];
    }
    const out: { value: string; at: string }[] = [];
    for (let i = 0; i < raw.length; i++) {
        const item: unknown = raw[i];
        const at = `${path}[${i}]`;
        if (acc.unknown(at, item)) {
            onUnknown();
            continue;
        }
        if (typeof item === "string") out.push({ value: item, at });
        else record(at, `${what} must be a string, not ${describe(item)}`);
    }
    return out;
}

/**
 * IAM User Guide, "IAM and AWS STS quotas": a policy document may hold only U+0009, U+000A,
 * U+000D and U+0020 to U+00FF (IAM answers that the policy "failed to satisfy constraint: Member
 * must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+"). Checked on the
 * text IAM is given: the JSON string as the provider hands it over (an escape such as `\u2603` is
 * six ASCII characters there), or, for a document given as an object, its strings and keys.
 */
function checkCharacters(raw: unknown, doc: Record<string, unknown>, acc: Accumulator): void {
    const text = typeof raw === "string" ? raw : undefined;
    const offending = text !== undefined ? firstForeignCharacter(text) : undefined;
    if (text !== undefined && offending === undefined) return;
    const found = findForeignString(doc, "", acc.isUnknown);
    if (found) {
        acc.reject(
            found.path,
            `${codePoint(found.character)} is not a character IAM accepts in a policy document (only tab, line feed, carriage return and U+0020 to U+00FF)`,
        );
    } else if (offending !== undefined) {
        acc.reject(
            "",
            `${codePoint(offending)} is not a character IAM accepts in a policy document (only tab, line feed, carriage return and U+0020 to U+00FF)`,
        );
    }
}

function isIamCharacter(code: number): boolean {
    return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xff);
}

function firstForeignCharacter(text: string): string | undefined {
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (!isIamCharacter(code)) return String.fromCodePoint(text.codePointAt(i) ?? code);
    }
    return undefined;
}

/** The first key or string value, depth first, that holds a character IAM does not accept, with its path. */
function findForeignString(value: unknown, path: string, isUnknown: UnknownTest): { path: string; character: string } | undefined {
    if (typeof value === "string") {
        if (isUnknown(value)) return undefined;
        const character = firstForeignCharacter(value);
        return character === undefined ? undefined : { path, character };
    }
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const found = findForeignString(value[i], `${path}[${i}]`, isUnknown);
            if (found) return found;
        }
        return undefined;
    }
    if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
            const at = path === "" ? key : `${path}.${key}`;
            const character = firstForeignCharacter(key);
            if (character !== undefined) return { path: at, character };
            const found = findForeignString(value[key], at, isUnknown);
            if (found) return found;
        }
    }
    return undefined;
}

function codePoint(character: string): string {
    const hex = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return `U+${hex} ("${character}")`;
}

/**
 * A document's size as IAM counts it against its quotas: characters, not counting whitespace
 * (IAM User Guide, "IAM and AWS STS quotas"). Counted on the JSON text IAM is given; a document
 * given as an object is counted on its compact JSON, each unknown leaf as one character, so that
 * the count is never more than IAM's. Whitespace inside strings is left out too: a count too low
 * can miss a rejection, never invent one.
 */
export function documentSize(raw: unknown, isUnknown: UnknownTest = neverUnknown): number {
    let text: string | undefined;
    if (typeof raw === "string") {
        text = raw;
    } else {
        try {
            text = JSON.stringify(raw, (_key, value: unknown) => (isUnknown(value) ? 0 : value));
        } catch {
            text = undefined;
        }
    }
    return text === undefined ? 0 : nonWhitespaceLength(text);
}

function nonWhitespaceLength(text: string): number {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
    }
    return n;
}

/** Said of a key that a JSON object holds twice (see repeatedKey). */
export function repeatedKeyMessage(key: string): string {
    return `the key ${JSON.stringify(key)} appears twice here, and IAM does not document which of the two it reads: write it once`;
}

/** Whether IAM would take the document as it is: nothing unreadable, no rule broken. Only then can its Denies exist. */
export function acceptedByIam(document: PolicyDocument): boolean {
    return document.problems.length === 0 && document.rejections.length === 0;
}

/** Whether a resource ARN or pattern holds a wildcard: IAM reads `*` and `?` in a Resource as wildcards, even where S3 keys hold them literally. */
export function isResourcePattern(value: string): boolean {
    return value.includes("*") || value.includes("?");
}

class Accumulator {
    private readonly problems: DocumentProblem[] = [];
    private readonly rejections: DocumentProblem[] = [];
    private readonly unknownPaths: string[] = [];
    /** Sids seen so far, with the path of the statement that holds each. */
    readonly sids = new Map<string, string>();
    size = 0;
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
    reject(path: string, message: string): void {
        this.rejections.push({ path, message });
    }
    /** Records and reports whether the value is not known yet. */
    unknown(path: string, value: unknown): boolean {
        if (!this.isUnknown(value)) return false;
        if (!this.muteUnknowns) this.unknownPaths.push(path);
        return true;
    }
    result(statements: Statement[]): PolicyDocument {
        return { statements, problems: this.problems, rejections: this.rejections, unknownPaths: this.unknownPaths, size: this.size };
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
