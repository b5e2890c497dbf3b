// `aws.iam.getPolicyDocument`, answered as the AWS provider answers it: a pure function of its arguments.
//
// The provider is the Terraform AWS provider's `aws_iam_policy_document` data source (v5 and later, which pulumi-aws
// 6 and 7 bundle), run through the Terraform plugin SDK. What shapes its answer, and what this file reproduces:
// - `actions`, `notActions`, `resources`, `notResources` and a principal's `identifiers` are sets: duplicates go,
//   one element is written as a string, several as a list sorted in reverse.
// - `principals`, `notPrincipals` and `conditions` are sets of blocks, ordered by the SDK's hash of each block (the
//   CRC-32 of its serialised fields, compared as decimal strings). Principal blocks of one type are merged into one
//   list in that order; condition values are grouped by test and variable, in their given order, and one value is
//   written as a string. `Principal: "*"` only for one block of type `*` with the identifier `*`.
// - `&{...}` becomes `${...}` in resources, principals and condition values (an error in version 2008-10-17).
// - `sourcePolicyDocuments` are merged first (a repeated Sid is an error), then the statements given, then each of
//   `overridePolicyDocuments`, whose statements replace those of the same Sid. A document's Id is the last one
//   given; its Version the highest. An empty Sid is left out (provider v5).
// - Go's encoding: struct fields in declaration order, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped;
//   `json` indented by two spaces, `minifiedJson` compact; `id` the CRC-32 of `json`.

import { crc32 } from "zlib";

type Props = Record<string, unknown>;

/** A JSON value whose objects keep the order Go's encoder writes their fields in. */
type GoValue = string | number | boolean | null | GoValue[] | { readonly entries: readonly (readonly [string, GoValue])[] };

const isPlainObject = (v: unknown): v is Props => v !== null && typeof v === "object" && !Array.isArray(v);

/** A string as Go's encoding/json writes it: JSON escapes, plus HTML characters and the two line separators. */
export function goJsonString(s: string): string {
    return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function encode(v: GoValue, indent: string, depth: number): string {
    if (v === null) return "null";
    if (typeof v === "string") return goJsonString(v);
    if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
    const items: string[] = Array.isArray(v)
        ? v.map((e) => encode(e, indent, depth + 1))
        : v.entries.map(([k, e]) => `${goJsonString(k)}:${indent ? " " : ""}${encode(e, indent, depth + 1)}`);
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    if (items.length === 0) return `${open}${close}`;
    if (!indent) return `${open}${items.join(",")}${close}`;
    const inner = indent.repeat(depth + 1);
    return `${open}\n${inner}${items.join(`,\n${inner}`)}\n${indent.repeat(depth)}${close}`;
}

/** Go's `json.MarshalIndent(v, "", "  ")` (indent "  ") or `json.Marshal(v)` (indent ""). */
export function goMarshal(v: GoValue, indent: string): string {
    return encode(v, indent, 0);
}

/** A decoded JSON value, as Go's encoder writes an `interface{}` holding it (map keys sorted). */
function fromDecoded(v: unknown): GoValue {
    if (Array.isArray(v)) return v.map(fromDecoded);
    if (isPlainObject(v)) {
        return {
            entries: Object.keys(v)
                .sort()
                .map((k) => [k, fromDecoded(v[k])] as const),
        };
    }
    return v === undefined ? null : (v as GoValue);
}

/** A decoded JSON value as Go's `json.Marshal` (indent "") or `json.MarshalIndent` writes it: map keys sorted. */
export function goMarshalDecoded(v: unknown, indent: string): string {
    return goMarshal(fromDecoded(v), indent);
}

/** The Terraform SDK's hash code of a serialised value: CRC-32, as the decimal string sets are ordered by. */
function hashCode(serialised: string): string {
    return String(crc32(Buffer.from(serialised, "utf8")));
}

/** A set as the Terraform SDK lists it: one element per hash code, ordered by the codes as strings. */
function asSet<T>(items: readonly T[], serialise: (item: T) => string): T[] {
    const byCode = new Map<string, T>();
    for (const item of items) {
        const code = hashCode(serialise(item));
        if (!byCode.has(code)) byCode.set(code, item);
    }
    return [...byCode.keys()].sort().map((code) => byCode.get(code)!);
}

const stringSet = (items: readonly string[]): string[] => asSet(items, (s) => s);
/** Strings in Go's byte order (code points for the strings policies hold). */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** One element as a string; several sorted in reverse (`policyDecodeConfigStrings`). */
function collapse(items: readonly string[]): string | string[] {
    if (items.length === 1) return items[0];
    return [...items].sort(byBytes).reverse();
}

function strings(v: unknown, what: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((e) => typeof e !== "string")) throw new Error(`${what} must be a list of strings`);
    return v as string[];
}

