// Captures a Pulumi program as the engine would hand it to a policy pack: without an engine, a provider or a cloud.
//
// How. Each capture runs in its own child process (captureWorker.ts), so that no module cache, SDK state or program
// global leaks from one capture into the next. The worker loads the program's own @pulumi/pulumi (resolved from the
// program's directory), calls `runtime.setMocks(mocks, project, stack, preview)`, replaces the mock monitor's
// registerResource and registerResourceOutputs, and runs the program inside `runInPulumiStack` as the Node.js language
// host does (a `.ts` entry is compiled as it is required, type-checked first when asked). Every RegisterResource
// request is read as the engine reads it: type, name, parent, the serialised inputs (unknowns already the sentinel,
// secrets in wire form), dependencies, propertyDependencies and the provider reference. The worker then plays the
// provider: Check (providerCheck.ts) gives the inputs Analyze sees, and Create (or, in a preview, the plan) gives the
// outputs AnalyzeStack sees and the program's outputs resolve to, every output the program's SDK declares
// (declaredOutputs.ts, derivedOutputs.ts); data sources are answered by dataSources.ts; remote awsx ECS and ECR
// components are built as the awsx plugin builds them (awsxModel.ts). Stack config is read as the Pulumi CLI reads it
// (stackConfig.ts).
//
// What comes back, in registration order: the root `pulumi:pulumi:Stack` resource (deploy with
// `{ stackResource: false }`), each default provider (`pulumi:providers:aws::default_<version>`, parent "") just
// before its first resource, explicit providers, components, and custom resources, with the place in the program that
// creates each. URNs carry the parent-type chain (`<parentType>$<type>`), the root stack's type excepted.
//
// Never a verdict over part of a stack: a data source the capture cannot answer, a failed registration (an input from
// a rejected Output or an apply that throws), an exception or unhandled rejection, an error the program logs, a judged
// resource read with `.get()`, a stack reference, a multi-language component it does not build, a resource whose
// outputs its SDK does not declare, a syntax or type error: each is a Failure with the program's file and line, and
// any fails the capture (CaptureError). `check` also compares the preview's resources with the update's.
//
// Where this still differs from a real engine, and what each difference leads to (examples/README.md says more):
// - Check is modelled (autonaming, TransformJSONDocument), not run: no schema defaults, no validation. A program the
//   provider would refuse is judged anyway, where a real preview stops with the provider's error.
// - Autonames and IDs come from the URN, the same in every run; no policy reads the random part.
// - Outputs only AWS could know are placeholders of the declared shape; what the pack reads is never a placeholder
//   (modelled, or absent as the program left it). aws-native's read-back defaults are not modelled; the pack reads none.
// - Every resource is new (no state, diffs, deletes, refresh): the run is titled a preview of new resources.
// - Resources read with `.get()` of types the pack does not judge are not captured: a note names each.
// - Resources created inside `apply` on values a preview does not know are only in the update, as in a real preview:
//   a note on the preview names them.
// - Data sources getAvailabilityZones, ec2.getVpc/getSubnets/getSubnet and iam.getRole are answered with
//   placeholders: a note names each.
// - A default provider's inputs are its stack config and version (no CheckConfig defaults such as a region from the
//   environment); a resource's ARNs use its provider's region.
// - Secrets stay in wire form; a `secure:` config value is the placeholder "[secret]", marked secret, with a note; ESC
//   environments are not opened (a note; a required key they would set is missing, exit 2).
// - Resource options: protect, ignoreChanges, deleteBeforeReplace and additionalSecretOutputs are passed; aliases and
//   customTimeouts are not (no policy reads them). ES module programs cannot be loaded (exit 2).

import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EngineResource } from "./engineResources";
import { readStackConfig } from "./stackConfig";

export interface CaptureOptions {
    /** A preview (computed outputs unknown) or an update (everything known). */
    preview: boolean;
    /** Defaults to the `name` in the program's Pulumi.yaml, else "demo". */
    project?: string;
    /** Where the project's Pulumi.yaml and stack config files are; defaults to the nearest Pulumi.yaml's directory. */
    projectDir?: string;
    /** Defaults to "dev". */
    stack?: string;
    /** Stack config over the project's files: "aws:region" → "eu-west-1"; a key without a namespace belongs to the project. */
    config?: Record<string, string>;
    /** The AWS account the capture's ARNs and getCallerIdentity name; defaults to 123456789012. */
    account?: string;
    /** Type-check a TypeScript program first, as the Node.js language host does (default false). */
    typeCheck?: boolean;
    /** Receives what the program prints and the capture's notes; by default they are dropped. */
    log?: (text: string) => void;
    /** Kill the program after this long. Default 120 s. */
    timeoutMs?: number;
}

