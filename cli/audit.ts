// Reads the deployed state of a stack, as `pulumi stack export` writes it, into what the engine hands a policy pack.
// It follows `pulumi policy analyze --file` (pulumi/pulumi pkg/resource/deploy/analyze_snapshot.go): every resource
// but the old copies awaiting deletion, providers and the root stack included; inputs for Analyze, outputs with
// parent and dependencies for AnalyzeStack; each resource's provider handed along with the provider's inputs.

import { EngineResource, UNKNOWN } from "./engineResources";
import { InputError } from "./errors";

/** The `__pulumi` signature key and values of the special objects a state file may hold (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG = {
    secret: "1b47061264138c4ac30d75fd1eb44270",
    asset: "c44067f5952c0a294b673a41bacd8c17",
    archive: "0def7320c3a5731c473e5ecbe6d01bc7",
    resourceReference: "5cf8f73096256a8f31e491e813e4eb8e",
    outputValue: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
} as const;

export interface StackExport {
    /** Every resource to judge, in the state's order (dependencies first). */
    readonly resources: EngineResource[];
    /** Project and stack, from the root stack resource's URN (or the first URN). */
    readonly project: string;
    readonly stack: string;
    /** Old copies (`delete: true`) left out, as the engine leaves them out. */
    readonly pendingDeletion: number;
    /** Secrets that carried only ciphertext: judged as unknown values. */
    readonly encryptedSecrets: number;
}