/** `&{aws:username}` is how a program writes the policy variable `${aws:username}` (version 2012-10-17 only). */
function replaceVariables(items: string[], version: string): string[] {
    return items.map((item) => {
        if (version === "2008-10-17" && item.includes("&{")) {
            throw new Error(`found &{ sequence in (${item}), which is not supported in document version 2008-10-17`);
        }
        return item.split("&{").join("${");
    });
}

interface Principal {
    type: string;
    identifiers: string | string[];
}
interface Condition {
    test: string;
    variable: string;
    values: string | string[];
}
interface Statement {
    sid: string;
    effect: string;
    actions?: unknown;
    notActions?: unknown;
    resources?: unknown;
    notResources?: unknown;
    principals: Principal[];
    notPrincipals: Principal[];
    conditions: Condition[];
}
interface Document {
    version: string;
    id: string;
    statements: Statement[];
}

function principalBlocks(v: unknown, version: string, what: string): Principal[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new Error(`${what} must be a list`);
    const blocks = v.map((p: unknown, i) => {
        if (!isPlainObject(p) || typeof p.type !== "string") throw new Error(`${what}[${i}] needs a type`);
        return { type: p.type, identifiers: stringSet(strings(p.identifiers, `${what}[${i}].identifiers`)) };
    });
    // The block's hash: its fields in name order, the identifiers as the set they are.
    return asSet(blocks, (b) => `identifiers:{${b.identifiers.map((id) => `${id};`).join("")}};type:${b.type};`).map((b) => ({
        type: b.type,
        identifiers: collapse(replaceVariables(b.identifiers, version)),
    }));
}

function conditionBlocks(v: unknown, version: string, what: string): Condition[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new Error(`${what} must be a list`);
    const blocks = v.map((c: unknown, i) => {
        if (!isPlainObject(c) || typeof c.test !== "string" || typeof c.variable !== "string") {
            throw new Error(`${what}[${i}] needs a test and a variable`);
        }
        return { test: c.test, variable: c.variable, values: strings(c.values, `${what}[${i}].values`) };
    });
    return asSet(blocks, (b) => `test:${b.test};values:(${b.values.map((x) => `${x};`).join("")});variable:${b.variable};`).map((b) => {
        const values = replaceVariables(b.values, version);
        return { test: b.test, variable: b.variable, values: values.length === 1 ? values[0] : values };
    });
}

/** The statements given as arguments, as the data source reads its `statement` blocks. */
function statementsOf(args: Props, version: string): Statement[] {
    if (args.statements === undefined || args.statements === null) return [];
    if (!Array.isArray(args.statements)) throw new Error("statements must be a list");
    const sids = new Set<string>();
    return args.statements.map((s: unknown, i) => {
        const what = `statements[${i}]`;
        if (!isPlainObject(s)) throw new Error(`${what} must be an object`);
        const sid = s.sid ?? "";
        if (typeof sid !== "string" || !/^[a-zA-Z0-9]*$/.test(sid)) throw new Error(`${what}.sid must only include alphanumeric characters`);
        if (sid !== "") {
            if (sids.has(sid)) throw new Error(`duplicate Sid (${sid}). Remove the Sid or ensure the Sid is unique.`);
            sids.add(sid);
        }
        const effect = s.effect ?? "Allow";
        if (effect !== "Allow" && effect !== "Deny") throw new Error(`${what}.effect must be Allow or Deny, not ${JSON.stringify(effect)}`);
        const set = (key: string, variables: boolean): string | string[] | undefined => {
            const items = stringSet(strings(s[key], `${what}.${key}`));
            if (items.length === 0) return undefined;
            return collapse(variables ? replaceVariables(items, version) : items);
        };
        return {
            sid,
            effect,
            actions: set("actions", false),
            notActions: set("notActions", false),
            resources: set("resources", true),
            notResources: set("notResources", true),
            principals: principalBlocks(s.principals, version, `${what}.principals`),
            notPrincipals: principalBlocks(s.notPrincipals, version, `${what}.notPrincipals`),
            conditions: conditionBlocks(s.conditions, version, `${what}.conditions`),
        };
    });
}

