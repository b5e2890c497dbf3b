import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The package root, from bin/test/helpers. */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const CLI = path.join(ROOT, "bin", "cli", "main.js");
export const STACK_EXPORT = "test/fixtures/stack-export.json";

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the built command as a user would (`node bin/cli/main.js ...`), from the package root unless told otherwise. */
export function runCli(args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
            cwd: opts.cwd ?? ROOT,
            env: { ...process.env, ...opts.env },
            stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(opts.input ?? "");
    });
}

/** Writes a file into a fresh temporary directory and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-cli-"));
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

/** A resource of a stack export, as much of it as the tests change. */
export interface StateResource {
    urn: string;
    type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    delete?: boolean;
    [key: string]: unknown;
}

export interface StackExportFile {
    version: number;
    deployment: { resources: StateResource[]; [key: string]: unknown };
}

/** The stack export fixture, parsed, to change one thing in a copy. */
export function stackExport(): StackExportFile {
    return JSON.parse(fs.readFileSync(path.join(ROOT, STACK_EXPORT), "utf8")) as StackExportFile;
}

/** The resource of the fixture whose URN ends with `::<name>` (the live copy, not one awaiting deletion). */
export function resourceNamed(doc: StackExportFile, name: string): StateResource {
    const found = doc.deployment.resources.find((r) => r.urn.endsWith(`::${name}`) && r.delete !== true);
    if (!found) throw new Error(`no resource ${name} in the fixture`);
    return found;
}
