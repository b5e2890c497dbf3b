/**
 * ARNs as IAM matches a statement's `Resource` (or `NotResource`) entries against them, and the
 * ARNs a task's containers need, some of whose parts are not known.
 *
 * IAM User Guide, "IAM identifiers" (IAM ARNs) and "Identify AWS resources with Amazon Resource
 * Names (ARNs)": an ARN is `arn:partition:service:region:account-id:resource`, the resource part
 * being all that follows the fifth colon, `/` and `:` included. "IAM JSON policy elements:
 * Resource" (Using wildcards in resource ARNs): `*` and `?` are wildcards within each segment, the
 * parts between colons; a `*` that ends the last segment written expands beyond the colon
 * boundaries (`arn:aws:logs:*` is every CloudWatch Logs ARN); in the resource part `*` also spans
 * `/`; names in the resource part are case-sensitive. "IAM policy elements: Variables and tags":
 * in a document of Version 2012-10-17, `${aws:username}` and the like are replaced per request,
 * and `${*}`, `${?}` and `${$}` stand for the characters themselves.
 *
 * So an ARN is compared field by field, never as one string: compared whole,
 * `arn:*:logs:*:*:log-group:/ecs/app:*` meets `arn:aws:logs:*:*:log-group:/ecs/side:*`, the need's
 * first `*` running over colons into the other's group. Partition, service, Region and account
 * are compared ignoring case; the resource part is not.
 *
 * A need (`NeededArn`) may have parts not known: the partition, Region or account where the task
 * runs, which its definition leaves out, or the end of its resource part (a secret's random
 * six-character suffix, a log stream's name). A pattern `mayCover`s it when some value of those
 * parts is one it matches (an `Allow` that may apply), and `covers` it when every value is (a
 * `Deny` that certainly applies). An unknown part is never a wildcard of the pattern: it stands for
 * one value in its own field. A policy variable is known only per request: it may be anything, and
 * is never counted on to cover.
 *
 * Patterns are compiled once into segments between stars, and a segment is placed at its leftmost
 * possible position: exact for `*`/`?` globs, at most pattern length × text length steps, no
 * regular expression and no backtracking.
 */

/** An ARN a container needs; a field left undefined, or the tail, is not known. */
export interface NeededArn {
    readonly partition: string | undefined;
    readonly service: string;
    readonly region: string | undefined;
    readonly account: string | undefined;
    /** The resource part, as far as it is known. */
    readonly resource: string;
    /** What follows `resource` and is not known: that many characters, or `"any"` run. */
    readonly tail: number | "any";
    /** As messages and suggestions write it: `*` for a field not known, `?` per unknown character, `*` for an unknown run. */
    readonly text: string;
}

/** A need's ARN from its parts; the fields left out are not known. */
export function neededArn(parts: {
    readonly partition?: string;
    readonly service: string;
    readonly region?: string;
    readonly account?: string;
    readonly resource: string;
    readonly tail?: number | "any";
}): NeededArn {
    const tail = parts.tail ?? 0;
    const { partition, service, region, account, resource } = parts;
    return {
        partition,
        service,
        region,
        account,
        resource,
        tail,
        text: `arn:${partition ?? "*"}:${service}:${region ?? "*"}:${account ?? "*"}:${resource}${tail === "any" ? "*" : "?".repeat(tail)}`,
    };
}

/**
 * An ARN known whole, read as it is: every character literal, `*` and `?` included (an S3 key may
 * hold them). Undefined unless it starts with `arn:`; missing fields are empty.
 */
export function exactArn(text: string): NeededArn | undefined {
    if (!text.startsWith("arn:")) return undefined;
    const [, partition, service, region, account, resource] = splitArn(text);
    return { partition, service, region, account, resource, tail: 0, text };
}

/** Whether the pattern matches the need for some value of its unknown parts: an Allow on it may apply. */
export function mayCover(pattern: string, need: NeededArn, variables = false): boolean {
    return matchesNeed(compiled(pattern, variables), need, false);
}