/** A place in the program: where a resource is created, a data source called, an error thrown. */
export interface Site {
    /** Absolute path. */
    readonly file: string;
    readonly line: number;
    readonly column: number;
}

/** Something that would make a real preview or update fail, or differ from what the capture saw. */
export interface Failure {
    readonly message: string;
    readonly site?: Site;
}

/** What the worker is sent. */
export interface CaptureRequest {
    main: string;
    programDir: string;
    project: string;
    stack: string;
    preview: boolean;
    config: Record<string, string>;
    secretKeys: string[];
    account?: string;
    typeCheck: boolean;
    /** The stack's config file, for a message about a missing key. */
    stackFile: string;
}

/** What the worker answers. */
export type CaptureReply = { ok: true; resources: EngineResource[]; notes: string[]; sites: Record<string, Site> } | { ok: false; failures: Failure[] };

/** A capture: the resources as the engine would hand them to the analyzer, and what the capture noticed. */
export interface Capture {
    readonly resources: EngineResource[];
    /** What differs from a real engine without changing a verdict, for the report. */
    readonly notes: string[];
    /** Where the program creates each resource (its URN → site); a component's children share its site. */
    readonly sites: Record<string, Site>;
}

/** The capture could not see the whole program: each failure says what and where. */
export class CaptureError extends Error {
    constructor(
        message: string,
        readonly failures: readonly Failure[],
        readonly output: string,
    ) {
        super(message);
        this.name = "CaptureError";
    }
}

/** `index.ts:12:5`, relative to the working directory. */
export function describeSite(site: Site): string {
    const relative = path.relative(process.cwd(), site.file);
    const shown = relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? site.file : relative;
    return `${shown}:${site.line}:${site.column}`;
}

/** A failure as one line: `index.ts:12:5: what`. */
export function describeFailure(f: Failure): string {
    return f.site ? `${describeSite(f.site)}: ${f.message}` : f.message;
}

export interface Program {
    /** The file to load. */
    main: string;
    /** The program's directory: the working directory, and where its SDK and TypeScript are resolved from. */
    programDir: string;
    /** The `name` of the nearest Pulumi.yaml, when there is one. */
    project: string | undefined;
    /** The directory of that Pulumi.yaml. */
    projectDir: string | undefined;
}

function readYamlField(file: string, field: string): string | undefined {
    const text = fs.readFileSync(file, "utf8");
    const match = new RegExp(`^${field}:[ \\t]*["']?([^"'#\\r\\n]*?)["']?[ \\t]*(#.*)?$`, "m").exec(text);
    return match?.[1] || undefined;
}

function nearestPulumiYaml(dir: string): string | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
        for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
            if (fs.existsSync(path.join(d, name))) return path.join(d, name);
        }
        if (path.dirname(d) === d) return undefined;
    }
}

