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
    /** What the whole report rests on that no run can notice for itself (check's capture of a program). */
    readonly caveats?: readonly string[];
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

/** One finding of one program or stack, with every phase that reported it. */
export interface MergedFinding {
    readonly violation: Violation;
    readonly phases: readonly Phase[];
}

/** The runs of one program or stack export, and its findings, each once whichever phases reported it. */
export interface SourceFindings {
    readonly source: string;
    readonly runs: readonly Run[];
    readonly findings: readonly MergedFinding[];
}

const LEVEL_RANK: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2 };

/**
 * Findings by program or stack export, in the order they were judged: a finding a preview and an update both report
 * (the same policy, resource, level and message) is one finding of both phases. Within a source, grouped by resource
 * in the order resources were analysed, mandatory first within a resource.
 */
export function bySource(runs: readonly Run[]): SourceFindings[] {
    const sources = new Map<string, Run[]>();
    for (const run of runs) sources.set(run.source, [...(sources.get(run.source) ?? []), run]);
    return [...sources].map(([source, sourceRuns]) => {
        const merged = new Map<string, { violation: Violation; phases: Phase[] }>();
        for (const run of sourceRuns) {
            for (const v of run.violations) {
                const key = `${v.policyName}\n${v.urn}\n${v.enforcementLevel}\n${v.message}`;
                const found = merged.get(key);
                if (found === undefined) merged.set(key, { violation: v, phases: [run.phase] });
                else if (!found.phases.includes(run.phase)) found.phases.push(run.phase);
            }
        }
        const position = new Map<string, number>();
        for (const run of sourceRuns) for (const urn of run.order) if (!position.has(urn)) position.set(urn, position.size);
        const findings = [...merged.values()].sort(
            (a, b) =>
                (position.get(a.violation.urn) ?? Infinity) - (position.get(b.violation.urn) ?? Infinity) ||
                a.violation.urn.localeCompare(b.violation.urn) ||
                (LEVEL_RANK[a.violation.enforcementLevel] ?? 3) - (LEVEL_RANK[b.violation.enforcementLevel] ?? 3) ||
                a.violation.policyName.localeCompare(b.violation.policyName),
        );
        return { source, runs: sourceRuns, findings };
    });
}

/** Distinct findings by level: one a preview and an update both report counts once. */
export function countLevels(runs: readonly Run[]): { mandatory: number; advisory: number } {
    let mandatory = 0;
    let advisory = 0;
    for (const { findings } of bySource(runs)) {
        for (const { violation } of findings) {
            if (violation.enforcementLevel === "mandatory") mandatory++;
            else advisory++;
        }
    }
    return { mandatory, advisory };
}

const PHASE_NAMES: Record<Phase, string> = { preview: "preview", update: "update" };

/** `preview and update`, for a finding of a source judged in more than one phase. */
function phasesLabel(phases: readonly Phase[]): string {
    return phases.map((p) => PHASE_NAMES[p]).join(" and ");
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
    const phase = run.phase === "preview" ? "preview of new resources" : run.kind === "audit" ? "deployed state, judged as an update" : "update";
    return `${phase} (${plural(run.resources, "resource")})`;
}

function sourceTitle(source: SourceFindings): string {
    const run = source.runs[0];
    const what = run.kind === "audit" ? `audit of ${run.source === "-" ? "stdin" : run.source}` : run.source;
    return `${what}: ${source.runs.map(runTitle).join(", ")}`;
}

function indent(text: string): string {
    return text
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n");
}

/**
 * Pulumi's policy summary, one section per program or stack export: `[level]  pack vX  policy (name: type)`, then the
 * message. A finding is shown once, with the phases that reported it when the source was judged in more than one.
 */
export function renderText(report: Report, c: Colours): string {
    const out: string[] = [];
    const sources = bySource(report.runs);
    for (const source of sources) {
        const several = source.runs.length > 1;
        out.push(c.bold(sourceTitle(source)));
        for (const run of source.runs) for (const note of run.notes) out.push(c.dim(`    note${several ? ` (${PHASE_NAMES[run.phase]})` : ""}: ${note}`));
        if (source.findings.length === 0) {
            out.push("    No policy violations.");
        } else {
            out.push("Policy Violations:");
            let previous: string | undefined;
            for (const { violation: v, phases } of source.findings) {
                if (previous !== undefined && previous !== v.urn) out.push("");
                previous = v.urn;
                const tag = `[${v.enforcementLevel}]  ${v.policyPackName} v${v.policyPackVersion}`;
                const coloured = v.enforcementLevel === "mandatory" ? c.red(tag) : c.yellow(tag);
                const when = several ? c.dim(`  (${phasesLabel(phases)})`) : "";
                out.push(`    ${coloured}  ${v.policyName} (${v.name}: ${v.type})${when}`);
                // Pulumi prints the message whole: for a plain reportViolation the SDK puts the policy's description before it.
                out.push(indent(v.message));
            }
        }
        for (const run of source.runs) {
            if (run.stoppedAt === undefined) continue;
            const at = parseUrn(run.stoppedAt)?.name ?? run.stoppedAt;
            const rest = run.resources - run.analysed;
            const skipped = rest > 0 ? `${plural(rest, "later resource")} and the stack policies were` : "the stack policies were";
            out.push(c.dim(`    The update stopped at ${at}, as \`pulumi up\` stops at a mandatory violation: ${skipped} not run.`));
        }
        out.push("");
    }
    for (const caveat of report.caveats ?? []) out.push(c.dim(`note: ${caveat}.`));
    const { mandatory, advisory } = countLevels(report.runs);
    const summary = `${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory violation")}${sources.length > 1 ? ` in ${sources.length} ${report.runs[0]?.kind === "audit" ? "stacks" : "programs"}` : ""}.`;
    out.push(mandatory > 0 ? c.red(summary) : c.bold(summary));
    return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

/** Each run's facts, and each finding once, with the phases that reported it. */
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
        })),
        caveats: report.caveats ?? [],
        findings: bySource(report.runs).flatMap(({ source, findings }) =>
            findings.map(({ violation, phases }) => ({ source, phases, ...violation, detail: detailOf(violation) })),
        ),
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
    const bothPhases = new Set(report.runs.map((r) => r.phase)).size > 1;
    const results = bySource(report.runs).flatMap(({ source, runs, findings }) =>
        findings.map(({ violation: v, phases }) => {
            const run = runs.find((r) => phases.includes(r.phase))!;
            return {
                ruleId: v.policyName,
                ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName) } : {}),
                level: sarifLevel(v.enforcementLevel),
                // One result for a finding a preview and an update both report, saying so.
                message: { text: bothPhases ? `${detailOf(v)} (${phasesLabel(phases)})` : detailOf(v) },
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
                // The same finding keeps its fingerprint from run to run and from phase to phase: policy, resource and what it says.
                partialFingerprints: {
                    "ecsRoleGuard/v2": createHash("sha256")
                        .update(`${v.policyName}\n${v.urn}\n${detailOf(v)}`)
                        .digest("hex")
                        .slice(0, 32),
                },
                properties: {
                    phases,
                    source,
                    resourceType: v.type,
                    enforcementLevel: v.enforcementLevel,
                    ...(v.severity ? { severity: v.severity } : {}),
                    stage: v.stage,
                },
            };
        }),
    );
    const notes = [
        ...report.runs.flatMap((run) => run.notes.map((text) => ({ level: "note", message: { text: `${run.source}: ${text}` } }))),
        ...(report.caveats ?? []).map((text) => ({ level: "note", message: { text } })),
    ];
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