/** The value of a key matched as Go's decoder matches struct fields: exactly, else ignoring case; the last one wins. */
function field(obj: Props, name: string): unknown {
    let found: unknown;
    for (const key of Object.keys(obj)) if (key.toLowerCase() === name.toLowerCase()) found = obj[key];
    return found;
}

function decodedPrincipals(v: unknown, what: string): Principal[] {
    if (v === undefined || v === null) return [];
    if (typeof v === "string") return [{ type: "*", identifiers: ["*"] }];
    if (!isPlainObject(v)) throw new Error(`${what}: unsupported principal ${JSON.stringify(v)}`);
    return Object.entries(v).map(([type, ids]) => {
        if (typeof ids === "string") return { type, identifiers: ids };
        if (Array.isArray(ids) && ids.every((id) => typeof id === "string")) return { type, identifiers: [...(ids as string[])].sort(byBytes) };
        throw new Error(`${what}: the identifiers of principal type ${JSON.stringify(type)} must be strings`);
    });
}

function decodedConditions(v: unknown, what: string): Condition[] {
    if (v === undefined || v === null) return [];
    if (!isPlainObject(v)) throw new Error(`${what} must be an object of condition operators`);
    const out: Condition[] = [];
    for (const [test, variables] of Object.entries(v)) {
        if (!isPlainObject(variables)) throw new Error(`${what}.${test} must be an object of condition keys`);
        for (const [variable, values] of Object.entries(variables)) {
            // Go's decoder keeps strings, booleans (as "true"/"false") and lists of strings; it drops numbers.
            if (typeof values === "string") out.push({ test, variable, values: [values] });
            else if (typeof values === "boolean") out.push({ test, variable, values: String(values) });
            else if (Array.isArray(values)) {
                if (values.some((x) => typeof x !== "string")) throw new Error(`${what}.${test}.${variable}: condition values must be strings`);
                out.push({ test, variable, values: values as string[] });
            }
        }
    }
    return out;
}

/** A source or override document, decoded as the provider decodes it (`json.Unmarshal` into its policy struct). */
function decodeDocument(text: unknown, what: string): Document {
    if (typeof text !== "string") throw new Error(`${what} must be a JSON string`);
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
    }
    if (!isPlainObject(parsed)) throw new Error(`${what} must be a JSON object`);
    const version = field(parsed, "Version") ?? "";
    const id = field(parsed, "Id") ?? "";
    const statements = field(parsed, "Statement") ?? [];
    if (typeof version !== "string" || typeof id !== "string") throw new Error(`${what}: Version and Id must be strings`);
    if (!Array.isArray(statements)) throw new Error(`${what}: Statement must be a list`);
    return {
        version,
        id,
        statements: statements.map((s: unknown, i) => {
            const at = `${what} statement ${i}`;
            if (!isPlainObject(s)) throw new Error(`${at} must be an object`);
            const sid = field(s, "Sid") ?? "";
            const effect = field(s, "Effect") ?? "";
            if (typeof sid !== "string" || typeof effect !== "string") throw new Error(`${at}: Sid and Effect must be strings`);
            return {
                sid,
                effect,
                actions: field(s, "Action") ?? undefined,
                notActions: field(s, "NotAction") ?? undefined,
                resources: field(s, "Resource") ?? undefined,
                notResources: field(s, "NotResource") ?? undefined,
                principals: decodedPrincipals(field(s, "Principal"), `${at} Principal`),
                notPrincipals: decodedPrincipals(field(s, "NotPrincipal"), `${at} NotPrincipal`),
                conditions: decodedConditions(field(s, "Condition"), `${at} Condition`),
            };
        }),
    };
}

/** Statements with a Sid replace those of the same Sid; the rest are appended. */
function merge(into: Document, doc: Document): void {
    if (doc.id !== "") into.id = doc.id;
    if (doc.version > into.version) into.version = doc.version;
    for (const statement of doc.statements) {
        const at = statement.sid === "" ? -1 : into.statements.findIndex((s) => s.sid === statement.sid);
        if (at >= 0) into.statements[at] = statement;
        else into.statements.push(statement);
    }
}

