import { StackResource } from "../../policies/stack/resources";
import { EngineResource } from "../../cli/engineResources";
import { providerOf, T } from "./stacks";

/**
 * Turns the stacks of `stacks.ts` (what AnalyzeStack sees) into what the engine sends for each resource:
 * Analyze gets the inputs as the provider's Check returned them, AnalyzeStack the outputs with dependencies.
 *
 * Where this differs from a real engine:
 * - Inputs are derived from the outputs by dropping output-only fields; a real engine keeps the inputs the program
 *   gave, with the provider's defaults and the `__defaults` key (which the engine strips before Analyze anyway).
 * - `name` stays in the inputs: the provider's Check fills it by autonaming, so Analyze sees it.
 * - The AWS provider's placeholder `inlinePolicies: [{ name: "", policy: "" }]` is an output quirk and is dropped
 *   from the inputs; any other value is kept as the program's own.
 * - No provider resource is sent (a resource may name one), nor resource options or secrets.
 */

/** Outputs the provider computes; a program cannot set them, so they never appear in the inputs. */
const OUTPUT_ONLY: Readonly<Record<string, readonly string[]>> = {
    [T.role]: ["arn", "id", "uniqueId", "createDate"],
    [T.policy]: ["arn", "id", "policyId", "attachmentCount"],
    [T.taskDefinition]: ["arn", "id", "arnWithoutRevision", "revision"],
};

function isPlaceholderInlinePolicies(value: unknown): boolean {
    return (
        Array.isArray(value) &&
        value.length === 1 &&
        typeof value[0] === "object" &&
        value[0] !== null &&
        (value[0] as Record<string, unknown>).name === "" &&
        (value[0] as Record<string, unknown>).policy === ""
    );
}

/** The inputs the engine would send to Analyze for this resource. */
export function inputsOf(resource: StackResource): Record<string, unknown> {
    const dropped = new Set(OUTPUT_ONLY[resource.type] ?? []);
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource.props)) {
        if (dropped.has(key)) continue;
        if (resource.type === T.role && key === "inlinePolicies" && isPlaceholderInlinePolicies(value)) continue;
        inputs[key] = value;
    }
    return inputs;
}

/** Each resource as the engine sends it: inputs to Analyze; outputs and dependencies to AnalyzeStack. */
export function toEngineResources(resources: readonly StackResource[]): EngineResource[] {
    return resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        inputs: inputsOf(r),
        outputs: { ...r.props },
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
        ...(r.provider !== undefined ? { provider: { ...providerOf(r.provider), properties: {} } } : {}),
        dependencies: [...(r.dependencies ?? [])],
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, [...urns]])),
    }));
}
