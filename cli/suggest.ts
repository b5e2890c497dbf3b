// `ecs-role-guard suggest`: for each execution role of a program or a deployed stack, the least-privilege policy its
// task definitions need (policies/suggest/executionRolePolicy.ts), as IAM JSON and as Pulumi TypeScript.
//
// A program is captured as `check` captures it, in an update by default: every ARN is then known, as the capture's
// mocks make it (account 123456789012, the Region of `aws:region` or us-east-1, autonames `<name>-<7 hex>`), so the
// IAM JSON of a program shows the capture's names and the TypeScript, which names the program's own resources, is
// what to use. With --preview the preview capture is read instead, as `pulumi preview` sees a new stack: what is not
// known yet is a named placeholder, or, where the containers themselves are not known, no document. A stack export
// (`pulumi stack export`) holds the real ARNs: its JSON is exact.

import * as fs from "fs";
import * as path from "path";
import { EngineResource } from "./engineResources";
import { readStackExport } from "./audit";
import { captureFor, CheckedProgram, resolvePrograms } from "./check";
import { InputError, whyUnreadable } from "./errors";
import { Phase } from "./options";
import { formatCount } from "../policies/format";
import { buildEcsStackModel, TaskDefinitionModel } from "../policies/stack/ecsModel";
import { isUnknown, shortType, StackResource } from "../policies/stack/resources";
import { ExecutionRolePolicySuggestion, INLINE_POLICIES_QUOTA, Place, suggestExecutionRolePolicies } from "../policies/suggest/executionRolePolicy";
import { NO_PROGRAM, ProgramNames, readProgramNames, renderRolePolicySnippet } from "./suggestSnippet";

export interface SuggestCommand {
    /** A program directory or entry file, a `pulumi stack export` file (`.json`), `-` for an export on stdin, or every bundled example. */
    readonly target?: string;
    readonly phase: Phase;
    readonly stack?: string;
    readonly config: Record<string, string>;
    /** The AWS account the capture's ARNs name. */
    readonly account?: string;
}

export interface SuggestedRole {
    readonly suggestion: ExecutionRolePolicySuggestion;
    /** What grants the role now, as the findings name each source: what the suggestion replaces. */
    readonly replaces: readonly string[];
    readonly typescript: string | undefined;
}

export interface SuggestRun {
    /** As the user named it: a program directory, an export file, or "-". */
    readonly source: string;
    readonly kind: "program" | "stack export";
    readonly phase: Phase;
    readonly roles: readonly SuggestedRole[];
    readonly notes: readonly string[];
}

/** A stack export file, or stdin: anything else is a program. */
function isStackExport(target: string): boolean {
    return target === "-" || (target.endsWith(".json") && fs.statSync(target, { throwIfNoEntry: false })?.isFile() === true);
}

export async function suggest(packageRoot: string, cmd: SuggestCommand): Promise<SuggestRun[]> {
    if (cmd.target !== undefined && isStackExport(cmd.target)) return [fromStackExport(cmd.target)];
    const programs = resolvePrograms(packageRoot, cmd.target);
    const runs: SuggestRun[] = [];
    // One at a time: a capture is a Node.js process loading the provider SDKs, and suggesting is quick.
    for (const program of programs) runs.push(await fromProgram(program, cmd));
    return runs;
}

function fromStackExport(file: string): SuggestRun {
    let text: string;
    try {
        text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read ${file}: ${whyUnreadable(e)}`);
    }
    const state = readStackExport(text, file === "-" ? "stdin" : file);
    const notes =
        state.encryptedSecrets > 0
            ? [
                  `${state.encryptedSecrets === 1 ? "1 encrypted secret" : `${state.encryptedSecrets} encrypted secrets`} read as unknown; export with \`pulumi stack export --show-secrets\` to read them`,
              ]
            : [];
    return { source: file, kind: "stack export", phase: "update", roles: suggestAll(state.resources, NO_PROGRAM), notes };
}

async function fromProgram(program: CheckedProgram, cmd: SuggestCommand): Promise<SuggestRun> {
    const { resources, notes } = await captureFor(program, cmd.phase, {
        ...(cmd.stack !== undefined ? { stack: cmd.stack } : {}),
        ...(cmd.account !== undefined ? { account: cmd.account } : {}),
        config: cmd.config,
    });
    return fromCapture(program, cmd.phase, resources, notes);
}

/** The suggestions for a program already captured in one phase. */
export function fromCapture(program: CheckedProgram, phase: Phase, resources: readonly EngineResource[], warnings: readonly string[] = []): SuggestRun {
    const names = program.source?.endsWith(".ts") ? readProgramNames(fs.readFileSync(program.source, "utf8")) : NO_PROGRAM;
    const notes = [...warnings];
    if (phase === "update") {
        notes.push(
            "The IAM JSON names what the capture's mocks made (account 123456789012, the Region of aws:region or us-east-1, autonames <name>-<7 hex>); the TypeScript names the program's own resources and is exact at `pulumi up`.",
        );
    }
    return { source: program.label, kind: "program", phase, roles: suggestAll(resources, names), notes };
}

