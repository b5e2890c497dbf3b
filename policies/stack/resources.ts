import { PolicyResource } from "@pulumi/policy";
import { types } from "util";
import { DOORS, isDoorProperty, isIamType } from "./doors";

/**
 * Resources as the pack reads them: plain values, with the engine's unknown sentinels left in
 * place so that they can be told apart from what is known. Reading through `@pulumi/policy`'s
 * proxy would throw on the first unknown and abandon the whole policy, so props are unwrapped here,
 * once, and never read through the proxy.
 */
export interface StackResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Readonly<Record<string, unknown>>;
    /** The parent's URN and every URN the resource depends on, as the engine records them; the model reads neither. */
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    /** Input property name to the URNs it depends on; empty for state that predates them. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** The URN of the provider that manages it: two providers may stand for two accounts. */
    readonly provider?: string;
}

/**
 * The engine's sentinels for values not known during a preview. The engine itself sends the
 * string one for every type; the others are what `@pulumi/pulumi` writes for typed unknowns.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** The signature key of a serialised secret in state files (`pulumi stack export`). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A value the pack cannot know: a preview unknown, or a secret still encrypted. */
export function isUnknown(value: unknown): boolean {
    if (typeof value === "string") return UNKNOWN_SENTINELS.has(value);
    return isEncryptedSecret(value);
}

/** A secret whose value the pack was not given: `ciphertext` alone, neither its `plaintext` nor its `value`. */
export function isEncryptedSecret(value: unknown): boolean {
    return isSecret(value) && !Object.prototype.hasOwnProperty.call(value, "plaintext") && !Object.prototype.hasOwnProperty.call(value, "value");
}

function isSecret(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, SECRET_SIGNATURE);
}

/**
 * A value as the model reads it. A secret as the engine marshals one (`value`) or as a state file
 * writes it with `--show-secrets` (`plaintext`, the JSON text of the value) holds a value the pack
 * reads like any other; an encrypted one stays as it is (isUnknown), and so does one whose
 * plaintext is not JSON, which its reader reports as it reports any value it cannot read.
 * `@pulumi/policy` and `audit` hand the pack plain values: a wrapped one comes only from other
 * callers of the model, and is read the same.
 */
export function plain(value: unknown): unknown {
    let v = value;
    // A secret of a secret is unwrapped too, a few levels deep at most.
    for (let depth = 0; depth < 4 && isSecret(v); depth++) {
        if (Object.prototype.hasOwnProperty.call(v, "value")) {
            v = v.value;
        } else if (typeof v.plaintext === "string") {
            try {
                v = JSON.parse(v.plaintext);
            } catch {
                return v;
            }
        } else {
            return v;
        }
    }
    return v;
}

/** `@pulumi/policy` hands back the object behind its unknown-checking proxy under this key. */
const PROXY_TARGET_KEY = "__getSpecialProxyTarget";

/** The plain object behind `@pulumi/policy`'s props proxy; a plain object is returned as it is. */
export function unwrapProps(props: unknown): Record<string, unknown> {
    if (typeof props !== "object" || props === null) return {};
    if (!types.isProxy(props)) return props as Record<string, unknown>;
    try {
        // The SDK's proxy answers this key with its target before it looks at the target's own keys.
        const target: unknown = (props as Record<string, unknown>)[PROXY_TARGET_KEY];
        if (typeof target === "object" && target !== null && !types.isProxy(target)) return target as Record<string, unknown>;
    } catch {
        // A proxy of another make: fall back to copying own properties without invoking its get trap.
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(props)) {
        copy[key] = Object.getOwnPropertyDescriptor(props, key)?.value;
    }
    return copy;
}

const NO_DEPENDENCIES: StackResource["propertyDependencies"] = Object.freeze({});

/**
 * The resources of the given types as a validateStack call sees them, read without tripping the
 * unknown proxy, each with only the given properties and their dependencies: what reads them can
 * see nothing else. The values are the SDK's own, by reference, not copies. A resource of a type
 * neither given nor in the table of doors is kept, without its properties, when it may be a door
 * of a provider newer than the pinned one (see `foreignDoorKeys`).
 */
export function fromPolicyResources(resources: readonly PolicyResource[], properties: ReadonlyMap<string, readonly string[]>): StackResource[] {
    const read: StackResource[] = [];
    for (const r of resources) {
        const keys = properties.get(r.type);
        const dependencies = r.propertyDependencies ?? {};
        if (keys === undefined) {
            const foreign = foreignDoorKeys(r.type, dependencies);
            if (foreign === undefined) continue;
            const propertyDependencies: Record<string, string[]> = {};
            for (const key of foreign) propertyDependencies[key] = (prop(dependencies, key) as PolicyResource[]).map((d) => d.urn);
            read.push({ urn: r.urn, type: r.type, name: r.name, props: NO_PROPS, propertyDependencies, provider: r.provider?.urn });
            continue;
        }
        const all = unwrapProps(r.props);
        const props: Record<string, unknown> = {};
        let propertyDependencies: Record<string, string[]> | undefined;
        for (const key of keys) {
            if (Object.prototype.hasOwnProperty.call(all, key)) props[key] = all[key];
            // No dependencies is the same as an empty list to every reader: neither is kept.
            const deps = prop(dependencies, key);
            if (Array.isArray(deps) && deps.length > 0) (propertyDependencies ??= {})[key] = deps.map((d: PolicyResource) => d.urn);
        }
        read.push({ urn: r.urn, type: r.type, name: r.name, props, propertyDependencies: propertyDependencies ?? NO_DEPENDENCIES, provider: r.provider?.urn });
    }
    return read;
}

