import { PolicyConfigSchema } from "@pulumi/policy";
import { distance } from "fastest-levenshtein";
import { Finding } from "./format";

/**
 * Policy configuration: defaults live in each policy's configSchema (the CLI applies them and
 * validates against the schema), and are applied again here for packs that call a policy without
 * the CLI. Nothing read here throws: a value of the wrong kind falls back to its default.
 */

type SchemaProperty = PolicyConfigSchema["properties"][string];

/** A list of IAM action names or patterns. */
export function actionListProperty(description: string): SchemaProperty {
    return { type: "array", items: { type: "string", minLength: 1 }, default: [], description };
}

/** Roles defined outside the stack: role ARN or name → the policies an organisation declares for it. */
export type ExternalRoles = Record<string, (string | Record<string, unknown>)[]>;

export const externalRolesProperty: SchemaProperty = {
    type: "object",
    default: {},
    description:
        "Roles defined outside this stack (a baseline stack, another account team), so that they can be judged too: role ARN or name → the list of what it is granted, each an AWS-managed policy ARN or a policy document (an object, or a JSON string).",
    additionalProperties: {
        type: "array",
        items: { type: ["string", "object"], minLength: 1 },
    },
};

/** Defaults first, then each given value that has its default's shape (a list, an object). */
export function readConfig<T extends object>(given: unknown, defaults: T): T {
    const config = { ...defaults };
    if (typeof given !== "object" || given === null) return config;
    for (const key of Object.keys(defaults) as (keyof T)[]) {
        const value: unknown = (given as Record<keyof T, unknown>)[key];
        const fallback: unknown = defaults[key];
        const sameShape = Array.isArray(fallback) ? Array.isArray(value) : typeof value === "object" && value !== null && !Array.isArray(value);
        if (sameShape) config[key] = value as T[keyof T];
    }
    return config;
}

/** The strings of a list, without empty or odd entries. */
export function strings(list: readonly unknown[]): string[] {
    return list.filter((v): v is string => typeof v === "string" && v !== "");
}

/**
 * The name among `candidates` that `given` is most likely a slip of (`additionalAllowedAction` for
 * `additionalAllowedActions`), compared without case; the first of equals wins. None when every
 * candidate is too far off to be meant: more than a quarter of the longer name's letters apart,
 * and more than two.
 */
export function didYouMean(given: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = distance(given.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    if (best === undefined) return undefined;
    return bestDistance <= Math.max(2, Math.floor(Math.max(given.length, best.length) / 4)) ? best : undefined;
}

/** What a policy needs of itself and of the pack's other policies to say what is wrong with its config. */
export interface ConfiguredPolicy {
    readonly name: string;
    readonly configSchema?: { readonly properties?: Readonly<Record<string, unknown>> };
}

function propertiesOf(policy: ConfiguredPolicy): string[] {
    return Object.keys(policy.configSchema?.properties ?? {});
}

/**
 * Each property of a policy's config that the policy does not take. The CLI validates config
 * against each policy's schema, but the Analyzer protocol carries only its `properties` and
 * `required`, never `additionalProperties: false`, so a misspelt property, or one that belongs to
 * another policy, reaches the policy and would be ignored in silence. Reported as advisories, on
 * the stack rather than a resource; exemptions do not apply to them.
 */
export function unknownConfigFindings(policy: ConfiguredPolicy, given: unknown, pack: readonly ConfiguredPolicy[]): Finding[] {
    if (typeof given !== "object" || given === null || Array.isArray(given)) return [];
    const own = propertiesOf(policy);
    const others = pack.filter((p) => p.name !== policy.name);
    const ownersOf = (key: string) => others.filter((p) => propertiesOf(p).includes(key)).map((p) => p.name);
    const findings: Finding[] = [];
    for (const key of Object.keys(given)) {
        if (own.includes(key)) continue;
        let hint: string;
        const owners = ownersOf(key);
        const meant = owners.length === 0 ? didYouMean(key, [...own, ...others.flatMap(propertiesOf)]) : undefined;
        if (owners.length > 0) {
            hint = `it is a property of ${owners.join(" and ")}, so set it under ${owners.length === 1 ? "that policy" : "each of them"} instead`;
        } else if (meant !== undefined && own.includes(meant)) {
            hint = `did you mean ${JSON.stringify(meant)}?`;
        } else if (meant !== undefined) {
            hint = `did you mean ${JSON.stringify(meant)}, a property of ${ownersOf(meant).join(" and ")}?`;
        } else {
            hint = own.length === 0 ? "this policy takes no properties" : `this policy takes ${own.map((k) => JSON.stringify(k)).join(", ")}`;
        }
        findings.push({
            urn: "",
            advisory: true,
            message: `The config of ${policy.name} has a property ${JSON.stringify(key)} that this policy does not take, and it is ignored: ${hint}`,
        });
    }
    return findings;
}
