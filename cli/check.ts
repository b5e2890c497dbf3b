// `ecs-role-guard check`: capture a Pulumi program under mocks (capture.ts), as the engine would see it in a preview
// of new resources and in an update, and judge each capture through the pack.

import * as fs from "fs";
import * as path from "path";
import { Capture, capture, CaptureError, describeFailure, describeSite, Site } from "./capture";
import { InputError } from "./errors";
import { Phase } from "./options";

export interface CheckedProgram {
    /** How the output names it: the directory, relative to the working directory. */
    readonly label: string;
    /** What the capture runs: a program directory or file, or a bundled example's compiled index.js. */
    readonly entry: string;
    /** The project name, for a bundled example whose compiled program sits away from its Pulumi.yaml. */
    readonly project?: string;
    /** Where the project's Pulumi.yaml and stack config are, when not beside the entry. */
    readonly projectDir?: string;
    /** The program's source, for SARIF locations: its index.ts when there is one. */
    readonly source?: string;
}

function label(p: string): string {
    const relative = path.relative(process.cwd(), p);
    return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? p : relative;
}

function isFile(p: string): boolean {
    return fs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
}

function yamlName(dir: string): string | undefined {
    const file = path.join(dir, "Pulumi.yaml");
    if (!isFile(file)) return undefined;
    return /^name:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(#.*)?$/m.exec(fs.readFileSync(file, "utf8"))?.[1] || undefined;
}

/** A bundled example: sources under <root>/examples/<name>, the compiled program under <root>/bin/examples/<name>. */
function bundledExample(packageRoot: string, dir: string): CheckedProgram {
    const name = path.basename(dir);
    const entry = path.join(packageRoot, "bin", "examples", name, "index.js");
    if (!isFile(entry)) throw new InputError(`example ${name} is not built (no ${label(entry)}): run npm run build`);
    const project = yamlName(dir);
    const ts = path.join(dir, "index.ts");
    return { label: label(dir), entry, ...(project ? { project } : {}), projectDir: dir, source: isFile(ts) ? ts : entry };
}

/** The programs to check: the one named (a directory or an entry file), or every bundled example. */
export function resolvePrograms(packageRoot: string, arg: string | undefined): CheckedProgram[] {
    const examples = path.join(packageRoot, "examples");
    if (arg === undefined) {
        const dirs = fs.existsSync(examples)
            ? fs
                  .readdirSync(examples, { withFileTypes: true })
                  .filter((d) => d.isDirectory() && isFile(path.join(examples, d.name, "Pulumi.yaml")))
                  .map((d) => path.join(examples, d.name))
                  .sort()
            : [];
        if (dirs.length === 0) throw new InputError(`no bundled examples found in ${examples}`);
        return dirs.map((d) => bundledExample(packageRoot, d));
    }
    const target = path.resolve(arg);
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat) throw new InputError(`${arg}: no such file or directory`);
    if (stat.isDirectory() && path.dirname(target) === examples && isFile(path.join(target, "Pulumi.yaml"))) {
        return [bundledExample(packageRoot, target)];
    }
    const ts = stat.isFile() ? target : path.join(target, "index.ts");
    return [{ label: label(target), entry: target, ...(isFile(ts) ? { source: ts } : {}) }];
}

export interface CaptureFor {
    stack?: string;
    config: Record<string, string>;
    account?: string;
    /** Type-check a TypeScript program first (once per program is enough). */
    typeCheck?: boolean;
}

/** Runs the program under mocks for one phase; a program that cannot run, or be seen whole, is unusable input. */
export async function captureFor(program: CheckedProgram, phase: Phase, opts: CaptureFor): Promise<Capture> {
    try {
        return await capture(program.entry, {
            preview: phase === "preview",
            ...(program.project !== undefined ? { project: program.project } : {}),
            ...(program.projectDir !== undefined ? { projectDir: program.projectDir } : {}),
            ...(opts.stack !== undefined ? { stack: opts.stack } : {}),
            ...(Object.keys(opts.config).length > 0 ? { config: opts.config } : {}),
            ...(opts.account !== undefined ? { account: opts.account } : {}),
            typeCheck: opts.typeCheck ?? false,
        });
    } catch (e) {
        if (e instanceof CaptureError && e.failures.length > 0) {
            const lines = e.failures.map(describeFailure);
            throw new InputError(`${program.label}: the program cannot be checked (${phase}): ${lines[0]}`, lines.slice(1));
        }
        if (e instanceof InputError) throw new InputError(`${program.label}: ${e.message}`, e.details);
        throw new InputError(`${program.label}: the program could not be captured (${phase}): ${(e as Error).message.split("\n")[0]}`);
    }
}

