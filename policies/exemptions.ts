import { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { Finding, flattened } from "./format";
import { matchesResource } from "./iam/actionPattern";
import { isPlainObject } from "./iam/policyDocument";

/**
 * Exemptions: a controlled way to let a justified case through. Each names what it covers (a
 * resource URN, a role name or ARN, a task definition family; globs with `*` and `?`), why, and
 * until when. A used exemption is still reported, as an advisory, so it stays in sight; an
 * expired one no longer applies and says so.
 */
export interface Exemption {
    readonly resource?: string;
    readonly role?: string;
    readonly family?: string;
    readonly reason: string;
    readonly expires?: string;
}

/** ISO 8601: a date, or a date and time; RE2-compatible, as the CLI's schema validator needs. */
const ISO_8601 =
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$";

const glob = (what: string) => ({ type: "string" as const, minLength: 1, description: `${what}; * and ? are wildcards.` });

export const exemptionsProperty = {
    type: "array",
    default: [],
    description:
        "Findings this policy lets through, each with the reason and an optional expiry: { resource?: URN glob, role?: role name or ARN glob, family?: task definition family glob, reason, expires?: ISO 8601 date }. Every matcher given must match.",
    items: {
        type: "object",
        additionalProperties: false,
        required: ["reason"],
        properties: {
            resource: glob("The URN of the resource a finding is reported against"),
            role: glob("The name (as AWS or the Pulumi program names it) or ARN of the role a finding concerns"),
            family: glob("The family (or Pulumi name) of a task definition a finding concerns"),
            reason: { type: "string", minLength: 1, description: "Why the finding is accepted: shown with every use." },
            expires: { type: "string", pattern: ISO_8601, description: "The last day (or moment) the exemption applies." },
        },
        // At least one matcher: an exemption that names nothing would silence the whole policy.
        anyOf: [{ required: ["resource"] }, { required: ["role"] }, { required: ["family"] }],
    },
} as unknown as PolicyConfigSchema["properties"][string];

/** When an exemption stops applying: the end of its day for a date, the moment for a date and time. */
export function expiryOf(expires: string): Date | undefined {
    if (!new RegExp(ISO_8601).test(expires)) return undefined;
    const date = new Date(expires.length === 10 ? `${expires}T23:59:59.999Z` : expires);
    if (Number.isNaN(date.getTime())) return undefined;
    // Date rolls 2027-02-30 over into March: a day the calendar does not have is no date.
    const [y, m, d] = expires.slice(0, 10).split("-").map(Number);
    const day = new Date(Date.UTC(y, m - 1, d));
    return day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? date : undefined;
}

function readExemptions(given: unknown): Exemption[] {
    if (!Array.isArray(given)) return [];
    return given.filter(
        (e): e is Exemption =>
            isPlainObject(e) &&
            typeof e.reason === "string" &&
            e.reason !== "" &&
            ["resource", "role", "family"].some((k) => typeof e[k] === "string") &&
            ["resource", "role", "family", "expires"].every((k) => e[k] === undefined || typeof e[k] === "string"),
    );
}

function matches(exemption: Exemption, finding: Finding): boolean {
    const any = (pattern: string | undefined, values: readonly string[]) => pattern === undefined || values.some((v) => matchesResource(pattern, v));
    return any(exemption.resource, [finding.urn]) && any(exemption.role, finding.roles ?? []) && any(exemption.family, finding.families ?? []);
}

export interface Judged {
    /** Findings to report at the policy's level. */
    readonly violations: readonly Finding[];
    /** Findings an exemption let through: reported as advisories, so they stay visible. */
    readonly exempted: readonly Finding[];
}

export function applyExemptions(findings: readonly Finding[], given: unknown, now: Date = new Date()): Judged {
    const exemptions = readExemptions(given);
    if (exemptions.length === 0) return { violations: findings, exempted: [] };
    const violations: Finding[] = [];
    const exempted: Finding[] = [];
    for (const finding of findings) {
        const matching = exemptions.filter((e) => matches(e, finding));
        const live = matching.find((e) => e.expires === undefined || (expiryOf(e.expires)?.getTime() ?? -Infinity) >= now.getTime());
        if (live) {
            const until = live.expires ? `until ${live.expires}` : "with no expiry";
            exempted.push({ ...finding, message: `Exempted (${JSON.stringify(live.reason)}, ${until}): ${finding.message}` });
            continue;
        }
        const lapsed = matching.map(
            (e) =>
                `${JSON.stringify(e.reason)} ${expiryOf(e.expires ?? "") ? `expired on ${e.expires}` : `has an expiry that is not a date (${JSON.stringify(e.expires)})`}`,
        );
        violations.push(
            lapsed.length === 0 ? finding : { ...finding, message: `${finding.message} An exemption for it no longer applies: ${lapsed.join("; ")}.` },
        );
    }
    return { violations, exempted };
}

/** A policy's config as the CLI gives it. A pack composing these policies may call them with hand-made args, without one. */
export function givenConfig(args: { readonly getConfig?: unknown }): unknown {
    return typeof args.getConfig === "function" ? (args.getConfig as () => unknown)() : undefined;
}

/** Reports a policy's findings as the CLI shows them, after the exemptions of its config (as given: no config, no exemptions). */
export function reportFindings(findings: readonly Finding[], config: unknown, reportViolation: ReportViolation): void {
    const given = typeof config === "object" && config !== null ? (config as { exemptions?: unknown }).exemptions : undefined;
    const { violations, exempted } = applyExemptions(findings, given);
    // @pulumi/policy takes a diagnostic object too, with its own level: an exempted finding is advisory whatever the policy's level.
    // Every finding goes as an object: the SDK then sends the message as written, with the policy's description in its own
    // field, rather than the description again at the head of each message (which, for thousands of findings in a large
    // stack, is most of what it serialises).
    const reportDiagnostic = reportViolation as unknown as (d: { message: string; urn: string; enforcementLevel?: "advisory" }) => void;
    for (const f of violations) {
        const message = flattened(f.message);
        reportDiagnostic(f.advisory ? { message, urn: f.urn, enforcementLevel: "advisory" } : { message, urn: f.urn });
    }
    for (const f of exempted) reportDiagnostic({ message: flattened(f.message), urn: f.urn, enforcementLevel: "advisory" });
}
