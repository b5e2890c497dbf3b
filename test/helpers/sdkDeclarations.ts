import * as fs from "fs";
import * as path from "path";

/**
 * The resource types of an installed Pulumi SDK, read from its own files: each resource class's
 * `__pulumiType` token, the input properties its constructor copies from its args, the outputs it
 * declares, and, from the type declarations, the properties of every input type its args reach, at
 * any depth. Read as text: loading the SDKs would take seconds and teach nothing more.
 */
export interface SdkType {
    readonly type: string;
    readonly sdk: string;
    /** Top-level input properties. */
    readonly inputs: readonly string[];
    /** Output-only properties (computed by the provider). */
    readonly outputs: readonly string[];
    /** Properties of the input types the args reach, as `Type.property`. */
    readonly nested: readonly string[];
}

const SDKS = ["@pulumi/aws", "@pulumi/aws-native"] as const;

export function sdkTypes(): SdkType[] {
    return SDKS.flatMap(readSdk);
}

/** The version of each SDK read, for messages. */
export function sdkVersions(): Record<string, string> {
    return Object.fromEntries(
        SDKS.map((sdk) => [sdk, (JSON.parse(fs.readFileSync(require.resolve(`${sdk}/package.json`), "utf8")) as { version: string }).version]),
    );
}

function readSdk(sdk: string): SdkType[] {
    const root = path.dirname(require.resolve(`${sdk}/package.json`));
    const inputTypes = interfaces(fs.readFileSync(path.join(root, "types", "input.d.ts"), "utf8"));
    const types: SdkType[] = [];
    for (const module of fs.readdirSync(root)) {
        const dir = path.join(root, module);
        if (["types", "config", "node_modules"].includes(module) || !fs.statSync(dir).isDirectory()) continue;
        for (const file of fs.readdirSync(dir)) {
            if (!file.endsWith(".js")) continue;
            const source = fs.readFileSync(path.join(dir, file), "utf8");
            const token = /static __pulumiType = '([^']+)'/.exec(source)?.[1];
            if (token === undefined) continue;
            const inputs = new Set<string>();
            const outputs = new Set<string>();
            for (const [, name] of source.matchAll(/resourceInputs\["(\w+)"\] = args\?\.\w+/g)) inputs.add(name);
            for (const [, name] of source.matchAll(/resourceInputs\["(\w+)"\] = (?:undefined \/\*out\*\/|state\?\.\w+)/g))
                if (!inputs.has(name)) outputs.add(name);
            const declarations = path.join(dir, file.replace(/\.js$/, ".d.ts"));
            const args = fs.existsSync(declarations)
                ? [...interfaces(fs.readFileSync(declarations, "utf8")).values()].find((i) => i.name.endsWith("Args"))
                : undefined;
            types.push({ type: token, sdk, inputs: [...inputs], outputs: [...outputs], nested: args ? reachable(args.refs, inputTypes) : [] });
        }
    }
    return types;
}

interface Interface {
    readonly name: string;
    readonly properties: string[];
    /** The input types it names: `inputs.<module>.<Type>` */
    readonly refs: string[];
}

/** Every interface of a declaration file, by its namespaced name, with its properties and the input types it names. */
function interfaces(text: string): Map<string, Interface> {
    const found = new Map<string, Interface>();
    let namespace = "";
    let current: (Interface & { indent: string }) | undefined;
    for (const line of text.split("\n")) {
        const ns = /^export declare namespace (\w+) \{/.exec(line);
        if (ns) {
            namespace = ns[1];
            continue;
        }
        if (current === undefined) {
            const start = /^(\s*)(?:export )?interface (\w+) \{/.exec(line);
            if (start) current = { name: namespace ? `${namespace}.${start[2]}` : start[2], properties: [], refs: [], indent: start[1] };
            continue;
        }
        if (line === `${current.indent}}`) {
            found.set(current.name, current);
            current = undefined;
            continue;
        }
        const property = new RegExp(`^${current.indent}    (?:readonly )?(\\w+)\\??:`).exec(line);
        if (property) current.properties.push(property[1]);
        for (const [, ref] of line.matchAll(/inputs\.([\w.]+)/g)) current.refs.push(ref);
    }
    return found;
}

function reachable(refs: readonly string[], inputTypes: ReadonlyMap<string, Interface>): string[] {
    const seen = new Set<string>();
    const properties: string[] = [];
    const visit = (ref: string) => {
        if (seen.has(ref)) return;
        seen.add(ref);
        const found = inputTypes.get(ref);
        if (found === undefined) return;
        for (const p of found.properties) properties.push(`${ref}.${p}`);
        found.refs.forEach(visit);
    };
    refs.forEach(visit);
    return properties;
}
