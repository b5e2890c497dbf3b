// `ecs-role-guard audit`, run as a user runs it, on a stack export holding a correct service ("api") and a worker
// whose execution role has AdministratorAccess attached, with encrypted secrets and a copy awaiting deletion.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies";
import { resourceNamed, ROOT, runCli, STACK_EXPORT, stackExport, StackExportFile, tempFile } from "../helpers/cli";

const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";
const TASK = "ecs-task-role-no-agent-permissions";
const EVALUABLE = "ecs-role-permissions-evaluable";
const LEAST_PRIVILEGE = "ecs-execution-role-least-privilege";

const ADMIN_ATTACHMENT = "urn:pulumi:prod::shop::shop:index:Worker$aws:iam/rolePolicyAttachment:RolePolicyAttachment::worker-exec-admin";
const API_TASK_APP = "urn:pulumi:prod::shop::aws:iam/rolePolicy:RolePolicy::api-task-app";
const WORKER_TASK_QUEUE = "urn:pulumi:prod::shop::shop:index:Worker$aws:iam/rolePolicy:RolePolicy::worker-task-queue";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** The fixture's verdicts: the AdministratorAccess attachment, mandatory, and the least-privilege advice on it. */
const FIXTURE_VERDICTS: Verdict[] = [
    [LEAST_PRIVILEGE, "advisory", ADMIN_ATTACHMENT],
    [EXECUTION, "mandatory", ADMIN_ATTACHMENT],
];

interface JsonViolation {
    policyName: string;
    enforcementLevel: string;
    urn: string;
    name: string;
    type: string;
    message: string;
    detail: string;
}
interface JsonReport {
    tool: { name: string; version: string };
    summary: { mandatory: number; advisory: number };
    runs: { kind: string; source: string; phase: string; resources: number; stackAnalyzed: boolean; notes: string[]; violations: JsonViolation[] }[];
}

type Verdict = [policyName: string, enforcementLevel: string, urn: string];

function verdicts(report: JsonReport): Verdict[] {
    return report.runs
        .flatMap((r) => r.violations.map((v): Verdict => [v.policyName, v.enforcementLevel, v.urn]))
        .sort((a, b) => a.join(" ").localeCompare(b.join(" ")));
}

/** Audits a changed copy of the fixture. */
async function auditChanged(change: (doc: StackExportFile) => void, ...args: string[]) {
    const doc = stackExport();
    change(doc);
    const file = tempFile("stack-export.json", JSON.stringify(doc, null, 4));
    const result = await runCli(["audit", file, "--format", "json", ...args]);
    return { ...result, report: JSON.parse(result.stdout || "null") as JsonReport };
}

function setBoth(doc: StackExportFile, name: string, key: string, value: (current: unknown) => unknown): void {
    const r = resourceNamed(doc, name);
    r.inputs[key] = value(r.inputs[key]);
    r.outputs[key] = value(r.outputs[key]);
}

