import { strict as assert } from "assert";
import { anyMatches, matchesAction, parseActionPattern } from "../../policies/iam/actionPattern";

interface MatchCase {
    readonly name: string;
    readonly pattern: string;
    readonly action: string;
    readonly expected: boolean;
}

const TOKEN = "ecr:GetAuthorizationToken";

const MATCH_CASES: readonly MatchCase[] = [
    // Exact names
    { name: "an exact name matches itself", pattern: TOKEN, action: TOKEN, expected: true },
    { name: "an exact name does not match a longer name it prefixes", pattern: TOKEN, action: `${TOKEN}s`, expected: false },
    { name: "an exact name does not match another action", pattern: TOKEN, action: "ecr:BatchGetImage", expected: false },
    { name: "an exact name does not match the same action in another service", pattern: TOKEN, action: "ecr-public:GetAuthorizationToken", expected: false },

    // Case
    { name: "the service is matched ignoring case", pattern: "ECR:GetAuthorizationToken", action: TOKEN, expected: true },
    { name: "the action is matched ignoring case", pattern: "ecr:getauthorizationTOKEN", action: TOKEN, expected: true },
    { name: "the name is matched ignoring case too", pattern: TOKEN, action: "EcR:GETAUTHORIZATIONTOKEN", expected: true },
    { name: "a wildcard pattern is matched ignoring case", pattern: "ECR:get*", action: TOKEN, expected: true },

    // `*`
    { name: "a trailing star matches the rest of the name", pattern: "ecr:Get*", action: TOKEN, expected: true },
    { name: "a trailing star matches nothing at all", pattern: "ecr:Get*", action: "ecr:Get", expected: true },
    { name: "a trailing star does not let the head match elsewhere", pattern: "ecr:Get*", action: "ecr:BatchGetImage", expected: false },
    { name: "a leading star matches the start of the name", pattern: "*AuthorizationToken", action: TOKEN, expected: true },
    { name: "a leading star still anchors the tail at the end", pattern: "*AuthorizationToken", action: `${TOKEN}s`, expected: false },
    { name: "a star in the middle matches the run between head and tail", pattern: "ecr:Get*Token", action: TOKEN, expected: true },
    { name: "a star in the middle matches an empty run", pattern: "ecr:GetAuthorization*Token", action: TOKEN, expected: true },
    { name: "a star in the middle needs the tail it names", pattern: "ecr:Get*Layer", action: TOKEN, expected: false },
    { name: "stars around a middle segment find it anywhere", pattern: "*Authorization*", action: TOKEN, expected: true },
    { name: "a lone star matches any name", pattern: "*", action: "s3:GetObject", expected: true },
    { name: "a lone star matches the empty name", pattern: "*", action: "", expected: true },

    // `?`
    { name: "a question mark matches exactly one character", pattern: "ecs:Pol?", action: "ecs:Poll", expected: true },
    { name: "a question mark does not match zero characters", pattern: "ecs:Poll?", action: "ecs:Poll", expected: false },
    { name: "a question mark does not match two characters", pattern: "ecs:Po?", action: "ecs:Poll", expected: false },
    { name: "a question mark matches the colon like any other character", pattern: "ecs?Poll", action: "ecs:Poll", expected: true },

    // Wildcards in the service prefix
    { name: "a question mark in the service matches one character of it", pattern: "ec?:GetAuthorizationToken", action: TOKEN, expected: true },
    {
        name: "a question mark in the service does not match a longer service",
        pattern: "ec?:GetAuthorizationToken",
        action: "ecr-public:GetAuthorizationToken",
        expected: false,
    },
    { name: "a star in the service matches the rest of the service", pattern: "e*:BatchGetImage", action: "ecr:BatchGetImage", expected: true },
    { name: "a star in the service still needs the action it names", pattern: "e*:BatchGetImage", action: "ecr:BatchCheckLayerAvailability", expected: false },
    { name: "a star in the service still needs the head it names", pattern: "e*:BatchGetImage", action: "s3:BatchGetImage", expected: false },
    { name: "star colon star matches any action", pattern: "*:*", action: "s3:GetObject", expected: true },
    { name: "star colon star needs a colon in the name", pattern: "*:*", action: "s3GetObject", expected: false },

    // Runs of stars
    { name: "a double star is a single star", pattern: "**", action: "s3:GetObject", expected: true },
    { name: "a double star in the middle is a single star", pattern: "ecr:**Token", action: TOKEN, expected: true },
    { name: "a double star at the end matches nothing at all", pattern: "ecr:Get**", action: "ecr:Get", expected: true },
    { name: "a double star does not match a name the single star would not", pattern: "ecr:**Layer", action: TOKEN, expected: false },

    // Regular-expression metacharacters are literal
    { name: "a dot is a literal dot, not any character", pattern: "ecr:Get.*", action: TOKEN, expected: false },
    { name: "a dot matches a literal dot", pattern: "ecr:Get.*", action: "ecr:Get.Token", expected: true },
    { name: "parentheses are literal, not a group", pattern: "ecr:(Get)*", action: TOKEN, expected: false },
    { name: "parentheses match literal parentheses", pattern: "ecr:(Get)*", action: "ecr:(Get)Token", expected: true },
    { name: "brackets are literal, not a character class", pattern: "ecr:[GB]*", action: TOKEN, expected: false },
    { name: "a plus is literal, not a repetition", pattern: "ecr:Get+", action: "ecr:Gett", expected: false },
    { name: "a plus matches a literal plus", pattern: "ecr:Get+", action: "ecr:Get+", expected: true },
    { name: "a dollar is literal, not an end anchor", pattern: "ecr:Get$", action: "ecr:Get", expected: false },
    { name: "a caret is literal, not a start anchor", pattern: "^ecr:Get*", action: TOKEN, expected: false },
    { name: "a bar is literal, not an alternative", pattern: "ecr:Put|Get*", action: TOKEN, expected: false },
    { name: "a backslash does not escape the star after it", pattern: "ecr:Get\\*", action: "ecr:Get*", expected: false },
    { name: "a backslash is a literal backslash", pattern: "ecr:Get\\*", action: "ecr:Get\\Token", expected: true },

    // Lengths
    { name: "the empty pattern does not match a name", pattern: "", action: TOKEN, expected: false },
    { name: "the empty pattern matches the empty name", pattern: "", action: "", expected: true },
    { name: "a pattern longer than the name does not match", pattern: `${TOKEN}X`, action: TOKEN, expected: false },
    { name: "a head and tail that would overlap in the name do not match", pattern: "ecr:GetAuth*thToken", action: "ecr:GetAuthToken", expected: false },
    { name: "a head and tail that only overlap in one character do not match", pattern: "ab*ba", action: "aba", expected: false },

    // Many stars and question marks
    { name: "four star-question pairs match four characters", pattern: "*?*?*?*?", action: "abcd", expected: true },
    { name: "four star-question pairs do not match three characters", pattern: "*?*?*?*?", action: "abc", expected: false },
    { name: "star-question pairs after a service need that many characters", pattern: "ecr:*?*?*?", action: "ecr:Get", expected: true },
    { name: "star-question pairs after a service fail one character short", pattern: "ecr:*?*?*?", action: "ecr:Ge", expected: false },
    { name: "middle segments are placed in order", pattern: "*Get*Token*", action: "ecr:TokenGet", expected: false },
    { name: "middle segments may repeat", pattern: "*a*a*a*", action: "ecr:BatchImportUpstreamImage", expected: true },
    { name: "middle segments may not repeat beyond the name", pattern: "*a*a*a*a*a*", action: "ecr:BatchImportUpstreamImage", expected: false },
];

