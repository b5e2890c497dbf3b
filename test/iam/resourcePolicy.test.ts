import { strict as assert } from "assert";
import { parseAwsPrincipal, parsePrincipalString, parseResourcePolicy, Principal } from "../../policies/iam/resourcePolicy";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const isUnknown = (v: unknown) => v === UNKNOWN;
const ACCOUNT = "123456789012";

describe("resource-based policies", () => {
    describe("principals", () => {
        const cases: { name: string; value: string; expected: Principal }[] = [
            { name: "everyone", value: "*", expected: { kind: "everyone" } },
            { name: "an account ID, which delegates to the account", value: ACCOUNT, expected: { kind: "account", account: ACCOUNT } },
            { name: "an account root, which delegates to the account", value: `arn:aws:iam::${ACCOUNT}:root`, expected: { kind: "account", account: ACCOUNT } },
            {
                name: "a role, by ARN",
                value: `arn:aws:iam::${ACCOUNT}:role/app`,
                expected: { kind: "role", account: ACCOUNT, name: "app", arn: `arn:aws:iam::${ACCOUNT}:role/app` },
            },
            {
                name: "a role with a path, by the last part of its ARN",
                value: `arn:aws-cn:iam::${ACCOUNT}:role/service/app`,
                expected: { kind: "role", account: ACCOUNT, name: "app", arn: `arn:aws-cn:iam::${ACCOUNT}:role/service/app` },
            },
            {
                name: "a session of a role",
                value: `arn:aws:sts::${ACCOUNT}:assumed-role/app/4f2a9c`,
                expected: { kind: "roleSession", account: ACCOUNT, name: "app" },
            },
            { name: "a deleted role, by its unique ID", value: "AROA3XFRBF23EXAMPLE", expected: { kind: "roleId", id: "AROA3XFRBF23EXAMPLE" } },
            { name: "a user", value: `arn:aws:iam::${ACCOUNT}:user/bob`, expected: { kind: "other", value: `arn:aws:iam::${ACCOUNT}:user/bob` } },
            { name: "thirteen digits, as no account", value: "1234567890123", expected: { kind: "other", value: "1234567890123" } },
            {
                name: "a unique ID with more after it, as no role ID",
                value: "AROA3XFRBF23EXAMPLE/old",
                expected: { kind: "other", value: "AROA3XFRBF23EXAMPLE/old" },
            },
            {
                name: "a unique ID with more before it, as no role ID",
                value: "xAROA3XFRBF23EXAMPLE",
                expected: { kind: "other", value: "xAROA3XFRBF23EXAMPLE" },
            },
            { name: "the ARN of a resource, as no principal", value: "arn:aws:s3:::conf", expected: { kind: "other", value: "arn:aws:s3:::conf" } },
            {
                name: "a role ARN with more before it, as no role",
                value: `see arn:aws:iam::${ACCOUNT}:role/app`,
                expected: { kind: "other", value: `see arn:aws:iam::${ACCOUNT}:role/app` },
            },
            {
                name: "a role ARN followed by a second line, as no role",
                value: `arn:aws:iam::${ACCOUNT}:role/app\nx`,
                expected: { kind: "other", value: `arn:aws:iam::${ACCOUNT}:role/app\nx` },
            },
            {
                name: "an sts ARN of root, as no account",
                value: `arn:aws:sts::${ACCOUNT}:root`,
                expected: { kind: "other", value: `arn:aws:sts::${ACCOUNT}:root` },
            },
            {
                name: "an sts ARN of role/, as no role",
                value: `arn:aws:sts::${ACCOUNT}:role/app`,
                expected: { kind: "other", value: `arn:aws:sts::${ACCOUNT}:role/app` },
            },
            {
                name: "an iam ARN of assumed-role/, as no session",
                value: `arn:aws:iam::${ACCOUNT}:assumed-role/app/4f2a9c`,
                expected: { kind: "other", value: `arn:aws:iam::${ACCOUNT}:assumed-role/app/4f2a9c` },
            },
            {
                name: "an assumed role with more before it, as no session",
                value: `arn:aws:sts::${ACCOUNT}:old-assumed-role/app/4f2a9c`,
                expected: { kind: "other", value: `arn:aws:sts::${ACCOUNT}:old-assumed-role/app/4f2a9c` },
            },
            {
                name: "an assumed role with more after its session, as no session",
                value: `arn:aws:sts::${ACCOUNT}:assumed-role/app/4f2a9c/x`,
                expected: { kind: "other", value: `arn:aws:sts::${ACCOUNT}:assumed-role/app/4f2a9c/x` },
            },
            {
                name: "a federated user session",
                value: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
                expected: { kind: "other", value: `arn:aws:sts::${ACCOUNT}:federated-user/bob` },
            },
        ];
        for (const { name, value, expected } of cases) {
            it(`reads ${name}`, () => assert.deepEqual(parseAwsPrincipal(value), expected));
        }

        it("reads a service principal given as a bare string, as a Lambda permission takes it, as no role", () => {
            assert.deepEqual(parsePrincipalString("s3.amazonaws.com"), { kind: "other", value: "s3.amazonaws.com" });
            assert.deepEqual(parsePrincipalString("ecs-tasks.amazonaws.com.cn"), { kind: "other", value: "ecs-tasks.amazonaws.com.cn" });
            assert.deepEqual(parsePrincipalString(ACCOUNT), { kind: "account", account: ACCOUNT });
        });

        it("reads a role whose name ends in .amazonaws.com, given as a bare string, as that role", () => {
            assert.deepEqual(parsePrincipalString(`arn:aws:iam::${ACCOUNT}:role/s3.amazonaws.com`), {
                kind: "role",
                account: ACCOUNT,
                name: "s3.amazonaws.com",
                arn: `arn:aws:iam::${ACCOUNT}:role/s3.amazonaws.com`,
            });
        });
    });

    describe("documents", () => {
        it("reads a statement without Resource, as ECR writes them, as concerning the resource it is attached to", () => {
            const policy = parseResourcePolicy(
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "Pull", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: "ecr:BatchGetImage" }],
                }),
                isUnknown,
                `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
            );
            assert.deepEqual(policy.document.problems, []);
            assert.equal(policy.statements.length, 1);
            assert.deepEqual(policy.statements[0].statement.resources, { kind: "Resource", values: [`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`] });
            assert.deepEqual(policy.statements[0].principals, [{ kind: "role", account: ACCOUNT, name: "app", arn: `arn:aws:iam::${ACCOUNT}:role/app` }]);
            assert.equal(policy.statements[0].notPrincipal, false);
        });

        it('reads Resource "*" as the resource itself when its ARN is known, and keeps it when not', () => {
            const document = { Statement: { Effect: "Deny", Principal: "*", Action: "secretsmanager:DeleteSecret", Resource: "*" } };
            const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
            assert.deepEqual(parseResourcePolicy(document, isUnknown, secret).statements[0].statement.resources.values, [secret]);
            assert.deepEqual(parseResourcePolicy(document, isUnknown).statements[0].statement.resources.values, ["*"]);
        });

        it("says where a principal is not known, and that a statement names no principal", () => {
            const policy = parseResourcePolicy(
                {
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { AWS: [UNKNOWN, ACCOUNT] }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
                        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" },
                    ],
                },
                isUnknown,
            );
            assert.deepEqual(policy.statements[0].principals, [{ kind: "unknown" }, { kind: "account", account: ACCOUNT }]);
            assert.deepEqual(policy.document.unknownPaths, ["Statement[0].Principal.AWS[0]"]);
            assert.deepEqual(policy.document.problems, [
                { path: "Statement[1]", message: "a resource-based policy statement needs a Principal or NotPrincipal" },
            ]);
        });

        it("keeps a statement's own Resource, and reads each * of a list as the resource itself", () => {
            const bucket = "arn:aws:s3:::conf";
            const document = {
                Statement: [
                    { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::conf/*" },
                    { Effect: "Allow", Principal: "*", Action: "s3:ListBucket", Resource: ["*", "arn:aws:s3:::other"] },
                    { Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", NotResource: "arn:aws:s3:::conf/keep" },
                ],
            };
            assert.deepEqual(
                parseResourcePolicy(document, isUnknown, bucket).statements.map((s) => s.statement.resources),
                [
                    { kind: "Resource", values: ["arn:aws:s3:::conf/*"] },
                    { kind: "Resource", values: [bucket, "arn:aws:s3:::other"] },
                    { kind: "NotResource", values: ["arn:aws:s3:::conf/keep"] },
                ],
            );
        });

        it('reads a statement without Resource as Resource "*" when the resource\'s ARN is not known', () => {
            const policy = parseResourcePolicy({ Statement: { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" } }, isUnknown);
            assert.deepEqual(policy.statements[0].statement.resources, { kind: "Resource", values: ["*"] });
        });

        it("holds a resource-based policy to no rule of an identity policy's grammar", () => {
            const policy = parseResourcePolicy(
                { Version: "2012-10-17", Statement: [{ Sid: "pull-images", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }] },
                isUnknown,
            );
            assert.deepEqual(policy.document.rejections, []);
        });

        it("counts the size of the document as written, Principal included", () => {
            // {"Statement":{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage"}} is 75 characters.
            const policy = parseResourcePolicy(
                '{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"}}',
                isUnknown,
                "arn:aws:sqs:us-east-1:123456789012:q",
            );
            assert.equal(policy.document.size, 75);
        });

        it("reads principals of other kinds by their kind, as no role", () => {
            const policy = parseResourcePolicy(
                { Statement: { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sqs:SendMessage" } },
                isUnknown,
            );
            assert.deepEqual(policy.statements[0].principals, [{ kind: "other", value: "Service:ecs-tasks.amazonaws.com" }]);
        });

        it("says where a whole Principal, or a whole list of it, is not known", () => {
            const policy = parseResourcePolicy(
                {
                    Statement: [
                        { Effect: "Allow", Principal: UNKNOWN, Action: "sqs:SendMessage" },
                        { Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "sqs:SendMessage" },
                        { Effect: "Allow", NotPrincipal: { AWS: [UNKNOWN] }, Action: "sqs:SendMessage" },
                    ],
                },
                isUnknown,
            );
            assert.deepEqual(
                policy.statements.map((s) => s.principals),
                [[{ kind: "unknown" }], [{ kind: "unknown" }], [{ kind: "unknown" }]],
            );
            assert.deepEqual(policy.document.unknownPaths, ["Statement[0].Principal", "Statement[1].Principal.AWS", "Statement[2].NotPrincipal.AWS[0]"]);
            assert.deepEqual(policy.document.problems, []);
        });

        it("says what it cannot read of a principal, and reads no principal from it", () => {
            const policy = parseResourcePolicy(
                {
                    Statement: [
                        { Effect: "Allow", Principal: `arn:aws:iam::${ACCOUNT}:role/app`, Action: "sqs:SendMessage" },
                        { Effect: "Allow", Principal: { AWS: [7] }, Action: "sqs:SendMessage" },
                        { Effect: "Allow", Principal: "*", NotPrincipal: { AWS: ACCOUNT }, Action: "sqs:SendMessage" },
                        { Effect: "Allow", Action: "sqs:SendMessage" },
                    ],
                },
                isUnknown,
            );
            assert.deepEqual(
                policy.statements.map((s) => s.principals),
                [[], [], [{ kind: "account", account: ACCOUNT }], []],
            );
            assert.deepEqual(policy.document.problems, [
                { path: "Statement[0].Principal", message: 'a principal must be "*" or an object such as { "AWS": "<role ARN>" }' },
                { path: "Statement[1].Principal.AWS[0]", message: "a principal must be a string" },
                { path: "Statement[2]", message: "a statement may not have both Principal and NotPrincipal" },
                { path: "Statement[3]", message: "a resource-based policy statement needs a Principal or NotPrincipal" },
            ]);
        });

        it("reads a statement that is not an object as one problem, as an identity policy does", () => {
            const policy = parseResourcePolicy({ Statement: ["Allow"] }, isUnknown);
            assert.deepEqual(policy.statements, []);
            assert.deepEqual(policy.document.problems, [{ path: "Statement[0]", message: 'a statement must be an object, not "Allow"' }]);
        });

        it("reads a document that is null, or whose Statement is not known, as it reads an identity policy", () => {
            assert.deepEqual(parseResourcePolicy(null, isUnknown).document.problems, [
                { path: "", message: "the policy document must be a JSON object, not null" },
            ]);
            const unknown = parseResourcePolicy({ Statement: UNKNOWN }, isUnknown);
            assert.deepEqual(unknown.statements, []);
            assert.deepEqual(unknown.document.unknownPaths, ["Statement"]);
        });

        it("reads NotPrincipal as the principals a statement leaves out", () => {
            const policy = parseResourcePolicy(
                { Statement: [{ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: "sqs:*" }] },
                isUnknown,
            );
            assert.equal(policy.statements[0].notPrincipal, true);
            assert.deepEqual(policy.document.problems, []);
            assert.deepEqual(
                policy.statements[0].principals.map((p) => p.kind),
                ["role"],
            );
        });

        it("reads a Principal written twice in a statement as a problem: which of the two IAM reads is not documented", () => {
            const policy = parseResourcePolicy(
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/a"},"Principal":{"AWS":"arn:aws:iam::123456789012:role/b"},"Action":"ecr:BatchGetImage"}]}',
                isUnknown,
            );
            assert.deepEqual(policy.document.problems, [
                { path: "Statement[0]", message: 'the key "Principal" appears twice here, and IAM does not document which of the two it reads: write it once' },
            ]);
        });

        it("reads a document that is not JSON as one problem and no statement", () => {
            const policy = parseResourcePolicy("{not json", isUnknown);
            assert.deepEqual(policy.statements, []);
            assert.equal(policy.document.problems.length, 1);
            assert.match(policy.document.problems[0].message, /^the policy document is not valid JSON/);
        });
    });
});
