import { strict as assert } from "assert";
import { arnMatches, covers, exactArn, mayCover, NeededArn, neededArn, namesOneArn } from "../../policies/iam/arnPattern";

/** The streams of the log group /ecs/app in us-east-1, as a container that logs there needs them: partition and account not known. */
const APP_STREAMS = neededArn({ service: "logs", region: "us-east-1", resource: "log-group:/ecs/app:", tail: "any" });
/** The secret db named by a partial ARN: its six-character suffix not known. */
const PARTIAL_SECRET = neededArn({
    partition: "aws",
    service: "secretsmanager",
    region: "us-east-1",
    account: "123456789012",
    resource: "secret:db-",
    tail: 6,
});
/** A parameter named by its name: partition, Region and account not known. */
const PARAMETER_BY_NAME = neededArn({ service: "ssm", resource: "parameter/app/key" });
const REPOSITORY = "arn:aws:ecr:us-east-1:123456789012:repository/app";

interface Case {
    readonly name: string;
    readonly pattern: string;
    /** An ARN known whole, or a need with parts not known. */
    readonly need: string | NeededArn;
    /** Whether some value of the need's unknown parts is matched: an Allow may apply. */
    readonly may: boolean;
    /** Whether every value is: a Deny certainly applies. */
    readonly covers: boolean;
    /** The statement's document is of Version 2012-10-17, so `${...}` is a policy variable. */
    readonly variables?: boolean;
}

