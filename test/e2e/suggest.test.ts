// `ecs-role-guard suggest` on every bundled example: the suggestion is the one checked in under
// test/fixtures/suggestions, its TypeScript compiles in the program it is written for, and the policy, put on the
// execution role in place of what it had, leaves no execution-role finding when the pack judges the update over the
// Analyzer protocol (everything reported, as `pulumi policy analyze` reports it).

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeploymentResult, PackSession, startPack } from "../../cli/analyzerClient";
import { EngineResource } from "../../cli/engineResources";
import { captureProgram } from "../../cli/capture";
import { exampleProgram, fromCapture, renderSuggestText, SuggestedRole, SuggestRun } from "../../cli/suggest";
import { IamPolicyDocument } from "../../policies/suggest/executionRolePolicy";
import { typeCheck } from "../helpers/typeCheck";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const EXAMPLES_DIR = path.join(ROOT, "examples");
const EXPECTED_DIR = path.join(ROOT, "test", "fixtures", "suggestions");

const EXECUTION = "ecs-execution-role-only-ecr-secrets-logs";
const TASK = "ecs-task-role-no-agent-permissions";
const DISTINCT = "ecs-task-and-execution-roles-distinct";
const TRUST = "ecs-role-trust-policy";
const AWSX_SHOP = "awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition";

type Verdict = [policyName: string, enforcementLevel: string, resource: string];
const resourceOf = (urn: string): string => urn.split("::").slice(2).join("::");
const sorted = (list: Verdict[]): Verdict[] => [...list].sort((a, b) => a.join(" ").localeCompare(b.join(" ")));

/**
 * Every finding left once the suggestion replaces what each execution role had: none from the three execution-role
 * policies anywhere, and only the example's other mistakes. one-role-for-both's role is its task role too, so the
 * ECR pull its task needs is still a task-role finding there: the fix is a role of its own, as the suggestion says.
 */
