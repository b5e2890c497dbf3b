// Checks the engine stand-in against a throwaway pack, so a failure here points at the harness, not at our policies.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    EngineResource,
    JsonSchema,
    PackSession,
    PolicyConfigError,
    RpcMethod,
    PolicySummary,
    UNKNOWN,
    parsePolicyConfig,
    reconcilePolicyConfig,
    runDeployment,
    startPack,
    urnOf,
} from "../helpers/engine";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const RESOURCE_POLICY = "probe-no-bad-input";
const STACK_POLICY = "probe-role-dependency";

const PROBE_INDEX = `
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("harness-probe", {
    policies: [
        {
            name: "${RESOURCE_POLICY}",
            description: "Resources must not set bad to true.",
            enforcementLevel: "mandatory",
            configSchema: { properties: { threshold: { type: "number", default: 1 } } },
            validateResource: (args, reportViolation) => {
                if (args.props.bad === true) {
                    reportViolation("bad is true (threshold " + args.getConfig().threshold + ")");
                }
            },
        },
        {
            name: "${STACK_POLICY}",
            description: "Resources must not depend on a role through an input named role.",
            enforcementLevel: "mandatory",
            validateStack: (args, reportViolation) => {
                for (const r of args.resources) {
                    const roles = r.propertyDependencies.role || [];
                    if (roles.length > 0) {
                        reportViolation("role comes from " + roles.map((d) => d.urn).join(", "), r.urn);
                    }
                }
            },
        },
    ],
});
`;

/** Writes the probe pack to a temp dir; node_modules is a link to the repo's, as an installed pack would resolve. */
function makeProbePack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-probe-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "harness-probe", version: "0.0.1", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), PROBE_INDEX);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

const roleUrn = urnOf("aws:iam/role:Role", "task-role");
const role: EngineResource = { urn: roleUrn, type: "aws:iam/role:Role", name: "task-role", inputs: { name: "task-role" } };
const badBucketUrn = urnOf("aws:s3/bucket:Bucket", "bad-bucket");
const badBucket: EngineResource = { urn: badBucketUrn, type: "aws:s3/bucket:Bucket", name: "bad-bucket", inputs: { bad: true } };
const taskUrn = urnOf("aws:ecs/taskDefinition:TaskDefinition", "app");
const task: EngineResource = {
    urn: taskUrn,
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "app",
    inputs: { role: UNKNOWN, family: "app" },
    outputs: { role: "arn:aws:iam::123456789012:role/task-role", family: "app" },
    propertyDependencies: { role: [roleUrn], family: [] },
};

