// Captures a Pulumi program as the engine would hand it to a policy pack: without an engine, a provider or a cloud.
//
// How. Each capture runs in its own child process (captureWorker.ts), so that no module cache, SDK state or program
// global leaks from one capture into the next. The worker loads the program's own @pulumi/pulumi (resolved from the
// program's directory), calls `runtime.setMocks(mocks, project, stack, preview)`, replaces the mock monitor's
// registerResource and registerResourceOutputs, and runs the program inside `runInPulumiStack` as the Node.js language
// host does (a `.ts` entry is compiled as it is required). Every RegisterResource request is read as the engine reads
// it: type, name, parent, the serialised inputs (unknowns already the sentinel, secrets in wire form), dependencies,
// propertyDependencies and the provider reference. The worker then plays the provider: Check (autonaming, JSON
// documents) gives the inputs Analyze sees, and Create (or, in a preview, the plan) gives the outputs AnalyzeStack
// sees and the program's outputs resolve to, so unknowns flow from resource to resource as in a real preview.
//
// What comes back, in registration order: the root `pulumi:pulumi:Stack` resource (deploy with
// `{ stackResource: false }`), each default provider (`pulumi:providers:aws::default_<version>`, parent "") just
// before its first resource, explicit providers, components, and custom resources. URNs carry the parent-type chain
// (`<parentType>$<type>`), the root stack's type excepted.
//
// Two providers are modelled (providerCheck.ts says how they differ): `@pulumi/aws` and `@pulumi/aws-native`. The
// awsx provider plugin is modelled for its ECS components (awsxModel.ts): a remote `awsx:ecs:FargateService`,
// `FargateTaskDefinition`, `EC2Service` or `EC2TaskDefinition` gets the children the plugin would create (roles,
// policy attachments, log group, task definition, service), registered as the plugin registers them, with the
// component as their parent. As the engine does, the capture takes output values in a remote component's inputs, so
// the children's dependencies are those of the nested outputs they come from.
//
// Where this differs from a real engine:
// - Check is modelled, not run: only autonaming (`<logical name>-<7 hex>`, for the types in providerCheck.ts, unless
//   the name or `namePrefix` is given) and the AWS provider's TransformJSONDocument on top-level `policy` and
//   `assumeRolePolicy` (an object becomes Go-marshalled compact JSON with sorted keys; any unknown leaf makes the whole
//   document unknown; a string is kept as given). aws-native documents stay objects, an unknown at its leaf. No
//   schema defaults (`path: "/"`, `maxSessionDuration`, ...), no `__defaults`, no validation: a program the provider
//   would reject is captured anyway, an aws-native one without `aws-native:region` too.
// - Autonames and IDs are derived from the URN, so they are the same in a preview and an update and in every run; a
//   real engine draws them at random, and a preview's autoname differs from the update's.
// - Outputs: types listed in providerCheck.ts get realistic computed outputs in an update (`arn`, `id`, ...; account
//   123456789012, region from `aws:region` or us-east-1); other types get only `id`. Nothing is read back from AWS
//   except one known quirk: a Role without inline policies reports `inlinePolicies: [{ name: "", policy: "" }]`, and
//   without managedPolicyArns reports `[]`.
// - Preview: the computed outputs and `id` are unknown. Optional-and-computed fields the program left unset are left
//   absent, whereas Terraform plans show, for example, a Role's `managedPolicyArns` and `inlinePolicies` as "known after
//   apply": a real preview may send those as unknown.
// - Every resource is new: no old state, diffs, replacements, deletes or refresh. Resources read with `.get()` are
//   not returned (a real AnalyzeStack includes them with their real outputs). Multi-language (remote) components other
//   than awsx's ECS ones are captured as empty components; stack references resolve to nothing.
// - Data sources: only getCallerIdentity, getRegion, getPartition, ec2.getVpc, ec2.getSubnets and ec2.getSubnet (the
//   default VPC's public subnets), and aws-native's getAccountId, getRegion and getPartition are answered, with fixed
//   values; any other fails the capture with a message naming it.
// - Providers: a default provider's inputs are its package's stack config and `version`; no CheckConfig defaults
//   (such as a region from the environment). Resource references are downgraded to the ID, as the engine does for
//   the AWS provider.
// - Secrets stay in wire form (`{ 4dabf18193072939515e22adb298388d: "1b47061264138c4ac30d75fd1eb44270", value }`), as the
//   engine sends them to a pack; secret config values are not supported.
// - Resource options: protect, ignoreChanges, deleteBeforeReplace and additionalSecretOutputs are passed; aliases and
//   customTimeouts are not.
// - TypeScript is transpiled without type checking (the language host type-checks with ts-node); ES module programs
//   (`"type": "module"`) are not supported.

