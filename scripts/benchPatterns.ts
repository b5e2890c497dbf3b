/**
 * Bounded work for user-written action patterns (issue 6): times matching and expansion of
 * adversarial patterns against every action of the IAM catalog, and prints how the time grows
 * with the pattern's length.
 *
 *   node bin/scripts/benchPatterns.js [--max-k 64] [--regex]
 *
 * Matching: every name against one pre-parsed pattern, repeated until at least 40 ms have passed;
 * the fastest pass is shown (the least disturbed by other processes). Expansion: the first
 * `expandActionPattern` call, once (a pattern met earlier in the table is answered from its cache). `ns/(p×n)` is the matching time divided by pattern
 * length × total characters of all names: the matcher's bound is pattern length × name length per
 * name, so this column stays flat or falls as k grows.
 *
 * Real action names are short (at most 71 characters), so most adversarial patterns stop early
 * against them. A second table runs the worst case for this matcher (a long literal run that
 * almost matches at every position) against long synthetic names, where the bound is reached:
 * time grows in proportion to the pattern's length and no faster (the ratio column stays near 1).
 * `--regex` adds, for contrast, the naive glob-to-RegExp translation on a sample of names.
 *
 * A third table does the same for Resource entries against the ARNs containers need (`mayCover`
 * and `covers`, `policies/iam/arnPattern.ts`): adversarial resource parts against long needs with
 * an unknown tail (log streams, a secret's suffix) and known whole.
 */
import { performance } from "perf_hooks";
import { allCatalogActions, expandActionPattern } from "../policies/iam/actionCatalog";
import { ActionPattern, matchesAction, parseActionPattern } from "../policies/iam/actionPattern";
import { covers, mayCover, NeededArn, neededArn } from "../policies/iam/arnPattern";

interface Family {
    readonly name: string;
    readonly pattern: (k: number) => string;
}

/** Patterns that make backtracking matchers explode, or make a scanning matcher do its most work. */
const FAMILIES: readonly Family[] = [
    { name: '"*?" × k + "#"', pattern: (k) => "*?".repeat(k) + "#" },
    { name: '"*?" × k + "*#"', pattern: (k) => "*?".repeat(k) + "*#" },
    { name: '"*a" × k + "*b"', pattern: (k) => "*a".repeat(k) + "*b" },
    { name: '"*e" × k + "*"', pattern: (k) => "*e".repeat(k) + "*" },
    { name: '"*" + "e" × k + "*"', pattern: (k) => "*" + "e".repeat(k) + "*" },
    { name: '"*" + "?" × k + "*"', pattern: (k) => "*" + "?".repeat(k) + "*" },
    { name: '"ecr:" + "a" × k', pattern: (k) => "ecr:" + "a".repeat(k) },
    { name: '"*:" + "?*" × k', pattern: (k) => "*:" + "?*".repeat(k) },
];

function parseArgs(argv: readonly string[]): { maxK: number; regex: boolean } {
    const at = argv.indexOf("--max-k");
    const maxK = at >= 0 ? Number(argv[at + 1]) : 64;
    if (!Number.isInteger(maxK) || maxK < 1) throw new Error("--max-k takes a positive integer");
    return { maxK, regex: argv.includes("--regex") };
}

function ks(maxK: number): number[] {
    const out: number[] = [];
    for (let k = 1; k <= maxK; k *= 2) out.push(k);
    if (out[out.length - 1] !== maxK) out.push(maxK);
    return out;
}

/** Fastest time of one pass of the pattern over every name, in ms; and how many names matched. */
function timeMatching(pattern: ActionPattern, names: readonly string[]): { ms: number; matched: number } {
    let matched = 0;
    for (const name of names) if (matchesAction(pattern, name)) matched++; // warm-up, and the count
    const passes: number[] = [];
    const started = performance.now();
    while (passes.length < 3 || (performance.now() - started < 40 && passes.length < 200)) {
        const t0 = performance.now();
        for (const name of names) matchesAction(pattern, name);
        passes.push(performance.now() - t0);
    }
    return { ms: Math.min(...passes), matched };
}

async function timeExpansion(source: string): Promise<{ ms: number; expanded: number }> {
    const t0 = performance.now();
    const expansion = await expandActionPattern(parseActionPattern(source));
    return { ms: performance.now() - t0, expanded: expansion.length };
}

