import { PolicyConfigSchema } from "@pulumi/policy";

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
