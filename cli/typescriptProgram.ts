// A TypeScript program run as the Pulumi Node.js language host runs it (ts-node, registered by
// @pulumi/pulumi/cmd/run): compiled as it is required, with the program's own TypeScript and tsconfig.json, and
// type-checked first unless the tsconfig sets `noCheck` or PULUMI_NODEJS_TRANSPILE_ONLY is "true". A syntax or type
// error fails the program there, so it fails the capture too, with its message and place.

import * as fs from "fs";
import * as path from "path";
import type { Failure } from "./capture";

type TypeScript = typeof import("typescript");

export function resolveFrom(id: string, dirs: string[]): string {
    for (const dir of dirs) {
        try {
            return require.resolve(id, { paths: [dir] });
        } catch {
            // try the next place
        }
    }
    return require.resolve(id);
}

/** Thrown for errors the compiler reports: each with its message and place. */
export class CompileError extends Error {
    constructor(readonly failures: Failure[]) {
        super(failures.map((f) => f.message).join("\n"));
        this.name = "CompileError";
    }
}

function loadTypeScript(programDir: string): TypeScript {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(resolveFrom("typescript", [programDir]));
    } catch {
        throw new Error(`${programDir} is a TypeScript program: install typescript in it (npm install --save-dev typescript)`);
    }
}

/** The tsconfig.json the language host reads (PULUMI_NODEJS_TSCONFIG_PATH, else tsconfig.json), and its options. */
function configOf(ts: TypeScript, programDir: string): { file?: string; options: import("typescript").CompilerOptions; failures: Failure[] } {
    const file = path.resolve(programDir, process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    if (!fs.existsSync(file)) return { options: {}, failures: [] };
    const read = ts.readConfigFile(file, ts.sys.readFile);
    if (read.error) return { file, options: {}, failures: toFailures(ts, [read.error]) };
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file);
    return { file, options: parsed.options, failures: toFailures(ts, parsed.errors) };
}

function toFailures(ts: TypeScript, diagnostics: readonly import("typescript").Diagnostic[]): Failure[] {
    return diagnostics
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => {
            const message = `error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
            if (!d.file || d.start === undefined) return { message };
            const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
            return { message, site: { file: d.file.fileName, line: line + 1, column: character + 1 } };
        });
}

/**
 * Compiles `.ts` files as they are required, with the program's TypeScript and tsconfig. A file with a syntax error
 * throws a CompileError naming the error and its place, as ts-node does.
 */
export function registerTypeScript(programDir: string): void {
    const ts = loadTypeScript(programDir);
    const config = configOf(ts, programDir);
    if (config.failures.length > 0) throw new CompileError(config.failures);
    const compilerOptions: import("typescript").CompilerOptions = {
        target: ts.ScriptTarget.ES2020,
        esModuleInterop: true,
        ...config.options,
        module: ts.ModuleKind.CommonJS,
        inlineSourceMap: true,
        sourceMap: false,
        declaration: false,
        noEmit: false,
    };
    process.setSourceMapsEnabled(true);
    type CompilingModule = NodeJS.Module & { _compile(code: string, filename: string): void };
    require.extensions[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const { outputText, diagnostics } = ts.transpileModule(source, { compilerOptions, fileName: filename, reportDiagnostics: true });
        const failures = toFailures(ts, diagnostics ?? []);
        if (failures.length > 0) throw new CompileError(failures);
        (module as CompilingModule)._compile(outputText, filename);
    };
}

/** Why the language host would not type-check this program, or undefined when it would. */
export function typeCheckSkipped(programDir: string): string | undefined {
    if (process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true") return "PULUMI_NODEJS_TRANSPILE_ONLY is true";
    const ts = loadTypeScript(programDir);
    return configOf(ts, programDir).options.noCheck ? "its tsconfig.json sets noCheck" : undefined;
}

/**
 * The type errors the language host would stop at: those of the program's own files (not its dependencies'
 * declarations), with the program's tsconfig, or the language host's defaults without one.
 */
export function typeErrors(programDir: string, main: string): Failure[] {
    const ts = loadTypeScript(programDir);
    const config = configOf(ts, programDir);
    const options: import("typescript").CompilerOptions = {
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        ...config.options,
        noEmit: true,
    };
    const program = ts.createProgram({ rootNames: [main], options });
    const own = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.split(/[\\/]/).includes("node_modules"));
    return [
        ...config.failures,
        ...toFailures(
            ts,
            own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
        ),
    ];
}