/**
 * A preview and an update of one program must register the same resources, but for those an update creates inside
 * `apply` callbacks on values a preview does not know (as a real preview does not see them either). A resource the
 * preview saw and the update did not means the update capture lost it: that is unusable input. The preview's note
 * names what only the update judges.
 */
export function compareCaptures(program: CheckedProgram, preview: Capture, update: Capture): { previewNotes: string[] } {
    // The engine makes a default provider when a resource first needs one: it follows the resources, and is not named.
    const programs = (c: Capture) => c.resources.filter((r) => !(r.type.startsWith("pulumi:providers:") && r.name.startsWith("default")));
    const updated = new Set(programs(update).map((r) => r.urn));
    const lost = programs(preview).filter((r) => !updated.has(r.urn));
    if (lost.length > 0) {
        const lines = lost.map((r) => `${r.urn.split("::").slice(2).join("::")}${preview.sites[r.urn] ? ` (${describeSite(preview.sites[r.urn])})` : ""}`);
        throw new InputError(`${program.label}: the update registers fewer resources than the preview: ${lines[0]} is missing from the update`, lines.slice(1));
    }
    const previewed = new Set(programs(preview).map((r) => r.urn));
    const later = programs(update).filter((r) => !previewed.has(r.urn));
    if (later.length === 0) return { previewNotes: [] };
    const names = later.map((r) => r.urn.split("::").slice(2).join("::"));
    return {
        previewNotes: [
            `${later.length === 1 ? "1 resource is" : `${later.length} resources are`} created only once values a preview does not know are known (inside apply), so only the update judges ${later.length === 1 ? "it" : "them"}, as only a real update would: ${names.join(", ")}`,
        ],
    };
}

/** `new ...(` expressions in program text, in order: compiled JavaScript keeps them in the order of its source. */
const NEW_EXPRESSION = /\bnew\s+[A-Za-z_$][\w$.]*\s*(?:<[^()]*>)?\s*\(/g;

function newExpressionLines(text: string): { line: number; column: number }[] {
    const lines: { line: number; column: number }[] = [];
    for (const m of text.matchAll(NEW_EXPRESSION)) {
        const before = text.slice(0, m.index);
        const line = before.split("\n").length;
        lines.push({ line, column: m.index - before.lastIndexOf("\n") });
    }
    return lines;
}

/**
 * Each resource's place as the program's source states it. A bundled example runs compiled: a place in its
 * JavaScript is moved to the `new` expression of the same rank in its TypeScript source.
 */
export function sourceLocations(program: CheckedProgram, sites: Record<string, Site>): Record<string, { file: string; line: number }> {
    const out: Record<string, { file: string; line: number }> = {};
    let compiled: { js: { line: number; column: number }[]; ts: { line: number; column: number }[] } | undefined;
    for (const [urn, site] of Object.entries(sites)) {
        if (program.source && program.source !== site.file && site.file === path.resolve(program.entry) && site.file.endsWith(".js")) {
            compiled ??= { js: newExpressionLines(fs.readFileSync(site.file, "utf8")), ts: newExpressionLines(fs.readFileSync(program.source, "utf8")) };
            const rank = compiled.js.findIndex((p) => p.line === site.line && p.column === site.column);
            if (rank >= 0 && compiled.js.length === compiled.ts.length) out[urn] = { file: program.source, line: compiled.ts[rank].line };
            continue;
        }
        out[urn] = { file: site.file, line: site.line };
    }
    return out;
}
