// The harness's options for judging existing state (`ecs-role-guard audit`, like `pulumi policy analyze`), checked
// against a throwaway pack with a remediation, so a failure here points at the harness, not at our policies.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineResource, runDeployment, urnOf } from "../helpers/engine";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const FIX = "probe-fix-bad";
const NO_BAD = "probe-no-bad";
const STACK_WIDE = "probe-stack-wide";

const PROBE_INDEX = `
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("harness-options-probe", {
    policies: [
        {
            name: "${FIX}",
            description: "Sets bad to false.",
            enforcementLevel: "remediate",
            remediateResource: (args) => (args.props.bad === true ? { ...args.props, bad: false } : undefined),
        },
        {
            name: "${NO_BAD}",
            description: "Resources must not set bad to true.",
            enforcementLevel: "mandatory",
            validateResource: (args, reportViolation) => {
                if (args.props.bad === true) reportViolation("bad is true");
            },
        },
        {
            name: "${STACK_WIDE}",
            description: "No resource may set flag.",
            enforcementLevel: "advisory",
            validateStack: (args, reportViolation) => {
                if (args.resources.some((r) => r.props.flag === true)) reportViolation("a resource sets flag");
            },
        },
    ],
});
`;

function makeProbePack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-options-probe-"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "harness-options-probe", version: "0.0.1", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), PROBE_INDEX);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

function bucket(name: string, inputs: Record<string, unknown>): EngineResource {
    return { urn: urnOf("aws:s3/bucket:Bucket", name), type: "aws:s3/bucket:Bucket", name, inputs };
}

describe("the engine stand-in's options for judging existing state", function () {
    this.timeout(30000);
    let packDir: string;

    before(() => {
        packDir = makeProbePack();
    });

    after(() => {
        fs.rmSync(packDir, { recursive: true, force: true });
    });

    it("hands the remediated inputs to Analyze by default, as a deployment does", async () => {
        const bad = bucket("bad", { bad: true });
        const result = await runDeployment(packDir, [bad]);
        assert.deepEqual(result.analyze, []);
        assert.deepEqual(
            result.remediations.map((r) => [r.policyName, r.urn, r.properties]),
            [[FIX, bad.urn, { bad: false }]],
        );
    });

    it("reports a remediation without applying it when applyRemediations is false, as pulumi policy analyze does", async () => {
        const bad = bucket("bad", { bad: true });
        const result = await runDeployment(packDir, [bad], { applyRemediations: false });
        assert.deepEqual(
            result.analyze.map((d) => [d.policyName, d.enforcementLevel, d.urn]),
            [[NO_BAD, "mandatory", bad.urn]],
        );
        assert.deepEqual(
            result.remediations.map((r) => r.policyName),
            [FIX],
        );
    });

    it("goes on past a mandatory finding to AnalyzeStack in an update when stopAtMandatory is false", async () => {
        const bad = bucket("bad", { bad: true });
        const flagged = bucket("flagged", { flag: true });
        const stopped = await runDeployment(packDir, [bad, flagged], { applyRemediations: false });
        assert.equal(stopped.bailedAt, bad.urn);
        const everything = await runDeployment(packDir, [bad, flagged], { applyRemediations: false, stopAtMandatory: false });
        assert.equal(everything.bailedAt, undefined);
        assert.equal(everything.stackAnalyzed, true);
        assert.deepEqual(
            everything.all.map((d) => [d.policyName, d.urn]),
            [
                [NO_BAD, bad.urn],
                [STACK_WIDE, urnOf("pulumi:pulumi:Stack", "demo-dev")],
            ],
        );
    });

    it("keeps the findings in resource order when requests are pipelined, and reports progress for each resource", async () => {
        const buckets = Array.from({ length: 40 }, (_, i) => bucket(`b${i}`, i % 3 === 0 ? { bad: true } : {}));
        const opts = { applyRemediations: false, stopAtMandatory: false };
        const sequential = await runDeployment(packDir, buckets, opts);
        const progress: [number, number][] = [];
        const pipelined = await runDeployment(packDir, buckets, { ...opts, concurrency: 8, onProgress: (n, total) => progress.push([n, total]) });
        assert.deepEqual(
            pipelined.analyze.map((d) => d.urn),
            sequential.analyze.map((d) => d.urn),
        );
        assert.equal(pipelined.analyze.length, 14);
        // The root stack resource and 40 buckets through Analyze, then once more after AnalyzeStack.
        assert.deepEqual(progress, [...Array.from({ length: 41 }, (_, i): [number, number] => [i + 1, 41]), [41, 41]]);
    });

    it("attributes a stack finding without a URN to the resources' own root stack, not the session's", async () => {
        const root: EngineResource = {
            urn: "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod",
            type: "pulumi:pulumi:Stack",
            name: "shop-prod",
            inputs: {},
        };
        const flagged: EngineResource = {
            urn: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::flagged",
            type: "aws:s3/bucket:Bucket",
            name: "flagged",
            inputs: { flag: true },
            parent: root.urn,
        };
        const result = await runDeployment(packDir, [root, flagged], { stackResource: false });
        assert.deepEqual(
            result.stack.map((d) => [d.policyName, d.urn]),
            [[STACK_WIDE, root.urn]],
        );
    });
});