const NO_PROPS: StackResource["props"] = Object.freeze({});

/**
 * For a type the table of doors does not know, the properties with dependencies that the rule of
 * doors selects (all of them for a type of an `iam` module); undefined when there are none. Such a
 * resource may give a role permissions in a way the pack cannot read; the model reports it when it
 * depends on a role in use. Looked at through the dependencies alone: a property that depends on
 * nothing cannot be tied to a role of this stack without reading it, and reading the properties of
 * every resource of a large stack would cost what the model saves by reading only its own types.
 */
export function foreignDoorKeys(type: string, dependencies: Readonly<Record<string, readonly unknown[]>>): string[] | undefined {
    if (Object.prototype.hasOwnProperty.call(DOORS, type)) return undefined;
    let keys: string[] | undefined;
    for (const key in dependencies) {
        if (!Object.prototype.hasOwnProperty.call(dependencies, key)) continue;
        const deps = dependencies[key];
        if (Array.isArray(deps) && deps.length > 0 && (isIamType(type) || doorProperty(key))) (keys ??= []).push(key);
    }
    return keys;
}

/** The rule's answer per property name: names repeat across a stack's resources. */
const doorProperties = new Map<string, boolean>();

function doorProperty(key: string): boolean {
    let answer = doorProperties.get(key);
    if (answer === undefined) {
        answer = isDoorProperty(key);
        if (doorProperties.size < 10_000) doorProperties.set(key, answer);
    }
    return answer;
}

/** An own property of a props object, never one of its prototype's, with any secret around it taken off (see `plain`). */
export function prop(props: Readonly<Record<string, unknown>>, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(props, key) ? plain(props[key]) : undefined;
}

/**
 * The value at a path of own properties (`definition.iamActionDefinition.roles`): undefined where a
 * step is missing, and the unknown value itself where a step is not known, so that a reader tells
 * "not set" from "not known yet". A step that holds something other than an object (a string, a
 * list) is given as the value, for the reader to report as what it cannot read: a grant behind a
 * malformed value is said, never dropped.
 */
export function valueAt(props: Readonly<Record<string, unknown>>, path: string): unknown {
    // Most paths are one property: read without splitting, as this runs for every grant of a stack.
    if (!path.includes(".")) return prop(props, path);
    let value: unknown = props;
    for (const step of path.split(".")) {
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "object" || Array.isArray(value)) return value;
        value = prop(value as Record<string, unknown>, step);
        if (isUnknown(value)) return value;
    }
    return value;
}

/**
 * Every value at a path whose `[]` steps read each element of a list
 * (`replicas[].resourcePolicy.policyDocument`), with where each was found; missing ones are left out.
 * A value that should be a list and is not, or an element that is not an object, is given as it is,
 * for the reader to report.
 */
export function valuesAt(props: Readonly<Record<string, unknown>>, path: string): { readonly at: string; readonly value: unknown }[] {
    const [head, ...rest] = path.split("[].");
    let found: { at: string; value: unknown }[] = [{ at: head, value: valueAt(props, head) }];
    for (const step of rest) {
        found = found.flatMap(({ at, value }) => {
            if (value === undefined || value === null) return [];
            if (!Array.isArray(value)) return [{ at, value }];
            return value.map((entry: unknown, i) => {
                const element = plain(entry);
                const inside = isUnknown(element) || typeof element !== "object" || element === null || Array.isArray(element);
                return inside ? { at: `${at}[${i}]`, value: element } : { at: `${at}[${i}].${step}`, value: valueAt(element as Record<string, unknown>, step) };
            });
        });
    }
    return found.filter(({ value }) => value !== undefined && value !== null);
}

/** What a path of a resource depends on: the engine records dependencies per top-level property. */
export function dependenciesAt(r: StackResource, path: string): readonly string[] {
    return (prop(r.propertyDependencies, path.split(/[.[]/)[0]) as readonly string[] | undefined) ?? [];
}

/** What a finding needs of a resource: where to report, and how to name it. */
export interface ResourceRef {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly provider?: string;
}

export function refOf(r: StackResource): ResourceRef {
    return { urn: r.urn, type: r.type, name: r.name, provider: r.provider };
}

/** A known, non-empty string, or undefined. */
export function knownString(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknown(v) ? v : undefined;
}

/** How a program names a type: `aws.iam.RolePolicy` for `aws:iam/rolePolicy:RolePolicy`, `awsnative.iam.Role` for `aws-native:iam:Role`. */
export function shortType(type: string): string {
    let short = shortTypes.get(type);
    if (short === undefined) {
        short = spell(type);
        shortTypes.set(type, short);
    }
    return short;
}

const shortTypes = new Map<string, string>();

function spell(type: string): string {
    const parts = type.split(":");
    if (parts.length !== 3) return type;
    const namespace = { aws: "aws", "aws-native": "awsnative" }[parts[0]];
    const module = parts[1].split("/")[0];
    return namespace && module ? `${namespace}.${module}.${parts[2]}` : type;
}
