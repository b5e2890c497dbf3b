// `node bin/scripts/mutation/mergeReports.js <base.json> <later.json> <out.json>`: the base report with
// the status of each mutant that the later report also ran replaced by the later one, and the mutants
// only the later one ran added. The later run is one over some lines of the same source
// (`npm run mutate -- --mutate file:first-last`), in fresh test processes, to replace what a run
// reusing processes got wrong, or to run the lines the base run left out (see README.md).

import * as fs from "fs";

interface Mutant {
    mutatorName: string;
    replacement?: string;
    location: { start: { line: number; column: number }; end: { line: number; column: number } };
    status: string;
}
interface Report {
    files: Record<string, { source: string; mutants: Mutant[] }>;
}

/** A mutant by what it changes and where: Stryker's ids differ between runs. */
function mutantKey({ mutatorName, replacement, location: { start, end } }: Mutant): string {
    return [mutatorName, replacement ?? "", start.line, start.column, end.line, end.column].join("\u0000");
}

function main([baseFile, laterFile, outFile]: string[]): number {
    if (outFile === undefined) {
        console.error("usage: mergeReports <base.json> <later.json> <out.json>");
        return 2;
    }
    const base = JSON.parse(fs.readFileSync(baseFile, "utf8")) as Report;
    const later = JSON.parse(fs.readFileSync(laterFile, "utf8")) as Report;
    for (const [file, { source, mutants }] of Object.entries(later.files)) {
        const target = base.files[file];
        if (target === undefined || target.source !== source) {
            console.error(`${file}: the two reports were not taken of the same source`);
            return 2;
        }
        const inBase = new Map(target.mutants.map((m) => [mutantKey(m), m]));
        for (const m of mutants) {
            const before = inBase.get(mutantKey(m));
            if (before === undefined) {
                target.mutants.push(m);
            } else if (before.status !== m.status) {
                console.log(`${file}:${m.location.start.line} ${m.mutatorName} → ${m.replacement ?? ""}: ${before.status} → ${m.status}`);
                before.status = m.status;
            }
        }
    }
    fs.writeFileSync(outFile, JSON.stringify(base));
    return 0;
}

process.exitCode = main(process.argv.slice(2));