/** A file as Node would find it from a require path, `.ts` included. */
function resolveFile(candidate: string): string | undefined {
    const tries = [candidate, `${candidate}.js`, `${candidate}.ts`, path.join(candidate, "index.js"), path.join(candidate, "index.ts")];
    return tries.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** Where a program starts: a file as given; a directory by Pulumi.yaml `main`, package.json `main`, index.js, index.ts. */
export function findProgram(entry: string): Program {
    const absolute = path.resolve(entry);
    if (!fs.existsSync(absolute)) throw new Error(`${entry}: no such file or directory`);
    if (fs.statSync(absolute).isFile()) {
        const programDir = path.dirname(absolute);
        const yaml = nearestPulumiYaml(programDir);
        return { main: absolute, programDir, project: yaml && readYamlField(yaml, "name"), projectDir: yaml && path.dirname(yaml) };
    }
    const yaml = ["Pulumi.yaml", "Pulumi.yml"].map((n) => path.join(absolute, n)).find((f) => fs.existsSync(f)) ?? nearestPulumiYaml(absolute);
    const project = yaml && readYamlField(yaml, "name");
    const projectDir = yaml && path.dirname(yaml);
    const yamlMain = yaml && path.dirname(yaml) === absolute ? readYamlField(yaml, "main") : undefined;
    const programDir = yamlMain ? path.resolve(absolute, yamlMain) : absolute;
    if (yamlMain && fs.existsSync(programDir) && fs.statSync(programDir).isFile()) {
        return { main: programDir, programDir: path.dirname(programDir), project, projectDir };
    }
    const pkgFile = path.join(programDir, "package.json");
    const pkgMain = fs.existsSync(pkgFile) ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown }).main : undefined;
    if (typeof pkgMain === "string") {
        const main = resolveFile(path.resolve(programDir, pkgMain));
        if (!main) throw new Error(`${pkgFile}: main "${pkgMain}" does not exist (is the program built?)`);
        return { main, programDir, project, projectDir };
    }
    const main = resolveFile(programDir);
    if (!main) throw new Error(`${entry}: no index.js or index.ts to run`);
    return { main, programDir, project, projectDir };
}

/**
 * Runs a Pulumi program under mocks in a child process and returns, per registered resource, what the engine would
 * hand the analyzer (Analyze's inputs, AnalyzeStack's outputs, parent, dependencies and propertyDependencies), where
 * the program creates it, and what the capture noticed. `entry` is a compiled `.js` file, a `.ts` file, or a
 * program directory. Throws a CaptureError when the program would fail, or the capture could not see all of it.
 */
export async function capture(entry: string, opts: CaptureOptions): Promise<Capture> {
    const program = findProgram(entry);
    const project = opts.project ?? program.project ?? "demo";
    const stack = opts.stack ?? "dev";
    const stackConfig = readStackConfig(opts.projectDir ?? program.projectDir, project, stack, opts.config ?? {});
    const request: CaptureRequest = {
        main: program.main,
        programDir: program.programDir,
        project,
        stack,
        preview: opts.preview,
        config: stackConfig.values,
        secretKeys: stackConfig.secretKeys,
        ...(opts.account !== undefined ? { account: opts.account } : {}),
        typeCheck: opts.typeCheck ?? false,
        stackFile: stackConfig.stackFile,
    };

    // Nothing of this process's Pulumi environment reaches the program; its config comes from the request only.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("PULUMI_")) env[k] = v;
    env.PULUMI_CONFIG = JSON.stringify(stackConfig.values);
    env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(stackConfig.secretKeys);

    const child = fork(path.join(__dirname, "captureWorker.js"), [], {
        cwd: program.programDir,
        env,
        execArgv: [],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let output = "";
    const onOutput = (chunk: Buffer): void => {
        const text = chunk.toString("utf8");
        output += text;
        opts.log?.(text);
    };
    child.stdout!.on("data", onOutput);
    child.stderr!.on("data", onOutput);

    const reply = await new Promise<CaptureReply>((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(
                new CaptureError(
                    `capturing ${entry} took longer than ${opts.timeoutMs ?? 120000} ms (does the program wait on something that never comes?)`,
                    [],
                    output,
                ),
            );
        }, opts.timeoutMs ?? 120000);
        child.once("message", (m: CaptureReply) => {
            clearTimeout(timer);
            resolve(m);
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            const printed = output.trim();
            reject(
                new CaptureError(
                    `capturing ${entry}: the program exited (${signal ?? `code ${code}`}) without an answer${printed ? `: ${printed.split("\n")[0]}` : ""}`,
                    [],
                    output,
                ),
            );
        });
        child.once("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.send(request);
    });
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    if (!reply.ok) {
        const lines = reply.failures.map(describeFailure);
        throw new CaptureError(lines.length === 1 ? lines[0] : `${lines[0]} (and ${lines.length - 1} more)`, reply.failures, output);
    }
    const notes = [...stackConfig.notes, ...reply.notes];
    for (const note of notes) opts.log?.(`note: ${note}\n`);
    return { resources: reply.resources, notes, sites: reply.sites };
}

/** The resources of a capture (see capture). */
export async function captureProgram(entry: string, opts: CaptureOptions): Promise<EngineResource[]> {
    return (await capture(entry, opts)).resources;
}