/** Resources as AnalyzeStack hands them to the pack: outputs, with their dependencies. */
export function asStackResources(resources: readonly EngineResource[]): StackResource[] {
    return resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.outputs ?? r.inputs,
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
        dependencies: r.dependencies ?? [],
        propertyDependencies: r.propertyDependencies ?? {},
    }));
}

function suggestAll(engineResources: readonly EngineResource[], names: ProgramNames): SuggestedRole[] {
    const resources = asStackResources(engineResources);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const placeOf = (td: TaskDefinitionModel): Place | undefined => placeOfArn(byUrn.get(td.resource.urn));
    const model = buildEcsStackModel(resources);
    return suggestExecutionRolePolicies(model, { placeOf }).map((suggestion) => ({
        suggestion,
        replaces: suggestion.role.sources.map((s) => s.label),
        typescript: renderRolePolicySnippet({ suggestion, resources, place: placeOf(suggestion.taskDefinitions[0]), program: names }),
    }));
}

/** Where a task definition runs: the partition, Region and account of its own ARN, once it has one. */
function placeOfArn(td: StackResource | undefined): Place | undefined {
    const arn = td?.props.arn ?? td?.props.taskDefinitionArn;
    if (typeof arn !== "string" || isUnknown(arn) || !arn.startsWith("arn:")) return undefined;
    const [, partition, , region, account] = arn.split(":");
    return { partition, region, account };
}

/** The command's JSON: one entry per program or export, one per execution role. */
export function renderSuggestJson(runs: readonly SuggestRun[], version: string): string {
    return `${JSON.stringify(
        {
            version,
            runs: runs.map((run) => ({
                source: run.source,
                kind: run.kind,
                phase: run.phase,
                notes: run.notes,
                roles: run.roles.map(({ suggestion: s, replaces, typescript }) => ({
                    role: { urn: s.role.resource.urn, type: s.role.resource.type, name: s.role.resource.name },
                    taskDefinitions: s.taskDefinitions.map((td) => ({ urn: td.resource.urn, name: td.resource.name })),
                    status: s.status,
                    document: s.document ?? null,
                    characters: s.characters,
                    placeholders: s.placeholders,
                    reasons: s.reasons,
                    notes: s.notes,
                    replaces,
                    typescript: typescript ?? null,
                })),
            })),
        },
        null,
        2,
    )}\n`;
}

/** The command's text: per role, what it replaces, the IAM JSON and the TypeScript. */
export function renderSuggestText(runs: readonly SuggestRun[]): string {
    const out: string[] = [];
    for (const run of runs) {
        out.push(
            `${run.kind === "program" ? "Program" : "Stack export"} ${run.source} (${run.phase === "preview" ? "a preview of new resources" : "an update"}):`,
        );
        for (const note of run.notes) out.push(`  Note: ${note}`);
        if (run.roles.length === 0) out.push("  No task definition names an execution role of this stack.");
        for (const { suggestion: s, replaces, typescript } of run.roles) {
            const tds = s.taskDefinitions.map((td) => `"${td.resource.name}"`).join(", ");
            out.push(
                "",
                `Execution role ${shortType(s.role.resource.type)} "${s.role.resource.name}", of task definition${s.taskDefinitions.length === 1 ? "" : "s"} ${tds}:`,
            );
            if (replaces.length > 0) out.push(`  Replaces: ${replaces.join("; ")}`);
            if (s.status === "unknown") {
                out.push(
                    `  No policy yet: ${s.reasons.join("; ")}. Run suggest on the update (the default) or on \`pulumi stack export\`: it is exact at \`pulumi up\`.`,
                );
            }
            for (const note of s.notes) out.push(`  Note: ${note}`);
            if (s.document === undefined) continue;
            out.push(
                "",
                `IAM policy (${formatCount(s.characters)} of the ${formatCount(INLINE_POLICIES_QUOTA)} characters a role's inline policies may hold together):`,
                JSON.stringify(s.document, null, 4),
            );
            if (s.placeholders.length > 0) {
                out.push("Placeholders, known at `pulumi up` (run suggest on the update or on `pulumi stack export` to have them filled):");
                for (const p of s.placeholders) out.push(`  ${p.token}: ${p.meaning}`);
            }
            if (typescript !== undefined) out.push("", "Pulumi TypeScript:", typescript.trimEnd());
        }
        out.push("");
    }
    return `${out.join("\n")}\n`;
}

/** Exposed for tests: the bundled example a name stands for. */
export function exampleProgram(packageRoot: string, name: string): CheckedProgram {
    return resolvePrograms(packageRoot, path.join(packageRoot, "examples", name))[0];
}
