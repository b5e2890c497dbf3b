import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { startPack } from "./helpers/engine";

const ROOT = path.resolve(__dirname, "../..");

/** `ecs-task-role-no-agent-permissions` → `ecsTaskRoleNoAgentPermissions` */
function camelCase(kebab: string): string {
    return kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

describe("the pack", () => {
    it("names every policy once, in kebab-case, in a file named after it", () => {
        const names = policies.map((p) => p.name);
        assert.deepEqual(names, [
            "ecs-execution-role-only-ecr-secrets-logs",
            "ecs-task-role-no-agent-permissions",
            "ecs-task-and-execution-roles-distinct",
            "ecs-role-permissions-evaluable",
            "ecs-execution-role-least-privilege",
            "ecs-execution-role-sufficient",
            "ecs-role-trust-policy",
        ]);
        for (const name of names) {
            assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(fs.existsSync(path.join(ROOT, "policies", `${camelCase(name)}.ts`)), `policies/${camelCase(name)}.ts`);
        }
    });

    it("describes every policy in a full sentence, with a severity, a level and remediation steps", () => {
        for (const p of policies) {
            assert.match(p.description, /^[A-Z].*\.$/, p.name);
            assert.ok(p.severity, `${p.name} has a severity`);
            assert.ok(p.enforcementLevel, `${p.name} has an enforcement level`);
            assert.ok((p.remediationSteps ?? "").length > 40, `${p.name} says how to fix it`);
        }
    });

    it("documents every config property with a description and a default", () => {
        for (const p of policies) {
            for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                assert.ok(schema.description, `${p.name}.${key} has a description`);
                assert.deepEqual(schema.default, schema.type === "array" ? [] : {}, `${p.name}.${key} defaults to nothing`);
            }
        }
    });

    it("accepts the example config file as the CLI would", async () => {
        const session = await startPack(ROOT, { preview: true, config: path.join(ROOT, "policy-config.example.json") });
        try {
            assert.deepEqual(session.config["ecs-execution-role-only-ecr-secrets-logs"], {
                enforcementLevel: "mandatory",
                properties: { additionalAllowedActions: ["s3:GetObject", "s3:GetBucketLocation"], externalRoles: {}, exemptions: [] },
            });
            assert.equal(session.config["ecs-role-permissions-evaluable"].enforcementLevel, "advisory");
        } finally {
            await session.close();
        }
    });

    it("starts nothing when another pack imports its policies", () => {
        const out = execFileSync(
            process.execPath,
            ["-e", `const p = require(${JSON.stringify(path.join(ROOT, "bin/policies"))}); console.log(p.policies.length)`],
            {
                timeout: 20_000,
                encoding: "utf8",
            },
        );
        assert.equal(out, "7\n");
    });

    it("declares the Node.js versions that its pinned @pulumi/pulumi requires, and CI tests on those lines", () => {
        const manifest = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as { engines?: { node?: string } };
        assert.equal(manifest(path.join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json")).engines?.node, ">=22");
        assert.equal(manifest(path.join(ROOT, "package.json")).engines?.node, ">=22");
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        assert.match(ci, /^npm test$/m);
        assert.match(ci, /^for version in 22\.\d+\.\d+ 24\.\d+\.\d+; do$/m);
    });
});
