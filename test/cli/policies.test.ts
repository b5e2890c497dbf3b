// `ecs-role-guard policies`: what the pack enforces, as a user lists it.

import { strict as assert } from "assert";
import { runCli } from "../helpers/cli";

interface JsonPolicy {
    name: string;
    enforcementLevel: string;
    severity: string;
    kind: string;
    config: { name: string; type: string; default: unknown }[];
    url: string;
}

const CONFIG_OF_ROLE_POLICIES = ["externalRoles", "exemptions"];

describe("ecs-role-guard policies", function () {
    this.timeout(60000);

    it("lists each policy with its default level, severity, kind, config properties and page, as JSON", async () => {
        const { code, stdout, stderr } = await runCli(["policies", "--format", "json"]);
        assert.deepEqual([code, stderr], [0, ""]);
        const listed = (JSON.parse(stdout) as { policies: JsonPolicy[] }).policies;
        assert.deepEqual(
            listed.map((p) => [p.name, p.enforcementLevel, p.severity, p.kind, p.config.map((c) => c.name)]),
            [
                ["ecs-execution-role-only-ecr-secrets-logs", "mandatory", "high", "stack", ["additionalAllowedActions", ...CONFIG_OF_ROLE_POLICIES]],
                ["ecs-task-role-no-agent-permissions", "mandatory", "high", "stack", ["additionalAgentActions", ...CONFIG_OF_ROLE_POLICIES]],
                ["ecs-task-and-execution-roles-distinct", "mandatory", "medium", "resource+stack", ["exemptions"]],
                ["ecs-role-permissions-evaluable", "advisory", "low", "stack", CONFIG_OF_ROLE_POLICIES],
                ["ecs-execution-role-least-privilege", "advisory", "medium", "stack", CONFIG_OF_ROLE_POLICIES],
                ["ecs-execution-role-sufficient", "mandatory", "high", "stack", CONFIG_OF_ROLE_POLICIES],
                ["ecs-role-trust-policy", "advisory", "medium", "stack", ["exemptions"]],
            ],
        );
        assert.deepEqual(listed[0].config[0], {
            name: "additionalAllowedActions",
            type: "array",
            default: [],
            description:
                "More IAM actions or patterns (case-insensitive, * and ? wildcards) that execution roles may carry, such as s3:GetObject for environment files.",
        });
        assert.match(listed[1].url, /\/docs\/policies\/ecs-task-role-no-agent-permissions\.md$/);
    });

    it("lists them as text, one block each", async () => {
        const { code, stdout } = await runCli(["policies"]);
        assert.equal(code, 0);
        assert.match(stdout, /^ecs-role-guard \d+\.\d+\.\d+: 7 policies$/m);
        assert.match(stdout, /^ecs-task-and-execution-roles-distinct +mandatory +medium +resource\+stack$/m);
        assert.match(stdout, /^ {4}config: exemptions \(array, default \[\]\)$/m);
        assert.match(stdout, /^ {4}docs: \S+\/docs\/policies\/ecs-role-trust-policy\.md$/m);
    });

    it("takes no argument, and says so in JSON when asked for JSON", async () => {
        const { code, stdout, stderr } = await runCli(["policies", "extra", "--format", "json"]);
        assert.deepEqual([code, stderr], [2, "ecs-role-guard: policies takes no arguments\n"]);
        assert.deepEqual(JSON.parse(stdout).error, { exitCode: 2, message: "policies takes no arguments", details: [] });
    });
});
