import * as fs from "fs";
import * as path from "path";

/** The installed ecs-role-guard package: where its files are, and which version it is. */

const PACKAGE_NAME = "ecs-role-guard";

let root: { dir: string; version: string } | undefined;

/** Found by walking up from this module, so it works from source, from bin/ and under node_modules. */
function ourPackage(): { dir: string; version: string } {
    if (root) return root;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        try {
            const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
            if (manifest.name === PACKAGE_NAME) {
                root = { dir, version: String(manifest.version) };
                return root;
            }
        } catch {
            // No manifest here: keep walking up.
        }
        if (path.dirname(dir) === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package root above ${__dirname}.`);
    }
}

export function packageRoot(): string {
    return ourPackage().dir;
}

export function packageVersion(): string {
    return ourPackage().version;
}

/**
 * A policy's page, as published inside the package on npm: pinned to this version, so it describes
 * what runs. Computed when the policies are defined, so it must never throw: code copied out of the
 * package links to the latest pages instead.
 */
export function docsUrl(policyName: string): string {
    let version = "latest";
    try {
        version = packageVersion();
    } catch {
        // Not inside the ecs-role-guard package.
    }
    return `https://unpkg.com/${PACKAGE_NAME}@${version}/docs/policies/${policyName}.md`;
}
