// What a Pulumi SDK declares a resource's outputs to be, read from its own type declarations.
//
// Every Pulumi SDK generated from a provider schema (`@pulumi/aws`, `@pulumi/aws-native`, `@pulumi/awsx`, and the
// rest) declares each resource class in `<module>/<resource>.d.ts`, one output per line:
// `readonly arn: pulumi.Output<string>;`, and the object types of those outputs in `types/output.d.ts`, grouped in
// one namespace per module. An output typed without `| undefined` always has a value once the resource exists (a
// required input or a computed output); with it, only when the program set it. The capture reads these files from
// the program's own SDK, so every resource type of every version it may use is covered without a list to keep.

import * as fs from "fs";
import * as path from "path";

/** An output's declared type, as far as a value's shape needs it. */
export type TypeShape =
    | { readonly kind: "string" | "number" | "boolean" | "any" }
    | { readonly kind: "literal"; readonly value: string | number | boolean }
    | { readonly kind: "list" | "map"; readonly of: TypeShape }
    /** An object type of the SDK's own (`outputs.ecr.RepositoryEncryptionConfiguration`, `outputs.Tag`). */
    | { readonly kind: "object"; readonly ref: string }
    /** An enum of the SDK (`enums.ecs.AssignPublicIp`): a string. */
    | { readonly kind: "enum"; readonly ref: string }
    /** A resource of another SDK (`pulumiAws.ecs.Service`), as awsx components declare their children. */
    | { readonly kind: "resource"; readonly ref: string };

export interface DeclaredProperty {
    readonly name: string;
    /** True when the declaration allows `undefined`: the value exists only when the program set it. */
    readonly optional: boolean;
    readonly type: TypeShape;
}

/** The type expression after `from` in `text`, up to the `>` (or `;`, for an interface field) that closes it. */
function typeTextFrom(text: string, from: number, closer: ">" | ";"): { type: string; end: number } {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            const close = text.indexOf(c, i + 1);
            i = close < 0 ? text.length : close;
        } else if (c === "<" || c === "{" || c === "(" || c === "[") depth++;
        else if ((c === ">" && text[i - 1] !== "=") || c === "}" || c === ")" || c === "]") {
            if (depth === 0 && c === closer) return { type: text.slice(from, i), end: i };
            depth--;
        } else if (c === closer && depth === 0) return { type: text.slice(from, i), end: i };
    }
    throw new Error(`an unterminated type in a declaration: ${text.slice(from, from + 80)}`);
}

/** Splits at top-level occurrences of `separator` (outside brackets and quotes). */
function splitTop(text: string, separator: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "'") {
            const close = text.indexOf(c, i + 1);
            i = close < 0 ? text.length : close;
        } else if (c === "<" || c === "{" || c === "(" || c === "[") depth++;
        else if (c === ">" || c === "}" || c === ")" || c === "]") depth--;
        else if (depth === 0 && text.startsWith(separator, i)) {
            parts.push(text.slice(start, i));
            start = i + separator.length;
        }
    }
    parts.push(text.slice(start));
    return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const stripComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");

/** Reads a type expression: which shape its value takes, and whether it may be undefined. */
export function parseTypeExpression(source: string): { type: TypeShape; optional: boolean } {
    const members = splitTop(stripComments(source).trim(), "|");
    const optional = members.some((m) => m === "undefined" || m === "null");
    const rest = members.filter((m) => m !== "undefined" && m !== "null");
    // A union of several types (a string or an enum, two object types): the first one is a value of it.
    return { type: rest.length === 0 ? { kind: "any" } : parseSingle(rest[0]), optional };
}

function parseSingle(text: string): TypeShape {
    const t = text.trim();
    if (t.endsWith("[]")) return { kind: "list", of: parseSingle(t.slice(0, -2)) };
    if (t.startsWith("(") && t.endsWith(")")) return parseTypeExpression(t.slice(1, -1)).type;
    const generic = /^(?:Array|ReadonlyArray)<([\s\S]*)>$/.exec(t);
    if (generic) return { kind: "list", of: parseTypeExpression(generic[1]).type };
    const record = /^Record<\s*string\s*,([\s\S]*)>$/.exec(t);
    if (record) return { kind: "map", of: parseTypeExpression(record[1]).type };
    if (t.startsWith("{")) {
        const index = /^\{\s*\[\s*\w+\s*:\s*string\s*\]\s*:([\s\S]*?);?\s*\}$/.exec(t);
        return index ? { kind: "map", of: parseTypeExpression(index[1]).type } : { kind: "map", of: { kind: "any" } };
    }
    if (t === "string" || t === "number" || t === "boolean" || t === "any") return { kind: t };
    if (t === "unknown" || t === "object") return { kind: "any" };
    if (/^".*"$|^'.*'$/.test(t)) return { kind: "literal", value: t.slice(1, -1) };
    if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: "literal", value: Number(t) };
    if (t === "true" || t === "false") return { kind: "literal", value: t === "true" };
    if (t.startsWith("outputs.")) return { kind: "object", ref: t.slice("outputs.".length) };
    if (t.startsWith("enums.")) return { kind: "enum", ref: t.slice("enums.".length) };
    // Anything else named is a class from another SDK (a resource), or a type the SDK imports.
    return { kind: "resource", ref: t };
}