/** Whether the pattern matches the need whatever its unknown parts turn out to be: a Deny on it certainly applies. */
export function covers(pattern: string, need: NeededArn, variables = false): boolean {
    return matchesNeed(compiled(pattern, variables), need, true);
}

/** Whether the pattern certainly matches an ARN known whole (`exactArn`); false for a string that is not an ARN. */
export function arnMatches(pattern: string, arn: string, variables = false): boolean {
    const need = exactArn(arn);
    return need !== undefined && covers(pattern, need, variables);
}

/** Whether the pattern names exactly one ARN: no wildcard and no policy variable, `${*}` and the like aside. */
export function namesOneArn(pattern: string, variables = false): boolean {
    const c = compiled(pattern, variables);
    return !c.all && !c.none && c.may.every((glob) => glob.segments.length === 1 && !glob.segments[0].includes(ANY_ONE));
}

/** The first five colons split an ARN: the resource part keeps the rest. Fewer than six parts when it has fewer colons. */
function splitArn(text: string): string[] {
    const parts: string[] = [];
    let start = 0;
    for (let k = 0; k < 5; k++) {
        const colon = text.indexOf(":", start);
        if (colon < 0) break;
        parts.push(text.slice(start, colon));
        start = colon + 1;
    }
    parts.push(text.slice(start));
    while (parts.length < 6) parts.push("");
    return parts;
}

/** `?` in a compiled segment: any one character. Literal characters are their (non-negative) codes. */
const ANY_ONE = -1;
/** A policy variable where only certainty counts: its value is not known, so it is taken to match nothing. */
const NOTHING = -2;

const STAR = 42;
const QUESTION = 63;
const DOLLAR = 36;
const OPEN_BRACE = 123;

/** A glob split at its stars: the first segment anchored at the start, the last at the end; one segment, no star. */
interface Glob {
    readonly segments: readonly Int32Array[];
}

interface CompiledPattern {
    /** `*`: every resource. */
    readonly all: boolean;
    /** Not an ARN pattern IAM can match with anything. */
    readonly none: boolean;
    /** Per field (`arn`, partition, service, Region, account, resource): a variable read as a `*`. */
    readonly may: readonly Glob[];
    /** The same, a variable read as matching nothing. */
    readonly sure: readonly Glob[];
}

const ALL: CompiledPattern = { all: true, none: false, may: [], sure: [] };
const NONE: CompiledPattern = { all: false, none: true, may: [], sure: [] };

const cache = new Map<string, CompiledPattern>();

function compiled(pattern: string, variables: boolean): CompiledPattern {
    const key = variables ? `$${pattern}` : `-${pattern}`;
    let c = cache.get(key);
    if (c === undefined) {
        c = compile(pattern, variables);
        // Bounded: patterns come from user documents, and a long-lived process sees many stacks.
        if (cache.size > 50_000) cache.clear();
        cache.set(key, c);
    }
    return c;
}

function compile(pattern: string, variables: boolean): CompiledPattern {
    if (/^\*+$/.test(pattern)) return ALL;
    const written = pattern.split(":", 6).length;
    const parts = splitArn(pattern);
    if (written < 6) {
        // The `*` ending the last segment written runs over the colons: every field after it matches anything.
        if (!parts[written - 1].endsWith("*")) return NONE;
        for (let i = written; i < 6; i++) parts[i] = "*";
    }
    const may: Glob[] = [];
    const sure: Glob[] = [];
    parts.forEach((part, i) => {
        const globs = tokenize(i < 5 ? part.toLowerCase() : part, variables);
        may.push(globs.may);
        sure.push(globs.sure);
    });
    return { all: false, none: false, may, sure };
}

