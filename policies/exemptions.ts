import { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { Finding, flattened } from "./format";
import { matchesGlob } from "./iam/actionPattern";
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
    const any = (pattern: string | undefined, values: readonly string[]) => pattern === undefined || values.some((v) => matchesGlob(pattern, v));
    return any(exemption.resource, [finding.urn]) && any(exemption.role, finding.roles ?? []) && any(exemption.family, finding.families ?? []);
}

export interface Judged {
    /** Findings to report at the policy's level. */
    readonly violations: readonly Finding[];
    /** Findings an exemption let through: reported as advisories, so they stay visible. */
    readonly exempted: readonly Finding[];
    /** Exemptions that matched no finding: stale, or naming something that is not there. */
    readonly unused: readonly { readonly index: number; readonly exemption: Exemption }[];
}

/**
 * The clause that ends a finding's fix when an exemption could let it through. An exempted
 * finding drops it: it has been exempted already.
 */
export const OR_EXEMPT = ", or exempt this case with exemptions.";

export function applyExemptions(findings: readonly Finding[], given: unknown, now: Date = new Date()): Judged {
    const exemptions = readExemptions(given);
    if (exemptions.length === 0) return { violations: findings.filter((f) => !f.reportedElsewhere), exempted: [], unused: [] };
    const violations: Finding[] = [];
    const exempted: Finding[] = [];
    const used = new Set<Exemption>();
    for (const finding of findings) {
        const matching = exemptions.filter((e) => matches(e, finding));
        matching.forEach((e) => used.add(e));
        if (finding.reportedElsewhere) continue;
        const live = matching.find((e) => e.expires === undefined || (expiryOf(e.expires)?.getTime() ?? -Infinity) >= now.getTime());
        if (live) {
            const until = live.expires ? `until ${live.expires}` : "with no expiry";
            const message = finding.message.replace(OR_EXEMPT, ".");
            exempted.push({ ...finding, message: `Exempted (${JSON.stringify(live.reason)}, ${until}): ${message}` });
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
    const all = Array.isArray(given) ? (given as unknown[]) : [];
    const unused = exemptions.filter((e) => !used.has(e)).map((exemption) => ({ index: all.indexOf(exemption), exemption }));
    return { violations, exempted, unused };
}

/** `{ role: "legacy-*", family: "batch" }`: what an exemption names, for messages. */
function matchersOf(e: Exemption): string {
    const named = (["resource", "role", "family"] as const).flatMap((k) => (e[k] === undefined ? [] : [`${k}: ${JSON.stringify(e[k])}`]));
    return `{ ${named.join(", ")} }`;
}

/** An advisory on the stack for each exemption that matched nothing: it is stale, or misnames what it means. */
export function unusedExemptionFindings(unused: Judged["unused"]): Finding[] {
    return unused.map(({ index, exemption }) => ({
        urn: "",
        advisory: true,
        message:
            `This policy's exemptions[${index}] (${JSON.stringify(exemption.reason)}, matching ${matchersOf(exemption)}) matched no finding in this stack: ` +
            `it is stale, or it names the resource, role or family differently from the findings. Remove it, or correct what it matches.`,
    }));
}

/** A policy's config as the CLI gives it. A pack composing these policies may call them with hand-made args, without one. */
export function givenConfig(args: { readonly getConfig?: unknown }): unknown {
    return typeof args.getConfig === "function" ? (args.getConfig as () => unknown)() : undefined;
}

/**
 * Reports a policy's findings as the CLI shows them, after the exemptions of its config (as given:
 * no config, no exemptions). When the findings are the whole stack's, exemptions that matched none
 * of them are reported too; one resource's findings cannot tell that.
 */
export function reportFindings(findings: readonly Finding[], config: unknown, reportViolation: ReportViolation, wholeStack = false): void {
    const given = typeof config === "object" && config !== null ? (config as { exemptions?: unknown }).exemptions : undefined;
    const { violations, exempted, unused } = applyExemptions(findings, given);
    // @pulumi/policy takes a diagnostic object too, with its own level: an exempted finding is advisory whatever the policy's level.
    // Every finding goes as an object: the SDK then sends the message as written, with the policy's description in its own
    // field, rather than the description again at the head of each message (which, for thousands of findings in a large
    // stack, is most of what it serialises). A finding with no URN is about the stack as a whole.
    const reportDiagnostic = reportViolation as unknown as (d: { message: string; urn?: string; enforcementLevel?: "advisory" }) => void;
    const report = (f: Finding, advisory: boolean) => {
        const message = flattened(f.message);
        const urn = f.urn === "" ? undefined : f.urn;
        reportDiagnostic(advisory ? { message, urn, enforcementLevel: "advisory" } : { message, urn });
    };
    for (const f of violations) report(f, f.advisory === true);
    for (const f of exempted) report(f, true);
    if (wholeStack) for (const f of unusedExemptionFindings(unused)) report(f, true);
}
