// Resources as the Pulumi engine hands them to a policy pack: what a deployment registers, in the engine's terms.

/** The engine sends this string for every unknown value, whatever its type. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The signature key the engine uses to mark a secret; a live engine hands the pack the plaintext inside. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Wraps a value the way the engine marshals a secret (KeepSecrets), so tests can check secret handling. */
export function secret(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** Inputs as the provider's Check returned them; sent to Remediate and Analyze. */
    inputs: Record<string, unknown>;
    /** Outputs sent to AnalyzeStack; the inputs are used when absent (a preview of a new resource is close to that). */
    outputs?: Record<string, unknown>;
    /** Parent URN; runDeployment defaults it to the root stack resource, as every Pulumi program does. */
    parent?: string;
    /** Defaults to the union of propertyDependencies, which the engine's list always contains. */
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    options?: ResourceOptions;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
}

/** Builds `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`. */
export function urnOf(type: string, name: string, parentType?: string, project = "demo", stack = "dev"): string {
    const qualifiedType = parentType ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** The URN of the root stack resource every program registers first. */
export function stackUrnOf(project = "demo", stack = "dev"): string {
    return urnOf("pulumi:pulumi:Stack", `${project}-${stack}`, undefined, project, stack);
}
