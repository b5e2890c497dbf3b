// `npm run mutate [-- stryker options]`: mutation testing of policies/iam/ and policies/stack/ with
// StrykerJS (stryker.config.json), then the survivors that scripts/mutation/README.md does not answer.
// `npm run mutate -- --mutate policies/iam/actionPattern.ts` mutates one file.
//
// StrykerJS 10 refuses Node older than 22: on such a Node, Stryker runs on the official Node 24
// through scripts/with-node.sh (fetched from the npm registry into .node/ in the clone), and
// npm test keeps the machine's own Node.

import { spawnSync } from "child_process";
import * as path from "path";
import { printSurvivors } from "./survivors";

const ROOT = path.resolve(__dirname, "../../..");
const NODE_VERSION = "24.22.3";
const STRYKER = path.join(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js");

function main(): number {
    const hook = path.join(__dirname, "mochaCliExtensions.js");
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${hook}`.trim() };
    const stryker = [STRYKER, "run", "stryker.config.json", ...process.argv.slice(2)];
    const recentEnough = Number(process.versions.node.split(".")[0]) >= 22;
    const [command, ...args] = recentEnough ? [process.execPath, ...stryker] : [path.join(ROOT, "scripts/with-node.sh"), NODE_VERSION, "node", ...stryker];
    const run = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env });
    if (run.status !== 0) return run.status ?? 1;
    return printSurvivors(ROOT);
}

process.exitCode = main();
