// A stack's config, read as the Pulumi CLI reads it before it runs a program:
// - `Pulumi.yaml` `config:`: a project key (`name`, or `<project>:name`) is a default, in the short form
//   (`name: value`) or as `{ type, default, secret, description }`; a project key with a `type` and no `default` is
//   required. A key of another namespace (`aws:region: us-west-2`, or `{ value: ... }`) is a value.
// - `Pulumi.<stack>.yaml` `config:` (in `stackConfigDir` when Pulumi.yaml names one): values, over the defaults.
//   `secure:` values are encrypted with the stack's secrets provider, which a check cannot open: they are secrets
//   with a placeholder value, and a note says so. Objects and lists are passed as JSON, as Pulumi passes them.
// - `--config key=value` over both.
// A key without a namespace belongs to the project.

import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { InputError } from "./errors";

export interface StackConfig {
    /** `namespace:key` → value, as PULUMI_CONFIG carries it. */
    readonly values: Record<string, string>;
    /** The keys whose values are secrets (PULUMI_CONFIG_SECRET_KEYS). */
    readonly secretKeys: string[];
    /** Where the stack's own config lives, whether or not it exists: where a missing key goes. */
    readonly stackFile: string;
    readonly notes: string[];
}

/** The value a `secure:` config value stands for: the check cannot decrypt it. */
export const SECURE_PLACEHOLDER = "[secret]";

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A config value as PULUMI_CONFIG carries it: text as given, other scalars as text, objects and lists as JSON. */
function asConfigValue(v: unknown): string {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return JSON.stringify(v);
}

function readYaml(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new InputError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    if (parsed === undefined || parsed === null) return {};
    if (!isObject(parsed)) throw new InputError(`${file} must be a YAML mapping`);
    return parsed;
}

/** The stack config for `project` and `stack`, from the project's files (when there is a project directory) and `overrides`. */
export function readStackConfig(projectDir: string | undefined, project: string, stack: string, overrides: Record<string, string>): StackConfig {
    const qualify = (key: string): string => (key.includes(":") ? key : `${project}:${key}`);
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const notes: string[] = [];
    const required = new Map<string, string>();

    const projectFile = projectDir ? ["Pulumi.yaml", "Pulumi.yml"].map((n) => path.join(projectDir, n)).find((f) => fs.existsSync(f)) : undefined;
    const projectYaml = projectFile ? readYaml(projectFile) : {};
    const configDir = typeof projectYaml.stackConfigDir === "string" ? path.resolve(projectDir!, projectYaml.stackConfigDir) : (projectDir ?? process.cwd());
    const stackFile =
        ["yaml", "yml"].map((ext) => path.join(configDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f)) ??
        path.join(configDir, `Pulumi.${stack}.yaml`);

    const declared = projectYaml.config;
    if (declared !== undefined && declared !== null) {
        if (!isObject(declared)) throw new InputError(`${projectFile}: config must be a mapping of keys`);
        for (const [key, entry] of Object.entries(declared)) {
            const full = qualify(key);
            const ownKey = full.startsWith(`${project}:`);
            if (!isObject(entry)) {
                values[full] = asConfigValue(entry);
                continue;
            }
            if ("value" in entry) values[full] = asConfigValue(entry.value);
            else if ("default" in entry) values[full] = asConfigValue(entry.default);
            else if (ownKey && "type" in entry) required.set(full, key);
            else if (!ownKey) values[full] = asConfigValue(entry);
            if (entry.secret === true) secretKeys.add(full);
        }
    }

    if (fs.existsSync(stackFile)) {
        const stackYaml = readYaml(stackFile);
        if (stackYaml.environment !== undefined)
            notes.push(`${path.basename(stackFile)} imports ESC environments, which a check cannot open: their values are not set`);
        const config = stackYaml.config;
        if (config !== undefined && config !== null) {
            if (!isObject(config)) throw new InputError(`${stackFile}: config must be a mapping of keys`);
            for (const [key, value] of Object.entries(config)) {
                const full = qualify(key);
                if (isObject(value) && typeof value.secure === "string") {
                    if (overrides[key] === undefined && overrides[full] === undefined) {
                        values[full] = SECURE_PLACEHOLDER;
                        notes.push(
                            `config ${full} is encrypted (secure:) in ${path.basename(stackFile)}: the check uses the placeholder "${SECURE_PLACEHOLDER}" as its value (--config ${full}=<value> gives the real one)`,
                        );
                    }
                    secretKeys.add(full);
                } else {
                    values[full] = asConfigValue(value);
                }
            }
        }
    } else if (projectDir) {
        const others = fs
            .readdirSync(configDir)
            .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
            .filter((s): s is string => s !== undefined);
        if (others.length > 0)
            notes.push(`there is no ${path.basename(stackFile)}; this project has config for the stacks ${others.join(", ")} (--stack selects one)`);
    }

    for (const [key, value] of Object.entries(overrides)) values[qualify(key)] = value;

    const missing = [...required].filter(([full]) => values[full] === undefined);
    if (missing.length > 0) {
        const [full, key] = missing[0];
        throw new InputError(
            `${path.basename(projectFile!)} declares the config key ${full} without a default, and the stack does not set it: ` +
                `set it in ${path.relative(process.cwd(), stackFile) || stackFile} (config: ${full}: <value>), or pass --config ${key}=<value>` +
                (missing.length > 1
                    ? ` (also missing: ${missing
                          .slice(1)
                          .map(([f]) => f)
                          .join(", ")})`
                    : ""),
        );
    }
    return { values, secretKeys: [...secretKeys], stackFile, notes };
}
