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
            if (CORRECT_EXAMPLES.includes(run.source)) {
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
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-broken-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "index.js"), 'require("@pulumi/pulumi");\nthrow new Error("the program is broken");\n');
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        const { code, stdout, stderr } = await runCli(["check", dir]);
        assert.equal(code, 2);
        assert.equal(stdout, "");
        assert.equal(
            stderr,
            `ecs-role-guard: ${dir}: the program cannot be checked (preview): ${dir}/index.js:2:7: the program failed: the program is broken\n`,
        );
    });

    it("refuses --preview and --update with audit", async () => {
        const { code, stderr } = await runCli(["audit", "test/fixtures/stack-export.json", "--preview"]);
        assert.equal(code, 2);
        assert.equal(stderr, "ecs-role-guard: --preview, --update, --stack, --config and --account apply to check only\n");
    });
});
