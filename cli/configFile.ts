// A `--policy-pack-config` file as check and audit read it: what the Pulumi CLI would reject, rejected the same way,
// and the mistakes it would let pass in silence or word in JSON Schema's terms, said in plain words, naming the file.

import { didYouMean } from "../policies/config";
import { expiryOf } from "../policies/exemptions";
import { policies } from "../policies";
import { InputError } from "./errors";
import { readTextInput } from "./input";
import { parsePolicyConfig, PolicyConfigFile } from "./policyConfig";

/**
 * Reads a config file as the CLI does (blank means no config; the format of `--policy-pack-config`), then checks what
 * only this pack can: every key names one of its policies (the CLI sends an entry for a name the pack lacks on to
 * Configure, which ignores it when it has a level), and every exemption can apply. Anything wrong is an InputError
 * that names the file and each mistake.
 */
export function readPolicyPackConfig(file: string): PolicyConfigFile | undefined {
    const text = readTextInput(file, "policy pack config");
    if (text.trim() === "") return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new InputError(`policy pack config ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new InputError(`policy pack config ${file} must be a JSON object of policy names`);
    }
    try {
        parsePolicyConfig(parsed as Record<string, unknown>);
    } catch (e) {
        throw new InputError(`invalid policy pack config ${file}: ${(e as Error).message}`);
    }
    const mistakes = configMistakes(parsed as Record<string, unknown>);
    if (mistakes.length > 0) throw new InputError(`invalid policy pack config ${file}: ${mistakes.join("; ")}`);
    return parsed as PolicyConfigFile;
}

const EXEMPTION_KEYS = ["resource", "role", "family", "reason", "expires"];
const MATCHERS = ["resource", "role", "family"];

/** What is wrong with a parsed config file, each mistake a phrase that names the policy and the entry. */
export function configMistakes(config: Readonly<Record<string, unknown>>): string[] {
    const names = policies.map((p) => p.name);
    const mistakes: string[] = [];
    for (const [key, entry] of Object.entries(config)) {
        if (key === "all") continue;
        if (!names.includes(key)) {
            const meant = didYouMean(key, names);
            mistakes.push(`"${key}" is not a policy of ecs-role-guard${meant ? `: did you mean "${meant}"?` : ` (its policies: ${names.join(", ")})`}`);
            continue;
        }
        const exemptions = typeof entry === "object" && entry !== null ? (entry as { exemptions?: unknown }).exemptions : undefined;
        if (Array.isArray(exemptions)) exemptions.forEach((e, i) => mistakes.push(...exemptionMistakes(`${key}: exemptions[${i}]`, e)));
    }
    return mistakes;
}

function exemptionMistakes(at: string, exemption: unknown): string[] {
    if (typeof exemption !== "object" || exemption === null || Array.isArray(exemption)) {
        return [`${at} must be an object such as { "role": "legacy-*", "reason": "INC-123: until the split", "expires": "2027-01-31" }`];
    }
    const e = exemption as Record<string, unknown>;
    const mistakes: string[] = [];
    for (const key of Object.keys(e)) {
        if (EXEMPTION_KEYS.includes(key)) {
            if (typeof e[key] !== "string") mistakes.push(`${at}.${key} must be a string`);
            else if (e[key] === "") mistakes.push(`${at}.${key} is empty`);
            continue;
        }
        const meant = didYouMean(key, EXEMPTION_KEYS);
        mistakes.push(
            `${at} has "${key}", which an exemption does not take${meant ? `: did you mean "${meant}"?` : ` (it takes ${EXEMPTION_KEYS.join(", ")})`}`,
        );
    }
    if (e.reason === undefined) mistakes.push(`${at} has no reason: say in "reason" why the finding is accepted`);
    if (MATCHERS.every((m) => e[m] === undefined)) {
        mistakes.push(`${at} names nothing to match: give it a "resource", "role" or "family" glob, or it would let every finding of the policy through`);
    }
    if (typeof e.expires === "string" && e.expires !== "" && expiryOf(e.expires) === undefined) {
        mistakes.push(
            /^\d{4}-\d{2}-\d{2}/.test(e.expires)
                ? `${at} expires on "${e.expires}", which is not a day of the calendar`
                : `${at} expires on "${e.expires}", which is not an ISO 8601 date such as 2027-01-31 or 2027-01-31T18:00:00Z`,
        );
    }
    return mistakes;
}