function principalValue(principals: readonly Principal[]): GoValue {
    if (principals.length === 1) {
        const [p] = principals;
        const ids = p.identifiers;
        if (p.type === "*" && (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*"))) return "*";
    }
    const byType = new Map<string, string | string[]>();
    for (const p of principals) {
        const had = byType.get(p.type);
        if (Array.isArray(p.identifiers)) {
            const ids = [...p.identifiers].sort(byBytes).reverse();
            byType.set(p.type, [...(had === undefined ? [] : typeof had === "string" ? [had] : had), ...ids]);
        } else {
            byType.set(p.type, had === undefined ? p.identifiers : [...(typeof had === "string" ? [had] : had), p.identifiers]);
        }
    }
    return {
        entries: [...byType.keys()].sort().map((type) => {
            const ids = byType.get(type)!;
            return [type, typeof ids === "string" ? ids : ids] as const;
        }),
    };
}

function conditionValue(conditions: readonly Condition[]): GoValue {
    const byTest = new Map<string, Map<string, string[]>>();
    for (const c of conditions) {
        const variables = byTest.get(c.test) ?? new Map<string, string[]>();
        byTest.set(c.test, variables);
        variables.set(c.variable, [...(variables.get(c.variable) ?? []), ...(typeof c.values === "string" ? [c.values] : c.values)]);
    }
    return {
        entries: [...byTest.keys()].sort().map((test) => {
            const variables = byTest.get(test)!;
            return [
                test,
                {
                    entries: [...variables.keys()].sort().map((variable) => {
                        const values = variables.get(variable)!;
                        return [variable, values.length === 1 ? values[0] : values] as const;
                    }),
                },
            ] as const;
        }),
    };
}

function statementValue(s: Statement): GoValue {
    const entries: [string, GoValue][] = [];
    if (s.sid !== "") entries.push(["Sid", s.sid]);
    if (s.effect !== "") entries.push(["Effect", s.effect]);
    const any = (key: string, v: unknown): void => {
        if (v !== undefined) entries.push([key, fromDecoded(v)]);
    };
    any("Action", s.actions);
    any("NotAction", s.notActions);
    any("Resource", s.resources);
    any("NotResource", s.notResources);
    if (s.principals.length > 0) entries.push(["Principal", principalValue(s.principals)]);
    if (s.notPrincipals.length > 0) entries.push(["NotPrincipal", principalValue(s.notPrincipals)]);
    if (s.conditions.length > 0) entries.push(["Condition", conditionValue(s.conditions)]);
    return { entries };
}

function documentValue(doc: Document): GoValue {
    const entries: [string, GoValue][] = [];
    if (doc.version !== "") entries.push(["Version", doc.version]);
    if (doc.id !== "") entries.push(["Id", doc.id]);
    if (doc.statements.length > 0) entries.push(["Statement", doc.statements.map(statementValue)]);
    return { entries };
}

export interface RenderedPolicyDocument {
    /** Indented as the provider's `json` output. */
    json: string;
    minifiedJson: string;
    /** The provider's ID for the data source: the hash code of `json`. */
    id: string;
}

/** The provider's answer to `aws:iam/getPolicyDocument:getPolicyDocument` for these arguments; throws as it errs. */
export function renderPolicyDocument(args: Props): RenderedPolicyDocument {
    for (const deprecated of ["sourceJson", "overrideJson"]) {
        if (args[deprecated] !== undefined && args[deprecated] !== "")
            throw new Error(
                `${deprecated} is no longer used by the provider: use ${deprecated === "sourceJson" ? "sourcePolicyDocuments" : "overridePolicyDocuments"}`,
            );
    }
    const version = args.version ?? "2012-10-17";
    if (version !== "2008-10-17" && version !== "2012-10-17") throw new Error(`version must be 2008-10-17 or 2012-10-17, not ${JSON.stringify(version)}`);
    const policyId = args.policyId ?? "";
    if (typeof policyId !== "string") throw new Error("policyId must be a string");

    const merged: Document = { version: "", id: "", statements: [] };
    const sources = strings(args.sourcePolicyDocuments, "sourcePolicyDocuments");
    const seen = new Set<string>();
    sources.forEach((text, i) => {
        const doc = decodeDocument(text, `source document ${i}`);
        doc.statements.forEach((s, j) => {
            if (s.sid === "") return;
            if (seen.has(s.sid)) {
                throw new Error(
                    `merging source document ${i}: duplicate Sid (${s.sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`,
                );
            }
            seen.add(s.sid);
        });
        merge(merged, doc);
    });
    merge(merged, { version, id: policyId, statements: statementsOf(args, version) });
    strings(args.overridePolicyDocuments, "overridePolicyDocuments").forEach((text, i) => merge(merged, decodeDocument(text, `override document ${i}`)));

    const value = documentValue(merged);
    const json = goMarshal(value, "  ");
    return { json, minifiedJson: goMarshal(value, ""), id: hashCode(json) };
}
