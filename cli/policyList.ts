// `ecs-role-guard policies`: what the pack enforces, from the policies' own metadata, so it cannot drift from them.

import type { Policy } from "@pulumi/policy";
import { policies } from "../policies";

interface ConfigProperty {
    readonly name: string;
    readonly type: string;
    readonly default: unknown;
    readonly description: string;
}

interface PolicyEntry {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel: string;
    readonly severity: string;
    /** `stack`, or `resource+stack` for a policy that also judges each resource as it is analysed. */
    readonly kind: string;
    readonly config: readonly ConfigProperty[];
    readonly url: string;
}

function entryOf(p: Policy): PolicyEntry {
    const properties = Object.entries(p.configSchema?.properties ?? {}) as [string, { type?: unknown; default?: unknown; description?: string }][];
    return {
        name: p.name,
        description: p.description,
        enforcementLevel: p.enforcementLevel ?? "advisory",
        severity: p.severity ?? "",
        kind: [...("validateResource" in p ? ["resource"] : []), ...("validateStack" in p ? ["stack"] : [])].join("+"),
        config: properties.map(([name, schema]) => ({
            name,
            type: Array.isArray(schema.type) ? schema.type.join(" or ") : String(schema.type ?? "any"),
            default: schema.default,
            description: schema.description ?? "",
        })),
        url: p.url ?? "",
    };
}

export function renderPoliciesJson(version: string): string {
    return JSON.stringify({ tool: { name: "ecs-role-guard", version }, policies: policies.map(entryOf) }, null, 2) + "\n";
}

export function renderPoliciesText(version: string): string {
    const entries = policies.map(entryOf);
    const width = Math.max(...entries.map((e) => e.name.length)) + 2;
    const out = [`ecs-role-guard ${version}: ${entries.length} policies`, ""];
    for (const e of entries) {
        out.push(`${e.name.padEnd(width)}${e.enforcementLevel.padEnd(11)}${e.severity.padEnd(8)}${e.kind}`);
        out.push(`    ${e.description}`);
        out.push(`    config: ${e.config.map((c) => `${c.name} (${c.type}, default ${JSON.stringify(c.default)})`).join(", ")}`);
        out.push(`    docs: ${e.url}`);
        out.push("");
    }
    out.push("Set a policy's level and properties with --policy-pack-config (check, audit) or `pulumi policy enable --config`.");
    return out.join("\n") + "\n";
}
