import { strict as assert } from "assert";
import fc from "fast-check";
import { covers, mayCover, NeededArn, neededArn } from "../../policies/iam/arnPattern";

/**
 * mayCover and covers against an oracle that enumerates: every value of a need's unknown parts up
 * to a length (over letters the patterns use, and `z`, which none does), each matched as IAM's
 * Resource does by regular expressions built here: the partition, service, Region and account
 * each a glob ignoring case, the resource part a glob whose `*` runs over `/` and `:`, and a
 * pattern that stops short of six segments matching the fields after it only if it ends in `*`.
 * Small alphabets make near misses likely. A shortest witness, or counterexample, is no longer
 * than the pattern and one character more, which the bounds allow.
 */
const RUNS = 3000;

const fieldGlobArb = fc.string({ unit: fc.constantFrom("a", "b", "A", "*", "?"), maxLength: 2 });
const resourceGlobArb = fc.string({ unit: fc.constantFrom("a", "b", "B", ":", "/", "*", "?"), maxLength: 4 });

const knownFieldArb = fc.string({ unit: fc.constantFrom("a", "b", "B"), maxLength: 2 });
const needArb: fc.Arbitrary<NeededArn> = fc
    .record({
        partition: fc.option(knownFieldArb, { nil: undefined }),
        service: knownFieldArb,
        region: fc.option(knownFieldArb, { nil: undefined }),
        account: fc.option(knownFieldArb, { nil: undefined }),
        resource: fc.string({ unit: fc.constantFrom("a", "b", "B", ":", "/"), maxLength: 3 }),
        tail: fc.constantFrom<number | "any">(0, 1, 2, "any"),
    })
    .map((parts) => neededArn(parts));

/**
 * A Resource entry for a need: `arn`, four fields and the resource part, or the first few segments
 * of that. Each field is as often `*` or the need's own value as any glob, so that the resource part
 * is reached.
 */
function patternArbFor(need: NeededArn): fc.Arbitrary<string> {
    const field = (value: string | undefined) => fc.oneof(fieldGlobArb, fc.constant("*"), fc.constant(value ?? "a"));
    return fc
        .record({
            fields: fc.tuple(field(need.partition), field(need.service), field(need.region), field(need.account)),
            resource: fc.oneof(
                resourceGlobArb,
                resourceGlobArb.map((glob) => need.resource + glob),
            ),
            written: fc.oneof({ weight: 3, arbitrary: fc.constant(6) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }) }),
            endStar: fc.boolean(),
        })
        .map(({ fields, resource, written, endStar }) => {
            const parts = ["arn", ...fields, resource].slice(0, written);
            if (written < 6 && endStar) parts[written - 1] += "*";
            return parts.join(":");
        });
}

const caseArb = needArb.chain((need) => patternArbFor(need).map((pattern) => ({ pattern, need })));

/** Every string over the alphabet of the given lengths. */
function strings(alphabet: readonly string[], min: number, max: number): string[] {
    const out: string[] = [];
    let level = [""];
    for (let n = 0; n <= max; n++) {
        if (n >= min) out.push(...level);
        level = level.flatMap((prefix) => alphabet.map((ch) => prefix + ch));
    }
    return out;
}

const FIELD_VALUES = strings(["a", "b", "A", "z"], 0, 3);
const RUN_VALUES = strings(["a", "b", "B", ":", "/", "z"], 0, 5);
const CHARACTER_VALUES = (k: number) => strings(["a", "b", "B", ":", "/", "z"], k, k);

function globRegExp(glob: string, flags = ""): RegExp {
    return new RegExp(`^${[...glob].map((ch) => (ch === "*" ? "[^]*" : ch === "?" ? "[^]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("")}$`, flags);
}

/** The pattern's six globs, a field it stops short of being `*` (or no match at all, when it does not end in `*`). */
function globsOf(pattern: string): RegExp[] | undefined {
    const colons = pattern.split(":");
    const parts = [...colons.slice(0, 5), ...(colons.length > 5 ? [colons.slice(5).join(":")] : [])];
    if (parts.length < 6) {
        if (!parts[parts.length - 1].endsWith("*")) return undefined;
        while (parts.length < 6) parts.push("*");
    }
    return parts.map((part, i) => globRegExp(part, i < 5 ? "i" : ""));
}

/** For each field and for the resource part, whether some value (`some`) or every value (`every`) is matched. */
function oracle(pattern: string, need: NeededArn, quantifier: "some" | "every"): boolean {
    const globs = globsOf(pattern);
    if (globs === undefined) return false;
    const fields = ["arn", need.partition, need.service, need.region, need.account];
    const test = (glob: RegExp, values: readonly string[]) => (quantifier === "some" ? values.some((v) => glob.test(v)) : values.every((v) => glob.test(v)));
    const fieldsMatch = fields.every((value, i) => test(globs[i], value === undefined ? FIELD_VALUES : [value]));
    const tails = need.tail === "any" ? RUN_VALUES : CHARACTER_VALUES(need.tail);
    return (
        fieldsMatch &&
        test(
            globs[5],
            tails.map((tail) => need.resource + tail),
        )
    );
}

describe("property: ARN patterns cover needs as IAM's Resource matches them", () => {
    it(`mayCover is true exactly when some value of the need's unknown parts is matched (numRuns: ${RUNS})`, () => {
        fc.assert(
            fc.property(caseArb, ({ pattern, need }) => {
                assert.equal(mayCover(pattern, need), oracle(pattern, need, "some"), `${pattern} against ${need.text}`);
            }),
            { numRuns: RUNS },
        );
    });

    it(`covers is true exactly when every value of the need's unknown parts is matched (numRuns: ${RUNS})`, () => {
        fc.assert(
            fc.property(caseArb, ({ pattern, need }) => {
                assert.equal(covers(pattern, need), oracle(pattern, need, "every"), `${pattern} against ${need.text}`);
            }),
            { numRuns: RUNS },
        );
    });
});