/** A segment's glob, twice: with each policy variable as a `*` (it may be anything) and as matching nothing. */
function tokenize(s: string, variables: boolean): { may: Glob; sure: Glob } {
    const may: number[][] = [[]];
    const sure: number[][] = [[]];
    const both = (code: number) => {
        may[may.length - 1].push(code);
        sure[sure.length - 1].push(code);
    };
    for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        if (ch === STAR) {
            may.push([]);
            sure.push([]);
        } else if (ch === QUESTION) {
            both(ANY_ONE);
        } else if (variables && ch === DOLLAR && s.charCodeAt(i + 1) === OPEN_BRACE && s.indexOf("}", i + 2) > 0) {
            const close = s.indexOf("}", i + 2);
            const inner = s.slice(i + 2, close);
            i = close;
            if (inner === "*" || inner === "?" || inner === "$") both(inner.charCodeAt(0));
            else {
                may.push([]);
                sure[sure.length - 1].push(NOTHING);
            }
        } else {
            both(ch);
        }
    }
    const glob = (segments: number[][]): Glob => ({ segments: segments.map((seg) => Int32Array.from(seg)) });
    return { may: glob(may), sure: glob(sure) };
}

function matchesNeed(c: CompiledPattern, need: NeededArn, sure: boolean): boolean {
    if (c.all) return true;
    if (c.none) return false;
    const globs = sure ? c.sure : c.may;
    for (let i = 0; i < 5; i++) {
        const value = i === 0 ? "arn" : i === 1 ? need.partition : i === 2 ? need.service : i === 3 ? need.region : need.account;
        if (value === undefined) {
            // One value of a field not known: some value fits any glob; every value fits only a glob of stars.
            if (sure && !matchesEverything(globs[i])) return false;
            continue;
        }
        if (!globMatches(globs[i], value, true, 0, false)) return false;
    }
    return resourceMatches(globs[5], need, sure);
}

function resourceMatches(glob: Glob, need: NeededArn, sure: boolean): boolean {
    const { resource: known, tail } = need;
    if (tail !== "any") return globMatches(glob, known, false, tail, !sure);
    const segments = glob.segments;
    const last = segments[segments.length - 1];
    if (sure) {
        // Every continuation: a star to take any length, only `?` after the last star, and the known part itself matched.
        return segments.length > 1 && last.every((code) => code === ANY_ONE) && globMatches(glob, known, false, 0, false);
    }
    // Some continuation: the text before the first star agrees with the known part where they overlap, and the
    // rest of the pattern is spelled out after it. Without a star, the pattern must also reach past the known part.
    const first = segments[0];
    return (segments.length > 1 || first.length >= known.length) && segmentAt(first, known, 0, false, true);
}

function matchesEverything(glob: Glob): boolean {
    return glob.segments.length > 1 && glob.segments.every((seg) => seg.length === 0);
}

/**
 * Whether `seg` matches at `at` in a text that is `text` followed by further positions not known:
 * `wild` ones, which match any character, or (otherwise) ones that only `?` matches. With `fold`,
 * ASCII capitals in the text compare as their lower case (field patterns are lower-cased already).
 */
function segmentAt(seg: Int32Array, text: string, at: number, fold: boolean, wild: boolean): boolean {
    for (let i = 0; i < seg.length; i++) {
        const code = seg[i];
        if (code === ANY_ONE) continue;
        if (code === NOTHING) return false;
        const p = at + i;
        if (p >= text.length) {
            if (wild) continue;
            return false;
        }
        let t = text.charCodeAt(p);
        if (fold && t >= 65 && t <= 90) t += 32;
        if (code !== t) return false;
    }
    return true;
}

/** Whether the glob matches the whole of `text` followed by `extra` unknown positions (see `segmentAt`). */
function globMatches(glob: Glob, text: string, fold: boolean, extra: number, wild: boolean): boolean {
    const segments = glob.segments;
    const length = text.length + extra;
    if (segments.length === 1) return segments[0].length === length && segmentAt(segments[0], text, 0, fold, wild);
    const first = segments[0];
    const last = segments[segments.length - 1];
    if (first.length + last.length > length) return false;
    if (!segmentAt(first, text, 0, fold, wild) || !segmentAt(last, text, length - last.length, fold, wild)) return false;
    let pos = first.length;
    const end = length - last.length;
    for (let s = 1; s < segments.length - 1; s++) {
        const seg = segments[s];
        let found = -1;
        for (let at = pos; at + seg.length <= end; at++) {
            if (segmentAt(seg, text, at, fold, wild)) {
                found = at;
                break;
            }
        }
        if (found < 0) return false;
        pos = found + seg.length;
    }
    return true;
}