describe("matchesAction", function () {
    for (const { name, pattern, action, expected } of MATCH_CASES) {
        it(`${name}: "${pattern}" against "${action}" is ${expected}`, function () {
            assert.equal(matchesAction(pattern, action), expected);
            assert.equal(matchesAction(parseActionPattern(pattern), action), expected);
            assert.equal(anyMatches([parseActionPattern(pattern)], action), expected);
        });
    }

    it("finishes an adversarial pattern against 2,000 names and matches exactly those ending in #", function () {
        const pattern = parseActionPattern("*?".repeat(20) + "#");
        const names: string[] = [];
        for (let i = 0; i < 2000; i++) {
            // Long names full of characters every `?` accepts; every tenth one ends in the needed `#`.
            const body = `service${i}:${"Ab?*".repeat(60)}`;
            names.push(i % 10 === 0 ? `${body}#` : `${body}!`);
        }
        const matched = names.filter((n) => matchesAction(pattern, n));
        assert.equal(matched.length, 200);
        assert.deepEqual(
            matched,
            names.filter((_, i) => i % 10 === 0),
        );
        assert.equal(matchesAction(pattern, "#".repeat(20)), false);
        assert.equal(matchesAction(pattern, "#".repeat(21)), true);
    });
});

describe("anyMatches", function () {
    it("is false for no patterns", function () {
        assert.equal(anyMatches([], TOKEN), false);
    });

    it("is true when only one of several patterns matches", function () {
        const patterns = ["s3:*", "ECR:GET*", "logs:PutLogEvents"].map(parseActionPattern);
        assert.equal(anyMatches(patterns, TOKEN), true);
    });

    it("is false when none of several patterns matches", function () {
        const patterns = ["s3:*", "ecr:Batch*", "logs:PutLogEvents"].map(parseActionPattern);
        assert.equal(anyMatches(patterns, TOKEN), false);
    });
});

