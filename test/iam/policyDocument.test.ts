import { strict as assert } from "assert";
import { parsePolicyDocument, PolicyDocument, UnknownTest } from "../../policies/iam/policyDocument";

/** What a test compares of a statement: its facts, with action patterns as written. */
interface StatementSummary {
    readonly path: string;
    readonly sid?: string;
    readonly effect: "Allow" | "Deny";
    readonly actionKind: "Action" | "NotAction";
    readonly actions: readonly string[];
    readonly coversAllResources: boolean;
    readonly conditional: boolean;
    readonly incomplete: boolean;
}

/** A problem is compared by its exact path and a part of its message. */
interface ExpectedProblem {
    readonly path: string;
    readonly message: string;
}

interface Expected {
    readonly statements: readonly StatementSummary[];
    readonly problems: readonly ExpectedProblem[];
    readonly unknownPaths: readonly string[];
}

interface DocumentCase {
    readonly name: string;
    readonly policy: unknown;
    readonly isUnknown?: UnknownTest;
    readonly expected: Expected;
}

const UNKNOWN = "UNKNOWN";
const isUnknown: UnknownTest = (v) => v === UNKNOWN;

const PULL_ACTIONS = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"];
const REPOSITORY_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/app";

/** The correct document every case starts from. */
function pullPolicy(statement: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Pull", Effect: "Allow", Action: PULL_ACTIONS, Resource: "*", ...statement }],
    };
}

/** The pull policy with keys of its one statement removed. */
function pullPolicyWithout(...keys: string[]): Record<string, unknown> {
    const statement: Record<string, unknown> = { Sid: "Pull", Effect: "Allow", Action: PULL_ACTIONS, Resource: "*" };
    for (const key of keys) delete statement[key];
    return { Version: "2012-10-17", Statement: [statement] };
}

/** A policy with keys added to (or replaced in) its one statement, after others were removed. */
function withKeys(policy: Record<string, unknown>, keys: Record<string, unknown>): Record<string, unknown> {
    const [statement] = policy.Statement as Record<string, unknown>[];
    return { ...policy, Statement: [{ ...statement, ...keys }] };
}

function pullStatement(overrides: Partial<StatementSummary> = {}): StatementSummary {
    return {
        path: "Statement[0]",
        sid: "Pull",
        effect: "Allow",
        actionKind: "Action",
        actions: PULL_ACTIONS,
        coversAllResources: true,
        conditional: false,
        incomplete: false,
        ...overrides,
    };
}

const PULL: Expected = { statements: [pullStatement()], problems: [], unknownPaths: [] };

function withStatement(overrides: Partial<StatementSummary>, problems: ExpectedProblem[] = [], unknownPaths: string[] = []): Expected {
    return { statements: [pullStatement(overrides)], problems, unknownPaths };
}

function unreadable(problem: ExpectedProblem): Expected {
    return { statements: [], problems: [problem], unknownPaths: [] };
}

