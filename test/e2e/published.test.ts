// The pack as an organisation receives it: `pulumi policy publish` runs `npm pack`, and every machine that
// enforces the pack unpacks that tarball and runs `npm install` in it. A file missing from the package, or a
// dependency present only in development, fails here and not on a user's machine.

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startPack } from "../helpers/engine";
import { toEngineResources } from "../helpers/engineResources";
import { correctStack, managedArn } from "../helpers/stacks";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURE = path.join(ROOT, "test", "fixtures", "stack-export.json");

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd, encoding: "utf8", timeout: 600_000 });
}

describe("the published package", function () {
    this.timeout(600_000);
    let work: string;
    let installed: string;
    let consumer: string;

    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-published-"));
        const tarball = path.join(work, npm(["pack", "--pack-destination", work, "--silent"], ROOT).trim().split("\n").pop() as string);
        // What the Pulumi CLI does with an enforced pack: unpack it, then `npm install` inside it.
        execFileSync("tar", ["-xzf", tarball, "-C", work]);
        installed = path.join(work, "package");
        npm(["install"], installed);
        // What a team that composes our policies into its own pack does.
        consumer = path.join(work, "consumer");
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        npm(["install", "--omit=dev", tarball], consumer);
    });

    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("holds the compiled pack, its data and no tests", () => {
        for (const file of [
            "bin/index.js",
            "bin/policies/index.js",
            "bin/cli/main.js",
            "data/aws-managed-policies.jsonl",
            "data/iam-actions.txt",
            "PulumiPolicy.yaml",
            "LICENSE",
        ]) {
            assert.ok(fs.existsSync(path.join(installed, file)), file);
        }
        assert.equal(fs.existsSync(path.join(installed, "bin", "test")), false);
    });

    it("carries the Apache-2.0 licence its package.json names", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { license: string };
        assert.equal(manifest.license, "Apache-2.0");
        const licence = fs.readFileSync(path.join(installed, "LICENSE"), "utf8");
        assert.match(licence, /^\s*Apache License\n\s*Version 2\.0, January 2004\n/);
        assert.match(licence, /END OF TERMS AND CONDITIONS/);
    });

    it("serves every policy when launched as the CLI launches it", async () => {
        const session = await startPack(installed, { preview: true });
        try {
            assert.equal(session.info.name, "ecs-role-guard");
            assert.equal(session.info.policies.length, 7);
            const ok = await session.deploy(toEngineResources(correctStack("preview").s.resources));
            assert.deepEqual(ok.all, []);
            const { s, executionRole } = correctStack("preview");
            const grant = s.rolePolicyAttachment("exec-admin", executionRole, managedArn("AdministratorAccess"));
            const bad = await session.deploy(toEngineResources(s.resources));
            assert.deepEqual(
                bad.all.filter((d) => d.enforcementLevel === "mandatory").map((d) => [d.policyName, d.urn]),
                [["ecs-execution-role-only-ecr-secrets-logs", grant.urn]],
            );
        } finally {
            await session.close();
        }
    });

    it("works as a library for another pack, installed without dev dependencies, starting nothing", () => {
        const out = execFileSync(
            process.execPath,
            ["-e", "const p = require('ecs-role-guard'); console.log(typeof p.judgeEcsStack, p.policies.map((x) => x.name).join(' '))"],
            {
                cwd: consumer,
                encoding: "utf8",
                timeout: 30_000,
            },
        );
        assert.match(out, /^function ecs-execution-role-only-ecr-secrets-logs ecs-task-role-no-agent-permissions /);
    });

    it("audits a stack export with its own command, installed without dev dependencies", () => {
        const command = path.join(consumer, "node_modules", ".bin", "ecs-role-guard");
        let status = 0;
        let stdout = "";
        try {
            stdout = execFileSync(command, ["audit", FIXTURE, "--format", "json"], { encoding: "utf8", timeout: 120_000 });
        } catch (e) {
            const failure = e as { status: number; stdout: string };
            status = failure.status;
            stdout = failure.stdout;
        }
        assert.equal(status, 1, "a mandatory violation is found");
        const report = JSON.parse(stdout) as { runs: { violations: { policyName: string }[] }[] };
        assert.ok(report.runs[0].violations.some((v) => v.policyName === "ecs-execution-role-only-ecr-secrets-logs"));
    });
});