/** The outputs a resource class declares in its `.d.ts` text. */
export function classOutputs(declaration: string, className: string): DeclaredProperty[] {
    const start = new RegExp(`export declare class ${className}\\b[^{]*\\{`).exec(declaration);
    if (!start) throw new Error(`no declaration of class ${className}`);
    const body = declaration.slice(start.index + start[0].length);
    const outputs: DeclaredProperty[] = [];
    const property = /^\s+readonly (\w+)\??: pulumi\.Output<|^\}/gm;
    for (let m = property.exec(body); m; m = property.exec(body)) {
        if (m[0] === "}") break;
        const { type, end } = typeTextFrom(body, m.index + m[0].length, ">");
        property.lastIndex = end;
        // The resource's own identity is not a declared output of its provider.
        if (m[1] === "urn" || m[1] === "id") continue;
        outputs.push({ name: m[1], ...parseTypeExpression(type) });
    }
    return outputs;
}

/** The fields of an interface body (`name?: type;` each, comments between). */
function interfaceFields(body: string): DeclaredProperty[] {
    const fields: DeclaredProperty[] = [];
    const text = stripComments(body);
    const field = /(?:^|[;{\n])\s*(?:readonly\s+)?(\w+)(\??):/g;
    for (let m = field.exec(text); m; m = field.exec(text)) {
        const { type, end } = typeTextFrom(text, m.index + m[0].length, ";");
        field.lastIndex = end;
        const parsed = parseTypeExpression(type);
        fields.push({ name: m[1], type: parsed.type, optional: parsed.optional || m[2] === "?" });
    }
    return fields;
}

/** The text of the `{ ... }` block that starts at `open` (the index of its `{`). */
function blockAt(text: string, open: number): string {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        if (text[i] === "{") depth++;
        else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
    }
    throw new Error("an unterminated block in a declaration");
}

/** The declarations of one installed SDK package: its resource classes and its output object types. */
export class SdkDeclarations {
    private outputTypes: string | undefined;
    private readonly namespaces = new Map<string, string>();
    private readonly objects = new Map<string, DeclaredProperty[] | undefined>();

    constructor(readonly packageDir: string) {}

    /** The outputs declared for the class exported by the module `moduleFile` (its `.js` or `.d.ts`). */
    outputsOf(moduleFile: string, className: string): DeclaredProperty[] {
        const declaration = moduleFile.replace(/\.js$/, ".d.ts");
        return classOutputs(fs.readFileSync(declaration, "utf8"), className);
    }

    /** The fields of an output object type (`ecr.RepositoryEncryptionConfiguration`, `Tag`), or undefined. */
    fieldsOf(ref: string): DeclaredProperty[] | undefined {
        if (this.objects.has(ref)) return this.objects.get(ref);
        const parts = ref.split(".");
        const name = parts.pop()!;
        const scope = parts.length === 0 ? this.outputText() : this.namespace(parts.join("."));
        let fields: DeclaredProperty[] | undefined;
        if (scope !== undefined) {
            const m = new RegExp(`(?:^|\\n)\\s*(?:export )?interface ${name} \\{`).exec(scope);
            if (m) fields = interfaceFields(blockAt(scope, m.index + m[0].length - 1));
        }
        this.objects.set(ref, fields);
        return fields;
    }

    private outputText(): string {
        this.outputTypes ??= fs.readFileSync(path.join(this.packageDir, "types", "output.d.ts"), "utf8");
        return this.outputTypes;
    }

    private namespace(name: string): string | undefined {
        if (!this.namespaces.has(name)) {
            const text = this.outputText();
            const m = new RegExp(`\\nexport declare namespace ${name.replace(/\./g, "\\.")} \\{`).exec(text);
            if (m) this.namespaces.set(name, blockAt(text, m.index + m[0].length - 1));
        }
        return this.namespaces.get(name);
    }
}

/** The directory of the npm package that holds `file`: the nearest one above it with a package.json. */
export function packageDirOf(file: string): string | undefined {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}
