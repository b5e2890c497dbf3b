import { strict as assert } from "assert";
import fc from "fast-check";
import { expandActionPattern } from "../../policies/iam/actionCatalog";
import { anyMatches, globsIntersect, matchesAction, matchesResource, parseActionPattern } from "../../policies/iam/actionPattern";
import { applyDisguise, Catalog, disguiseArb, elementOf, globMatches, loadCatalog } from "../helpers/arbitraries";

/**
 * The matcher and the expansion against the reference oracle (a dynamic-programming matcher
 * scanning every catalog name). Runs: 3,000 small pattern/name pairs, 150 catalog expansions.
 */
const MATCH_RUNS = 3000;
const EXPANSION_RUNS = 150;
const INTERSECT_RUNS = 1500;

/** Small alphabets make collisions, near misses and star runs likely. */
const patternArb = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", ":", "*", "?"), maxLength: 12 });
const nameArb = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", ":"), maxLength: 12 });
/** Letters whose lower case is not ASCII, or is ASCII from outside it (the Kelvin sign), or is longer (dotted I). */
const unicodeNameArb = fc.string({ unit: fc.constantFrom("a", "K", "k", "\u212a", "\u0130", "i", "\u00c9", "\u00e9", ":"), maxLength: 8 });
const unicodePatternArb = fc.string({ unit: fc.constantFrom("a", "K", "k", "\u212a", "\u0130", "i", "\u00c9", "\u00e9", ":", "*", "?"), maxLength: 8 });
/** Resource globs: case-sensitive, so both cases of a letter. */
const resourceGlobArb = fc.string({ unit: fc.constantFrom("a", "b", "B", "*", "?"), maxLength: 4 });

/** A case-sensitive glob as a regular expression: an oracle built another way than the matcher. */
function globRegExp(glob: string): RegExp {
    return new RegExp(`^${[...glob].map((ch) => (ch === "*" ? "[^]*" : ch === "?" ? "[^]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`);
}

/** Every string over the alphabet up to a length. */
function* stringsUpTo(alphabet: readonly string[], length: number): Generator<string> {
    let level = [""];
    for (let n = 0; n <= length; n++) {
        yield* level;
        level = level.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
    }
}

describe("property: action patterns match as IAM does", () => {
    let c: Catalog;
    before(async () => {
        c = await loadCatalog();
    });

    it(`matchesAction agrees with the reference matcher on any pattern and name (numRuns: ${MATCH_RUNS})`, () => {
        fc.assert(
            fc.property(patternArb, nameArb, (pattern, name) => {
                assert.equal(matchesAction(pattern, name), globMatches(pattern, name));
                assert.equal(matchesAction(parseActionPattern(pattern), name), globMatches(pattern, name));
            }),
            { numRuns: MATCH_RUNS },
        );
    });

    it(`matchesAction and anyMatches agree with the reference matcher on names and patterns beyond ASCII (numRuns: ${MATCH_RUNS})`, () => {
        fc.assert(
            fc.property(unicodePatternArb, unicodeNameArb, (pattern, name) => {
                assert.equal(matchesAction(pattern, name), globMatches(pattern, name));
                assert.equal(anyMatches([parseActionPattern(pattern)], name), globMatches(pattern, name));
            }),
            { numRuns: MATCH_RUNS },
        );
    });

    it(`globsIntersect is true exactly when some string matches both resource globs, case-sensitively (numRuns: ${INTERSECT_RUNS})`, () => {
        // A shortest common string needs no character that stars on both sides absorb, so it is no
        // longer than the two globs together; and any letter does where a wildcard takes one, so
        // strings over the globs' own letters up to that length decide the question.
        fc.assert(
            fc.property(resourceGlobArb, resourceGlobArb, (x, y) => {
                const [rx, ry] = [globRegExp(x), globRegExp(y)];
                let common: string | undefined;
                for (const w of stringsUpTo(["a", "b", "B"], x.length + y.length)) {
                    if (rx.test(w) && ry.test(w)) {
                        common = w;
                        break;
                    }
                }
                assert.equal(globsIntersect(x, y), common !== undefined, `${x} and ${y}: ${common ?? "no common string"}`);
                assert.equal(globsIntersect(y, x), common !== undefined);
                if (!/[*?]/.test(y)) assert.equal(matchesResource(x, y), rx.test(y));
            }),
            { numRuns: INTERSECT_RUNS },
        );
    });

    it(`expandActionPattern finds exactly the catalog actions the reference matcher finds, for disguised actions and stray patterns (numRuns: ${EXPANSION_RUNS})`, async () => {
        const arb = fc.oneof(
            { weight: 4, arbitrary: fc.tuple(elementOf(c.all), disguiseArb).map(([a, d]) => applyDisguise(a, d)) },
            { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("e", "c", "s", "r", "P", "o", "l", ":", "*", "?", "-"), maxLength: 10 }) },
        );
        await fc.assert(
            fc.asyncProperty(arb, async (pattern) => {
                const expected = [...c.expandBrute(pattern)].sort();
                const actual = [...(await expandActionPattern(parseActionPattern(pattern)))].sort();
                assert.deepEqual(actual, expected, pattern);
            }),
            { numRuns: EXPANSION_RUNS },
        );
    });
});
