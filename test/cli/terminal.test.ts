// On a terminal the command colours the level tags and draws a progress line; `script` gives it one.

import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { colourful } from "../../cli/main";
import { CLI, ROOT, STACK_EXPORT } from "../helpers/cli";

/** Runs the command under a pseudo-terminal (util-linux `script`), stdout and stderr both on it. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): { code: number | null; output: string } {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
    const result = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env, encoding: "utf8", timeout: 60000 });
    return { code: result.status, output: result.stdout };
}

function hasScript(): boolean {
    return spawnSync("script", ["-qec", "true", "/dev/null"]).status === 0;
}

describe("ecs-role-guard on a terminal", function () {
    this.timeout(60000);

    before(function () {
        // Fail rather than skip: a test that skips itself on a machine without a terminal tool passes nothing in silence.
        assert.ok(hasScript(), "these tests need util-linux `script` (Debian: bsdutils) to give the command a pseudo-terminal");
    });

    it("colours mandatory red and advisory yellow, and shows progress while it analyses", () => {
        const env = { ...process.env };
        delete env.NO_COLOR;
        const { code, output } = onTerminal(["audit", STACK_EXPORT], env);
        assert.equal(code, 1);
        assert.ok(output.includes("\x1b[31m[mandatory]  ecs-role-guard v0.1.0\x1b[0m  ecs-execution-role-only-ecr-secrets-logs"), output);
        assert.ok(output.includes("\x1b[33m[advisory]  ecs-role-guard v0.1.0\x1b[0m  ecs-execution-role-least-privilege"), output);
        assert.match(output, /\r\x1b\[Kanalysed 19\/19 resources, running stack policies/);
        assert.ok(output.includes("\r\x1b[K"), "the progress line is cleared before the report");
    });

    it("prints no colour when NO_COLOR is set", () => {
        const { code, output } = onTerminal(["audit", STACK_EXPORT], { ...process.env, NO_COLOR: "1" });
        assert.equal(code, 1);
        assert.doesNotMatch(output, /\x1b\[(3\d|1|2)m/);
        assert.ok(output.includes("[mandatory]  ecs-role-guard v0.1.0  ecs-execution-role-only-ecr-secrets-logs"));
    });

    it("prints colour into a pipe when FORCE_COLOR asks for it, and none when FORCE_COLOR is 0 on a terminal", () => {
        const forced = spawnSync(process.execPath, [CLI, "audit", STACK_EXPORT], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "1" }, encoding: "utf8" });
        assert.equal(forced.status, 1);
        assert.ok(forced.stdout.includes("\x1b[31m[mandatory]  ecs-role-guard v0.1.0\x1b[0m"), forced.stdout);
        const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0" };
        delete env.NO_COLOR;
        const { output } = onTerminal(["audit", STACK_EXPORT], env);
        assert.doesNotMatch(output, /\x1b\[(3\d|1|2)m/);
    });
});

describe("when the command colours its text", () => {
    const cases: [string, NodeJS.ProcessEnv, boolean, boolean][] = [
        ["on a terminal", {}, true, true],
        ["into a pipe", {}, false, false],
        ["on a terminal with NO_COLOR=1", { NO_COLOR: "1" }, true, false],
        ["on a terminal with an empty NO_COLOR", { NO_COLOR: "" }, true, true],
        ["into a pipe with FORCE_COLOR=1", { FORCE_COLOR: "1" }, false, true],
        ["into a pipe with an empty FORCE_COLOR", { FORCE_COLOR: "" }, false, true],
        ["on a terminal with FORCE_COLOR=0", { FORCE_COLOR: "0" }, true, false],
        ["on a terminal with FORCE_COLOR=false", { FORCE_COLOR: "false" }, true, false],
        ["with both FORCE_COLOR=1 and NO_COLOR=1, as Node itself", { FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
    ];
    for (const [when, env, tty, expected] of cases) {
        it(`${expected ? "colours" : "does not colour"} ${when}`, () => assert.equal(colourful(env, tty), expected));
    }
});