const CASES: readonly DocumentCase[] = [
    // The shapes a correct document comes in
    { name: "an object is read", policy: pullPolicy(), expected: PULL },
    { name: "a compact JSON string is read like the object", policy: JSON.stringify(pullPolicy()), expected: PULL },
    { name: "a pretty-printed JSON string is read like the object", policy: JSON.stringify(pullPolicy(), null, 4), expected: PULL },
    {
        name: "a lone Statement object is read as one statement at path Statement",
        policy: { Version: "2012-10-17", Statement: { Sid: "Pull", Effect: "Allow", Action: PULL_ACTIONS, Resource: "*" } },
        expected: withStatement({ path: "Statement" }),
    },
    {
        name: "statements in an array are read in order with their indexes",
        policy: {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" },
                { Effect: "Deny", Action: "ecr:PutImage", Resource: "*" },
            ],
        },
        expected: {
            statements: [
                pullStatement({ sid: undefined, actions: ["logs:PutLogEvents"] }),
                pullStatement({ path: "Statement[1]", sid: undefined, effect: "Deny", actions: ["ecr:PutImage"] }),
            ],
            problems: [],
            unknownPaths: [],
        },
    },
    {
        name: "a lone Action string is read as one pattern",
        policy: pullPolicy({ Action: "ecr:GetAuthorizationToken" }),
        expected: withStatement({ actions: ["ecr:GetAuthorizationToken"] }),
    },
    { name: "an Action star is read without a problem", policy: pullPolicy({ Action: "*" }), expected: withStatement({ actions: ["*"] }) },
    {
        name: "action patterns are kept as written",
        policy: pullPolicy({ Action: ["ECR:get*", "ec?:Poll"] }),
        expected: withStatement({ actions: ["ECR:get*", "ec?:Poll"] }),
    },
    {
        name: "NotAction is read as a NotAction statement",
        policy: withKeys(pullPolicyWithout("Action"), { NotAction: "s3:*" }),
        expected: withStatement({ actionKind: "NotAction", actions: ["s3:*"] }),
    },

    // Version
    { name: "Version 2008-10-17 is accepted", policy: { ...pullPolicy(), Version: "2008-10-17" }, expected: PULL },
    { name: "a missing Version is accepted", policy: { Statement: pullPolicy().Statement }, expected: PULL },
    {
        name: "an unknown Version string is a problem but the statements are still read",
        policy: { ...pullPolicy(), Version: "2012-10-18" },
        expected: { ...PULL, problems: [{ path: "Version", message: 'Version must be "2012-10-17" or "2008-10-17", not "2012-10-18"' }] },
    },
    {
        name: "a Version number is a problem",
        policy: { ...pullPolicy(), Version: 2012 },
        expected: { ...PULL, problems: [{ path: "Version", message: "not number 2012" }] },
    },

    // Documents that cannot be read at all
    {
        name: "text that is not JSON is a problem",
        policy: "{ Statement: [",
        expected: unreadable({ path: "", message: "the policy document is not valid JSON" }),
    },
    { name: "the empty string is a problem", policy: "", expected: unreadable({ path: "", message: "the policy document is empty" }) },
    { name: "a string of whitespace is a problem", policy: " \n\t", expected: unreadable({ path: "", message: "the policy document is empty" }) },
    {
        name: "an array at the top level is a problem",
        policy: [pullPolicy()],
        expected: unreadable({ path: "", message: "must be a JSON object, not a list" }),
    },
    { name: "a JSON array at the top level is a problem", policy: "[]", expected: unreadable({ path: "", message: "must be a JSON object, not a list" }) },
    { name: "a number is a problem", policy: 42, expected: unreadable({ path: "", message: "must be a JSON object, not number 42" }) },
    { name: "a JSON number is a problem", policy: "42", expected: unreadable({ path: "", message: "must be a JSON object, not number 42" }) },
    { name: "null is a problem", policy: null, expected: unreadable({ path: "", message: "must be a JSON object, not null" }) },
    { name: "a JSON null is a problem", policy: "null", expected: unreadable({ path: "", message: "must be a JSON object, not null" }) },
    { name: "nothing at all is a problem", policy: undefined, expected: unreadable({ path: "", message: "must be a JSON object, not nothing" }) },
    {
        name: "a JSON string holding JSON is a problem",
        policy: JSON.stringify(JSON.stringify(pullPolicy())),
        expected: unreadable({ path: "", message: 'must be a JSON object, not "{' }),
    },
    {
        name: "a document without Statement is a problem",
        policy: { Version: "2012-10-17" },
        expected: unreadable({ path: "Statement", message: "the policy document has no Statement" }),
    },
    {
        name: "an unexpected top-level key is a problem",
        policy: { ...pullPolicy(), Statements: [] },
        expected: { ...PULL, problems: [{ path: "Statements", message: 'unexpected key "Statements" in the policy document' }] },
    },

    // Statements that are not statements
    {
        name: "a statement that is a string is a problem and is not read",
        policy: { Version: "2012-10-17", Statement: ["ecr:GetAuthorizationToken"] },
        expected: unreadable({ path: "Statement[0]", message: 'a statement must be an object, not "ecr:GetAuthorizationToken"' }),
    },
    {
        name: "a statement that is a number is a problem and the others are still read",
        policy: { Version: "2012-10-17", Statement: [...(pullPolicy().Statement as unknown[]), 7] },
        expected: { ...PULL, problems: [{ path: "Statement[1]", message: "a statement must be an object, not number 7" }] },
    },
    {
        name: "a lone Statement that is a list of lists is a problem at its index",
        policy: { Version: "2012-10-17", Statement: [[]] },
        expected: unreadable({ path: "Statement[0]", message: "a statement must be an object, not a list" }),
    },
    {
        name: "a lone Statement that is null is a problem",
        policy: { Version: "2012-10-17", Statement: null },
        expected: unreadable({ path: "Statement", message: "a statement must be an object, not null" }),
    },

    // Effect
    {
        name: "a missing Effect is a problem and the statement is not read",
        policy: pullPolicyWithout("Effect"),
        expected: unreadable({ path: "Statement[0].Effect", message: 'Effect must be "Allow" or "Deny", not nothing' }),
    },
    {
        name: "a misspelt Effect is a problem and the statement is not read",
        policy: pullPolicy({ Effect: "Alow" }),
        expected: unreadable({ path: "Statement[0].Effect", message: 'Effect must be "Allow" or "Deny", not "Alow"' }),
    },
    {
        name: "a lower-case allow is a problem but is judged as Allow",
        policy: pullPolicy({ Effect: "allow" }),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0].Effect", message: 'Effect must be exactly "Allow" or "Deny", not "allow"' }]),
    },
    {
        name: "a padded upper-case DENY is a problem but is judged as Deny",
        policy: pullPolicy({ Effect: " DENY " }),
        expected: withStatement({ effect: "Deny", incomplete: true }, [{ path: "Statement[0].Effect", message: 'not " DENY "' }]),
    },

    // Action and NotAction
    {
        name: "an action that is not a string is a problem at its index and the others are read",
        policy: pullPolicy({ Action: [...PULL_ACTIONS, 5] }),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0].Action[2]", message: "an action must be a string, not number 5" }]),
    },
    {
        name: "an Action that is an object is a problem",
        policy: pullPolicy({ Action: { ecr: "GetAuthorizationToken" } }),
        expected: withStatement({ actions: [], incomplete: true }, [
            { path: "Statement[0].Action", message: "an action must be a string or a list of strings, not an object" },
        ]),
    },
    {
        name: "an action without a colon is a problem but is kept",
        policy: pullPolicy({ Action: ["ecr:GetAuthorizationToken", "ecrBatchGetImage"] }),
        expected: withStatement({ actions: ["ecr:GetAuthorizationToken", "ecrBatchGetImage"], incomplete: true }, [
            { path: "Statement[0].Action[1]", message: '"ecrBatchGetImage" is not an action: write it as service:Action' },
        ]),
    },
    {
        name: "a lone Action without a colon is a problem at the Action",
        policy: pullPolicy({ Action: "foo" }),
        expected: withStatement({ actions: ["foo"], incomplete: true }, [{ path: "Statement[0].Action", message: '"foo" is not an action' }]),
    },
    {
        name: "an empty action is a problem",
        policy: pullPolicy({ Action: [""] }),
        expected: withStatement({ actions: [""], incomplete: true }, [{ path: "Statement[0].Action[0]", message: '"" is not an action' }]),
    },
    {
        name: "a statement with both Action and NotAction is a problem and is read by its Action",
        policy: pullPolicy({ NotAction: "s3:*" }),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0]", message: "a statement may not have both Action and NotAction" }]),
    },
    {
        name: "a statement with neither Action nor NotAction is a problem and names no actions",
        policy: pullPolicyWithout("Action"),
        expected: withStatement({ actions: [], incomplete: true }, [{ path: "Statement[0]", message: "a statement needs Action or NotAction" }]),
    },

    // What IAM rejects in an identity policy
    {
        name: "a Principal is a problem in an identity policy",
        policy: pullPolicy({ Principal: { AWS: "*" } }),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0].Principal", message: "Principal" }]),
    },
    {
        name: "a Resource that is neither star nor an ARN is a problem",
        policy: pullPolicy({ Resource: ["*", ""] }),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0].Resource[1]", message: "ARN" }]),
    },

    // Keys that are data, not the prototype
    {
        name: "a top-level __proto__ key is a problem and is not read as the prototype",
        policy: JSON.parse(`{"__proto__": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "Version": "2012-10-17"}`),
        expected: {
            statements: [],
            problems: [
                { path: "__proto__", message: 'unexpected key "__proto__" in the policy document' },
                { path: "Statement", message: "the policy document has no Statement" },
            ],
            unknownPaths: [],
        },
    },
    {
        name: "a __proto__ key in a statement is a problem and its Action is not read",
        policy: JSON.parse(
            `{"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Action": ${JSON.stringify(PULL_ACTIONS)}, "Resource": "*", "__proto__": {"Action": "*"}}]}`,
        ),
        expected: withStatement({ incomplete: true }, [{ path: "Statement[0].__proto__", message: 'unexpected key "__proto__" in a statement' }]),
    },
    {
        name: "an Effect inherited through a statement's __proto__ is not read",
        policy: JSON.parse(`{"Statement": [{"__proto__": {"Effect": "Allow"}, "Action": "*", "Resource": "*"}]}`),
        expected: {
            statements: [],
            problems: [
                { path: "Statement[0].__proto__", message: 'unexpected key "__proto__" in a statement' },
                { path: "Statement[0].Effect", message: "not nothing" },
            ],
            unknownPaths: [],
        },
    },

    // Condition
    { name: "an empty Condition is not conditional", policy: pullPolicy({ Condition: {} }), expected: PULL },
    {
        name: "a non-empty Condition is conditional",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } }),
        expected: withStatement({ conditional: true }),
    },
    {
        name: "a Condition that is not an object is a problem and counts as conditional",
        policy: pullPolicy({ Condition: "aws:SecureTransport" }),
        expected: withStatement({ conditional: true, incomplete: true }, [{ path: "Statement[0].Condition", message: "Condition must be an object" }]),
    },

    // Resource
    { name: "a Resource list holding a star covers all resources", policy: pullPolicy({ Resource: [REPOSITORY_ARN, "*"] }), expected: PULL },
    {
        name: "a narrow Resource does not cover all resources",
        policy: pullPolicy({ Resource: REPOSITORY_ARN }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "a NotResource does not cover all resources",
        policy: withKeys(pullPolicyWithout("Resource"), { NotResource: REPOSITORY_ARN }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "a Resource star beside a NotResource does not cover all resources",
        policy: pullPolicy({ NotResource: REPOSITORY_ARN }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "a statement with neither Resource nor NotResource is a problem",
        policy: pullPolicyWithout("Resource"),
        expected: withStatement({ coversAllResources: false, incomplete: true }, [
            { path: "Statement[0]", message: "a statement needs Resource or NotResource" },
        ]),
    },
    {
        name: "a Resource that is a number is a problem",
        policy: pullPolicy({ Resource: 7 }),
        expected: withStatement({ coversAllResources: false, incomplete: true }, [
            { path: "Statement[0].Resource", message: "Resource must be a string or a list of strings, not number 7" },
        ]),
    },

    // Values not known yet
    {
        name: "an unknown action entry is recorded and leaves the statement incomplete",
        policy: pullPolicy({ Action: [PULL_ACTIONS[0], UNKNOWN, PULL_ACTIONS[1]] }),
        isUnknown,
        expected: withStatement({ incomplete: true }, [], ["Statement[0].Action[1]"]),
    },
    {
        name: "an unknown Action is recorded and names no actions",
        policy: pullPolicy({ Action: UNKNOWN }),
        isUnknown,
        expected: withStatement({ actions: [], incomplete: true }, [], ["Statement[0].Action"]),
    },
    {
        name: "an unknown action entry of a Deny is recorded too",
        policy: pullPolicy({ Effect: "Deny", Action: [PULL_ACTIONS[0], UNKNOWN, PULL_ACTIONS[1]] }),
        isUnknown,
        expected: withStatement({ effect: "Deny", incomplete: true }, [], ["Statement[0].Action[1]"]),
    },
    {
        name: "an unknown Effect is recorded and the statement is not read",
        policy: pullPolicy({ Effect: UNKNOWN }),
        isUnknown,
        expected: { statements: [], problems: [], unknownPaths: ["Statement[0].Effect"] },
    },
    {
        name: "an unknown Statement is recorded",
        policy: { Version: "2012-10-17", Statement: UNKNOWN },
        isUnknown,
        expected: { statements: [], problems: [], unknownPaths: ["Statement"] },
    },
    {
        name: "an unknown statement in a list is recorded at its index",
        policy: { Version: "2012-10-17", Statement: [...(pullPolicy().Statement as unknown[]), UNKNOWN] },
        isUnknown,
        expected: { ...PULL, unknownPaths: ["Statement[1]"] },
    },
    {
        name: "an unknown Resource of an Allow is not recorded",
        policy: pullPolicy({ Resource: UNKNOWN }),
        isUnknown,
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "an unknown Resource entry of an Allow is not recorded",
        policy: pullPolicy({ Resource: ["*", UNKNOWN] }),
        isUnknown,
        expected: PULL,
    },
    {
        name: "an unknown Condition of an Allow is not recorded but counts as conditional",
        policy: pullPolicy({ Condition: UNKNOWN }),
        isUnknown,
        expected: withStatement({ conditional: true }),
    },
    {
        name: "an unknown Resource of a Deny is recorded and leaves the statement incomplete",
        policy: pullPolicy({ Effect: "Deny", Resource: UNKNOWN }),
        isUnknown,
        expected: withStatement({ effect: "Deny", coversAllResources: false, incomplete: true }, [], ["Statement[0].Resource"]),
    },
    {
        name: "an unknown Resource entry of a Deny is recorded at its index",
        policy: pullPolicy({ Effect: "Deny", Resource: ["*", UNKNOWN] }),
        isUnknown,
        expected: withStatement({ effect: "Deny", incomplete: true }, [], ["Statement[0].Resource[1]"]),
    },
    {
        name: "an unknown NotResource of a Deny is recorded",
        policy: withKeys(pullPolicyWithout("Resource"), { Effect: "Deny", NotResource: UNKNOWN }),
        isUnknown,
        expected: withStatement({ effect: "Deny", coversAllResources: false, incomplete: true }, [], ["Statement[0].NotResource"]),
    },
    {
        name: "an unknown Condition of a Deny is recorded and counts as conditional",
        policy: pullPolicy({ Effect: "Deny", Condition: UNKNOWN }),
        isUnknown,
        expected: withStatement({ effect: "Deny", conditional: true, incomplete: true }, [], ["Statement[0].Condition"]),
    },
    {
        name: "an unknown Sid is dropped and not recorded",
        policy: pullPolicy({ Sid: UNKNOWN }),
        isUnknown,
        expected: withStatement({ sid: undefined }),
    },
    {
        name: "the sentinel is an ordinary string when no unknown test is given",
        policy: pullPolicy({ Sid: UNKNOWN }),
        expected: withStatement({ sid: UNKNOWN }),
    },
];

function summarise(document: PolicyDocument): Expected {
    return {
        statements: document.statements.map((s) => ({
            path: s.path,
            sid: s.sid,
            effect: s.effect,
            actionKind: s.actionKind,
            actions: s.actions.map((a) => a.source),
            coversAllResources: s.coversAllResources,
            conditional: s.conditional,
            incomplete: s.incomplete,
        })),
        problems: document.problems,
        unknownPaths: document.unknownPaths,
    };
}

describe("parsePolicyDocument", function () {
    for (const { name, policy, isUnknown: unknownTest, expected } of CASES) {
        it(name, function () {
            const actual = summarise(parsePolicyDocument(policy, unknownTest));
            assert.deepStrictEqual(actual.statements, expected.statements);
            assert.deepStrictEqual(actual.unknownPaths, expected.unknownPaths);
            assert.deepStrictEqual(
                actual.problems.map((p) => p.path),
                expected.problems.map((p) => p.path),
            );
            actual.problems.forEach((p, i) => {
                assert.ok(p.message.includes(expected.problems[i].message), `"${p.message}" should include "${expected.problems[i].message}"`);
            });
        });
    }

    it("keeps the parsed patterns ready for matching", function () {
        const [statement] = parsePolicyDocument(pullPolicy({ Action: "ECR:Get**Token" })).statements;
        assert.deepStrictEqual(statement.actions, [{ source: "ECR:Get**Token", normalized: "ecr:get*token", hasWildcard: true, service: "ecr" }]);
    });
});
