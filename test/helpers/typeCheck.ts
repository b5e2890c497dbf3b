import * as ts from "typescript";

/**
 * Type-checks TypeScript files as strict programs against the repository's packages (@pulumi/aws, @pulumi/pulumi, ...),
 * and returns each problem as `where: message`, `where` as `locate` names a file and its 0-based line.
 */
export function typeCheck(files: readonly string[], locate: (file: string, line: number) => string): string[] {
    const program = ts.createProgram([...files], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2022.d.ts"],
        types: ["node"],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
        if (!d.file || d.start === undefined) return text;
        return `${locate(d.file.fileName, d.file.getLineAndCharacterOfPosition(d.start).line)}: ${text}`;
    });
}
