/**
 * IAM action patterns: `service:Action` names where `*` matches any run of characters and `?`
 * matches exactly one. Matching is case-insensitive, as IAM's is.
 *
 * Policy authors write these patterns, so matching must never backtrack: a pattern is split at
 * its stars into segments, and each segment is placed at its leftmost possible position. That
 * greedy placement is exact for `*`/`?` globs (any later placement leaves less text for the
 * segments after it), and costs at most pattern length × name length steps, with no regex.
 */
export interface ActionPattern {
    /** The pattern as the author wrote it. */
    readonly source: string;
    /** Lower-cased, with runs of `*` folded into one. */
    readonly normalized: string;
    readonly hasWildcard: boolean;
    /** The service part before the first `:`, lower-cased; undefined when the pattern has no `:`. */
    readonly service: string | undefined;
}

/** A pattern split at its stars: the first segment is anchored at the start, the last at the end. */
type Segments = readonly string[];

const compiledCache = new Map<string, Segments>();

const parsedCache = new Map<string, ActionPattern>();

export function parseActionPattern(source: string): ActionPattern {
    let parsed = parsedCache.get(source);
    if (!parsed) {
        parsed = parse(source);
        if (parsedCache.size > 50_000) parsedCache.clear();
        parsedCache.set(source, parsed);
    }
    return parsed;
}

function parse(source: string): ActionPattern {
    const normalized = foldStars(source.toLowerCase());
    const colon = normalized.indexOf(":");
    return {
        source,
        normalized,
        hasWildcard: normalized.includes("*") || normalized.includes("?"),
        service: colon < 0 ? undefined : normalized.slice(0, colon),
    };
}

/** True when `pattern` (an IAM glob) matches the whole of `name`, ignoring case. */
export function matchesAction(pattern: ActionPattern | string, name: string): boolean {
    const normalized = typeof pattern === "string" ? foldStars(pattern.toLowerCase()) : pattern.normalized;
    return globMatch(compile(normalized), caseFoldable(name), true);
}

/**
 * True when a glob (`*` and `?` wildcards) matches the whole of a string, case-sensitively: the
 * patterns of exemptions (URNs, role names and ARNs, families). Not for IAM's Resource, which
 * matches ARNs field by field: see `arnPattern.ts`.
 */
export function matchesGlob(pattern: string, text: string): boolean {
    return globMatch(compile(foldStars(pattern)), text, false);
}

const QUESTION = 63;

/** True when any of the patterns matches the name. */
export function anyMatches(patterns: readonly ActionPattern[], name: string): boolean {
    const text = caseFoldable(name);
    for (let i = 0; i < patterns.length; i++) if (globMatch(compile(patterns[i].normalized), text, true)) return true;
    return false;
}

/**
 * The name, ready to be compared with lower-case patterns by folding ASCII letters one at a time:
 * no copy per comparison, which matters when one statement is checked against every action of the
 * catalog. A name with other characters is lower-cased whole, as `toLowerCase` would.
 */
function caseFoldable(name: string): string {
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 127) return name.toLowerCase();
    return name;
}

function foldStars(s: string): string {
    if (!s.includes("**")) return s;
    let out = "";
    for (const ch of s) {
        if (ch === "*" && out.endsWith("*")) continue;
        out += ch;
    }
    return out;
}

function compile(normalized: string): Segments {
    let compiled = compiledCache.get(normalized);
    if (!compiled) {
        compiled = normalized.split("*");
        // Bounded: patterns come from user documents, and a long-lived process sees many stacks.
        if (compiledCache.size > 50_000) compiledCache.clear();
        compiledCache.set(normalized, compiled);
    }
    return compiled;
}

/**
 * Does `seg` (which may hold `?`) match `text` at position `at`? With `fold`, ASCII capitals in the
 * text compare as their lower case (patterns are lower-cased already).
 */
function segmentMatchesAt(seg: string, text: string, at: number, fold: boolean): boolean {
    if (at + seg.length > text.length) return false;
    for (let i = 0; i < seg.length; i++) {
        const c = seg.charCodeAt(i);
        if (c === QUESTION) continue;
        let t = text.charCodeAt(at + i);
        if (fold && t >= 65 && t <= 90) t += 32;
        if (c !== t) return false;
    }
    return true;
}

function globMatch(segs: Segments, text: string, fold: boolean): boolean {
    if (segs.length === 1) {
        return segs[0].length === text.length && segmentMatchesAt(segs[0], text, 0, fold);
    }
    const first = segs[0];
    const last = segs[segs.length - 1];
    if (first.length + last.length > text.length) return false;
    if (!segmentMatchesAt(first, text, 0, fold)) return false;
    if (!segmentMatchesAt(last, text, text.length - last.length, fold)) return false;
    let pos = first.length;
    const end = text.length - last.length;
    for (let s = 1; s < segs.length - 1; s++) {
        const seg = segs[s];
        let found = -1;
        for (let at = pos; at + seg.length <= end; at++) {
            if (segmentMatchesAt(seg, text, at, fold)) {
                found = at;
                break;
            }
        }
        if (found < 0) return false;
        pos = found + seg.length;
    }
    return true;
}
