// What the command found, and its three renderings: text like Pulumi's "Policy Violations:" summary, JSON, SARIF 2.1.0.

import { createHash } from "crypto";
import * as path from "path";
import { AnalyzerInfoSummary, Diagnostic, Severity } from "./analyzerClient";
import { EnforcementLevel, ReconciledPolicyConfig } from "./policyConfig";
import { parseUrn } from "./audit";
import { Phase } from "./options";

export interface Violation {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly severity?: Severity;
    readonly description: string;
    readonly message: string;
    /** The resource the engine attributes the finding to. */
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    /** Which RPC reported it: a resource policy in Analyze, a stack policy in AnalyzeStack. */
    readonly stage: "Analyze" | "AnalyzeStack";
}

/** A file a SARIF location can point at, with its text to find a resource's line in. */
export interface Artifact {
    readonly path: string;
    readonly text: string;
}

export interface Run {
    readonly kind: "check" | "audit";
    /** What was judged, as the user named it: a program directory, an export file, or "-" for stdin. */
    readonly source: string;
    readonly artifact?: Artifact;
    readonly phase: Phase;
    /** Resources sent to the pack, and how many reached Analyze before an update stopped. */
    readonly resources: number;
    readonly analysed: number;
    /** Resource URNs in the order they were analysed, to group findings in that order. */
    readonly order: readonly string[];
    readonly violations: readonly Violation[];
    readonly stackAnalyzed: boolean;
    /** The resource whose mandatory finding stopped an update, as `pulumi up` stops. */
    readonly stoppedAt?: string;
    readonly notes: readonly string[];
    /** Where the program creates each resource, by URN: the line of its `new ...(`. */
    readonly locations?: Readonly<Record<string, { readonly file: string; readonly line: number }>>;
}

export interface Report {
    readonly version: string;
    readonly pack: AnalyzerInfoSummary;
    readonly config: Record<string, ReconciledPolicyConfig>;
    readonly runs: readonly Run[];
}

export function toViolations(diagnostics: readonly Diagnostic[], stage: Violation["stage"]): Violation[] {
    return diagnostics.map((d) => {
        const parsed = parseUrn(d.urn);
        return {
            policyName: d.policyName,
            policyPackName: d.policyPackName,
            policyPackVersion: d.policyPackVersion,
            enforcementLevel: d.enforcementLevel,
            ...(d.severity ? { severity: d.severity } : {}),
            description: d.description,
            message: d.message,
            urn: d.urn,
            name: parsed?.name ?? d.urn,
            type: parsed?.type ?? "",
            stage,
        };
    });
}

/** What the policy reported, without the description the SDK puts before it. */
export function detailOf(v: Violation): string {
    const prefix = `${v.description}\n`;
    return v.message.startsWith(prefix) && v.message.length > prefix.length ? v.message.slice(prefix.length) : v.message;
}

export function countLevels(runs: readonly Run[]): { mandatory: number; advisory: number } {
    let mandatory = 0;
    let advisory = 0;
    for (const run of runs) {
        for (const v of run.violations) {
            if (v.enforcementLevel === "mandatory") mandatory++;
            else advisory++;
        }
    }
    return { mandatory, advisory };
}

const LEVEL_RANK: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2 };

/** Findings grouped by resource, resources in the order they were analysed, mandatory first within a resource. */
export function grouped(run: Run): { urn: string; violations: Violation[] }[] {
    const position = new Map(run.order.map((urn, i) => [urn, i]));
    const byUrn = new Map<string, Violation[]>();
    for (const v of run.violations) byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
    return [...byUrn]
        .sort(([a], [b]) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || a.localeCompare(b))
        .map(([urn, violations]) => ({
            urn,
            violations: [...violations].sort(
                (a, b) => (LEVEL_RANK[a.enforcementLevel] ?? 3) - (LEVEL_RANK[b.enforcementLevel] ?? 3) || a.policyName.localeCompare(b.policyName),
            ),
        }));
}

// ---------------------------------------------------------------------------------------------------------------
// Text