interface Counters {
    encryptedSecrets: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Splits `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; undefined when it is not a URN. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
    if (!urn.startsWith("urn:pulumi:")) return undefined;
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) return undefined;
    const [stack, project, qualifiedType] = parts;
    // A name may itself contain "::".
    const name = parts.slice(3).join("::");
    const type = qualifiedType.split("$").pop() ?? qualifiedType;
    return stack && project && type ? { stack, project, type, name } : undefined;
}

/**
 * A state value as the engine would hand it to a pack. The engine decrypts secrets and sends their plaintext; offline
 * only a `--show-secrets` export has it. A secret with ciphertext only becomes the engine's unknown sentinel: a value
 * the pack cannot know, which it reports as not evaluated. (`@pulumi/policy` cannot receive the secret object itself:
 * its deserialiser throws on a secret without `value`, and on resource references.)
 */
function engineValue(value: unknown, counters: Counters, where: string): unknown {
    if (Array.isArray(value)) return value.map((v, i) => engineValue(v, counters, `${where}[${i}]`));
    if (!isObject(value)) return value;
    const sig = value[SIG_KEY];
    if (sig === undefined) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = engineValue(v, counters, `${where}.${k}`);
        return out;
    }
    switch (sig) {
        case SIG.secret:
            if (typeof value.plaintext === "string") {
                let plain: unknown;
                try {
                    plain = JSON.parse(value.plaintext);
                } catch {
                    throw new InputError(`${where}: the plaintext of a secret is not JSON`);
                }
                return engineValue(plain, counters, where);
            }
            if ("value" in value) return engineValue(value.value, counters, where);
            counters.encryptedSecrets++;
            return UNKNOWN;
        case SIG.asset:
        case SIG.archive:
            // The SDK rebuilds an asset from its path, text or uri (an archive also from its assets); one it cannot
            // rebuild would abort every policy, and no policy here reads assets.
            return value.path || value.text || value.uri || isObject(value.assets) ? value : UNKNOWN;
        case SIG.resourceReference:
            // What the engine sends when it does not keep resource references: a custom resource's ID, else its URN.
            return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
        case SIG.outputValue:
            return "value" in value ? engineValue(value.value, counters, where) : UNKNOWN;
        default:
            return UNKNOWN;
    }
}

function stringList(value: unknown, where: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new InputError(`${where} is not a list of URNs`);
    return value as string[];
}

/** A provider reference is `<provider URN>::<provider ID>`. */
function providerUrnOf(reference: string): string {
    const at = reference.lastIndexOf("::");
    return at > 0 ? reference.slice(0, at) : reference;
}

/** Parses the text of a `pulumi stack export`; `source` names it in error messages. */
export function readStackExport(text: string, source: string): StackExport {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new InputError(`${source} is not valid JSON: ${(e as Error).message}`);
    }
    if (!isObject(doc) || !isObject(doc.deployment) || !Array.isArray(doc.deployment.resources)) {
        throw new InputError(`${source} is not a \`pulumi stack export\` file: it has no deployment.resources list`);
    }
    // pulumi reads deployment versions 1 to 3 (apitype.DeploymentSchemaVersionCurrent is 3).
    if (typeof doc.version !== "number" || doc.version < 1 || doc.version > 3) {
        throw new InputError(`${source} has deployment version ${JSON.stringify(doc.version)}; ecs-role-guard reads versions 1 to 3`);
    }

    const counters: Counters = { encryptedSecrets: 0 };
    let pendingDeletion = 0;
    const states: Record<string, unknown>[] = [];
    doc.deployment.resources.forEach((r: unknown, i: number) => {
        const where = `${source}: resource ${i}`;
        if (!isObject(r)) throw new InputError(`${where} is not an object`);
        if (typeof r.urn !== "string" || !parseUrn(r.urn)) throw new InputError(`${where} has no valid urn`);
        if (typeof r.type !== "string" || r.type === "") throw new InputError(`${where} (${r.urn}) has no type`);
        for (const key of ["inputs", "outputs", "propertyDependencies"]) {
            if (r[key] !== undefined && r[key] !== null && !isObject(r[key])) throw new InputError(`${where} (${r.urn}): ${key} is not an object`);
        }
        if (r.delete === true) pendingDeletion++;
        else states.push(r);
    });

    const providers = new Map<string, { urn: string; type: string; name: string; properties: Record<string, unknown> }>();
    const resources: EngineResource[] = states.map((r) => {
        const urn = r.urn as string;
        const parsed = parseUrn(urn)!;
        const inputs = engineValue(r.inputs ?? {}, counters, `${urn} inputs`) as Record<string, unknown>;
        const outputs = engineValue(r.outputs ?? {}, counters, `${urn} outputs`) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of Object.entries((r.propertyDependencies as Record<string, unknown> | undefined) ?? {})) {
            propertyDependencies[k] = stringList(v, `${urn} propertyDependencies.${k}`);
        }
        const resource: EngineResource = {
            urn,
            type: r.type as string,
            name: parsed.name,
            inputs,
            outputs,
            dependencies: stringList(r.dependencies, `${urn} dependencies`),
            propertyDependencies,
            ...(typeof r.parent === "string" && r.parent !== "" ? { parent: r.parent } : {}),
            options: {
                protect: r.protect === true,
                ...(Array.isArray(r.ignoreChanges) ? { ignoreChanges: stringList(r.ignoreChanges, `${urn} ignoreChanges`) } : {}),
                ...(Array.isArray(r.additionalSecretOutputs)
                    ? { additionalSecretOutputs: stringList(r.additionalSecretOutputs, `${urn} additionalSecretOutputs`) }
                    : {}),
            },
        };
        if (resource.type.startsWith("pulumi:providers:")) {
            providers.set(urn, { urn, type: resource.type, name: parsed.name, properties: inputs });
        }
        return resource;
    });
    // A resource names its provider by reference; the provider comes earlier in the state, but look it up afterwards.
    states.forEach((r, i) => {
        if (typeof r.provider === "string" && r.provider !== "") {
            const provider = providers.get(providerUrnOf(r.provider));
            if (provider) resources[i].provider = provider;
        }
    });

    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0];
    const id = root ? parseUrn(root.urn)! : { project: "project", stack: "stack" };
    return {
        resources,
        project: id.project,
        stack: id.stack,
        pendingDeletion,
        encryptedSecrets: counters.encryptedSecrets,
    };
}