const AFTER: Record<string, Verdict[]> = {
    "fargate-correct": [],
    "admin-execution-role": [],
    "execution-policy-on-task-role": [[TASK, "mandatory", "aws:iam/rolePolicyAttachment:RolePolicyAttachment::api-task-managed"]],
    "one-role-for-both": [
        [DISTINCT, "mandatory", "aws:ecs/taskDefinition:TaskDefinition::web"],
        // Its two ECR statements, registry login and image pull, each a task-role finding.
        [TASK, "mandatory", "aws:iam/rolePolicy:RolePolicy::web-least-privilege"],
        [TASK, "mandatory", "aws:iam/rolePolicy:RolePolicy::web-least-privilege"],
    ],
    "ecr-wildcard-execution-role": [],
    "broad-customer-policy": [[TASK, "mandatory", "aws:iam/policyAttachment:PolicyAttachment::ops-ecs-admin"]],
    "needs-correct": [],
    "insufficient-execution-role": [],
    "aws-native-service": [[TASK, "mandatory", "aws-native:iam:ManagedPolicy::reports-ecs-control"]],
    "policy-document-own-ecr": [],
    "awsx-fargate": [
        [TASK, "mandatory", `${AWSX_SHOP}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::shop-task-9a42f520`],
        [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-execution`],
        [TRUST, "advisory", `${AWSX_SHOP}$aws:iam/role:Role::shop-task`],
    ],
};

/** The captured update with every grant that reaches the role taken away and the suggested document put in their place. */
function applied(resources: readonly EngineResource[], role: SuggestedRole): EngineResource[] {
    const { suggestion } = role;
    const roleUrn = suggestion.role.resource.urn;
    const roleResource = resources.find((r) => r.urn === roleUrn)!;
    const roleName = (roleResource.outputs ?? roleResource.inputs)[roleResource.type.startsWith("aws-native:") ? "roleName" : "name"] as string;
    const grantors = new Set(suggestion.role.sources.map((s) => s.grantor.urn));
    const out: EngineResource[] = [];
    for (const r of resources) {
        if (r.urn === roleUrn) {
            const cleared = r.type.startsWith("aws-native:") ? { policies: [], managedPolicyArns: [] } : { inlinePolicies: [], managedPolicyArns: [] };
            out.push({ ...r, inputs: { ...r.inputs, ...cleared }, outputs: { ...(r.outputs ?? r.inputs), ...cleared } });
        } else if (!grantors.has(r.urn)) {
            out.push(r);
        } else if (Array.isArray(r.inputs.roles)) {
            // A policy shared with other roles keeps them.
            const roles = (r.inputs.roles as string[]).filter((n) => n !== roleName);
            if (roles.length > 0) out.push({ ...r, inputs: { ...r.inputs, roles }, outputs: { ...(r.outputs ?? r.inputs), roles } });
        }
    }
    const document = suggestion.document as IamPolicyDocument;
    const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(roleUrn)!;
    const name = `${suggestion.role.resource.name}-least-privilege`;
    const native = roleResource.type.startsWith("aws-native:");
    const type = native ? "aws-native:iam:RolePolicy" : "aws:iam/rolePolicy:RolePolicy";
    const inputs = native
        ? { roleName, policyName: "least-privilege", policyDocument: document }
        : { role: roleName, name: "least-privilege", policy: JSON.stringify(document) };
    out.push({
        urn: `urn:pulumi:${stack}::${project}::${type}::${name}`,
        type,
        name,
        inputs,
        outputs: { ...inputs, id: `${roleName}:least-privilege` },
        propertyDependencies: { [native ? "roleName" : "role"]: [roleUrn] },
    });
    return out;
}

describe("ecs-role-guard suggest on the bundled examples", function () {
    this.timeout(180000);
    const captures = new Map<string, EngineResource[]>();
    const runs = new Map<string, SuggestRun>();
    let session: PackSession;

    before(async () => {
        const names = Object.keys(AFTER);
        let next = 0;
        const worker = async (): Promise<void> => {
            while (next < names.length) {
                const name = names[next++];
                const resources = await captureProgram(path.join(ROOT, "bin", "examples", name, "index.js"), { preview: false, project: name });
                captures.set(name, resources);
                runs.set(name, fromCapture(exampleProgram(ROOT, name), "update", resources));
            }
        };
        const [pack] = await Promise.all([startPack(ROOT, { preview: false }), ...Array.from({ length: Math.max(2, Math.min(4, os.cpus().length)) }, worker)]);
        session = pack;
    });

    after(async () => {
        await session?.close();
    });

    it("covers every example directory", () => {
        const dirs = fs
            .readdirSync(EXAMPLES_DIR, { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => d.name)
            .sort();
        assert.deepEqual(dirs, Object.keys(AFTER).sort());
    });

    for (const [name, after] of Object.entries(AFTER)) {
        describe(name, () => {
            it("suggests what test/fixtures/suggestions holds for it", () => {
                const expected = fs.readFileSync(path.join(EXPECTED_DIR, `${name}.txt`), "utf8");
                assert.equal(renderSuggestText([runs.get(name)!]), expected);
            });

            it("leaves, once the suggestion replaces what the execution role had, no execution-role finding and nothing but its other mistakes", async () => {
                let resources = captures.get(name)!;
                const roles = runs.get(name)!.roles;
                assert.ok(roles.length > 0 && roles.every((r) => r.suggestion.document !== undefined));
                for (const role of roles) resources = applied(resources, role);
                const result: DeploymentResult = await session.deploy(resources, { stackResource: false, stopAtMandatory: false });
                const verdicts = result.all.map((d): Verdict => [d.policyName, d.enforcementLevel, resourceOf(d.urn)]);
                assert.deepEqual(sorted(verdicts), sorted(after));
                assert.ok(result.stackAnalyzed);
                assert.deepEqual(
                    verdicts.filter(([policy]) => policy === EXECUTION || policy.startsWith("ecs-execution-role-")),
                    [],
                );
            });
        });
    }

    it("writes TypeScript that compiles against @pulumi/aws, @pulumi/aws-native and @pulumi/pulumi, appended to the program it is for", function () {
        this.timeout(60000);
        // Inside the repository, so that the programs resolve the SDKs from its node_modules; under bin/, which git ignores.
        const dir = fs.mkdtempSync(path.join(ROOT, "bin", ".suggest-typecheck-"));
        try {
            const files: string[] = [];
            for (const [name, run] of runs) {
                const snippets = run.roles.map((r) => r.typescript ?? "").join("\n");
                assert.notEqual(snippets.trim(), "", `${name} has a snippet`);
                const file = path.join(dir, `${name}.ts`);
                fs.writeFileSync(file, `${fs.readFileSync(path.join(EXAMPLES_DIR, name, "index.ts"), "utf8")}\n${snippets}`);
                files.push(file);
            }
            assert.deepEqual(
                typeCheck(files, (fileName, line) => `${path.basename(fileName)}:${line + 1}`),
                [],
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