describe("parseActionPattern", function () {
    const cases = [
        {
            name: "a plain name is lower-cased and has no wildcard",
            source: "ECR:GetAuthorizationToken",
            expected: { source: "ECR:GetAuthorizationToken", normalized: "ecr:getauthorizationtoken", hasWildcard: false, service: "ecr" },
        },
        {
            name: "runs of stars are folded into one",
            source: "ecr:Get***Token",
            expected: { source: "ecr:Get***Token", normalized: "ecr:get*token", hasWildcard: true, service: "ecr" },
        },
        {
            name: "a question mark is a wildcard",
            source: "ecs:Pol?",
            expected: { source: "ecs:Pol?", normalized: "ecs:pol?", hasWildcard: true, service: "ecs" },
        },
        {
            name: "the service keeps its wildcards",
            source: "E?*:*",
            expected: { source: "E?*:*", normalized: "e?*:*", hasWildcard: true, service: "e?*" },
        },
        {
            name: "a lone star has no service",
            source: "*",
            expected: { source: "*", normalized: "*", hasWildcard: true, service: undefined },
        },
        {
            name: "a name without a colon has no service",
            source: "ecrGetAuthorizationToken",
            expected: { source: "ecrGetAuthorizationToken", normalized: "ecrgetauthorizationtoken", hasWildcard: false, service: undefined },
        },
        {
            name: "a name that starts with a colon has an empty service, not none",
            source: ":GetObject",
            expected: { source: ":GetObject", normalized: ":getobject", hasWildcard: false, service: "" },
        },
        {
            name: "the service ends at the first colon",
            source: "ecr:Get:Token",
            expected: { source: "ecr:Get:Token", normalized: "ecr:get:token", hasWildcard: false, service: "ecr" },
        },
        {
            name: "regular-expression metacharacters are not wildcards",
            source: "ecr:(Get).+$",
            expected: { source: "ecr:(Get).+$", normalized: "ecr:(get).+$", hasWildcard: false, service: "ecr" },
        },
    ];
    for (const { name, source, expected } of cases) {
        it(name, function () {
            assert.deepStrictEqual(parseActionPattern(source), expected);
        });
    }
});
