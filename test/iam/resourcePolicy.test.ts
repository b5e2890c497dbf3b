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
            assert.deepEqual(parsePrincipalString(ACCOUNT), { kind: "account", account: ACCOUNT });
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

        it("reads NotPrincipal as the principals a statement leaves out", () => {
            const policy = parseResourcePolicy(
                { Statement: [{ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: "sqs:*" }] },
                isUnknown,
            );
            assert.equal(policy.statements[0].notPrincipal, true);
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