import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EngineResource } from "./engineResources";

export interface CaptureOptions {
    /** A preview (computed outputs unknown) or an update (everything known). */
    preview: boolean;
    /** Defaults to the `name` in the program's Pulumi.yaml, else "demo". */
    project?: string;
    /** Defaults to "dev". */
    stack?: string;
    /** Stack config: "aws:region" → "eu-west-1"; a key without a namespace belongs to the project. */
    config?: Record<string, string>;
    /** Receives what the program prints and the capture's warnings; by default they are dropped. */
    log?: (text: string) => void;
    /** Kill the program after this long. Default 120 s. */
    timeoutMs?: number;
}

/** What the worker is sent. */
export interface CaptureRequest {
    main: string;
    programDir: string;
    project: string;
    stack: string;
    preview: boolean;
    config: Record<string, string>;
}

/** What the worker answers. */
export type CaptureReply = { ok: true; resources: EngineResource[]; warnings: string[] } | { ok: false; error: string };

export interface Program {
    /** The file to load. */
    main: string;
    /** The program's directory: the working directory, and where its SDK and TypeScript are resolved from. */
    programDir: string;
    /** The `name` of the nearest Pulumi.yaml, when there is one. */
    project: string | undefined;
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
        return { main: absolute, programDir, project: yaml && readYamlField(yaml, "name") };
    }
    const yaml = ["Pulumi.yaml", "Pulumi.yml"].map((n) => path.join(absolute, n)).find((f) => fs.existsSync(f));
    const project = yaml ? readYamlField(yaml, "name") : nearestPulumiYaml(absolute) && readYamlField(nearestPulumiYaml(absolute)!, "name");
    const yamlMain = yaml && readYamlField(yaml, "main");
    const programDir = yamlMain ? path.resolve(absolute, yamlMain) : absolute;
    if (yamlMain && fs.existsSync(programDir) && fs.statSync(programDir).isFile()) {
        return { main: programDir, programDir: path.dirname(programDir), project };
    }
    const pkgFile = path.join(programDir, "package.json");
    const pkgMain = fs.existsSync(pkgFile) ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown }).main : undefined;
    if (typeof pkgMain === "string") {
        const main = resolveFile(path.resolve(programDir, pkgMain));
        if (!main) throw new Error(`${pkgFile}: main "${pkgMain}" does not exist (is the program built?)`);
        return { main, programDir, project };
    }
    const main = resolveFile(programDir);
    if (!main) throw new Error(`${entry}: no index.js or index.ts to run`);
    return { main, programDir, project };
}

/**
 * Runs a Pulumi program under mocks in a child process and returns, per registered resource, what the engine would
 * hand the analyzer: Analyze's inputs, AnalyzeStack's outputs, parent, dependencies and propertyDependencies.
 * `entry` is a compiled `.js` file, a `.ts` file, or a program directory.
 */
export async function captureProgram(entry: string, opts: CaptureOptions): Promise<EngineResource[]> {
    const program = findProgram(entry);
    const project = opts.project ?? program.project ?? "demo";
    const stack = opts.stack ?? "dev";
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.config ?? {})) config[key.includes(":") ? key : `${project}:${key}`] = value;
    const request: CaptureRequest = { main: program.main, programDir: program.programDir, project, stack, preview: opts.preview, config };

    // Nothing of this process's Pulumi environment reaches the program; its config comes from the request only.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("PULUMI_")) env[k] = v;
    env.PULUMI_CONFIG = JSON.stringify(config);

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
            reject(new Error(`capturing ${entry} took longer than ${opts.timeoutMs ?? 120000} ms`));
        }, opts.timeoutMs ?? 120000);
        child.once("message", (m: CaptureReply) => {
            clearTimeout(timer);
            resolve(m);
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`capturing ${entry}: the program exited (${signal ?? `code ${code}`}) without an answer\n${output.trim()}`));
        });
        child.once("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.send(request);
    });
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
    if (!reply.ok) {
        const printed = output.trim();
        throw new Error(`capturing ${entry} failed: ${reply.error}${printed ? `\n--- program output ---\n${printed}` : ""}`);
    }
    for (const w of reply.warnings) opts.log?.(`warning: ${w}\n`);
    return reply.resources;
}
