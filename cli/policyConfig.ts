// Policy config as the Pulumi CLI handles `--policy-pack-config` and `pulumi policy enable --config`
// (sdk/pkg/resource/analyzer/config.go): the file's entries, the pack's defaults and initial config reconciled in the
// CLI's order, and every policy's properties validated against its schema as the CLI validates them.

import Ajv, { ErrorObject } from "ajv";
import * as fs from "fs";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

export type PolicyConfigEntry = EnforcementLevel | { enforcementLevel?: EnforcementLevel; [property: string]: unknown };
export type PolicyConfigFile = Record<string, PolicyConfigEntry>;

/** A policy's config as the CLI sends it in Configure. "" stands for a missing level, which Configure rejects. */
export interface ReconciledPolicyConfig {
    enforcementLevel: EnforcementLevel | "";
    properties?: Record<string, unknown>;
}

export interface PolicyConfigSchema {
    properties: Record<string, JsonSchema>;
    required: string[];
}

/** What reconciling needs of each policy the pack declares. */
export interface ConfigurablePolicy {
    name: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
}

/** Raised when the config fails the CLI's checks; its message is what `pulumi` prints. */
export class PolicyConfigError extends Error {
    constructor(
        message: string,
        readonly validationErrors: string[],
    ) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** Reads a config file the way LoadPolicyPackConfigFromFile does (blank content means no config). */
export function loadPolicyConfigFile(file: string): Record<string, ReconciledPolicyConfig> | undefined {
    const text = fs.readFileSync(file, "utf8");
    if (text.trim() === "") {
        return undefined;
    }
    return parsePolicyConfig(JSON.parse(text) as Record<string, unknown>);
}

/** Splits each entry into a level and properties, rejecting what the CLI rejects; empty entries are dropped. */
export function parsePolicyConfig(file: Record<string, unknown>): Record<string, ReconciledPolicyConfig> {
    const result: Record<string, ReconciledPolicyConfig> = {};
    for (const [key, value] of Object.entries(file)) {
        let enforcementLevel: EnforcementLevel | "" = "";
        let properties: Record<string, unknown> | undefined;
        if (typeof value === "string") {
            if (!isEnforcementLevel(value)) {
                throw new Error(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
            }
            enforcementLevel = value;
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
            if ("enforcementLevel" in value) {
                if (typeof level !== "string") {
                    throw new Error(`parsing enforcement level for "${key}": ${String(level)} is not a valid enforcement level; must be a string`);
                }
                if (!isEnforcementLevel(level)) {
                    throw new Error(`parsing enforcement level for "${key}": "${level}" is not a valid enforcement level`);
                }
                enforcementLevel = level;
            }
            if (Object.keys(rest).length > 0) {
                properties = rest;
            }
        } else {
            throw new Error(`parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        if (enforcementLevel !== "" || properties) {
            result[key] = properties ? { enforcementLevel, properties } : { enforcementLevel };
        }
    }
    return result;
}

/**
 * ReconcilePolicyPackConfig: schema defaults and each policy's level, then the pack's initial config, then the file
 * (`all` first); then every policy's properties are validated against its schema. Returns the map sent to Configure.
 */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[],
    initialConfig: Record<string, ReconciledPolicyConfig> | undefined,
    file: Record<string, ReconciledPolicyConfig> | undefined,
): { config: Record<string, ReconciledPolicyConfig>; errors: string[] } {
    let result: Record<string, ReconciledPolicyConfig> = {};
    for (const policy of policies) {
        let props: Record<string, unknown> | undefined;
        for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (isObject(schema) && "default" in schema) {
                props = { ...props, [k]: schema.default };
            }
        }
        const enforcementLevel = policy.enforcementLevel;
        result[policy.name] = props ? { enforcementLevel, properties: props } : { enforcementLevel };
    }
    if (initialConfig) {
        result = applyConfig(result, initialConfig);
    }
    if (file) {
        result = applyConfig(result, file);
    }
    const errors: string[] = [];
    for (const policy of policies) {
        // The CLI injects enforcementLevel into every schema of a pack that supports config.
        const schema: JsonSchema = {
            type: "object",
            properties: {
                ...policy.configSchema?.properties,
                enforcementLevel: { type: "string", enum: LEVELS },
            },
            ...(policy.configSchema?.required.length ? { required: policy.configSchema.required } : {}),
        };
        for (const e of validateJsonSchema(schema, result[policy.name]?.properties ?? {})) {
            errors.push(`${policy.name}: ${e}`);
        }
    }
    return { config: result, errors };
}

function applyConfig(result: Record<string, ReconciledPolicyConfig>, toApply: Record<string, ReconciledPolicyConfig>): Record<string, ReconciledPolicyConfig> {
    const next = { ...result };
    const all = toApply["all"];
    if (all && all.enforcementLevel) {
        for (const [name, entry] of Object.entries(next)) {
            next[name] = { ...entry, enforcementLevel: all.enforcementLevel };
        }
    }
    // Every key is applied, `all` and names the pack does not have included; the CLI sends them on to Configure.
    for (const [name, given] of Object.entries(toApply)) {
        const current = next[name];
        const enforcementLevel = given.enforcementLevel || current?.enforcementLevel || "";
        const properties = given.properties && Object.keys(given.properties).length > 0 ? { ...current?.properties, ...given.properties } : current?.properties;
        next[name] = properties ? { enforcementLevel, properties } : { enforcementLevel };
    }
    return next;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation as the CLI's gojsonschema validates, with its messages as Pulumi prints them (`<field>: <description>`,
// the root's "(root): " trimmed).

export type JsonSchema = boolean | { [keyword: string]: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * gojsonschema's default draft ("hybrid") reads a schema without `$schema`, as a pack's config schemas are, as draft 7
 * does (and also takes draft 4's boolean exclusiveMinimum and exclusiveMaximum, which no schema here uses): Ajv's
 * default class is draft 7. Not strict, since gojsonschema ignores keywords it does not know; every error, since
 * gojsonschema reports every one.
 */
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false, verbose: true });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

function validatorOf(schema: JsonSchema): ReturnType<typeof ajv.compile> {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) compiled.set(key, (validate = ajv.compile(schema)));
    return validate;
}

export function validateJsonSchema(schema: JsonSchema, value: unknown): string[] {
    return errorsOf(schema, value, "").map(({ field, description }) => `${field}: ${description}`.replace(/^\(root\): /, ""));
}

/** gojsonschema's errors for a value at `base` (a JSON pointer into the whole document). */
function errorsOf(schema: JsonSchema, value: unknown, base: string): { field: string; description: string }[] {
    const validate = validatorOf(schema);
    if (validate(value)) return [];
    const errors = validate.errors ?? [];
    // A failed anyOf or oneOf is reported once, with the errors of its best branch only (gojsonschema's validation.go:
    // the branch that got furthest, the first of equals; here, the first with the fewest errors), and a failed not
    // once. Ajv reports every branch's errors: those are dropped and the best branch's validated again on its own.
    const combinators = errors.filter((e) => ["anyOf", "oneOf", "not"].includes(e.keyword));
    const out: { field: string; description: string }[] = [];
    for (const e of errors) {
        if (combinators.some((c) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`))) continue;
        const field = fieldOf(base + e.instancePath);
        out.push({ field, description: describeError(e, field) });
        const branches = e.keyword === "anyOf" || e.keyword === "oneOf" ? (e.schema as JsonSchema[]) : [];
        // A oneOf that more than one branch passed has no best branch to blame.
        if (e.keyword === "oneOf" && (e.params as { passingSchemas?: unknown }).passingSchemas != null) continue;
        let best: { field: string; description: string }[] | undefined;
        for (const branch of branches) {
            const found = errorsOf(branch, e.data, base + e.instancePath);
            if (best === undefined || found.length < best.length) best = found;
        }
        out.push(...(best ?? []));
    }
    return out;
}

function fieldOf(pointer: string): string {
    return pointer === "" ? "(root)" : pointer.slice(1).split("/").map(unescapePointer).join(".");
}

function unescapePointer(segment: string): string {
    return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function jsonTypeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v === "object" ? "object" : typeof v;
}

/** gojsonschema's description of each kind of error (its locales.go), from Ajv's keyword and parameters. */
function describeError(e: ErrorObject, field: string): string {
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
        case "required":
            return `${String(p.missingProperty)} is required`;
        case "additionalProperties":
            return `Additional property ${String(p.additionalProperty)} is not allowed`;
        case "type": {
            const types = Array.isArray(p.type) ? (p.type as string[]) : String(p.type).split(",");
            return `Invalid type. Expected: ${types.length > 1 ? `[${types.join(",")}]` : types[0]}, given: ${jsonTypeOf(e.data)}`;
        }
        case "pattern":
            return `Does not match pattern '${String(p.pattern)}'`;
        case "anyOf":
            return "Must validate at least one schema (anyOf)";
        case "oneOf":
            return "Must validate one and only one schema (oneOf)";
        case "not":
            return "Must not validate the schema (not)";
        case "enum":
            return `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        case "const":
            return `${field} does not match: ${JSON.stringify(p.allowedValue)}`;
        case "minLength":
            return `String length must be greater than or equal to ${String(p.limit)}`;
        case "maxLength":
            return `String length must be less than or equal to ${String(p.limit)}`;
        case "minItems":
            return `Array must have at least ${String(p.limit)} items`;
        case "maxItems":
            return `Array must have at most ${String(p.limit)} items`;
        case "uniqueItems":
            return `array items[${String(p.j)},${String(p.i)}] must be unique`;
        case "minProperties":
            return `Must have at least ${String(p.limit)} properties`;
        case "maxProperties":
            return `Must have at most ${String(p.limit)} properties`;
        case "minimum":
        case "exclusiveMinimum":
            return `Must be greater than${p.comparison === ">=" ? " or equal to" : ""} ${String(p.limit)}`;
        case "maximum":
        case "exclusiveMaximum":
            return `Must be less than${p.comparison === "<=" ? " or equal to" : ""} ${String(p.limit)}`;
        case "multipleOf":
            return `Must be a multiple of ${String(p.multipleOf)}`;
        case "false schema":
            return "False always fails validation";
        default:
            return e.message ?? `fails ${e.keyword}`;
    }
}
