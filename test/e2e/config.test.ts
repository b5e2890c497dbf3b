// Config mistakes as an organisation would make them in `pulumi policy enable --config`, through the protocol: the
// CLI checks only each policy's `properties` and `required`, so the pack itself must say what it ignores.

import { strict as assert } from "assert";
import * as path from "path";
import { startPack } from "../helpers/engine";
import { toEngineResources } from "../helpers/engineResources";
import { correctStack, PHASES } from "../helpers/stacks";

const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

describe("config the pack does not take, configured as the CLI configures a pack", function () {
    this.timeout(60000);

    for (const phase of PHASES) {
        it(`is reported in ${phase === "preview" ? "a preview" : "an update"}, as an advisory on the stack, with what was meant`, async () => {
            const session = await startPack(PACK_DIR, {
                preview: phase === "preview",
                config: {
                    "ecs-execution-role-only-ecr-secrets-logs": { enforcementLevel: "mandatory", additionalAllowedAction: ["s3:GetObject"] },
                    "ecs-role-trust-policy": { additionalAgentActions: ["ecs:ListClusters"] },
                },
            });
            try {
                const result = await session.deploy(toEngineResources(correctStack(phase).s.resources));
                assert.deepEqual(
                    result.all.map((d) => [d.policyName, d.enforcementLevel, d.urn, d.message]),
                    [
                        [
                            "ecs-execution-role-only-ecr-secrets-logs",
                            "advisory",
                            "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev",
                            'The config of ecs-execution-role-only-ecr-secrets-logs has a property "additionalAllowedAction" that this policy does not take, and it is ignored: did you mean "additionalAllowedActions"?',
                        ],
                        [
                            "ecs-role-trust-policy",
                            "advisory",
                            "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev",
                            'The config of ecs-role-trust-policy has a property "additionalAgentActions" that this policy does not take, and it is ignored: it is a property of ecs-task-role-no-agent-permissions, so set it under that policy instead',
                        ],
                    ],
                );
            } finally {
                await session.close();
            }
        });
    }
});
