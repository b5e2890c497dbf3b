import { strict as assert } from "assert";
import * as v8 from "v8";
import * as vm from "vm";
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Finding, judgeEcsStack } from "../policies";
import { asPolicyResources, correctStack } from "./helpers/stacks";

// A full collection on demand, to see what a policy still holds while it judges.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** The SDK's args for one stack policy, built so that nothing but the policy holds them. */
function sdkArgs(resources: PolicyResource[], config: Record<string, unknown>): StackValidationArgs {
    return {
        resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
}

describe("a stack policy of the pack", () => {
    it("lets go of the SDK's resources before it judges the stack", async () => {
        let sdkResources: WeakRef<PolicyResource[]> | undefined;
        let heldWhileJudging: boolean | undefined;
        let judgedTaskDefinitions = 0;
        const validateStack = judgeEcsStack(
            () => ({}),
            async (model) => {
                judgedTaskDefinitions = model.taskDefinitions.length;
                // A later task: a WeakRef keeps its target alive to the end of the task that made it.
                await new Promise((resolve) => setImmediate(resolve));
                collectGarbage();
                heldWhileJudging = sdkResources?.deref() !== undefined;
                return [];
            },
        );
        const analyze = () => {
            const resources = asPolicyResources(correctStack("update").s.resources);
            sdkResources = new WeakRef(resources);
            return validateStack(sdkArgs(resources, {}), () => undefined);
        };
        await analyze();
        assert.ok(judgedTaskDefinitions > 0, "the model was built from the resources");
        assert.equal(heldWhileJudging, false, "the SDK's resources were still reachable while the policy judged");
    });

    it("judges with its config and reports after its exemptions, both read from args", async () => {
        const finding: Finding = { urn: "urn:pulumi:dev::demo::aws:iam/role:Role::exec", message: "Too much.", roles: ["exec"] };
        const validateStack = judgeEcsStack(
            (given) => ({ externalRoles: {}, seen: (given as { marker?: string }).marker }),
            (_model, config) => [{ ...finding, message: `${finding.message} (${config.seen})` }],
        );
        const reported: unknown[] = [];
        const resources = asPolicyResources(correctStack("update").s.resources);
        await validateStack(sdkArgs(resources, { marker: "configured", exemptions: [{ role: "exec", reason: "migration" }] }), (d: unknown) =>
            reported.push(d),
        );
        assert.deepEqual(reported, [
            { message: 'Exempted ("migration", with no expiry): Too much. (configured)', urn: finding.urn, enforcementLevel: "advisory" },
        ]);
    });
});
