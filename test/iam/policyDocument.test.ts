import { strict as assert } from "assert";
import {
    acceptedByIam,
    documentSize,
    IAM_SIZE_QUOTAS,
    isResourcePattern,
    parsePolicyDocument,
    PolicyDocument,
    UnknownTest,
} from "../../policies/iam/policyDocument";

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
    readonly unknownParts: readonly string[];
}

/** A problem is compared by its exact path and a part of its message. */
interface ExpectedProblem {
    readonly path: string;
    readonly message: string;
}

interface Expected {
    readonly statements: readonly StatementSummary[];
    /** What the pack cannot read. */
    readonly problems: readonly ExpectedProblem[];
    /** What IAM would reject the document for; none when not given. */
    readonly rejections?: readonly ExpectedProblem[];
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
        unknownParts: [],
        ...overrides,
    };
}

const PULL: Expected = { statements: [pullStatement()], problems: [], unknownPaths: [] };

function withStatement(overrides: Partial<StatementSummary>, problems: ExpectedProblem[] = [], unknownPaths: string[] = []): Expected {
    return { statements: [pullStatement(overrides)], problems, unknownPaths };
}

/** The pull statement read as written, in a document IAM would reject. */
function rejected(overrides: Partial<StatementSummary>, ...rejections: ExpectedProblem[]): Expected {
    return { statements: [pullStatement(overrides)], problems: [], rejections, unknownPaths: [] };
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
        name: "an unknown Version string is rejected but the statements are still read",
        policy: { ...pullPolicy(), Version: "2012-10-18" },
        expected: { ...PULL, rejections: [{ path: "Version", message: 'Version must be "2012-10-17" or "2008-10-17", not "2012-10-18"' }] },
    },
    {
        name: "a Version number is rejected",
        policy: { ...pullPolicy(), Version: 2012 },
        expected: { ...PULL, rejections: [{ path: "Version", message: "not number 2012" }] },
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
        name: "an unexpected top-level key is rejected",
        policy: { ...pullPolicy(), Statements: [] },
        expected: { ...PULL, rejections: [{ path: "Statements", message: 'unexpected key "Statements" in the policy document' }] },
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
        name: "a lower-case allow is rejected but is judged as Allow",
        policy: pullPolicy({ Effect: "allow" }),
        expected: rejected({}, { path: "Statement[0].Effect", message: 'Effect must be exactly "Allow" or "Deny", not "allow"' }),
    },
    {
        name: "a padded upper-case DENY is rejected but is judged as Deny",
        policy: pullPolicy({ Effect: " DENY " }),
        expected: rejected({ effect: "Deny" }, { path: "Statement[0].Effect", message: 'not " DENY "' }),
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
        name: "an action without a colon is rejected but is kept",
        policy: pullPolicy({ Action: ["ecr:GetAuthorizationToken", "ecrBatchGetImage"] }),
        expected: rejected(
            { actions: ["ecr:GetAuthorizationToken", "ecrBatchGetImage"] },
            { path: "Statement[0].Action[1]", message: '"ecrBatchGetImage" is not an action: write it as service:action' },
        ),
    },
    {
        name: "a lone Action without a colon is rejected at the Action",
        policy: pullPolicy({ Action: "foo" }),
        expected: rejected({ actions: ["foo"] }, { path: "Statement[0].Action", message: '"foo" is not an action' }),
    },
    {
        name: "an empty action is rejected",
        policy: pullPolicy({ Action: [""] }),
        expected: rejected({ actions: [""] }, { path: "Statement[0].Action[0]", message: '"" is not an action' }),
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
        name: "a Principal is rejected in an identity policy",
        policy: pullPolicy({ Principal: { AWS: "*" } }),
        expected: rejected({}, { path: "Statement[0].Principal", message: "Principal" }),
    },
    {
        name: "a Resource that is neither star nor an ARN is rejected",
        policy: pullPolicy({ Resource: ["*", ""] }),
        expected: rejected({}, { path: "Statement[0].Resource[1]", message: "ARN" }),
    },

    // Keys that are data, not the prototype
    {
        name: "a top-level __proto__ key is rejected and is not read as the prototype",
        policy: JSON.parse(`{"__proto__": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}, "Version": "2012-10-17"}`),
        expected: {
            statements: [],
            problems: [{ path: "Statement", message: "the policy document has no Statement" }],
            rejections: [{ path: "__proto__", message: 'unexpected key "__proto__" in the policy document' }],
            unknownPaths: [],
        },
    },
    {
        name: "a __proto__ key in a statement is rejected and its Action is not read",
        policy: JSON.parse(
            `{"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Action": ${JSON.stringify(PULL_ACTIONS)}, "Resource": "*", "__proto__": {"Action": "*"}}]}`,
        ),
        expected: rejected({}, { path: "Statement[0].__proto__", message: 'unexpected key "__proto__" in a statement' }),
    },
    {
        name: "an Effect inherited through a statement's __proto__ is not read",
        policy: JSON.parse(`{"Statement": [{"__proto__": {"Effect": "Allow"}, "Action": "*", "Resource": "*"}]}`),
        expected: {
            statements: [],
            problems: [{ path: "Statement[0].Effect", message: "not nothing" }],
            rejections: [{ path: "Statement[0].__proto__", message: 'unexpected key "__proto__" in a statement' }],
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
        name: "a Condition that is not an object is rejected and counts as conditional",
        policy: pullPolicy({ Condition: "aws:SecureTransport" }),
        expected: rejected({ conditional: true }, { path: "Statement[0].Condition", message: "Condition must be an object" }),
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
        name: "a Resource star beside a NotResource is rejected and does not cover all resources",
        policy: pullPolicy({ NotResource: REPOSITORY_ARN }),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0]", message: "a statement may not have both Resource and NotResource" }),
    },
    {
        name: "a statement with neither Resource nor NotResource is rejected",
        policy: pullPolicyWithout("Resource"),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0]", message: "a statement needs Resource or NotResource" }),
    },
    {
        name: "a Resource that is a number is rejected",
        policy: pullPolicy({ Resource: 7 }),
        expected: rejected(
            { coversAllResources: false },
            { path: "Statement[0].Resource", message: "Resource must be a string or a list of strings, not number 7" },
        ),
    },

    // Values not known yet
    {
        name: "an unknown action entry is recorded and leaves the statement incomplete",
        policy: pullPolicy({ Action: [PULL_ACTIONS[0], UNKNOWN, PULL_ACTIONS[1]] }),
        isUnknown,
        expected: withStatement({ incomplete: true, unknownParts: ["Action"] }, [], ["Statement[0].Action[1]"]),
    },
    {
        name: "an unknown Action is recorded and names no actions",
        policy: pullPolicy({ Action: UNKNOWN }),
        isUnknown,
        expected: withStatement({ actions: [], incomplete: true, unknownParts: ["Action"] }, [], ["Statement[0].Action"]),
    },
    {
        name: "an unknown action entry of a Deny is recorded too",
        policy: pullPolicy({ Effect: "Deny", Action: [PULL_ACTIONS[0], UNKNOWN, PULL_ACTIONS[1]] }),
        isUnknown,
        expected: withStatement({ effect: "Deny", incomplete: true, unknownParts: ["Action"] }, [], ["Statement[0].Action[1]"]),
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
        name: "an unknown Resource of an Allow is not recorded as left unjudged, but is named as not known",
        policy: pullPolicy({ Resource: UNKNOWN }),
        isUnknown,
        expected: withStatement({ coversAllResources: false, unknownParts: ["Resource"] }),
    },
    {
        name: "an unknown Resource entry of an Allow is not recorded as left unjudged, but is named as not known",
        policy: pullPolicy({ Resource: ["*", UNKNOWN] }),
        isUnknown,
        expected: withStatement({ unknownParts: ["Resource"] }),
    },
    {
        name: "an unknown Condition of an Allow is not recorded as left unjudged but counts as conditional",
        policy: pullPolicy({ Condition: UNKNOWN }),
        isUnknown,
        expected: withStatement({ conditional: true, unknownParts: ["Condition"] }),
    },
    {
        name: "an unknown Resource of a Deny is recorded and leaves the statement incomplete",
        policy: pullPolicy({ Effect: "Deny", Resource: UNKNOWN }),
        isUnknown,
        expected: withStatement({ effect: "Deny", coversAllResources: false, incomplete: true, unknownParts: ["Resource"] }, [], ["Statement[0].Resource"]),
    },
    {
        name: "an unknown Resource entry of a Deny is recorded at its index",
        policy: pullPolicy({ Effect: "Deny", Resource: ["*", UNKNOWN] }),
        isUnknown,
        expected: withStatement({ effect: "Deny", incomplete: true, unknownParts: ["Resource"] }, [], ["Statement[0].Resource[1]"]),
    },
    {
        name: "an unknown NotResource of a Deny is recorded",
        policy: withKeys(pullPolicyWithout("Resource"), { Effect: "Deny", NotResource: UNKNOWN }),
        isUnknown,
        expected: withStatement(
            { effect: "Deny", coversAllResources: false, incomplete: true, unknownParts: ["NotResource"] },
            [],
            ["Statement[0].NotResource"],
        ),
    },
    {
        name: "an unknown Condition of a Deny is recorded and counts as conditional",
        policy: pullPolicy({ Effect: "Deny", Condition: UNKNOWN }),
        isUnknown,
        expected: withStatement({ effect: "Deny", conditional: true, incomplete: true, unknownParts: ["Condition"] }, [], ["Statement[0].Condition"]),
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

    // What IAM checks when it is given a document: Sid (IAM User Guide, "IAM JSON policy elements: Sid")
    { name: "a Sid of letters and digits is accepted", policy: pullPolicy({ Sid: "Pull2Images" }), expected: withStatement({ sid: "Pull2Images" }) },
    { name: "an empty Sid is no Sid, and is accepted", policy: pullPolicy({ Sid: "" }), expected: withStatement({ sid: undefined }) },
    {
        name: "two empty Sids are accepted, as generated documents write them",
        policy: { Version: "2012-10-17", Statement: [pullPolicy({ Sid: "" }).Statement, pullPolicy({ Sid: "" }).Statement].flat() },
        expected: { statements: [pullStatement({ sid: undefined }), pullStatement({ path: "Statement[1]", sid: undefined })], problems: [], unknownPaths: [] },
    },
    {
        name: "a Sid with a hyphen is rejected",
        policy: pullPolicy({ Sid: "pull-images" }),
        expected: rejected(
            { sid: "pull-images" },
            { path: "Statement[0].Sid", message: 'Sid "pull-images" may hold only the letters A-Z and a-z and the digits 0-9' },
        ),
    },
    {
        name: "a Sid with a space is rejected",
        policy: pullPolicy({ Sid: "Pull images" }),
        expected: rejected({ sid: "Pull images" }, { path: "Statement[0].Sid", message: 'Sid "Pull images" may hold only' }),
    },
    {
        name: "a Sid that is a number is rejected",
        policy: pullPolicy({ Sid: 1 }),
        expected: rejected({ sid: undefined }, { path: "Statement[0].Sid", message: "Sid must be a string, not number 1" }),
    },
    {
        name: "a Sid repeated in the document is rejected at the statement that repeats it",
        policy: { Version: "2012-10-17", Statement: [pullPolicy().Statement, pullPolicy().Statement, pullPolicy({ Sid: "Other" }).Statement].flat() },
        expected: {
            statements: [pullStatement(), pullStatement({ path: "Statement[1]" }), pullStatement({ path: "Statement[2]", sid: "Other" })],
            problems: [],
            rejections: [{ path: "Statement[1].Sid", message: 'Sid "Pull" is also the Sid of Statement[0]: each Sid must be unique within the document' }],
            unknownPaths: [],
        },
    },

    // Actions: `*` or service:action, with one colon (IAM User Guide, "IAM JSON policy elements: Action")
    {
        name: "an action with two colons is rejected",
        policy: pullPolicy({ Action: ["ecr:GetAuthorizationToken", "ec2:ec2:CreateNetworkInterface"] }),
        expected: rejected(
            { actions: ["ecr:GetAuthorizationToken", "ec2:ec2:CreateNetworkInterface"] },
            { path: "Statement[0].Action[1]", message: '"ec2:ec2:CreateNetworkInterface" holds 2 colons: an action is service:action, with one' },
        ),
    },
    {
        name: "a NotAction with two colons is rejected",
        policy: withKeys(pullPolicyWithout("Action"), { NotAction: "s3::GetObject" }),
        expected: rejected(
            { actionKind: "NotAction", actions: ["s3::GetObject"] },
            { path: "Statement[0].NotAction", message: '"s3::GetObject" holds 2 colons' },
        ),
    },
    {
        name: "a Resource ARN with many colons is accepted: only actions are limited to one",
        policy: pullPolicy({ Resource: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*" }),
        expected: withStatement({ coversAllResources: false }),
    },

    {
        name: "a service prefix with a space is rejected, as IAM answers Vendor … is not valid",
        policy: pullPolicy({ Action: ["ecr:GetAuthorizationToken", "ec r:BatchGetImage"] }),
        expected: rejected(
            { actions: ["ecr:GetAuthorizationToken", "ec r:BatchGetImage"] },
            { path: "Statement[0].Action[1]", message: '"ec r:BatchGetImage" has a service prefix IAM does not accept' },
        ),
    },
    {
        name: "service prefixes of letters, digits, hyphens, dots and wildcards are accepted",
        policy: pullPolicy({ Action: ["access-analyzer:List*", "e?r:BatchGetImage", "*:Poll", "s3.x:GetObject"] }),
        expected: withStatement({ actions: ["access-analyzer:List*", "e?r:BatchGetImage", "*:Poll", "s3.x:GetObject"] }),
    },

    // Resource ARNs: a partition, a service, every field (IAM's answers "Partition … is not valid", "The policy failed legacy parsing")
    {
        name: "a Resource ARN whose partition is not one is rejected",
        policy: pullPolicy({ Resource: "arn:red:ecr:eu-west-1:123456789012:repository/app" }),
        expected: rejected(
            { coversAllResources: false },
            {
                path: "Statement[0].Resource",
                message:
                    '"arn:red:ecr:eu-west-1:123456789012:repos…" names no partition: "red" is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc',
            },
        ),
    },
    {
        name: "a Resource ARN in the partition of China, GovCloud or with a wildcard partition is accepted",
        policy: pullPolicy({ Resource: ["arn:aws-cn:ecr:cn-north-1:123456789012:repository/app", "arn:aws-us-gov:s3:::b", "arn:*:s3:::b", "arn:aws*:s3:::b"] }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "a Resource ARN with no service is rejected",
        policy: pullPolicy({ Resource: "arn:aws::app" }),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0].Resource", message: '"arn:aws::app" names no service' }),
    },
    {
        name: "a Resource ARN that stops at its partition is rejected",
        policy: pullPolicy({ Resource: "arn:aws" }),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0].Resource", message: '"arn:aws" names no service' }),
    },
    {
        name: "a Resource ARN cut short around an empty field is rejected",
        policy: pullPolicy({ Resource: "arn:aws:s3::bucket" }),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0].Resource", message: '"arn:aws:s3::bucket" is cut short' }),
    },
    {
        name: "a short Resource ARN without an empty field is left to IAM's matching",
        policy: pullPolicy({ Resource: "arn:aws:ecr:*" }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "an IAM Resource ARN with a Region is rejected",
        policy: pullPolicy({ Resource: "arn:aws:iam:us-east-1:123456789012:role/app" }),
        expected: rejected(
            { coversAllResources: false },
            { path: "Statement[0].Resource", message: '"arn:aws:iam:us-east-1:123456789012:role/…" names Region "us-east-1", and IAM ARNs name none' },
        ),
    },
    {
        name: "an IAM Resource ARN with a wildcard Region, and a policy variable in an ARN, are left to IAM's matching",
        policy: pullPolicy({ Resource: ["arn:aws:iam:*:123456789012:role/app", "arn:aws:s3:::b/${aws:username}/*", "arn:${aws:partition}:s3:::b"] }),
        expected: withStatement({ coversAllResources: false }),
    },

    // Conditions: known operators over keys whose values are strings, numbers or booleans ("Syntax errors in policy")
    {
        name: "condition operators IAM knows are accepted, with IfExists, set prefixes and any case",
        policy: pullPolicy({
            Condition: {
                StringEqualsIgnoreCase: { "aws:PrincipalTag/team": "a" },
                "ForAnyValue:StringLike": { "aws:TagKeys": ["a*"] },
                "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] },
                ArnLikeIfExists: { "aws:SourceArn": "arn:aws:ecs:*" },
                NumericLessThanEquals: { "s3:max-keys": 10 },
                Bool: { "aws:SecureTransport": true },
                Null: { "aws:TokenIssueTime": "true" },
                dateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
                NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] },
                BinaryEquals: { "aws:x": "QmluYXJ5" },
            },
        }),
        expected: withStatement({ conditional: true }),
    },
    {
        name: "a condition operator IAM does not know is rejected",
        policy: pullPolicy({ Condition: { StringEqualz: { "aws:PrincipalTag/team": "a" } } }),
        expected: rejected({ conditional: true }, { path: "Statement[0].Condition.StringEqualz", message: '"StringEqualz" is not a condition operator' }),
    },
    {
        name: "Null with IfExists is not a condition operator",
        policy: pullPolicy({ Condition: { NullIfExists: { "aws:TokenIssueTime": "true" } } }),
        expected: rejected({ conditional: true }, { path: "Statement[0].Condition.NullIfExists", message: '"NullIfExists" is not a condition operator' }),
    },
    {
        name: "an operator IAM does not know is accepted over an empty block",
        policy: pullPolicy({ Condition: { Bogus: {} } }),
        expected: withStatement({ conditional: true }),
    },
    {
        name: "a condition operator over something other than an object is rejected",
        policy: pullPolicy({ Condition: { StringEquals: "aws:PrincipalTag/team" } }),
        expected: rejected(
            { conditional: true },
            { path: "Statement[0].Condition.StringEquals", message: 'a condition operator takes an object of condition keys, not "aws:PrincipalTag/team"' },
        ),
    },
    {
        name: "a condition value that is an object is rejected",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": ["a", { b: 1 }] } } }),
        expected: rejected(
            { conditional: true },
            {
                path: "Statement[0].Condition.StringEquals.aws:PrincipalTag/team",
                message: "a condition value is a string, a number or a boolean, not an object",
            },
        ),
    },
    {
        name: "a condition value that is null is rejected",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": null } } }),
        expected: rejected(
            { conditional: true },
            { path: "Statement[0].Condition.StringEquals.aws:PrincipalTag/team", message: "a condition value is a string, a number or a boolean, not null" },
        ),
    },
    {
        name: "an unknown condition value or block is not a rejection",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": ["a", UNKNOWN] }, StringLike: UNKNOWN } }),
        isUnknown,
        expected: withStatement({ conditional: true }),
    },

    // Keys written twice: JSON.parse keeps the last, IAM documents no rule
    {
        name: "an Effect written twice in a JSON string cannot be read",
        policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"ecr:*","Resource":"*"}]}',
        expected: {
            statements: [pullStatement({ sid: undefined, actions: ["ecr:*"] })],
            problems: [
                { path: "Statement[0]", message: 'the key "Effect" appears twice here, and IAM does not document which of the two it reads: write it once' },
            ],
            unknownPaths: [],
        },
    },
    {
        name: "a Statement written twice, once with an escape, cannot be read",
        policy: '{"Version":"2012-10-17","Statement":[],"St\\u0061tement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}',
        expected: {
            statements: [pullStatement({ sid: undefined, actions: ["ecr:*"] })],
            problems: [{ path: "", message: 'the key "Statement" appears twice here' }],
            unknownPaths: [],
        },
    },
    {
        name: "the same key in two statements is not written twice",
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "A", Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" },
                { Sid: "B", Effect: "Deny", Action: "ecr:PutImage", Resource: "*" },
            ],
        }),
        expected: {
            statements: [
                pullStatement({ sid: "A", actions: ["ecr:BatchGetImage"] }),
                pullStatement({ path: "Statement[1]", sid: "B", effect: "Deny", actions: ["ecr:PutImage"] }),
            ],
            problems: [],
            unknownPaths: [],
        },
    },

    // Characters: tab, line feed, carriage return and U+0020 to U+00FF (IAM User Guide, "IAM and AWS STS quotas")
    {
        name: "a character of Latin-1 is accepted",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": "équipe" } } }),
        expected: withStatement({ conditional: true }),
    },
    {
        name: "a snowman in a JSON string is rejected at the path of the value that holds it",
        policy: JSON.stringify(pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": "☃" } } })),
        expected: rejected(
            { conditional: true },
            { path: "Statement[0].Condition.StringEquals.aws:PrincipalTag/team", message: 'U+2603 ("☃") is not a character IAM accepts in a policy document' },
        ),
    },
    {
        name: "an escaped snowman in a JSON string is six ASCII characters, as IAM is given them, and is accepted",
        policy: JSON.stringify(pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/team": "SNOWMAN" } } })).replace("SNOWMAN", "\\u2603"),
        expected: withStatement({ conditional: true }),
    },
    {
        name: "a control character in an object's key is rejected at the key's path",
        policy: pullPolicy({ Condition: { StringEquals: { "aws:PrincipalTag/te\u0007am": "x" } } }),
        expected: rejected({ conditional: true }, { path: "Statement[0].Condition.StringEquals.aws:PrincipalTag/te\u0007am", message: "U+0007" }),
    },
    {
        name: "an emoji beyond the Basic Multilingual Plane is named by its code point",
        policy: pullPolicy({ Sid: "Pull", Condition: { StringEquals: { "aws:PrincipalTag/team": "🚀" } } }),
        expected: rejected({ conditional: true }, { path: "Statement[0].Condition.StringEquals.aws:PrincipalTag/team", message: 'U+1F680 ("🚀")' }),
    },
    {
        name: "tabs and carriage returns between the elements are accepted",
        policy: JSON.stringify(pullPolicy(), null, "\t").replace(/\n/g, "\r\n"),
        expected: PULL,
    },
    {
        name: "the last character of Latin-1, ÿ, is accepted",
        policy: pullPolicy({ Resource: "arn:aws:s3:::conf/ÿ" }),
        expected: withStatement({ coversAllResources: false }),
    },
    {
        name: "a character IAM does not accept is rejected in an action after the first",
        policy: pullPolicy({ Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage☃"] }),
        expected: rejected(
            { actions: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage☃"] },
            { path: "Statement[0].Action[1]", message: 'U+2603 ("☃") is not a character IAM accepts' },
        ),
    },
    {
        name: "a character IAM does not accept is rejected in the text IAM is given even where it sits in a value taken as not known",
        policy: '{"Statement": "☃"}',
        isUnknown: (v) => v === "☃",
        expected: {
            statements: [],
            problems: [],
            rejections: [{ path: "", message: 'U+2603 ("☃") is not a character IAM accepts' }],
            unknownPaths: ["Statement"],
        },
    },

    // Empty lists, Id, NotPrincipal, a padded Effect
    {
        name: "an empty Action list is rejected and names no actions",
        policy: pullPolicy({ Action: [] }),
        expected: rejected({ actions: [] }, { path: "Statement[0].Action", message: "a statement must name at least one action" }),
    },
    {
        name: "an empty Resource list is rejected and covers no resource",
        policy: pullPolicy({ Resource: [] }),
        expected: rejected({ coversAllResources: false }, { path: "Statement[0].Resource", message: "Resource may not be an empty list" }),
    },
    {
        name: "a NotResource that is a number is rejected by its name",
        policy: withKeys(pullPolicyWithout("Resource"), { NotResource: 7 }),
        expected: rejected(
            { coversAllResources: false },
            { path: "Statement[0].NotResource", message: "NotResource must be a string or a list of strings, not number 7" },
        ),
    },
    { name: "an Id is accepted", policy: { ...pullPolicy(), Id: "pull" }, expected: PULL },
    {
        name: "a NotPrincipal is rejected once in an identity policy, as an element it may not hold",
        policy: pullPolicy({ NotPrincipal: { AWS: "*" } }),
        expected: rejected({}, { path: "Statement[0].NotPrincipal", message: "an identity policy may not hold the element NotPrincipal" }),
    },
    {
        name: "a padded lower-case allow is rejected but is judged as Allow",
        policy: pullPolicy({ Effect: " allow" }),
        expected: rejected({}, { path: "Statement[0].Effect", message: 'Effect must be exactly "Allow" or "Deny", not " allow"' }),
    },
    {
        name: "an unknown Version is recorded and the statements are still read",
        policy: { ...pullPolicy(), Version: UNKNOWN },
        isUnknown,
        expected: { statements: [pullStatement()], problems: [], unknownPaths: ["Version"] },
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
            unknownParts: s.unknownParts,
        })),
        problems: document.problems,
        rejections: document.rejections,
        unknownPaths: document.unknownPaths,
    };
}

/** Compares faults by their exact paths, in order, and by a part of each message. */
function assertFaults(actual: readonly ExpectedProblem[], expected: readonly ExpectedProblem[], what: string): void {
    assert.deepStrictEqual(
        actual.map((p) => p.path),
        expected.map((p) => p.path),
        what,
    );
    actual.forEach((p, i) => {
        assert.ok(p.message.includes(expected[i].message), `${what}: "${p.message}" should include "${expected[i].message}"`);
    });
}

describe("parsePolicyDocument", function () {
    for (const { name, policy, isUnknown: unknownTest, expected } of CASES) {
        it(name, function () {
            const actual = summarise(parsePolicyDocument(policy, unknownTest));
            assert.deepStrictEqual(actual.statements, expected.statements);
            assert.deepStrictEqual(actual.unknownPaths, expected.unknownPaths);
            assertFaults(actual.problems, expected.problems, "problems");
            assertFaults(actual.rejections ?? [], expected.rejections ?? [], "rejections");
        });
    }

    it("counts a document's size without whitespace, on the JSON text it is given", function () {
        // {"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}} is 71 characters.
        const compact = '{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}';
        assert.equal(parsePolicyDocument(compact).size, 71);
        assert.equal(parsePolicyDocument('{\n  "Statement": {\n\t"Effect": "Allow",\r\n  "Action": "s3:GetObject", "Resource": "*" }\n}').size, 71);
    });

    it("counts an object on its compact JSON, each unknown leaf as one character", function () {
        // {"Statement":{"Effect":"Allow","Action":0,"Resource":"*"}} is 58 characters.
        assert.equal(parsePolicyDocument({ Statement: { Effect: "Allow", Action: UNKNOWN, Resource: "*" } }, isUnknown).size, 58);
    });

    it("leaves whitespace inside strings out of the count, so that it never counts more than IAM", function () {
        // {"Sid":"abc"}: 13 characters once the space and the tab are left out.
        assert.equal(documentSize('{"Sid":"a b\tc"}'), 13);
    });

    it("counts nothing for a value JSON cannot write", function () {
        assert.equal(documentSize(undefined), 0);
        assert.equal(documentSize({ Statement: BigInt(1) }), 0);
    });

    it("quotes a value of 40 characters whole in a message, and a longer one cut at 40", function () {
        const forty = "x".repeat(40);
        assert.deepStrictEqual(parsePolicyDocument(pullPolicy({ Effect: forty })).problems, [
            { path: "Statement[0].Effect", message: `Effect must be "Allow" or "Deny", not "${forty}"` },
        ]);
        assert.deepStrictEqual(parsePolicyDocument(pullPolicy({ Effect: `${forty}yz` })).problems, [
            { path: "Statement[0].Effect", message: `Effect must be "Allow" or "Deny", not "${forty}…"` },
        ]);
    });

    it("holds IAM's size quotas: 6,144 for a managed policy, 10,240 for a role's inline policies, 2,048 for a trust policy", function () {
        assert.deepStrictEqual(IAM_SIZE_QUOTAS, { managedPolicy: 6144, roleInlinePolicies: 10240, roleTrustPolicy: 2048 });
    });

    it("takes a document as IAM would take it only when nothing in it is unreadable or rejected", function () {
        assert.equal(acceptedByIam(parsePolicyDocument(pullPolicy())), true);
        assert.equal(acceptedByIam(parsePolicyDocument(pullPolicy({ Sid: "pull-images" }))), false);
        assert.equal(acceptedByIam(parsePolicyDocument("{")), false);
    });

    it("reads * and ? in a Resource as wildcards, whatever an S3 key holds", function () {
        assert.equal(isResourcePattern("arn:aws:s3:::config/app.env"), false);
        assert.equal(isResourcePattern("arn:aws:s3:::config/*.env"), true);
        assert.equal(isResourcePattern("arn:aws:s3:::config/app?.env"), true);
    });

    it("keeps the parsed patterns ready for matching", function () {
        const [statement] = parsePolicyDocument(pullPolicy({ Action: "ECR:Get**Token" })).statements;
        assert.deepStrictEqual(statement.actions, [{ source: "ECR:Get**Token", normalized: "ecr:get*token", hasWildcard: true, service: "ecr" }]);
    });

    it("accepts every condition operator IAM documents, in any case, and an IAM ARN that names no Region", () => {
        const operators = [
            ...["Equals", "NotEquals", "EqualsIgnoreCase", "NotEqualsIgnoreCase", "Like", "NotLike"].map((o) => `String${o}`),
            ...["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"].flatMap((o) => [`Numeric${o}`, `Date${o}`]),
            ...["Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null"],
        ];
        const rejectionsOf = (statement: object) =>
            parsePolicyDocument(
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", ...statement }] }),
            ).rejections;
        for (const operator of operators) {
            assert.deepEqual(rejectionsOf({ Condition: { [operator]: { "aws:PrincipalTag/team": "app" } } }), [], operator);
            assert.deepEqual(rejectionsOf({ Condition: { [operator.toUpperCase()]: { "aws:PrincipalTag/team": "app" } } }), [], operator.toUpperCase());
        }
        assert.deepEqual(rejectionsOf({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app" }), []);
        assert.deepEqual(
            rejectionsOf({ Action: "iam:PassRole", Resource: "arn:aws:iam:us-east-1:123456789012:role/app" }).map((r) => r.message),
            ['"arn:aws:iam:us-east-1:123456789012:role/…" names Region "us-east-1", and IAM ARNs name none'],
        );
    });
});
