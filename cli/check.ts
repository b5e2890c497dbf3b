// `ecs-role-guard check`: capture a Pulumi program under mocks (capture.ts), as the engine would see it in a preview
// of new resources and in an update, and judge each capture through the pack.

import * as fs from "fs";
import * as path from "path";
import { EngineResource } from "./engineResources";
import { captureProgram } from "./capture";
import { InputError, firstLine } from "./errors";
import { Phase } from "./options";

export interface CheckedProgram {
    /** How the output names it: the directory, relative to the working directory. */
    readonly label: string;
    /** What captureProgram runs: a program directory or file, or a bundled example's compiled index.js. */
    readonly entry: string;
    /** The project name, for a bundled example whose compiled program sits away from its Pulumi.yaml. */
    readonly project?: string;
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
    return { label: label(dir), entry, ...(project ? { project } : {}), source: isFile(ts) ? ts : entry };
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

/** Runs the program under mocks for one phase; a program that cannot run is unusable input. */
export async function captureFor(
    program: CheckedProgram,
    phase: Phase,
    opts: { stack?: string; config: Record<string, string> },
): Promise<{ resources: EngineResource[]; warnings: string[] }> {
    const warnings: string[] = [];
    try {
        const resources = await captureProgram(program.entry, {
            preview: phase === "preview",
            ...(program.project !== undefined ? { project: program.project } : {}),
            ...(opts.stack !== undefined ? { stack: opts.stack } : {}),
            ...(Object.keys(opts.config).length > 0 ? { config: opts.config } : {}),
            // The program's own output is dropped, as a pack never sees it; the capture's warnings are kept.
            log: (text) => {
                for (const line of text.split("\n")) if (line.startsWith("warning: ")) warnings.push(line.slice("warning: ".length));
            },
        });
        return { resources, warnings };
    } catch (e) {
        throw new InputError(`${program.label}: the program could not be captured (${phase}): ${firstLine(e)}`);
    }
}