describe("ecs-role-guard audit", function () {
    this.timeout(60000);

    it("exits 1 and reports exactly the AdministratorAccess attachment on the worker's execution role", async () => {
        const { code, stdout, stderr } = await runCli(["audit", STACK_EXPORT, "--format", "json"]);
        assert.equal(stderr, "");
        assert.equal(code, 1);
        const report = JSON.parse(stdout) as JsonReport;
        assert.deepEqual(verdicts(report), FIXTURE_VERDICTS);
        assert.deepEqual(report.summary, { mandatory: 1, advisory: 1 });
        const [run] = report.runs;
        assert.deepEqual([run.kind, run.source, run.phase, run.resources, run.stackAnalyzed], ["audit", STACK_EXPORT, "update", 19, true]);
        const admin = run.violations.find((v) => v.policyName === EXECUTION)!;
        assert.deepEqual([admin.name, admin.type], ["worker-exec-admin", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]);
        assert.match(admin.detail, /AdministratorAccess/);
    });

    it("leaves out the old copy awaiting deletion, which the task-role policy flags once it is live", async () => {
        const { stdout } = await runCli(["audit", STACK_EXPORT, "--format", "json"]);
        assert.match((JSON.parse(stdout) as JsonReport).runs[0].notes.join("\n"), /1 old copy awaiting deletion \(delete: true\) not judged/);

        // The old copy of api-task-app gave the task role ECR pull; make it the live one.
        const revived = await auditChanged((doc) => {
            const resources = doc.deployment.resources;
            resources.splice(resources.indexOf(resourceNamed(doc, "api-task-app")), 1);
            delete resources.find((r) => r.urn === API_TASK_APP)!.delete;
        });
        assert.equal(revived.code, 1);
        assert.deepEqual(verdicts(revived.report), [...FIXTURE_VERDICTS, [TASK, "mandatory", API_TASK_APP] as Verdict]);
    });

    it("judges an encrypted secret as a value it cannot know: not evaluated, never a crash", async () => {
        const encrypted = { [SECRET_SIG]: SECRET, ciphertext: "v1:Zm9vYmFy:AAECAwQFBgcICQoLDA0ODw==" };
        const { code, stderr, report } = await auditChanged((doc) => setBoth(doc, "worker-task-queue", "policy", () => encrypted));
        assert.equal(stderr, "");
        assert.equal(code, 1);
        assert.deepEqual(
            verdicts(report),
            [...FIXTURE_VERDICTS, [EVALUABLE, "advisory", WORKER_TASK_QUEUE] as Verdict].sort((a, b) => a.join(" ").localeCompare(b.join(" "))),
        );
        assert.match(report.runs[0].notes.join("\n"), /5 encrypted secrets judged as unknown values; export with `pulumi stack export --show-secrets`/);
    });

    it("unwraps a --show-secrets plaintext and judges the value inside", async () => {
        const plaintext = (value: unknown) => ({ [SECRET_SIG]: SECRET, plaintext: JSON.stringify(value) });
        const { code, report } = await auditChanged((doc) => {
            setBoth(doc, "worker-exec-admin", "policyArn", plaintext);
            setBoth(doc, "worker-task-queue", "policy", plaintext);
        });
        assert.equal(code, 1);
        assert.deepEqual(verdicts(report), FIXTURE_VERDICTS);
    });

    it("writes SARIF 2.1.0 with the pack's policies as rules and each finding at the attachment's URN and line", async () => {
        const { code, stdout } = await runCli(["audit", STACK_EXPORT, "--format", "sarif"]);
        assert.equal(code, 1);
        const sarif = JSON.parse(stdout);
        assert.equal(sarif.version, "2.1.0");
        assert.equal(sarif.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
        assert.equal(sarif.runs.length, 1);
        const driver = sarif.runs[0].tool.driver;
        assert.equal(driver.name, "ecs-role-guard");
        assert.deepEqual(
            driver.rules.map((r: { id: string }) => r.id),
            policies.map((p) => p.name),
        );
        for (const [i, rule] of driver.rules.entries()) {
            assert.equal(rule.shortDescription.text, policies[i].description);
            assert.equal(rule.help.text, policies[i].remediationSteps);
            assert.equal("helpUri" in rule, Boolean(policies[i].url));
        }
        const text = fs.readFileSync(path.join(ROOT, STACK_EXPORT), "utf8");
        const line = text.slice(0, text.indexOf(`"urn": ${JSON.stringify(ADMIN_ATTACHMENT)}`)).split("\n").length;
        assert.deepEqual(
            sarif.runs[0].results.map((r: any) => [
                r.ruleId,
                driver.rules[r.ruleIndex].id,
                r.level,
                r.locations[0].logicalLocations[0].fullyQualifiedName,
                r.locations[0].physicalLocation.artifactLocation.uri,
                r.locations[0].physicalLocation.region.startLine,
            ]),
            [
                [EXECUTION, EXECUTION, "error", ADMIN_ATTACHMENT, STACK_EXPORT, line],
                [LEAST_PRIVILEGE, LEAST_PRIVILEGE, "warning", ADMIN_ATTACHMENT, STACK_EXPORT, line],
            ],
        );
        assert.match(sarif.runs[0].results[0].message.text, /^aws\.iam\.Role "worker-exec" is the execution role/);
    });

    it("groups the text output by resource, in the state's order, as Pulumi's policy summary does", async () => {
        // A second offender before the worker: AmazonECSTaskExecutionRolePolicy attached to the api's task role.
        const doc = stackExport();
        const resources = doc.deployment.resources;
        const taskRole = resourceNamed(doc, "api-task");
        const policyArn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
        const attachment = {
            urn: "urn:pulumi:prod::shop::aws:iam/rolePolicyAttachment:RolePolicyAttachment::api-task-managed",
            custom: true,
            id: "api-task-5b8c0e3-20261002091425118500000009",
            type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            inputs: { policyArn, role: "api-task-5b8c0e3" },
            outputs: { id: "api-task-5b8c0e3-20261002091425118500000009", policyArn, role: "api-task-5b8c0e3" },
            parent: resourceNamed(doc, "shop-prod").urn,
            dependencies: [taskRole.urn],
            propertyDependencies: { policyArn: [], role: [taskRole.urn] },
        };
        resources.splice(resources.indexOf(resourceNamed(doc, "api-task-app")) + 1, 0, attachment);
        const { code, stdout } = await runCli(["audit", tempFile("stack-export.json", JSON.stringify(doc))]);
        assert.equal(code, 1);
        assert.doesNotMatch(stdout, /\x1b\[/, "no colour when stdout is not a terminal");
        const lines = stdout.split("\n");
        const start = lines.indexOf("Policy Violations:");
        assert.ok(start > 0, stdout);
        const pack = "ecs-role-guard v0.1.0";
        assert.deepEqual(
            lines.slice(start + 1).filter((l) => /^ {4}\[/.test(l)),
            [
                `    [mandatory]  ${pack}  ${TASK} (api-task-managed: aws:iam/rolePolicyAttachment:RolePolicyAttachment)`,
                `    [mandatory]  ${pack}  ${EXECUTION} (worker-exec-admin: aws:iam/rolePolicyAttachment:RolePolicyAttachment)`,
                `    [advisory]  ${pack}  ${LEAST_PRIVILEGE} (worker-exec-admin: aws:iam/rolePolicyAttachment:RolePolicyAttachment)`,
            ],
        );
        // Each finding: its header, then the message as the policy wrote it, indented; the description travels in its own field.
        const first = lines.indexOf(`    [mandatory]  ${pack}  ${TASK} (api-task-managed: aws:iam/rolePolicyAttachment:RolePolicyAttachment)`);
        assert.match(lines[first + 1], /^ {4}aws\.iam\.Role "api-task" is the task role of task definition "api"/);
        assert.equal(lines[first + 2], "", "a blank line between resources");
        assert.ok(!stdout.includes(policies.find((p) => p.name === TASK)!.description), "no description repeated before each message");
        assert.ok(stdout.trimEnd().endsWith("2 mandatory violations, 1 advisory violation."), stdout);
    });

    it("reads the export from stdin with -", async () => {
        const input = fs.readFileSync(path.join(ROOT, STACK_EXPORT), "utf8");
        const fromStdin = await runCli(["audit", "-", "--format", "json"], { input });
        assert.equal(fromStdin.code, 1);
        const report = JSON.parse(fromStdin.stdout) as JsonReport;
        assert.equal(report.runs[0].source, "-");
        assert.deepEqual(verdicts(report), FIXTURE_VERDICTS);

        const sarif = JSON.parse((await runCli(["audit", "-", "--format", "sarif"], { input })).stdout);
        assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation, undefined, "stdin is no file to point at");
        assert.equal(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName, ADMIN_ATTACHMENT);
    });

    it("exits 0 when --policy-pack-config makes every policy advisory, and still reports the finding", async () => {
        const config = tempFile("policy-config.json", JSON.stringify({ all: "advisory" }));
        const { code, stdout } = await runCli(["audit", STACK_EXPORT, "--format", "json", "--policy-pack-config", config]);
        assert.equal(code, 0);
        assert.deepEqual(
            verdicts(JSON.parse(stdout) as JsonReport),
            FIXTURE_VERDICTS.map(([p, , urn]): Verdict => [p, "advisory", urn]),
        );
    });

    it("takes the policy properties of --policy-pack-config: additionalAllowedActions of * clears the finding", async () => {
        const config = tempFile("policy-config.json", JSON.stringify({ [EXECUTION]: { additionalAllowedActions: ["*"] } }));
        const { code, stdout } = await runCli(["audit", STACK_EXPORT, "--format", "json", `--policy-pack-config=${config}`]);
        assert.equal(code, 0);
        assert.ok(!verdicts(JSON.parse(stdout) as JsonReport).some(([p]) => p === EXECUTION));
    });
});

describe("ecs-role-guard on input with a UTF-8 byte-order mark, as Windows editors write it", function () {
    this.timeout(60000);

    it("reads the stack export and the policy pack config as if the mark were not there", async () => {
        const bom = Buffer.from([0xef, 0xbb, 0xbf]);
        const stack = tempFile("bom.json", Buffer.concat([bom, fs.readFileSync(STACK_EXPORT)]));
        const config = tempFile("bom-config.json", Buffer.concat([bom, Buffer.from(JSON.stringify({ [EXECUTION]: { additionalAllowedActions: ["*"] } }))]));
        const plain = await runCli(["audit", STACK_EXPORT, "--format", "json"]);
        const marked = await runCli(["audit", stack, "--format", "json"]);
        const configured = await runCli(["audit", stack, "--format", "json", "--policy-pack-config", config]);
        assert.equal(marked.code, 1, marked.stderr);
        assert.deepEqual(verdicts(JSON.parse(marked.stdout) as JsonReport), verdicts(JSON.parse(plain.stdout) as JsonReport));
        assert.equal(configured.code, 0, configured.stderr);
        assert.ok(!verdicts(JSON.parse(configured.stdout) as JsonReport).some(([p]) => p === EXECUTION));
    });
});

describe("ecs-role-guard on unusable input", function () {
    this.timeout(60000);

    const cases: { name: string; args: () => string[]; reason: RegExp; input?: string }[] = [
        {
            name: "a file that does not exist",
            args: () => ["audit", "no/such/export.json"],
            reason: /^cannot read stack export no\/such\/export\.json: no such file$/,
        },
        { name: "a file that is not JSON", args: () => ["audit", tempFile("bad.json", "{ not json")], reason: /bad\.json is not valid JSON: / },
        { name: "stdin that is not JSON", args: () => ["audit", "-"], input: "version: 3", reason: /^stdin is not valid JSON: / },
        {
            name: "JSON that is not a stack export",
            args: () => ["audit", tempFile("state.json", JSON.stringify({ version: 3, checkpoint: {} }))],
            reason: /is not a `pulumi stack export` file: it has no deployment\.resources list$/,
        },
        {
            name: "a deployment version newer than 3",
            args: () => ["audit", tempFile("v4.json", JSON.stringify({ version: 4, deployment: { resources: [] } }))],
            reason: /has deployment version 4; ecs-role-guard reads versions 1 to 3$/,
        },
        {
            name: "a resource without a URN",
            args: () => ["audit", tempFile("nourn.json", JSON.stringify({ version: 3, deployment: { resources: [{ type: "aws:iam/role:Role" }] } }))],
            reason: /resource 0 has no valid urn$/,
        },
        {
            name: "a policy pack config that does not exist",
            args: () => ["audit", STACK_EXPORT, "--policy-pack-config", "nope.json"],
            reason: /^cannot read policy pack config nope\.json: no such file$/,
        },
        {
            name: "a policy pack config that is not JSON",
            args: () => ["audit", STACK_EXPORT, "--policy-pack-config", tempFile("c.json", "{all: advisory}")],
            reason: /^policy pack config .*c\.json is not valid JSON: /,
        },
        {
            name: "an enforcement level Pulumi does not know",
            args: () => ["audit", STACK_EXPORT, "--policy-pack-config", tempFile("c.json", JSON.stringify({ all: "strict" }))],
            reason: /^invalid policy pack config .*: parsing enforcement level for "all": "strict" is not a valid enforcement level$/,
        },
        {
            name: "a policy property that fails its schema",
            args: () => [
                "audit",
                STACK_EXPORT,
                "--policy-pack-config",
                tempFile("c.json", JSON.stringify({ [EXECUTION]: { additionalAllowedActions: "s3:*" } })),
            ],
            reason: new RegExp(
                `^invalid policy pack config \\S*c\\.json: ${EXECUTION}: additionalAllowedActions: Invalid type\\. Expected: array, given: string$`,
            ),
        },
        {
            name: "a policy name the pack does not have",
            args: () => [
                "audit",
                STACK_EXPORT,
                "--policy-pack-config",
                tempFile("c.json", JSON.stringify({ "ecs-execution-role-only-ecr-secret-logs": "advisory" })),
            ],
            reason: /^invalid policy pack config \S*c\.json: "ecs-execution-role-only-ecr-secret-logs" is not a policy of ecs-role-guard: did you mean "ecs-execution-role-only-ecr-secrets-logs"\?$/,
        },
        {
            name: "an exemption that expires on a day the calendar lacks",
            args: () => [
                "audit",
                STACK_EXPORT,
                "--policy-pack-config",
                tempFile("c.json", JSON.stringify({ [EXECUTION]: { exemptions: [{ role: "legacy-*", reason: "INC-9", expires: "2027-02-30" }] } })),
            ],
            reason: new RegExp(
                `^invalid policy pack config \\S*c\\.json: ${EXECUTION}: exemptions\\[0\\] expires on "2027-02-30", which is not a day of the calendar$`,
            ),
        },
        {
            name: "an exemption that names nothing to match and misspells its expiry",
            args: () => [
                "audit",
                STACK_EXPORT,
                "--policy-pack-config",
                tempFile("c.json", JSON.stringify({ [EXECUTION]: { exemptions: [{ reason: "INC-9", expire: "2027-01-31" }] } })),
            ],
            reason: new RegExp(
                `^invalid policy pack config \\S*c\\.json: ${EXECUTION}: exemptions\\[0\\] has "expire", which an exemption does not take: did you mean "expires"\\?; ` +
                    `${EXECUTION}: exemptions\\[0\\] names nothing to match: give it a "resource", "role" or "family" glob, or it would let every finding of the policy through$`,
            ),
        },
        {
            name: "a stack export in UTF-16, as PowerShell writes it",
            args: () => [
                "audit",
                tempFile("utf16.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(STACK_EXPORT, "utf8"), "utf16le")])),
            ],
            reason: /^stack export \S*utf16\.json is UTF-16 \(little-endian\); it must be UTF-8\. /,
        },
        { name: "an unknown format", args: () => ["audit", STACK_EXPORT, "--format", "xml"], reason: /^--format must be one of text, json, sarif, not "xml"$/ },
        { name: "an unknown option", args: () => ["audit", STACK_EXPORT, "--verbose"], reason: /^unknown option --verbose \(see --help\)$/ },
        { name: "no command", args: () => [], reason: /^missing command: check, audit or suggest \(see --help\)$/ },
        { name: "audit without a file", args: () => ["audit"], reason: /^audit takes one stack export file, or - for stdin$/ },
    ];

    for (const c of cases) {
        it(`exits 2 with a one-line reason for ${c.name}`, async () => {
            const { code, stdout, stderr } = await runCli(c.args(), c.input !== undefined ? { input: c.input } : {});
            assert.equal(code, 2, stderr);
            assert.equal(stdout, "");
            assert.match(stderr, /^ecs-role-guard: [^\n]+\n$/);
            assert.match(stderr.slice("ecs-role-guard: ".length).trimEnd(), c.reason);
        });
    }
});

describe("ecs-role-guard --help and --version", () => {
    it("prints the package version with --version", async () => {
        const { code, stdout } = await runCli(["--version"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        assert.equal(code, 0);
        assert.equal(stdout, `${pkg.version}\n`);
    });

    it("prints the usage of both commands and every option with --help", async () => {
        const { code, stdout } = await runCli(["audit", "--help"]);
        assert.equal(code, 0);
        for (const word of ["check [program-dir]", "audit <file|->", "--policy-pack-config", "--format", "--preview", "--update", "Exit codes"]) {
            assert.ok(stdout.includes(word), word);
        }
    });
});