/** The translation other tools use: `*` → `.*`, `?` → `.`, anchored, case-insensitive. It backtracks. */
function naiveRegex(pattern: string): RegExp {
    const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${body}$`, "i");
}

function pad(s: string, width: number, right = false): string {
    return right ? s.padStart(width) : s.padEnd(width);
}

function fmt(n: number, digits = 2): string {
    return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
    const { maxK, regex } = parseArgs(process.argv.slice(2));
    const names = await allCatalogActions();
    const nameChars = names.reduce((sum, n) => sum + n.length, 0);
    const longest = names.reduce((m, n) => Math.max(m, n.length), 0);
    await expandActionPattern(parseActionPattern("*")); // loads every service file, so that expansion times below are matching only
    console.log(
        `Catalog: ${names.length.toLocaleString("en-US")} actions, ${nameChars.toLocaleString("en-US")} characters (longest ${longest}). Node ${process.version}.`,
    );
    console.log("");

    const header = [
        pad("pattern family", 22),
        pad("k", 3, true),
        pad("len", 4, true),
        pad("match ms", 9, true),
        pad("ms/len", 7, true),
        pad("ns/(p×n)", 9, true),
        pad("expand ms", 10, true),
        pad("matched", 8, true),
    ];
    console.log(header.join("  "));
    console.log(header.map((h) => "-".repeat(h.length)).join("  "));
    let worstNsPerCell = 0;
    const growth: string[] = [];
    for (const family of FAMILIES) {
        let previous: { len: number; ms: number } | undefined;
        let firstRatio: number | undefined;
        let lastRatio: number | undefined;
        for (const k of ks(maxK)) {
            const source = family.pattern(k);
            const pattern = parseActionPattern(source);
            const { ms, matched } = timeMatching(pattern, names);
            const expansion = await timeExpansion(source);
            const nsPerCell = (ms * 1e6) / (source.length * nameChars);
            worstNsPerCell = Math.max(worstNsPerCell, nsPerCell);
            console.log(
                [...timingCells(family.name, k, source, ms, nsPerCell), pad(fmt(expansion.ms), 10, true), pad(matched.toLocaleString("en-US"), 8, true)].join(
                    "  ",
                ),
            );
            if (matched !== expansion.expanded) throw new Error(`${source}: matching found ${matched}, expansion ${expansion.expanded}`);
            if (previous) {
                lastRatio = ms / previous.ms / (source.length / previous.len);
                firstRatio ??= lastRatio;
            }
            previous = { len: source.length, ms };
        }
        if (lastRatio !== undefined) growth.push(`${pad(family.name, 22)}  time ratio ÷ length ratio, last doubling: ${fmt(lastRatio)}`);
    }
    console.log("");
    console.log(
        `Largest ns per (pattern char × name char): ${fmt(worstNsPerCell, 4)}. A ratio near 1 below means time linear in pattern length; below 1, sub-linear (a mismatch is found early).`,
    );
    for (const line of growth) console.log(line);

    console.log("");
    const synthetic = Array.from({ length: 500 }, (_, i) => `svc${i % 10}:${"a".repeat(1000)}`);
    const syntheticChars = synthetic.reduce((sum, n) => sum + n.length, 0);
    console.log(
        `Worst case: ${synthetic.length.toLocaleString("en-US")} synthetic names "svcN:" + "a" × 1,000 (${syntheticChars.toLocaleString("en-US")} characters), patterns that nearly match at every position:`,
    );
    const worst: readonly Family[] = [
        { name: '"*" + "a" × k + "b*"', pattern: (k) => "*" + "a".repeat(k) + "b*" },
        { name: '"*" + "?a" × k + "b*"', pattern: (k) => "*" + "?a".repeat(k) + "b*" },
    ];
    console.log(header.slice(0, 6).join("  "));
    console.log(
        header
            .slice(0, 6)
            .map((h) => "-".repeat(h.length))
            .join("  "),
    );
    for (const family of worst) growthRows(family, maxK, syntheticChars, (source) => timeMatching(parseActionPattern(source), synthetic).ms);

    console.log("");
    arnTable(header.slice(0, 6), maxK);

    if (regex) {
        console.log("");
        const sample = names.filter((_, i) => i % 44 === 0);
        console.log(`For contrast, the naive RegExp translation of "*?" × k + "#" on ${sample.length} names (stops once a pattern takes over 2 s):`);
        for (let k = 1; k <= 8; k++) {
            const re = naiveRegex("*?".repeat(k) + "#");
            const t0 = performance.now();
            let done = 0;
            for (const name of sample) {
                re.test(name);
                done++;
                if (performance.now() - t0 > 2000) break;
            }
            const ms = performance.now() - t0;
            const ours = timeMatching(parseActionPattern("*?".repeat(k) + "#"), sample).ms;
            console.log(
                `  k = ${k}: RegExp ${fmt(ms)} ms${done < sample.length ? ` for only ${done} of ${sample.length} names` : ""}; ecs-role-guard ${fmt(ours, 3)} ms`,
            );
            if (done < sample.length) break;
        }
    }
}

/**
 * Resource entries against needs: 300 long needs of each shape (the streams of a group, a secret's
 * unknown suffix, an ARN known whole), each asked `mayCover` and `covers`, fastest of a few passes.
 */
function arnTable(header: readonly string[], maxK: number): void {
    const long = "a".repeat(1000);
    const needs: NeededArn[] = [];
    for (let i = 0; i < 300; i++) {
        needs.push(neededArn({ service: "logs", region: "us-east-1", resource: `log-group:/${long}${i}:`, tail: "any" }));
        needs.push(
            neededArn({ partition: "aws", service: "secretsmanager", region: "us-east-1", account: "123456789012", resource: `secret:${long}${i}-`, tail: 6 }),
        );
        needs.push(neededArn({ partition: "aws", service: "s3", region: "", account: "", resource: `bucket/${long}/${i}.env` }));
    }
    const chars = needs.reduce((sum, n) => sum + n.text.length, 0);
    console.log(
        `Resource entries against ${needs.length.toLocaleString("en-US")} needs of about 1,000 characters each (${chars.toLocaleString("en-US")} characters), mayCover and covers:`,
    );
    const families: readonly Family[] = [
        { name: '"*?" × k + "#"', pattern: (k) => "arn:*:*:*:*:" + "*?".repeat(k) + "#" },
        { name: '"*a" × k + "*b"', pattern: (k) => "arn:*:*:*:*:" + "*a".repeat(k) + "*b" },
        { name: '"*" + "a" × k + "b*"', pattern: (k) => "arn:*:*:*:*:*" + "a".repeat(k) + "b*" },
        { name: '"*" + "?a" × k + "*?"', pattern: (k) => "arn:*:*:*:*:*" + "?a".repeat(k) + "*?" },
        { name: 'fields "*?" × k', pattern: (k) => `arn:${"*?".repeat(k)}:*:${"*?".repeat(k)}:*:*` },
    ];
    console.log(header.join("  "));
    console.log(header.map((h) => "-".repeat(h.length)).join("  "));
    const time = (source: string) => {
        const passes: number[] = [];
        for (let pass = 0; pass < 5; pass++) {
            const t0 = performance.now();
            for (const need of needs) {
                mayCover(source, need);
                covers(source, need);
            }
            passes.push(performance.now() - t0);
        }
        return Math.min(...passes);
    };
    for (const family of families) growthRows(family, maxK, chars, time);
}

/** The first six columns of a row: family, k, pattern length, time, time per pattern character, ns per (pattern char × text char). */
function timingCells(name: string, k: number, source: string, ms: number, nsPerCell: number): string[] {
    return [
        pad(name, 22),
        pad(String(k), 3, true),
        pad(String(source.length), 4, true),
        pad(fmt(ms), 9, true),
        pad(fmt(ms / source.length, 3), 7, true),
        pad(fmt(nsPerCell, 4), 9, true),
    ];
}

/** A row per k (up to 64) of the family's pattern, timed by `time` over texts of `chars` characters, then how time grew against length from k = 8. */
function growthRows(family: Family, maxK: number, chars: number, time: (source: string) => number): void {
    let previous: { len: number; ms: number } | undefined;
    const ratios: number[] = [];
    for (const k of ks(Math.min(maxK, 64))) {
        const source = family.pattern(k);
        const ms = time(source);
        console.log(timingCells(family.name, k, source, ms, (ms * 1e6) / (source.length * chars)).join("  "));
        if (previous && k >= 8) ratios.push(ms / previous.ms / (source.length / previous.len));
        previous = { len: source.length, ms };
    }
    console.log(`${pad(family.name, 22)}  time ratio ÷ length ratio per doubling from k = 8: ${ratios.map((r) => fmt(r)).join(", ")}`);
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
