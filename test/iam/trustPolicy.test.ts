import { strict as assert } from "assert";
import { admitsAssume, parseTrustPolicy, TrustPolicy } from "../../policies/iam/trustPolicy";
import { ASSUME_ECS_TASKS, UNKNOWN } from "../helpers/stacks";

const isUnknown = (v: unknown) => v === UNKNOWN;

/** What a test compares of a parsed statement: the patterns as written, instead of their parsed form. */
interface Summary {
    path: string;
    effect: string;
    actionKind: string;
    actions: string[];
    principals: readonly string[];
    notPrincipal: boolean;
    conditionKeys: readonly string[];
}

function summarise(trust: TrustPolicy): { statements: Summary[]; problems: readonly string[] } | string {
    if (trust.kind !== "known") return trust.kind;
    // The size has tests of its own, below.
    return { statements: trust.statements.map((s) => ({ ...s, actions: s.actions.map((a) => a.source) })), problems: trust.problems };
}

const ECS_TASKS = { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" };
const ecsTasksParsed: Summary = {
    path: "Statement[0]",
    effect: "Allow",
    actionKind: "Action",
    actions: ["sts:AssumeRole"],
    principals: ["Service:ecs-tasks.amazonaws.com"],
    notPrincipal: false,
    conditionKeys: [],
};

const cases: { name: string; raw: unknown; expected: ReturnType<typeof summarise> }[] = [
    { name: "an unknown trust policy as unknown", raw: UNKNOWN, expected: "unknown" },
    {
        name: "a JSON string as the document it holds",
        raw: JSON.stringify({ Statement: [ECS_TASKS] }),
        expected: { statements: [ecsTasksParsed], problems: [] },
    },
    { name: "an object as a document", raw: { Statement: [ECS_TASKS] }, expected: { statements: [ecsTasksParsed], problems: [] } },
    {
        name: "a single statement, not in a list, at the path Statement",
        raw: { Statement: ECS_TASKS },
        expected: { statements: [{ ...ecsTasksParsed, path: "Statement" }], problems: [] },
    },
    { name: "text that is not JSON as a problem", raw: "{not json", expected: { statements: [], problems: ["the trust policy is not valid JSON"] } },
    {
        name: "a Principal written twice in a statement as a problem, since IAM documents no rule for which it reads",
        raw: '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
        expected: {
            statements: [ecsTasksParsed],
            problems: ['Statement[0]: the key "Principal" appears twice here, and IAM does not document which of the two it reads: write it once'],
        },
    },
    {
        name: "a Statement written twice as a problem of the trust policy",
        raw: '{"Statement":[],"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
        expected: {
            statements: [ecsTasksParsed],
            problems: ['the trust policy: the key "Statement" appears twice here, and IAM does not document which of the two it reads: write it once'],
        },
    },
    { name: "a list as a problem", raw: [ECS_TASKS], expected: { statements: [], problems: ["the trust policy must be an object, not a list"] } },
    { name: "JSON null as a problem", raw: "null", expected: { statements: [], problems: ["the trust policy must be an object, not null"] } },
    {
        name: "a statement that is not an object, and an odd Effect, as problems, keeping the good statements",
        raw: { Statement: ["x", { ...ECS_TASKS, Effect: "allow" }, ECS_TASKS] },
        expected: {
            statements: [{ ...ecsTasksParsed, path: "Statement[2]" }],
            problems: ['Statement[0] must be an object, not "x"', 'Statement[1].Effect must be "Allow" or "Deny", not "allow"'],
        },
    },
    {
        name: "Deny, NotAction, NotPrincipal, every principal kind, and the condition keys of every operator, lower-cased",
        raw: {
            Statement: [
                {
                    Effect: "Deny",
                    NotPrincipal: { Service: ["ECS-Tasks.amazonaws.com"], AWS: "arn:aws:iam::123456789012:Root", Federated: 7 },
                    NotAction: ["sts:TagSession", 3],
                    Condition: { StringEquals: { "AWS:SourceAccount": "1", "aws:SourceArn": "2" }, Bool: { "aws:SecureTransport": "true" }, Odd: "x" },
                },
            ],
        },
        expected: {
            statements: [
                {
                    path: "Statement[0]",
                    effect: "Deny",
                    actionKind: "NotAction",
                    actions: ["sts:TagSession"],
                    principals: ["Service:ecs-tasks.amazonaws.com", "AWS:arn:aws:iam::123456789012:Root"],
                    notPrincipal: true,
                    conditionKeys: ["aws:sourceaccount", "aws:sourcearn", "aws:securetransport"],
                },
            ],
            problems: [],
        },
    },
    {
        name: 'Principal "*" as everyone, and Action beside NotAction as Action',
        raw: { Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", NotAction: "s3:*", Condition: "x" }] },
        expected: {
            statements: [{ ...ecsTasksParsed, principals: ["*"] }],
            problems: [],
        },
    },
    {
        name: "a principal that is neither an object nor * as no principal",
        raw: { Statement: [{ Effect: "Allow", Principal: "ecs-tasks.amazonaws.com", Action: ["sts:AssumeRole"] }] },
        expected: { statements: [{ ...ecsTasksParsed, principals: [] }], problems: [] },
    },
];

describe("parseTrustPolicy", () => {
    for (const c of cases) {
        it(`reads ${c.name}`, () => {
            assert.deepEqual(summarise(parseTrustPolicy(c.raw, isUnknown)), c.expected);
        });
    }

    const sizeOf = (raw: unknown) => {
        const trust = parseTrustPolicy(raw, isUnknown);
        return trust.kind === "known" ? trust.size : undefined;
    };

    it("counts a trust policy's characters as IAM counts them against its quota of 2,048: 199 for the recommended one", function () {
        assert.equal(sizeOf(ASSUME_ECS_TASKS), 199);
    });

    it("leaves whitespace between the elements out of the count", function () {
        assert.equal(sizeOf(JSON.stringify(JSON.parse(ASSUME_ECS_TASKS), null, 4)), 199);
    });

    it("counts a trust policy given as an object on its compact JSON", function () {
        const trust = { Statement: { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" } };
        assert.equal(sizeOf(trust), 108);
    });

    it("counts an unknown leaf as one character, so that the count is never more than IAM's", function () {
        const trust = { Statement: { Effect: "Allow", Principal: { Service: UNKNOWN }, Action: "sts:AssumeRole" } };
        assert.equal(sizeOf(trust), 84);
    });

    it("counts nothing for a trust policy it cannot read", function () {
        assert.equal(sizeOf("{ not json"), 0);
    });
});

describe("admitsAssume", () => {
    const admits = (statement: object) => {
        const trust = parseTrustPolicy({ Statement: [statement] }, isUnknown);
        assert.equal(trust.kind, "known");
        return trust.kind === "known" && admitsAssume(trust.statements[0]);
    };
    const table: [string, object, boolean][] = [
        ["sts:AssumeRole", { Action: "sts:AssumeRole" }, true],
        ["sts:AssumeRoleWithWebIdentity", { Action: "sts:AssumeRoleWithWebIdentity" }, true],
        ["sts:AssumeRoleWithSAML", { Action: "sts:AssumeRoleWithSAML" }, true],
        ["a pattern matching an assume action, in any case", { Action: "STS:assume*" }, true],
        ["sts:TagSession alone", { Action: "sts:TagSession" }, false],
        ["NotAction that leaves an assume action in", { NotAction: ["sts:AssumeRole", "sts:AssumeRoleWithSAML"] }, true],
        ["NotAction naming every assume action", { NotAction: "sts:Assume*" }, false],
        ["no action at all", {}, false],
    ];
    for (const [what, action, expected] of table) {
        it(`${expected ? "admits" : "does not admit"} ${what}`, () => {
            assert.equal(admits({ Effect: "Allow", Principal: "*", ...action }), expected);
        });
    }
});