describe("the engine stand-in (cli/analyzerClient.ts)", function () {
    this.timeout(20000);
    let packDir: string;

    before(() => {
        packDir = makeProbePack();
    });

    after(() => {
        fs.rmSync(packDir, { recursive: true, force: true });
    });

    describe("one pack process driven call by call", () => {
        let session: PackSession;
        const rpcs: RpcMethod[] = [];

        before(async () => {
            session = await startPack(packDir, { onRpc: (m) => rpcs.push(m) });
        });

        after(async () => {
            await session?.close();
        });

        it("reads the port and lists the policies from GetAnalyzerInfo", () => {
            assert.ok(session.timings.spawnToPortMs > 0);
            assert.strictEqual(session.info.name, "harness-probe");
            assert.strictEqual(session.info.version, "0.0.1");
            assert.deepStrictEqual(
                session.info.policies.map((p) => [p.name, p.policyType, p.enforcementLevel]),
                [
                    [RESOURCE_POLICY, "resource", "mandatory"],
                    [STACK_POLICY, "stack", "mandatory"],
                ],
            );
            assert.deepStrictEqual(session.info.policies[0].configSchema?.properties, { threshold: { type: "number", default: 1 } });
        });

        it("starts with Handshake, ConfigureStack, GetAnalyzerInfo and Configure", () => {
            assert.deepStrictEqual(rpcs.slice(0, 4), ["Handshake", "ConfigureStack", "GetAnalyzerInfo", "Configure"]);
        });

        it("sends every policy its schema defaults and level in Configure", () => {
            assert.deepStrictEqual(session.config, {
                [RESOURCE_POLICY]: { enforcementLevel: "mandatory", properties: { threshold: 1 } },
                [STACK_POLICY]: { enforcementLevel: "mandatory" },
            });
        });

        it("returns a mandatory violation with the resource's URN", async () => {
            const diagnostics = await session.analyze(badBucket);
            assert.deepStrictEqual(
                diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message]),
                [[RESOURCE_POLICY, "mandatory", badBucketUrn, "Resources must not set bad to true.\nbad is true (threshold 1)"]],
            );
        });

        it("finds nothing on a resource without bad", async () => {
            assert.deepStrictEqual(await session.analyze(role), []);
        });

        it("turns the violation advisory with the config file { all: advisory }", async () => {
            await session.configure({ all: "advisory" });
            const diagnostics = await session.analyze(badBucket);
            assert.deepStrictEqual(
                diagnostics.map((d) => d.enforcementLevel),
                ["advisory"],
            );
        });

        it("removes the violation when the config file disables the policy", async () => {
            await session.configure({ [RESOURCE_POLICY]: "disabled" });
            assert.deepStrictEqual(await session.analyze(badBucket), []);
        });

        it("passes a configured property to getConfig", async () => {
            await session.configure({ [RESOURCE_POLICY]: { threshold: 7 } });
            const diagnostics = await session.analyze(badBucket);
            assert.deepStrictEqual(
                diagnostics.map((d) => [d.enforcementLevel, d.message.split("\n")[1]]),
                [["mandatory", "bad is true (threshold 7)"]],
            );
        });

        it("reports an unknown input as an advisory that the policy can't run during preview", async () => {
            await session.configure();
            const diagnostics = await session.analyze({ ...badBucket, inputs: { bad: UNKNOWN } });
            assert.deepStrictEqual(
                diagnostics.map((d) => [d.policyName, d.enforcementLevel, d.message]),
                [
                    [
                        RESOURCE_POLICY,
                        "advisory",
                        `can't run policy '${RESOURCE_POLICY}' from policy pack 'harness-probe@v0.0.1' during preview: string value at .bad can't be known during preview`,
                    ],
                ],
            );
        });

        it("gives AnalyzeStack the propertyDependencies and keeps the URN the policy reports", async () => {
            const diagnostics = await session.analyzeStack([role, task]);
            assert.deepStrictEqual(
                diagnostics.map((d) => [d.policyName, d.urn, d.message]),
                [[STACK_POLICY, taskUrn, `Resources must not depend on a role through an input named role.\nrole comes from ${roleUrn}`]],
            );
        });
    });

    describe("a whole deployment", () => {
        it("runs Remediate then Analyze per resource and AnalyzeStack once, from the root stack resource on", async () => {
            const rpcs: RpcMethod[] = [];
            const result = await runDeployment(packDir, [role, { ...task, inputs: task.outputs! }], { onRpc: (m) => rpcs.push(m) });
            assert.deepStrictEqual(rpcs.slice(4), ["Remediate", "Analyze", "Remediate", "Analyze", "Remediate", "Analyze", "AnalyzeStack"]);
            assert.deepStrictEqual(result.analyze, []);
            assert.ok(result.stackAnalyzed);
            assert.deepStrictEqual(
                result.stack.map((d) => [d.policyName, d.urn]),
                [[STACK_POLICY, taskUrn]],
            );
            assert.deepStrictEqual(result.all, result.stack);
        });

        it("carries on to AnalyzeStack in a preview despite mandatory findings and unknowns", async () => {
            const unknownBucketUrn = urnOf("aws:s3/bucket:Bucket", "unknown-bucket");
            const unknownBucket = { ...badBucket, urn: unknownBucketUrn, name: "unknown-bucket", inputs: { bad: UNKNOWN } };
            const result = await runDeployment(packDir, [badBucket, unknownBucket, role, { ...task, outputs: { role: UNKNOWN } }], { preview: true });
            assert.deepStrictEqual(
                result.analyze.map((d) => [d.urn, d.enforcementLevel]),
                [
                    [badBucketUrn, "mandatory"],
                    [unknownBucketUrn, "advisory"],
                ],
            );
            assert.strictEqual(result.bailedAt, undefined);
            assert.deepStrictEqual(
                result.stack.map((d) => [d.policyName, d.urn]),
                [[STACK_POLICY, taskUrn]],
            );
        });

        it("stops an update at a mandatory finding, as the engine bails before AnalyzeStack", async () => {
            const result = await runDeployment(packDir, [badBucket, role, task]);
            assert.strictEqual(result.bailedAt, badBucketUrn);
            assert.strictEqual(result.stackAnalyzed, false);
            assert.deepStrictEqual(
                result.all.map((d) => [d.policyName, d.urn]),
                [[RESOURCE_POLICY, badBucketUrn]],
            );
        });

        it("rejects a config property of the wrong type before anything is analysed", async () => {
            const rpcs: RpcMethod[] = [];
            await assert.rejects(
                runDeployment(packDir, [badBucket], { config: { [RESOURCE_POLICY]: { threshold: "high" } }, onRpc: (m) => rpcs.push(m) }),
                (e: unknown) => {
                    assert.ok(e instanceof PolicyConfigError);
                    assert.deepStrictEqual(e.validationErrors, [
                        `validating policy config: harness-probe 0.0.1  ${RESOURCE_POLICY}: threshold: Invalid type. Expected: number, given: string`,
                    ]);
                    return true;
                },
            );
            assert.deepStrictEqual(rpcs, ["Handshake", "ConfigureStack", "GetAnalyzerInfo"]);
        });
    });
});