export interface Colours {
    red(s: string): string;
    yellow(s: string): string;
    bold(s: string): string;
    dim(s: string): string;
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
export const COLOURS: Colours = { red: ansi("31"), yellow: ansi("33"), bold: ansi("1"), dim: ansi("2") };
export const NO_COLOURS: Colours = { red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

function runTitle(run: Run): string {
    const what = run.kind === "audit" ? `audit of ${run.source === "-" ? "stdin" : run.source}` : run.source;
    const phase = run.phase === "preview" ? "preview of new resources" : run.kind === "audit" ? "deployed state, judged as an update" : "update";
    return `${what}: ${phase} (${plural(run.resources, "resource")})`;
}

function indent(text: string): string {
    return text
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n");
}

/** Pulumi's policy summary, one section per run: `[level]  pack vX  policy (name: type)`, description, message. */
export function renderText(report: Report, c: Colours): string {
    const out: string[] = [];
    for (const run of report.runs) {
        out.push(c.bold(runTitle(run)));
        for (const note of run.notes) out.push(c.dim(`    note: ${note}`));
        if (run.violations.length === 0) {
            out.push("    No policy violations.");
        } else {
            out.push("Policy Violations:");
            for (const group of grouped(run)) {
                for (const v of group.violations) {
                    const tag = `[${v.enforcementLevel}]  ${v.policyPackName} v${v.policyPackVersion}`;
                    const coloured = v.enforcementLevel === "mandatory" ? c.red(tag) : c.yellow(tag);
                    out.push(`    ${coloured}  ${v.policyName} (${v.name}: ${v.type})`);
                    // Pulumi prints the message whole: for a plain reportViolation the SDK puts the policy's description before it.
                    out.push(indent(v.message));
                }
                out.push("");
            }
            out.pop();
        }
        if (run.stoppedAt !== undefined) {
            const at = parseUrn(run.stoppedAt)?.name ?? run.stoppedAt;
            const rest = run.resources - run.analysed;
            const skipped = rest > 0 ? `${plural(rest, "later resource")} and the stack policies were` : "the stack policies were";
            out.push(c.dim(`    The update stopped at ${at}, as \`pulumi up\` stops at a mandatory violation: ${skipped} not run.`));
        }
        out.push("");
    }
    const { mandatory, advisory } = countLevels(report.runs);
    const summary = `${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")}${report.runs.length > 1 ? ` in ${report.runs.length} runs` : ""}.`;
    out.push(mandatory > 0 ? c.red(summary) : c.bold(summary));
    return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

export function renderJson(report: Report): string {
    const json = {
        tool: { name: "ecs-role-guard", version: report.version },
        policyPack: { name: report.pack.name, version: report.pack.version },
        summary: countLevels(report.runs),
        runs: report.runs.map((run) => ({
            kind: run.kind,
            source: run.source,
            phase: run.phase,
            resources: run.resources,
            analysed: run.analysed,
            stackAnalyzed: run.stackAnalyzed,
            ...(run.stoppedAt !== undefined ? { stoppedAt: run.stoppedAt } : {}),
            notes: run.notes,
            violations: grouped(run)
                .flatMap((g) => g.violations)
                .map((v) => ({ ...v, detail: detailOf(v) })),
        })),
    };
    return JSON.stringify(json, null, 2) + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run; rules are the pack's policies.

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function sarifLevel(level: EnforcementLevel | ""): "error" | "warning" | "none" {
    return level === "mandatory" || level === "remediate" ? "error" : level === "advisory" ? "warning" : "none";
}

// GitHub code scanning ranks security results by this score (high is 7.0 to 8.9, medium 4.0 to 6.9).
const SECURITY_SEVERITY: Record<Severity, string> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

/**
 * A component's child (an awsx role, say) is not named in the program: the component that created it is, as
 * `new <Component>("<name>"`, and its children's names start with that name.
 */
function componentNeedles(v: Violation): string[] {
    const chain = (v.urn.split("::")[2] ?? "").split("$");
    if (chain.length < 2) return [];
    const component = chain[0].split(":").pop();
    const parts = v.name.split("-");
    return parts.flatMap((_, i) => {
        const name = parts.slice(0, parts.length - i).join("-");
        return [`${component}(${JSON.stringify(name)}`, `${component}('${name}'`];
    });
}

/** The 1-based line where the resource appears in the artifact: its URN in a state file, its name in a program. */
function lineOf(artifact: Artifact, v: Violation): number {
    const needles = [`"urn": ${JSON.stringify(v.urn)}`, JSON.stringify(v.urn), JSON.stringify(v.name), `'${v.name}'`, `\`${v.name}\``, ...componentNeedles(v)];
    for (const needle of needles) {
        const at = artifact.text.indexOf(needle);
        if (at >= 0) return artifact.text.slice(0, at).split("\n").length;
    }
    return 1;
}

function artifactUri(file: string): string {
    const relative = path.relative(process.cwd(), file);
    const chosen = relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative;
    return chosen.split(path.sep).join("/");
}

export function renderSarif(report: Report): string {
    const rules = report.pack.policies.map((p) => ({
        id: p.name,
        name: p.name
            .split("-")
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
            .join(""),
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        help: { text: p.remediationSteps || p.description },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: {
            level: sarifLevel(report.config[p.name]?.enforcementLevel ?? p.enforcementLevel),
            enabled: (report.config[p.name]?.enforcementLevel ?? p.enforcementLevel) !== "disabled",
        },
        properties: {
            tags: ["security", ...p.tags],
            ...(p.severity ? { severity: p.severity, "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
            enforcementLevel: report.config[p.name]?.enforcementLevel || p.enforcementLevel,
        },
    }));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    // The same finding can come from a preview and an update of one program: say which, in the message too.
    const bothPhases = new Set(report.runs.map((r) => r.phase)).size > 1;
    const results = report.runs.flatMap((run) =>
        grouped(run)
            .flatMap((g) => g.violations)
            .map((v) => ({
                ruleId: v.policyName,
                ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName) } : {}),
                level: sarifLevel(v.enforcementLevel),
                message: { text: bothPhases ? `${detailOf(v)} (${run.phase === "preview" ? "preview of new resources" : "update"})` : detailOf(v) },
                locations: [
                    {
                        ...(run.locations?.[v.urn]
                            ? {
                                  physicalLocation: {
                                      artifactLocation: { uri: artifactUri(run.locations[v.urn].file) },
                                      region: { startLine: run.locations[v.urn].line },
                                  },
                              }
                            : run.artifact
                              ? {
                                    physicalLocation: {
                                        artifactLocation: { uri: artifactUri(run.artifact.path) },
                                        region: { startLine: lineOf(run.artifact, v) },
                                    },
                                }
                              : {}),
                        logicalLocations: [{ name: v.name, fullyQualifiedName: v.urn, kind: "resource" }],
                    },
                ],
                partialFingerprints: {
                    "ecsRoleGuard/v1": createHash("sha256").update(`${v.policyName}\n${v.urn}\n${run.phase}`).digest("hex").slice(0, 32),
                },
                properties: {
                    phase: run.phase,
                    source: run.source,
                    resourceType: v.type,
                    enforcementLevel: v.enforcementLevel,
                    ...(v.severity ? { severity: v.severity } : {}),
                    stage: v.stage,
                },
            })),
    );
    const notes = report.runs.flatMap((run) => run.notes.map((text) => ({ level: "note", message: { text: `${run.source}: ${text}` } })));
    const sarif = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "ecs-role-guard",
                        version: report.version,
                        semanticVersion: report.version,
                        rules,
                    },
                },
                invocations: [
                    {
                        executionSuccessful: true,
                        ...(notes.length > 0 ? { toolExecutionNotifications: notes } : {}),
                    },
                ],
                results,
            },
        ],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}

/** A check or audit that could not run, as JSON: what and why, each further failure with its place. */
export function renderJsonFailure(version: string, exitCode: number, message: string, details: readonly string[]): string {
    return JSON.stringify({ tool: { name: "ecs-role-guard", version }, error: { exitCode, message, details } }, null, 2) + "\n";
}

/** A check or audit that could not run, as SARIF: an unsuccessful invocation that says why. */
export function renderSarifFailure(version: string, message: string, details: readonly string[]): string {
    const sarif = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: "ecs-role-guard", version, semanticVersion: version, rules: [] } },
                invocations: [
                    {
                        executionSuccessful: false,
                        toolExecutionNotifications: [message, ...details].map((text) => ({ level: "error", message: { text } })),
                    },
                ],
                results: [],
            },
        ],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}
