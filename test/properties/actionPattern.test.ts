import { strict as assert } from "assert";
import fc from "fast-check";
import { expandActionPattern } from "../../policies/iam/actionCatalog";
import { anyMatches, matchesAction, matchesGlob, parseActionPattern } from "../../policies/iam/actionPattern";
import { applyDisguise, Catalog, disguiseArb, elementOf, globMatches, loadCatalog } from "../helpers/arbitraries";

/**
 * The matcher and the expansion against the reference oracle (a dynamic-programming matcher
 * scanning every catalog name). Runs: 3,000 small pattern/name pairs, 150 catalog expansions.
 */
const MATCH_RUNS = 3000;
const EXPANSION_RUNS = 150;

/** Small alphabets make collisions, near misses and star runs likely. */
const patternArb = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", ":", "*", "?"), maxLength: 12 });
const nameArb = fc.string({ unit: fc.constantFrom("a", "b", "A", "B", ":"), maxLength: 12 });
/** Letters whose lower case is not ASCII, or is ASCII from outside it (the Kelvin sign), or is longer (dotted I). */
const unicodeNameArb = fc.string({ unit: fc.constantFrom("a", "K", "k", "\u212a", "\u0130", "i", "\u00c9", "\u00e9", ":"), maxLength: 8 });
const unicodePatternArb = fc.string({ unit: fc.constantFrom("a", "K", "k", "\u212a", "\u0130", "i", "\u00c9", "\u00e9", ":", "*", "?"), maxLength: 8 });
/** Exemption globs: case-sensitive, so both cases of a letter. */
const caseSensitiveGlobArb = fc.string({ unit: fc.constantFrom("a", "b", "B", ":", "*", "?"), maxLength: 8 });
const caseSensitiveTextArb = fc.string({ unit: fc.constantFrom("a", "b", "B", ":"), maxLength: 8 });

/** A case-sensitive glob as a regular expression: an oracle built another way than the matcher. */
function globRegExp(glob: string): RegExp {
    return new RegExp(`^${[...glob].map((ch) => (ch === "*" ? "[^]*" : ch === "?" ? "[^]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`);
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

    it(`matchesGlob agrees with a regular expression on any glob and text, case-sensitively (numRuns: ${MATCH_RUNS})`, () => {
        fc.assert(
            fc.property(caseSensitiveGlobArb, caseSensitiveTextArb, (glob, text) => {
                assert.equal(matchesGlob(glob, text), globRegExp(glob).test(text), `${glob} and ${text}`);
            }),
            { numRuns: MATCH_RUNS },
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