const CASES: readonly Case[] = [
    // The fault this module ends: compared as one string, the need's `*` ran over colons into the grant's group.
    { name: "streams of /ecs/side are not those of /ecs/app", pattern: "arn:aws:logs:*:*:log-group:/ecs/side:*", need: APP_STREAMS, may: false, covers: false },
    {
        name: "streams of /ecs/side are not those of /ecs/app, whatever the partition",
        pattern: "arn:*:logs:*:*:log-group:/ecs/side:*",
        need: APP_STREAMS,
        may: false,
        covers: false,
    },
    {
        name: "a group that only starts like the need's is another group",
        pattern: "arn:*:logs:*:*:log-group:/ecs/ap:*",
        need: APP_STREAMS,
        may: false,
        covers: false,
    },
    {
        name: "the group itself, every field a star, covers its streams",
        pattern: "arn:*:logs:*:*:log-group:/ecs/app:*",
        need: APP_STREAMS,
        may: true,
        covers: true,
    },
    {
        name: "a partition and account named may be where the task runs, and may not",
        pattern: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*",
        need: APP_STREAMS,
        may: true,
        covers: false,
    },
    {
        name: "another Region is not the one awslogs-region names",
        pattern: "arn:*:logs:eu-west-1:*:log-group:/ecs/app:*",
        need: APP_STREAMS,
        may: false,
        covers: false,
    },
    {
        name: "the streams by their own resource type may be what the agent writes, and are not every ARN under the group",
        pattern: "arn:*:logs:*:*:log-group:/ecs/app:log-stream:*",
        need: APP_STREAMS,
        may: true,
        covers: false,
    },
    {
        name: "the group without its trailing colon names no stream",
        pattern: "arn:*:logs:*:*:log-group:/ecs/app",
        need: APP_STREAMS,
        may: false,
        covers: false,
    },
    { name: "a ? after the last star still covers every stream", pattern: "arn:*:logs:*:*:log-group:/ecs/ap*?", need: APP_STREAMS, may: true, covers: true },
    {
        name: "the resource part keeps its case before an unknown run too",
        pattern: "arn:*:logs:*:*:log-group:/ecs/App:*",
        need: neededArn({ service: "logs", region: "us-east-1", resource: "log-group:/ecs/App:", tail: "any" }),
        may: true,
        covers: true,
    },
    { name: "a star in the resource part spans / and :", pattern: "arn:*:logs:*:*:log-group:/*", need: APP_STREAMS, may: true, covers: true },
    { name: "* covers everything", pattern: "*", need: APP_STREAMS, may: true, covers: true },
    { name: "a run of stars is one star", pattern: "**", need: APP_STREAMS, may: true, covers: true },

    // A star ending the last segment written runs over the colons after it.
    { name: "arn:* covers every ARN", pattern: "arn:*", need: APP_STREAMS, may: true, covers: true },
    { name: "arn:aws:logs:* covers every logs ARN of the partition aws", pattern: "arn:aws:logs:*", need: REPOSITORY, may: false, covers: false },
    { name: "arn:aws:ecr:* covers the repository", pattern: "arn:aws:ecr:*", need: REPOSITORY, may: true, covers: true },
    { name: "arn:*:logs:* covers the streams wherever the task runs", pattern: "arn:*:logs:*", need: APP_STREAMS, may: true, covers: true },
    { name: "fewer segments not ending in a star match nothing", pattern: "arn:aws:ecr", need: REPOSITORY, may: false, covers: false },
    {
        name: "a star followed by more text is no *: one segment, not ending in a star",
        pattern: "*repository/app",
        need: REPOSITORY,
        may: false,
        covers: false,
    },
    { name: "a star within a segment does not run into the next one", pattern: "arn:aws:ecr:*:repository/app", need: REPOSITORY, may: false, covers: false },
    {
        name: "a ? does not stand for the colon between two fields",
        pattern: "arn:aws:ecr:us-east-1?123456789012:repository/app",
        need: REPOSITORY,
        may: false,
        covers: false,
    },

    // Partitions, Regions and accounts.
    {
        name: "the partition aws is not aws-cn",
        pattern: "arn:aws:ecr:*:*:repository/app",
        need: "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app",
        may: false,
        covers: false,
    },
    {
        name: "aws* is every partition",
        pattern: "arn:aws*:ecr:*:*:repository/app",
        need: "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app",
        may: true,
        covers: true,
    },
    { name: "a Region * is any Region", pattern: "arn:aws:ecr:*:123456789012:repository/app", need: REPOSITORY, may: true, covers: true },
    { name: "a Region with ? matches one character", pattern: "arn:aws:ecr:us-east-?:123456789012:repository/app", need: REPOSITORY, may: true, covers: true },
    { name: "an account * is any account", pattern: "arn:aws:ecr:us-east-1:*:repository/app", need: REPOSITORY, may: true, covers: true },
    { name: "twelve ? are any account", pattern: "arn:aws:ecr:us-east-1:????????????:repository/app", need: REPOSITORY, may: true, covers: true },
    { name: "eleven ? are no account", pattern: "arn:aws:ecr:us-east-1:???????????:repository/app", need: REPOSITORY, may: false, covers: false },
    {
        name: "another account is not the repository's",
        pattern: "arn:aws:ecr:us-east-1:210987654321:repository/app",
        need: REPOSITORY,
        may: false,
        covers: false,
    },
    { name: "an empty Region is not us-east-1", pattern: "arn:aws:ecr::123456789012:repository/app", need: REPOSITORY, may: false, covers: false },
    {
        name: "a field not known fits a ? in the pattern, but not for every value",
        pattern: "arn:aws:ssm:us-east-?:*:parameter/app/key",
        need: PARAMETER_BY_NAME,
        may: true,
        covers: false,
    },
    { name: "a field not known is every value only for a star", pattern: "arn:*:ssm:*:*:parameter/app/*", need: PARAMETER_BY_NAME, may: true, covers: true },

    // Case.
    {
        name: "partition, service, Region and account ignore case",
        pattern: "arn:AWS:ECR:US-EAST-1:123456789012:repository/app",
        need: REPOSITORY,
        may: true,
        covers: true,
    },
    {
        name: "the first and last capitals, A and Z, compare as a and z in a field",
        pattern: "arn:aws:az:*:*:x",
        need: "arn:aws:AZ:us-east-1:123456789012:x",
        may: true,
        covers: true,
    },
    { name: "the resource part does not", pattern: "arn:aws:ecr:us-east-1:123456789012:repository/App", need: REPOSITORY, may: false, covers: false },

    // A secret's suffix: six characters not known.
    {
        name: "-?????? is every suffix",
        pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????",
        need: PARTIAL_SECRET,
        may: true,
        covers: true,
    },
    { name: "-* is every suffix", pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*", need: PARTIAL_SECRET, may: true, covers: true },
    {
        name: "the full ARN may be the secret, and names one suffix",
        pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        need: PARTIAL_SECRET,
        may: true,
        covers: false,
    },
    {
        name: "the partial ARN names no secret",
        pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
        need: PARTIAL_SECRET,
        may: false,
        covers: false,
    },
    { name: "five ? are too few", pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-?????", need: PARTIAL_SECRET, may: false, covers: false },
    {
        name: "seven ? are too many",
        pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-???????",
        need: PARTIAL_SECRET,
        may: false,
        covers: false,
    },
    {
        name: "a suffix of its own letters fits some suffixes only",
        pattern: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-A?????",
        need: PARTIAL_SECRET,
        may: true,
        covers: false,
    },

    // An ARN known whole: its * and ? are characters of an S3 key, not wildcards.
    { name: "a key's own * is not a wildcard", pattern: "arn:aws:s3:::conf/ab.env", need: "arn:aws:s3:::conf/a*.env", may: false, covers: false },
    { name: "a pattern's ? matches a key's own *", pattern: "arn:aws:s3:::conf/a?.env", need: "arn:aws:s3:::conf/a*.env", may: true, covers: true },
    { name: "an object under a bucket-wide star", pattern: "arn:aws:s3:::conf/*", need: "arn:aws:s3:::conf/a/b/c.env", may: true, covers: true },
    {
        name: "a segment between stars does not share its characters with the last one",
        pattern: "arn:aws:s3:::conf/a*b*b",
        need: "arn:aws:s3:::conf/ab",
        may: false,
        covers: false,
    },
    { name: "the bucket is not its objects", pattern: "arn:aws:s3:::conf", need: "arn:aws:s3:::conf/a.env", may: false, covers: false },

    // Policy variables, in documents of Version 2012-10-17.
    {
        name: "a policy variable may be the name, and is never counted on",
        pattern: "arn:aws:s3:::conf/${aws:username}.env",
        need: "arn:aws:s3:::conf/alice.env",
        may: true,
        covers: false,
        variables: true,
    },
    {
        name: "a policy variable is never counted on, even where one character would fit it",
        pattern: "arn:aws:s3:::conf/${aws:username}.env",
        need: "arn:aws:s3:::conf/a.env",
        may: true,
        covers: false,
        variables: true,
    },
    {
        name: "without Version 2012-10-17 it is plain text",
        pattern: "arn:aws:s3:::conf/${aws:username}.env",
        need: "arn:aws:s3:::conf/alice.env",
        may: false,
        covers: false,
    },
    {
        name: "without Version 2012-10-17 it is plain text that matches itself",
        pattern: "arn:aws:s3:::conf/${aws:username}.env",
        need: "arn:aws:s3:::conf/${aws:username}.env",
        may: true,
        covers: true,
    },
    { name: "${*} is the character *", pattern: "arn:aws:s3:::conf/a${*}.env", need: "arn:aws:s3:::conf/a*.env", may: true, covers: true, variables: true },
    { name: "${*} is no wildcard", pattern: "arn:aws:s3:::conf/a${*}.env", need: "arn:aws:s3:::conf/ab.env", may: false, covers: false, variables: true },
    {
        name: "braces without a dollar are plain text",
        pattern: "arn:aws:s3:::conf/a{b}",
        need: "arn:aws:s3:::conf/a{b}",
        may: true,
        covers: true,
        variables: true,
    },
    {
        name: "a dollar without a brace is plain text",
        pattern: "arn:aws:s3:::conf/$b}",
        need: "arn:aws:s3:::conf/$b}",
        may: true,
        covers: true,
        variables: true,
    },
    { name: "a ${ never closed is plain text", pattern: "arn:aws:s3:::conf/${b", need: "arn:aws:s3:::conf/${b", may: true, covers: true, variables: true },
    {
        name: "a ${ never closed is plain text after a policy variable too",
        pattern: "arn:aws:s3:::conf/${aws:username}/${b",
        need: "arn:aws:s3:::conf/alice/${b",
        may: true,
        covers: false,
        variables: true,
    },
    {
        name: "${?} and ${$} are those characters",
        pattern: "arn:aws:s3:::conf/${?}${$}",
        need: "arn:aws:s3:::conf/?$",
        may: true,
        covers: true,
        variables: true,
    },
];

describe("arnPattern: ARNs as IAM's Resource matches them", () => {
    for (const c of CASES) {
        const need = typeof c.need === "string" ? (exactArn(c.need) as NeededArn) : c.need;
        it(`${c.name}: ${c.pattern} against ${need.text}`, () => {
            assert.deepEqual({ may: mayCover(c.pattern, need, c.variables), covers: covers(c.pattern, need, c.variables) }, { may: c.may, covers: c.covers });
        });
    }

    it("writes a need with * for each field not known and ? or * for its unknown tail", () => {
        assert.equal(APP_STREAMS.text, "arn:*:logs:us-east-1:*:log-group:/ecs/app:*");
        assert.equal(PARTIAL_SECRET.text, "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????");
        assert.equal(PARAMETER_BY_NAME.text, "arn:*:ssm:*:*:parameter/app/key");
    });

    it("reads an ARN known whole field by field, the resource part keeping its colons, and nothing that is not an ARN", () => {
        assert.deepEqual(exactArn("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:x"), {
            partition: "aws",
            service: "logs",
            region: "us-east-1",
            account: "123456789012",
            resource: "log-group:/ecs/app:log-stream:x",
            tail: 0,
            text: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:x",
        });
        assert.deepEqual(exactArn("arn:aws:s3:::conf"), {
            partition: "aws",
            service: "s3",
            region: "",
            account: "",
            resource: "conf",
            tail: 0,
            text: "arn:aws:s3:::conf",
        });
        assert.deepEqual(exactArn("arn:aws:s3"), { partition: "aws", service: "s3", region: "", account: "", resource: "", tail: 0, text: "arn:aws:s3" });
        assert.equal(exactArn("/app/key"), undefined);
    });

    it("matches an ARN known whole only when every value of it is matched", () => {
        assert.equal(arnMatches("arn:aws:ecr:*:*:repository/app", REPOSITORY), true);
        assert.equal(arnMatches("arn:aws:ecr:*:*:repository/other", REPOSITORY), false);
        assert.equal(arnMatches("arn:aws:s3:::conf/${aws:username}", "arn:aws:s3:::conf/alice", true), false);
        assert.equal(arnMatches("*", "not an ARN"), false);
        assert.equal(arnMatches("arn:aws:s3:::conf/${aws:username}", "arn:aws:s3:::conf/${aws:username}"), true);
    });

    it("reads every other character of a pattern as itself, control characters included, never as a wildcard", () => {
        assert.equal(arnMatches("arn:aws:s3:::a\u0001", "arn:aws:s3:::ab"), false);
        assert.equal(arnMatches("arn:aws:s3:::a\u0002", "arn:aws:s3:::a\u0002"), true);
        assert.equal(namesOneArn("arn:aws:s3:::a\u0001"), true);
    });

    it("tells a pattern that names one ARN from one that names many", () => {
        assert.equal(namesOneArn("arn:aws:s3:::conf/app.env"), true);
        assert.equal(namesOneArn("arn:aws:s3:::conf/a${*}.env", true), true);
        assert.equal(namesOneArn("arn:aws:s3:::conf/*.env"), false);
        assert.equal(namesOneArn("arn:aws:s3:::conf/app.en?"), false);
        assert.equal(namesOneArn("arn:aws:s3:::conf/${aws:username}.env", true), false);
        assert.equal(namesOneArn("arn:aws:s3:::conf/${aws:username}.env"), true);
        assert.equal(namesOneArn("*"), false);
    });
});
