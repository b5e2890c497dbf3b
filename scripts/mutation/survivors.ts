// `npm run mutate:survivors`: reads Stryker's last report (reports/mutation/mutation.json) and
// prints the score of each file and every surviving mutant that scripts/mutation/README.md does not name
// as equivalent (or the report given as its argument). Each survivor is printed as a key without
// its line number, ready to paste into that table, so the list survives edits elsewhere in the
// file. Also writes them beside the report (mutation.survivors.md). Exit code 1 when a survivor
// is unanswered.

import * as fs from "fs";
import * as path from "path";

interface Position {
    line: number;
    column: number;
}
interface Mutant {
    mutatorName: string;
    replacement?: string;
    location: { start: Position; end: Position };
    status: string;
}
interface Report {
    files: Record<string, { source: string; mutants: Mutant[] }>;
}

const REPORT = "reports/mutation/mutation.json";
const ANSWERS = "scripts/mutation/README.md";
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/** The text a mutant replaces, on one line, at most 70 characters. */
function originalText(lines: string[], { start, end }: Mutant["location"]): string {
    const picked = lines.slice(start.line - 1, end.line);
    // Columns count from 1; cut the end first, since on one line both cuts fall on the same string.
    picked[picked.length - 1] = picked[picked.length - 1].slice(0, end.column - 1);
    picked[0] = picked[0].slice(start.column - 1);
    return oneLine(picked.join("\n"));
}

function oneLine(text: string): string {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > 70 ? `${flat.slice(0, 69)}…` : flat;
}

/**
 * The key scripts/mutation/README.md names an equivalent mutant by: file, mutator, original and
 * replacement, with pipes escaped as a Markdown table cell needs them.
 */
export function survivorKey(file: string, mutant: Mutant, lines: string[]): string {
    const key = `\`${file}\` ${mutant.mutatorName} \`${originalText(lines, mutant.location)}\` → \`${oneLine(mutant.replacement ?? "")}\``;
    return key.replace(/\|/g, "\\|");
}

export function printSurvivors(root: string, reportFile = path.join(root, REPORT)): number {
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Report;
    const answers = fs.existsSync(path.join(root, ANSWERS)) ? fs.readFileSync(path.join(root, ANSWERS), "utf8") : "";
    const rows: string[] = [];
    const unanswered: string[] = [];
    let detectedAll = 0;
    let validAll = 0;
    for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const lines = source.split("\n");
        const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
        const undetected = mutants.filter((m) => UNDETECTED.has(m.status));
        const valid = detected + undetected.length;
        detectedAll += detected;
        validAll += valid;
        const named = undetected.filter((m) => answers.includes(survivorKey(file, m, lines))).length;
        rows.push(
            `${file}: ${score(detected, valid)} (${detected} of ${valid} detected; ${undetected.length - named} survivors unanswered, ${named} named equivalent)`,
        );
        for (const m of undetected) {
            const key = survivorKey(file, m, lines);
            if (!answers.includes(key)) unanswered.push(`| ${m.location.start.line} | ${key} | ${m.status === "NoCoverage" ? "no test covers it" : ""} |`);
        }
    }
    rows.push(`all files: ${score(detectedAll, validAll)} (${detectedAll} of ${validAll} detected)`);
    const text = [...rows, "", `${unanswered.length} survivors not answered in ${ANSWERS}:`, ...unanswered].join("\n");
    fs.writeFileSync(path.join(path.dirname(reportFile), `${path.basename(reportFile, ".json")}.survivors.md`), `${text}\n`);
    console.log(text);
    return unanswered.length === 0 ? 0 : 1;
}

function score(detected: number, valid: number): string {
    return valid === 0 ? "no mutants" : `${((100 * detected) / valid).toFixed(2)}%`;
}

if (require.main === module) {
    const root = path.resolve(__dirname, "../../..");
    process.exitCode = printSurvivors(root, process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]));
}
