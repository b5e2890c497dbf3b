// `ecs-role-guard check`, run as a user runs it, on the bundled examples (captured under mocks by cli/capture.ts).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, runCli } from "../helpers/cli";

interface JsonRun {
    kind: string;
    source: string;
    phase: string;
    stackAnalyzed: boolean;
    stoppedAt?: string;
    violations: { policyName: string; enforcementLevel: string; urn: string }[];
}

const CORRECT = "examples/fargate-correct";
/** The bundled examples built to pass; every other one is built to show a mandatory violation. */
const CORRECT_EXAMPLES = [CORRECT, "examples/needs-correct"];
/** Mistake examples whose mistake rests on values only an update knows: their preview can only advise. */
const UPDATE_ONLY_MISTAKES = ["examples/policy-document-own-ecr"];

function bundledExamples(): string[] {
    return fs
        .readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, "examples", d.name, "Pulumi.yaml")))
        .map((d) => `examples/${d.name}`)
        .sort();
}

const mandatory = (run: JsonRun) => run.violations.filter((v) => v.enforcementLevel === "mandatory");

describe("ecs-role-guard check", function () {
    this.timeout(180000);
    const dirs: string[] = [];
    /** A program in a temporary directory, with our node_modules beside it. */
    const program = (files: Record<string, string>): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-check-"));
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        dirs.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("judges every bundled example in a preview and an update, passes the correct ones and exits 1", async () => {
        const { code, stdout, stderr } = await runCli(["check", "--format", "json"]);
        assert.equal(stderr, "");
        assert.equal(code, 1);
        const runs = (JSON.parse(stdout) as { runs: JsonRun[] }).runs;
        const examples = bundledExamples();
        for (const correct of CORRECT_EXAMPLES) assert.ok(examples.includes(correct), correct);
        assert.deepEqual(
            runs.map((r) => [r.kind, r.source, r.phase]),
            examples.flatMap((e) => [
                ["check", e, "preview"],
                ["check", e, "update"],
            ]),
        );
        for (const run of runs) {
            if (CORRECT_EXAMPLES.includes(run.source) || (UPDATE_ONLY_MISTAKES.includes(run.source) && run.phase === "preview")) {
                assert.deepEqual(mandatory(run), [], `${run.source} ${run.phase}`);
            } else {
                assert.ok(mandatory(run).length > 0, `${run.source} ${run.phase} is built to show a mandatory violation`);
            }
        }
    });

    it("prints an example's verdicts as Pulumi's policy summary does, in text", async () => {
        const { code, stdout } = await runCli(["check", "examples/execution-policy-on-task-role", "--update", "--format", "text"]);
        assert.equal(code, 1);
        const lines = stdout.split("\n");
        assert.equal(lines[0], "examples/execution-policy-on-task-role: update (9 resources)");
        assert.equal(lines[1], "Policy Violations:");
        assert.equal(
            lines[2].trim(),
            `[mandatory]  ecs-role-guard v${(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version}  ecs-task-role-no-agent-permissions (api-task-managed: aws:iam/rolePolicyAttachment:RolePolicyAttachment)`,
        );
        assert.match(stdout, /AWS-managed policy AmazonECSTaskExecutionRolePolicy \(attached by aws\.iam\.RolePolicyAttachment "api-task-managed"\)/);
    });

    it("exits 0 on the correct example, with no violation in its update", async () => {
        const { code, stdout } = await runCli(["check", CORRECT, "--update", "--format", "json"]);
        assert.equal(code, 0);
        const runs = (JSON.parse(stdout) as { runs: JsonRun[] }).runs;
        assert.deepEqual(
            runs.map((r) => [r.source, r.phase, r.stackAnalyzed, r.violations]),
            [[CORRECT, "update", true, []]],
        );
    });

    it("stops an update at the first mandatory Analyze finding, as pulumi up does, and says so", async () => {
        // One role as both roles is found by Analyze on the task definition once both ARNs are known.
        const { code, stdout } = await runCli(["check", "examples/one-role-for-both", "--update"]);
        assert.equal(code, 1);
        assert.match(stdout, /^examples\/one-role-for-both: update \(\d+ resources\)$/m);
        assert.match(stdout, /\[mandatory\] {2}ecs-role-guard v\S+ {2}ecs-task-and-execution-roles-distinct \(web: aws:ecs\/taskDefinition:TaskDefinition\)/);
        assert.match(stdout, /The update stopped at web, as `pulumi up` stops at a mandatory violation: .*not run\./);
    });

    it("runs the program as the stack --stack names", async () => {
        const { code, stdout } = await runCli([
            "check",
            "examples/admin-execution-role",
            "--update",
            "--stack",
            "prod",
            "--config",
            "aws:region=eu-west-1",
            "--format",
            "json",
        ]);
        assert.equal(code, 1);
        const runs = (JSON.parse(stdout) as { runs: JsonRun[] }).runs;
        assert.ok(runs[0].violations.length > 0);
        for (const v of runs[0].violations) assert.match(v.urn, /^urn:pulumi:prod::admin-execution-role::/);
    });

    it("points each SARIF result of a bundled example at the line of the resource's new expression in its index.ts", async () => {
        const { code, stdout } = await runCli(["check", "examples/admin-execution-role", "--update", "--format", "sarif"]);
        assert.equal(code, 1);
        const source = fs.readFileSync(path.join(ROOT, "examples", "admin-execution-role", "index.ts"), "utf8").split("\n");
        const line = source.findIndex((l) => l.includes('new aws.iam.Role("worker-execution"')) + 1;
        const results: any[] = JSON.parse(stdout).runs[0].results;
        assert.ok(results.length > 0);
        for (const r of results) {
            assert.deepEqual(r.locations[0].physicalLocation, {
                artifactLocation: { uri: "examples/admin-execution-role/index.ts" },
                region: { startLine: line },
            });
        }
    });

    it("labels each SARIF result with its phase and points it at the example's index.ts", async () => {
        const { code, stdout } = await runCli(["check", "examples/admin-execution-role", "--preview", "--format", "sarif"]);
        assert.equal(code, 1);
        const sarif = JSON.parse(stdout);
        assert.equal(sarif.version, "2.1.0");
        const results: any[] = sarif.runs[0].results;
        assert.ok(results.some((r) => r.level === "error"));
        for (const r of results) {
            assert.equal(r.properties.phase, "preview");
            assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, "examples/admin-execution-role/index.ts");
            assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
            assert.match(r.locations[0].logicalLocations[0].fullyQualifiedName, /^urn:pulumi:dev::admin-execution-role::/);
        }
    });

    it("exits 2 with a one-line reason for a program directory that does not exist", async () => {
        const { code, stdout, stderr } = await runCli(["check", "examples/no-such-example"]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.equal(stderr, "ecs-role-guard: examples/no-such-example: no such file or directory\n");
    });

    it("exits 2 with a one-line reason for a program that throws", async () => {
        const dir = program({ "index.js": 'require("@pulumi/pulumi");\nthrow new Error("the program is broken");\n' });
        const { code, stdout, stderr } = await runCli(["check", dir]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.equal(
            stderr,
            `ecs-role-guard: ${dir}: the program cannot be checked (preview): ${dir}/index.js:2:7: the program failed: the program is broken\n`,
        );
    });

    it("with --format json, answers a program it cannot check with a JSON object on stdout, and says so on stderr", async () => {
        const dir = program({
            "index.ts": 'import * as aws from "@pulumi/aws";\n\nexport const role = new aws.iam.Role("app", { assumeRolePolicy: "{}" ;\n',
        });
        // Not type-checked (as PULUMI_NODEJS_TRANSPILE_ONLY tells the language host): the syntax error is met on loading.
        const { code, stdout, stderr } = await runCli(["check", dir, "--preview", "--format", "json"], { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
        assert.equal(code, 2);
        const message = `${dir}: the program cannot be checked (preview): ${dir}/index.ts:3:70: error TS1005: ',' expected.`;
        assert.deepEqual(JSON.parse(stdout), {
            tool: { name: "ecs-role-guard", version: (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version },
            error: { exitCode: 2, message, details: [`${dir}/index.ts:4:1: error TS1005: '}' expected.`] },
        });
        assert.equal(stderr, `ecs-role-guard: ${message}\n  ${dir}/index.ts:4:1: error TS1005: '}' expected.\n`);
    });

    it("judges one role used as both roles, its trust policy from getPolicyDocument, in a preview and an update", async () => {
        const dir = program({
            "index.js": `const aws = require("@pulumi/aws");
const trust = aws.iam.getPolicyDocumentOutput({
    statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] }],
});
const role = new aws.iam.Role("both", { assumeRolePolicy: trust.json });
new aws.iam.RolePolicyAttachment("both-pull", { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" });
new aws.ecs.TaskDefinition("web", {
    family: "web",
    containerDefinitions: JSON.stringify([{ name: "web", image: "nginx:1.27", essential: true }]),
    executionRoleArn: role.arn,
    taskRoleArn: role.arn,
});
`,
        });
        const { code, stdout } = await runCli(["check", dir, "--format", "json"]);
        assert.equal(code, 1);
        const runs = (JSON.parse(stdout) as { runs: JsonRun[] }).runs;
        assert.deepEqual(
            runs.map((r) => [r.phase, mandatory(r).map((v) => [v.policyName, v.urn.split("::").slice(2).join("::")])]),
            [
                [
                    "preview",
                    [
                        ["ecs-task-role-no-agent-permissions", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::both-pull"],
                        ["ecs-task-and-execution-roles-distinct", "aws:ecs/taskDefinition:TaskDefinition::web"],
                    ],
                ],
                ["update", [["ecs-task-and-execution-roles-distinct", "aws:ecs/taskDefinition:TaskDefinition::web"]]],
            ],
        );
    });

    it("exits 2 when the update registers less than the preview, naming what is missing and where", async () => {
        const dir = program({
            "index.js": `const aws = require("@pulumi/aws");
const pulumi = require("@pulumi/pulumi");
if (pulumi.runtime.isDryRun()) {
    new aws.s3.Bucket("preview-only");
}
`,
        });
        const { code, stdout, stderr } = await runCli(["check", dir]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.equal(
            stderr,
            `ecs-role-guard: ${dir}: the update registers fewer resources than the preview: aws:s3/bucket:Bucket::preview-only (${dir}/index.js:4:5) is missing from the update\n`,
        );
    });

    it("says in the preview which resources only the update judges, those a program creates inside an apply", async () => {
        const dir = program({
            "index.js": `const aws = require("@pulumi/aws");
const bucket = new aws.s3.Bucket("data");
bucket.arn.apply((arn) => new aws.iam.Policy("data-read", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: arn }] }) }));
`,
        });
        const { code, stdout } = await runCli(["check", dir, "--format", "json"]);
        assert.equal(code, 0);
        const runs = (JSON.parse(stdout) as { runs: (JsonRun & { notes: string[] })[] }).runs;
        assert.deepEqual(
            runs.map((r) => [r.phase, r.notes]),
            [
                [
                    "preview",
                    [
                        "1 resource is created only once values a preview does not know are known (inside apply), so only the update judges it, as only a real update would: aws:iam/policy:Policy::data-read",
                    ],
                ],
                ["update", []],
            ],
        );
    });

    it("points a SARIF result at the new expression that creates the resource, in a helper in another file, whatever its name expression", async () => {
        const dir = program({
            "roles.js": `const aws = require("@pulumi/aws");
exports.taskRole = (prefix) =>
    new aws.iam.Role(\`\${prefix}-task\`, {
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    });
`,
            "index.js": `const aws = require("@pulumi/aws");
const { taskRole } = require("./roles");
const app = "api";
const role = taskRole(app);
new aws.ecs.TaskDefinition(app, { family: app, containerDefinitions: "[]", taskRoleArn: role.arn });
`,
        });
        const { code, stdout } = await runCli(["check", dir, "--update", "--format", "sarif"]);
        assert.equal(code, 1);
        const results: any[] = JSON.parse(stdout).runs[0].results;
        const onRole = results.filter((r) => r.ruleId === "ecs-task-role-no-agent-permissions");
        assert.equal(onRole.length, 1);
        assert.deepEqual(onRole[0].locations[0].physicalLocation, { artifactLocation: { uri: path.join(dir, "roles.js") }, region: { startLine: 3 } });
    });

    it("refuses --preview and --update with audit", async () => {
        const { code, stderr } = await runCli(["audit", "test/fixtures/stack-export.json", "--preview"]);
        assert.equal(code, 2);
        assert.equal(stderr, "ecs-role-guard: --preview, --update, --stack, --config and --account apply to check only\n");
    });
});