describe("policy config reconciliation", () => {
    const policy = (name: string, properties: PolicySummary["configSchema"] = undefined): PolicySummary => ({
        name,
        displayName: "",
        description: "",
        enforcementLevel: "mandatory",
        policyType: "resource",
        configSchema: properties,
        tags: [],
        remediationSteps: "",
        url: "",
    });
    const schema = { properties: { threshold: { type: "number", default: 1 }, mode: { type: "string" } }, required: [] };

    it("applies all before the per-policy entries, whatever their order in the file", () => {
        const file = parsePolicyConfig({ p: { enforcementLevel: "disabled", mode: "x" }, all: "advisory" });
        const { config, errors } = reconcilePolicyConfig([policy("p", schema), policy("q")], undefined, file);
        assert.deepStrictEqual(errors, []);
        assert.deepStrictEqual(config, {
            p: { enforcementLevel: "disabled", properties: { threshold: 1, mode: "x" } },
            q: { enforcementLevel: "advisory" },
            all: { enforcementLevel: "advisory" },
        });
    });

    it("turns a policy advisory when the pack's initial config gives it only properties", () => {
        // GetAnalyzerInfo carries the level as an enum whose zero value is ADVISORY, and the CLI applies it.
        const initial = { p: { enforcementLevel: "advisory" as const, properties: { mode: "y" } } };
        const { config } = reconcilePolicyConfig([policy("p", schema)], initial, undefined);
        assert.deepStrictEqual(config.p, { enforcementLevel: "advisory", properties: { threshold: 1, mode: "y" } });
    });

    it("words a missing required property and a wrong nested type as the CLI does", () => {
        const nested = {
            properties: { limits: { type: "object", properties: { max: { type: "integer" } }, additionalProperties: false } },
            required: ["name"],
        };
        const file = parsePolicyConfig({ p: { limits: { max: 1.5, extra: true } } });
        const { errors } = reconcilePolicyConfig([policy("p", nested)], undefined, file);
        assert.deepStrictEqual(errors.sort(), [
            "p: limits.max: Invalid type. Expected: integer, given: number",
            "p: limits: Additional property extra is not allowed",
            "p: name is required",
        ]);
    });

    const keywordCases: { keyword: string; schema: object; value: unknown; errors: string[] }[] = [
        {
            keyword: "enum",
            schema: { mode: { type: "string", enum: ["a", "b"] } },
            value: { mode: "c" },
            errors: ['p: mode: mode must be one of the following: "a", "b"'],
        },
        {
            keyword: "minLength",
            schema: { name: { type: "string", minLength: 2 } },
            value: { name: "x" },
            errors: ["p: name: String length must be greater than or equal to 2"],
        },
        {
            keyword: "pattern",
            schema: { day: { type: "string", pattern: "^[0-9]{4}$" } },
            value: { day: "20x7" },
            errors: ["p: day: Does not match pattern '^[0-9]{4}$'"],
        },
        { keyword: "minItems", schema: { list: { type: "array", minItems: 1 } }, value: { list: [] }, errors: ["p: list: Array must have at least 1 items"] },
        {
            keyword: "uniqueItems",
            schema: { list: { type: "array", uniqueItems: true } },
            value: { list: ["a", "b", "a"] },
            errors: ["p: list: array items[0,2] must be unique"],
        },
        { keyword: "minimum", schema: { n: { type: "number", minimum: 3 } }, value: { n: 2 }, errors: ["p: n: Must be greater than or equal to 3"] },
        { keyword: "exclusiveMaximum", schema: { n: { type: "number", exclusiveMaximum: 3 } }, value: { n: 3 }, errors: ["p: n: Must be less than 3"] },
        {
            keyword: "a list of types",
            schema: { v: { type: ["string", "object"] } },
            value: { v: 1 },
            errors: ["p: v: Invalid type. Expected: [string,object], given: integer"],
        },
        {
            keyword: "anyOf, once and with the errors of its first best branch",
            schema: { e: { type: "object", anyOf: [{ required: ["a"] }, { required: ["b"] }] } },
            value: { e: {} },
            errors: ["p: e: Must validate at least one schema (anyOf)", "p: e: a is required"],
        },
        {
            keyword: "oneOf, with the errors of the branch that fails least",
            schema: {
                e: {
                    oneOf: [
                        { type: "string", minLength: 5, pattern: "^z" },
                        { type: "string", minLength: 3 },
                    ],
                },
            },
            value: { e: "ab" },
            errors: ["p: e: Must validate one and only one schema (oneOf)", "p: e: String length must be greater than or equal to 3"],
        },
        {
            keyword: "items in a nested path",
            schema: { l: { type: "array", items: { type: "string" } } },
            value: { l: ["x", 2] },
            errors: ["p: l.1: Invalid type. Expected: string, given: integer"],
        },
        {
            keyword: "nothing, when the value is valid",
            schema: { l: { type: "array", items: { type: "string" }, uniqueItems: true } },
            value: { l: ["x", "y"] },
            errors: [],
        },
    ];
    for (const c of keywordCases) {
        it(`validates ${c.keyword} with the CLI's verdict and words`, () => {
            const file = parsePolicyConfig({ p: c.value as Record<string, unknown> });
            const { errors } = reconcilePolicyConfig([policy("p", { properties: c.schema as Record<string, JsonSchema>, required: [] })], undefined, file);
            assert.deepStrictEqual(errors, c.errors);
        });
    }

    it("rejects a level that is not one of the four", () => {
        assert.throws(() => parsePolicyConfig({ p: "loud" }), /parsing enforcement level for "p": "loud" is not a valid enforcement level/);
    });
});
