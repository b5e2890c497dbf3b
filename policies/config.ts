import { PolicyConfigSchema } from "@pulumi/policy";

/**
 * Policy configuration: defaults live in each policy's configSchema (the CLI applies them), and
 * are applied again here for packs that call a policy without the CLI.
 */

/** A list of IAM action names or patterns, as a configSchema property. */
export function actionListProperty(description: string): PolicyConfigSchema["properties"][string] {
    return {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [],
        description,
    };
}

/** Defaults first, then the given config; values of the wrong type are dropped, never thrown on. */
export function readConfig<T extends { [K in keyof T]: string[] }>(given: unknown, defaults: T): T {
    const config = { ...defaults };
    if (typeof given !== "object" || given === null) return config;
    for (const key of Object.keys(defaults) as (keyof T)[]) {
        const value: unknown = (given as Record<keyof T, unknown>)[key];
        if (Array.isArray(value)) config[key] = value.filter((v): v is string => typeof v === "string" && v !== "") as T[keyof T];
    }
    return config;
}
