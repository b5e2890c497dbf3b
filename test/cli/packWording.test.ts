// Pack behaviour the command exposes: `audit` judges deployed state as an update, and an encrypted secret there is
// unknown for good, so the pack must not word it as "not known during preview" or promise it "at `pulumi up`".

import { strict as assert } from "assert";
import { resourceNamed, runCli, stackExport, tempFile } from "../helpers/cli";

describe("ecs-role-permissions-evaluable in an update (found through audit)", function () {
    this.timeout(60000);

    it("does not say a value unknown in an update is unknown during preview or will be known at pulumi up", async () => {
        const doc = stackExport();
        const policy = resourceNamed(doc, "worker-task-queue");
        const encrypted = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:Zm9vYmFy:AAECAwQFBgcICQoLDA0ODw==" };
        policy.inputs.policy = encrypted;
        policy.outputs.policy = encrypted;
        const { stdout } = await runCli(["audit", tempFile("stack-export.json", JSON.stringify(doc)), "--format", "json"]);
        const violations: { policyName: string; urn: string; detail: string }[] = JSON.parse(stdout).findings;
        const finding = violations.find((v) => v.policyName === "ecs-role-permissions-evaluable" && v.urn === policy.urn);
        assert.ok(finding, "the unreadable document is reported as not evaluated");
        assert.doesNotMatch(finding.detail, /during preview|at `pulumi up`/);
    });
});
