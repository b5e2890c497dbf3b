// A stand-in for the Pulumi engine: it launches a policy pack the way the CLI's Node.js language host does and
// drives it over the Analyzer gRPC protocol in the engine's order, so the tests and the `ecs-role-guard` command
// exercise the pack as it will really run.
//
// Sources mirrored here (pulumi/pulumi): sdk/go/common/resource/plugin/analyzer_plugin.go (launch, env, marshalling),
// pkg/engine installAndLoadPolicyPlugins (when config is reconciled and validated, and the error text; the rules
// themselves are in policyConfig.ts), pkg/resource/deploy/step_generator.go and deployment_executor.go (Remediate then
// Analyze per resource, AnalyzeStack once at the end).

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import { EngineResource, stackUrnOf } from "./engineResources";
import {
    EnforcementLevel,
    JsonSchema,
    loadPolicyConfigFile,
    parsePolicyConfig,
    PolicyConfigError,
    PolicyConfigFile,
    PolicyConfigSchema,
    reconcilePolicyConfig,
    ReconciledPolicyConfig,
} from "./policyConfig";

export type Severity = "low" | "medium" | "high" | "critical";
export type RpcMethod = "Handshake" | "ConfigureStack" | "GetAnalyzerInfo" | "Configure" | "Remediate" | "Analyze" | "AnalyzeStack";

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    /** The URN the engine attributes the finding to (see reportedUrn for what the pack sent). */
    urn: string;
    /** The URN the pack put in the diagnostic, "" when none. */
    reportedUrn: string;
    enforcementLevel: EnforcementLevel;
    severity?: Severity;
    description: string;
}

export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    urn: string;
    /** The remediated inputs, when the policy changed them. */
    properties?: Record<string, unknown>;
    /** Set instead of properties when the remediation could not run (for example on an unknown). */
    diagnostic?: string;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface PolicySummary {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    severity?: Severity;
    configSchema?: PolicyConfigSchema;
    tags: string[];
    remediationSteps: string;
    url: string;
}

export interface AnalyzerInfoSummary {
    name: string;
    displayName: string;
    /** PulumiPolicy.yaml's version wins over the pack's, as in the CLI. */
    version: string;
    supportsConfig: boolean;
    description: string;
    policies: PolicySummary[];
    initialConfig: Record<string, ReconciledPolicyConfig>;
}

/** One entry of a `--policy-pack-config` file: a level, or an object with an optional level and properties. */

export interface PackOptions {
    /** Dry run: sets PULUMI_NODEJS_DRY_RUN and ConfigureStack's dryRun. Default false (an update). */
    preview?: boolean;
    /** The `--policy-pack-config` content, or the path of a JSON file holding it. */
    config?: PolicyConfigFile | string;
    /** Extra environment for the pack process. */
    env?: Record<string, string>;
    organization?: string;
    project?: string;
    stack?: string;
    /** Stack config ("project:key" → value), passed as PULUMI_CONFIG and in ConfigureStack. */
    stackConfig?: Record<string, unknown>;
    stackTags?: Record<string, string>;
    /** Called before every RPC, in order; lets tests check the engine's sequence. */
    onRpc?: (method: RpcMethod) => void;
}

export interface DeployOptions {
    /** Also analyse the root `pulumi:pulumi:Stack` resource and parent resources to it, as the engine does. Default true. */
    stackResource?: boolean;
    /**
     * Stop at the first resource with a mandatory Analyze finding, skipping AnalyzeStack, as the engine does in an
     * update. Default: true in an update, false in a preview. `pulumi policy analyze` (judging existing state) never stops.
     */
    stopAtMandatory?: boolean;
    /**
     * Hand a remediation's properties to Analyze and AnalyzeStack, as a deployment does. Default true;
     * `pulumi policy analyze` reports remediations without applying them.
     */
    applyRemediations?: boolean;
    /** Called after each resource's Analyze with the count so far, and once more after AnalyzeStack. */
    onProgress?: (analysed: number, total: number) => void;
    /**
     * Resources in flight at once when the run does not stop at a finding. Default 1, the engine's order; more
     * pipelines the requests (the pack still answers one at a time) and keeps the findings in resource order.
     */
    concurrency?: number;
}

export interface DeploymentResult {
    analyze: Diagnostic[];
    stack: Diagnostic[];
    all: Diagnostic[];
    remediations: Remediation[];
    /** Whether AnalyzeStack ran; an update stops at the first mandatory Analyze finding, as the engine bails. */
    stackAnalyzed: boolean;
    /** The resource whose mandatory finding stopped an update. */
    bailedAt?: string;
    info: AnalyzerInfoSummary;
}

export interface SessionTimings {
    /** From spawn until the pack printed its port. */
    spawnToPortMs: number;
    /** From spawn until Configure returned (the pack is ready for Analyze). */
    spawnToReadyMs: number;
}

export interface PackSession {
    readonly packDir: string;
    /** The pack process's id, e.g. to read its /proc status; undefined if the spawn failed. */
    readonly pid: number | undefined;
    readonly info: AnalyzerInfoSummary;
    readonly timings: SessionTimings;
    readonly preview: boolean;
    readonly project: string;
    readonly stack: string;
    /** The reconciled config last sent with Configure. */
    readonly config: Record<string, ReconciledPolicyConfig>;
    /** Reconcile, validate and send a new config; the CLI does this once per process, repeating it is a harness convenience. */
    configure(config?: PolicyConfigFile | string): Promise<Record<string, ReconciledPolicyConfig>>;
    remediate(resource: EngineResource): Promise<{ remediations: Remediation[]; notApplicable: NotApplicable[] }>;
    /** One Analyze call; diagnostics carry the resource's URN, as the engine reports them. */
    analyze(resource: EngineResource): Promise<Diagnostic[]>;
    analyzeWithDetails(resource: EngineResource): Promise<{ diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }>;
    /** One AnalyzeStack call with every resource's outputs and dependencies. */
    analyzeStack(resources: EngineResource[]): Promise<Diagnostic[]>;
    /** The engine's sequence over these resources: Remediate then Analyze for each, then AnalyzeStack. */
    deploy(resources: EngineResource[], opts?: DeployOptions): Promise<DeploymentResult>;
    /** What the pack wrote to stderr so far. */
    stderr(): string;
    /** What the pack wrote to stdout after its port line. */
    stdout(): string;
    close(): Promise<void>;
}

/** Starts the pack, then runs one deployment over the resources and closes it. */
export async function runDeployment(packDir: string, resources: EngineResource[], opts: PackOptions & DeployOptions = {}): Promise<DeploymentResult> {
    const session = await startPack(packDir, opts);
    try {
        return await session.deploy(resources, opts);
    } finally {
        await session.close();
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The generated stubs check `instanceof` against their own google-protobuf and grpc-js, so every runtime module is
// loaded from @pulumi/pulumi's location rather than from wherever this file happens to resolve them.

export interface Protocol {
    grpc: typeof grpcTypes;
    rpc: typeof analyzerGrpcTypes;
    pb: typeof analyzerPbTypes;
    struct: typeof structPbTypes;
    empty: typeof emptyPbTypes;
}

let protocol: Protocol | undefined;

export function loadProtocol(): Protocol {
    if (!protocol) {
        const protoDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"));
        const fromProto = (id: string): string => require.resolve(id, { paths: [protoDir] });
        protocol = {
            grpc: require(fromProto("@grpc/grpc-js")),
            rpc: require(path.join(protoDir, "analyzer_grpc_pb")),
            pb: require(path.join(protoDir, "analyzer_pb")),
            struct: require(fromProto("google-protobuf/google/protobuf/struct_pb")),
            empty: require(fromProto("google-protobuf/google/protobuf/empty_pb")),
        };
    }
    return protocol;
}

// Same limit as the engine and the SDK's server (rpcutil.GrpcChannelOptions): 400 MB each way.
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

// run-policy-pack drops the engine address without using it, so a placeholder does.
const ENGINE_ADDRESS = "127.0.0.1:0";

const liveChildren = new Set<ChildProcess>();
process.on("exit", () => {
    for (const child of liveChildren) {
        child.kill("SIGKILL");
    }
});

/** Launches the pack and performs Handshake, ConfigureStack, GetAnalyzerInfo and Configure. */
export async function startPack(packDir: string, opts: PackOptions = {}): Promise<PackSession> {
    const { grpc, rpc, pb, empty } = loadProtocol();
    const dir = path.resolve(packDir);
    const preview = opts.preview ?? false;
    const organization = opts.organization ?? "organization";
    const project = opts.project ?? "demo";
    const stack = opts.stack ?? "dev";
    const onRpc = opts.onRpc ?? (() => undefined);

    // The language host resolves run-policy-pack from the pack, so the pack's own @pulumi/pulumi runs it.
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    const stackConfigJson = JSON.stringify(opts.stackConfig ?? {});
    const dryRun = String(preview);
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_CONFIG: stackConfigJson,
        PULUMI_NODEJS_ORGANIZATION: organization,
        PULUMI_NODEJS_PROJECT: project,
        PULUMI_NODEJS_STACK: stack,
        PULUMI_NODEJS_DRY_RUN: dryRun,
        // The CLI sets the generic names too (constructEnv).
        PULUMI_ORGANIZATION: organization,
        PULUMI_PROJECT: project,
        PULUMI_STACK: stack,
        PULUMI_DRY_RUN: dryRun,
        ...opts.env,
    };

    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [runPolicyPack, ENGINE_ADDRESS, dir], {
        cwd: dir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    liveChildren.add(child);
    let stderr = "";
    let stdoutRest = "";
    // Node colours stack traces even into a pipe here; error messages read better without the escapes.
    const plainStderr = (): string => stderr.replace(/\x1b\[[0-9;]*m/g, "").trim();
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    void exited.then(() => liveChildren.delete(child));

    const kill = async (): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
            await exited;
            clearTimeout(timer);
        }
    };

    let port: number;
    try {
        port = await readPort(child, exited, (rest) => (stdoutRest += rest), plainStderr);
    } catch (e) {
        await kill();
        throw e;
    }
    const spawnToPortMs = performance.now() - spawnedAt;

    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });

    // Failures carry the pack's stderr, where the SDK and run-policy-pack write their errors.
    const call = async <Res>(method: RpcMethod, invoke: (cb: (err: grpcTypes.ServiceError | null, res: Res) => void) => unknown): Promise<Res> => {
        onRpc(method);
        return new Promise<Res>((resolve, reject) => {
            invoke((err, res) => {
                if (err) {
                    const text = plainStderr();
                    const detail = text ? `\n--- policy pack stderr ---\n${text}` : "";
                    const error = new Error(`${method} failed: ${err.details || err.message}${detail}`);
                    reject(Object.assign(error, { code: err.code }));
                } else {
                    resolve(res);
                }
            });
        });
    };

    const yamlVersion = readPolicyYamlVersion(dir);
    let info: AnalyzerInfoSummary;
    let config: Record<string, ReconciledPolicyConfig> = {};

    const configure = async (file?: PolicyConfigFile | string): Promise<Record<string, ReconciledPolicyConfig>> => {
        if (!info.supportsConfig) {
            if (file !== undefined) {
                throw new Error(`policy pack "${info.name}" at "${dir}" does not support config`);
            }
            return config;
        }
        const parsed = file === undefined ? undefined : typeof file === "string" ? loadPolicyConfigFile(file) : parsePolicyConfig(file);
        const { config: reconciled, errors } = reconcilePolicyConfig(info.policies, info.initialConfig, parsed);
        if (errors.length > 0) {
            const lines = errors.map((e) => `validating policy config: ${info.name} ${info.version}  ${e}`).sort();
            throw new PolicyConfigError([...lines, "error: validating policy config"].join("\n"), lines);
        }
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, entry] of Object.entries(reconciled)) {
            if (!entry.enforcementLevel) {
                // The CLI's Configure refuses an entry without a level (a property-only entry for an unknown name).
                throw new Error(`configuring policy pack "${info.name}" at "${dir}": invalid enforcement level ""`);
            }
            const pc = new pb.PolicyConfig();
            pc.setEnforcementlevel(toProtoLevel(entry.enforcementLevel));
            // Always set: the SDK calls getProperties().toJavaScript() without a check.
            pc.setProperties(toStruct(entry.properties ?? {}));
            map.set(name, pc);
        }
        if (map.getLength() > 0) {
            await call<emptyPbTypes.Empty>("Configure", (cb) => client.configure(req, cb));
        }
        config = reconciled;
        return config;
    };

    const toDiagnostics = (list: analyzerPbTypes.AnalyzeDiagnostic[], urnFor: (reported: string) => string): Diagnostic[] =>
        list.map((d) => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: yamlVersion ?? d.getPolicypackversion(),
            message: d.getMessage(),
            urn: urnFor(d.getUrn()),
            reportedUrn: d.getUrn(),
            enforcementLevel: fromProtoLevel(d.getEnforcementlevel()),
            severity: fromProtoSeverity(d.getSeverity()),
            description: d.getDescription(),
        }));

    const analyzeWithDetails = async (resource: EngineResource) => {
        const req = makeAnalyzeRequest(resource, true);
        const res = await call<analyzerPbTypes.AnalyzeResponse>("Analyze", (cb) => client.analyze(req, cb));
        return {
            // The engine reports Analyze findings against the analysed resource, whatever URN the pack sent.
            diagnostics: toDiagnostics(res.getDiagnosticsList(), () => resource.urn),
            notApplicable: toNotApplicable(res.getNotApplicableList()),
        };
    };

    const remediate = async (resource: EngineResource) => {
        const req = makeAnalyzeRequest(resource, false);
        const res = await call<analyzerPbTypes.RemediateResponse>("Remediate", (cb) => client.remediate(req, cb));
        return {
            remediations: res.getRemediationsList().map((r): Remediation => ({
                policyName: r.getPolicyname(),
                policyPackName: r.getPolicypackname(),
                policyPackVersion: yamlVersion ?? r.getPolicypackversion(),
                description: r.getDescription(),
                urn: resource.urn,
                properties: r.getProperties()?.toJavaScript(),
                diagnostic: r.getDiagnostic() || undefined,
            })),
            notApplicable: toNotApplicable(res.getNotApplicableList()),
        };
    };

    const analyzeStack = async (resources: EngineResource[]): Promise<Diagnostic[]> => {
        const req = new pb.AnalyzeStackRequest();
        req.setResourcesList(resources.map(makeStackResource));
        const res = await call<analyzerPbTypes.AnalyzeResponse>("AnalyzeStack", (cb) => client.analyzeStack(req, cb));
        // The engine keeps a URN that names a resource in the stack and falls back to the root stack otherwise.
        const known = new Set(resources.map((r) => r.urn));
        const rootUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent)?.urn ?? stackUrnOf(project, stack);
        return toDiagnostics(res.getDiagnosticsList(), (reported) => (known.has(reported) ? reported : rootUrn));
    };

    const deploy = async (resources: EngineResource[], deployOpts: DeployOptions = {}): Promise<DeploymentResult> => {
        const rootUrn = stackUrnOf(project, stack);
        const withStack = deployOpts.stackResource ?? true;
        const all: EngineResource[] = withStack
            ? [
                  { urn: rootUrn, type: "pulumi:pulumi:Stack", name: `${project}-${stack}`, inputs: {}, outputs: {} },
                  ...resources.map((r) => (r.parent === undefined && r.urn !== rootUrn ? { ...r, parent: rootUrn } : r)),
              ]
            : resources;
        const result: DeploymentResult = { analyze: [], stack: [], all: [], remediations: [], stackAnalyzed: false, info };
        const stopAtMandatory = deployOpts.stopAtMandatory ?? !preview;
        const applyRemediations = deployOpts.applyRemediations ?? true;
        const onProgress = deployOpts.onProgress ?? (() => undefined);
        // Stopping at a finding needs each answer before the next request, so only a run that never stops pipelines.
        const concurrency = stopAtMandatory ? 1 : Math.max(1, deployOpts.concurrency ?? 1);

        // Remediate, then Analyze on the (remediated) inputs; the findings of one resource in the engine's order.
        const judgeOne = async (resource: EngineResource) => {
            let current = resource;
            const findings: Diagnostic[] = [];
            const { remediations } = await remediate(current);
            for (const r of remediations) {
                if (r.diagnostic) {
                    // The engine shows a remediation that could not run as an advisory finding.
                    findings.push({
                        policyName: r.policyName,
                        policyPackName: r.policyPackName,
                        policyPackVersion: r.policyPackVersion,
                        message: r.diagnostic,
                        urn: resource.urn,
                        reportedUrn: "",
                        enforcementLevel: "advisory",
                        description: r.description,
                    });
                } else if (r.properties && applyRemediations) {
                    // Later policies and the deployment itself see the remediated inputs.
                    current = { ...current, inputs: r.properties };
                }
            }
            const diagnostics = await analyze(current);
            findings.push(...diagnostics);
            return { current, remediations, findings, mandatory: diagnostics.some((d) => d.enforcementLevel === "mandatory") };
        };

        const analysed: EngineResource[] = [];
        if (concurrency === 1) {
            for (const resource of all) {
                const outcome = await judgeOne(resource);
                result.remediations.push(...outcome.remediations);
                result.analyze.push(...outcome.findings);
                analysed.push(outcome.current);
                onProgress(analysed.length, all.length);
                if (stopAtMandatory && outcome.mandatory) {
                    // An update marks the resource invalid and bails; AnalyzeStack never runs.
                    result.bailedAt = resource.urn;
                    break;
                }
            }
        } else {
            const outcomes: Awaited<ReturnType<typeof judgeOne>>[] = new Array(all.length);
            let next = 0;
            let done = 0;
            const worker = async (): Promise<void> => {
                while (next < all.length) {
                    const i = next++;
                    outcomes[i] = await judgeOne(all[i]);
                    onProgress(++done, all.length);
                }
            };
            await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
            for (const outcome of outcomes) {
                result.remediations.push(...outcome.remediations);
                result.analyze.push(...outcome.findings);
                analysed.push(outcome.current);
            }
        }
        if (result.bailedAt === undefined) {
            result.stack = (await analyzeStack(analysed)).map((d) => (d.enforcementLevel === "remediate" ? { ...d, enforcementLevel: "mandatory" } : d));
            result.stackAnalyzed = true;
            onProgress(analysed.length, all.length);
        }
        result.all = [...result.analyze, ...result.stack];
        return result;
    };

    const analyze = async (resource: EngineResource): Promise<Diagnostic[]> =>
        (await analyzeWithDetails(resource)).diagnostics.map((d) =>
            // A remediate-level finding that survived its remediation is reported as mandatory.
            d.enforcementLevel === "remediate" ? { ...d, enforcementLevel: "mandatory" } : d,
        );

    const close = async (): Promise<void> => {
        client.close();
        await kill();
    };

    try {
        const handshake = new pb.AnalyzerHandshakeRequest();
        handshake.setEngineAddress(ENGINE_ADDRESS);
        handshake.setRootDirectory(dir);
        handshake.setProgramDirectory(dir);
        try {
            await call<analyzerPbTypes.AnalyzerHandshakeResponse>("Handshake", (cb) => client.handshake(handshake, cb));
        } catch (e) {
            // @pulumi/policy does not implement Handshake; the engine falls back, and so do we.
            if ((e as { code?: number }).code !== grpc.status.UNIMPLEMENTED) {
                throw e;
            }
        }

        const configureStack = new pb.AnalyzerStackConfigureRequest();
        configureStack.setStack(stack);
        configureStack.setProject(project);
        configureStack.setOrganization(organization);
        configureStack.setDryRun(preview);
        for (const [k, v] of Object.entries(opts.stackConfig ?? {})) {
            configureStack.getConfigMap().set(k, typeof v === "string" ? v : JSON.stringify(v));
        }
        for (const [k, v] of Object.entries(opts.stackTags ?? {})) {
            configureStack.getTagsMap().set(k, v);
        }
        await call<analyzerPbTypes.AnalyzerStackConfigureResponse>("ConfigureStack", (cb) => client.configureStack(configureStack, cb));

        const analyzerInfo = await call<analyzerPbTypes.AnalyzerInfo>("GetAnalyzerInfo", (cb) => client.getAnalyzerInfo(new empty.Empty(), cb));
        info = summariseInfo(analyzerInfo, yamlVersion);
        await configure(opts.config);
    } catch (e) {
        await close();
        throw e;
    }

    const timings: SessionTimings = { spawnToPortMs, spawnToReadyMs: performance.now() - spawnedAt };
    return {
        packDir: dir,
        pid: child.pid,
        info,
        timings,
        preview,
        project,
        stack,
        get config() {
            return config;
        },
        configure,
        remediate,
        analyze,
        analyzeWithDetails,
        analyzeStack,
        deploy,
        stderr: () => stderr,
        stdout: () => stdoutRest,
        close,
    };
}

function readPort(child: ChildProcess, exited: Promise<number | null>, onRest: (text: string) => void, stderr: () => string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        let buffered = "";
        let settled = false;
        child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
            if (settled) {
                onRest(chunk);
                return;
            }
            buffered += chunk;
            const newline = buffered.indexOf("\n");
            if (newline < 0) {
                return;
            }
            settled = true;
            const line = buffered.slice(0, newline).trim();
            onRest(buffered.slice(newline + 1));
            // Like the CLI, the first stdout line must be the port and nothing else.
            const port = /^\d+$/.test(line) ? Number(line) : NaN;
            if (Number.isInteger(port) && port > 0) {
                resolve(port);
            } else {
                reject(new Error(`policy pack printed ${JSON.stringify(line)} instead of its port\n${stderr()}`));
            }
        });
        void exited.then((code) => {
            if (!settled) {
                settled = true;
                reject(new Error(`policy pack exited with code ${code} before printing its port\n${stderr().trim()}`));
            }
        });
    });
}

function readPolicyYamlVersion(dir: string): string | undefined {
    try {
        const text = fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8");
        const match = /^version:\s*["']?([^"'\s#]+)/m.exec(text);
        return match?.[1];
    } catch {
        return undefined;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Requests and responses.

function toStruct(value: Record<string, unknown>): structPbTypes.Struct {
    // A JSON round trip drops `undefined`, which Struct.fromJavaScript rejects.
    return loadProtocol().struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

// The engine marshals Analyze and AnalyzeStack properties with SkipInternalKeys (keys starting "__").
function withoutInternalKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(withoutInternalKeys);
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (!k.startsWith("__")) {
                out[k] = withoutInternalKeys(v);
            }
        }
        return out;
    }
    return value;
}

function makeOptions(resource: EngineResource): analyzerPbTypes.AnalyzerResourceOptions {
    const { pb } = loadProtocol();
    const o = resource.options ?? {};
    const opts = new pb.AnalyzerResourceOptions();
    opts.setProtect(o.protect ?? false);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
    opts.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(o.customTimeouts?.create ?? 0);
    timeouts.setUpdate(o.customTimeouts?.update ?? 0);
    timeouts.setDelete(o.customTimeouts?.delete ?? 0);
    opts.setCustomtimeouts(timeouts);
    opts.setParent(resource.parent ?? "");
    return opts;
}

function makeProvider(resource: EngineResource): analyzerPbTypes.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const p = new (loadProtocol().pb.AnalyzerProviderResource)();
    p.setUrn(resource.provider.urn);
    p.setType(resource.provider.type);
    p.setName(resource.provider.name);
    p.setProperties(toStruct(withoutInternalKeys(resource.provider.properties) as Record<string, unknown>));
    return p;
}

function makeAnalyzeRequest(resource: EngineResource, skipInternalKeys: boolean): analyzerPbTypes.AnalyzeRequest {
    const req = new (loadProtocol().pb.AnalyzeRequest)();
    req.setUrn(resource.urn);
    req.setType(resource.type);
    req.setName(resource.name);
    const props = skipInternalKeys ? (withoutInternalKeys(resource.inputs) as Record<string, unknown>) : resource.inputs;
    req.setProperties(toStruct(props));
    req.setOptions(makeOptions(resource));
    req.setProvider(makeProvider(resource));
    return req;
}

function makeStackResource(resource: EngineResource): analyzerPbTypes.AnalyzerResource {
    const { pb } = loadProtocol();
    const r = new pb.AnalyzerResource();
    r.setUrn(resource.urn);
    r.setType(resource.type);
    r.setName(resource.name);
    r.setProperties(toStruct(withoutInternalKeys(resource.outputs ?? resource.inputs) as Record<string, unknown>));
    r.setOptions(makeOptions(resource));
    r.setProvider(makeProvider(resource));
    r.setParent(resource.parent ?? "");
    const propertyDependencies = resource.propertyDependencies ?? {};
    const dependencies = resource.dependencies ?? [...new Set(Object.values(propertyDependencies).flat())];
    r.setDependenciesList(dependencies);
    const map = r.getPropertydependenciesMap();
    for (const [key, urns] of Object.entries(propertyDependencies)) {
        // The engine drops a property with no dependencies.
        if (urns.length > 0) {
            const deps = new pb.AnalyzerPropertyDependencies();
            deps.setUrnsList(urns);
            map.set(key, deps);
        }
    }
    return r;
}

function toNotApplicable(list: analyzerPbTypes.PolicyNotApplicable[]): NotApplicable[] {
    return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

function toProtoLevel(level: EnforcementLevel): analyzerPbTypes.EnforcementLevel {
    const { EnforcementLevel: E } = loadProtocol().pb;
    return { advisory: E.ADVISORY, mandatory: E.MANDATORY, remediate: E.REMEDIATE, disabled: E.DISABLED }[level];
}

function fromProtoLevel(level: analyzerPbTypes.EnforcementLevel): EnforcementLevel {
    const { EnforcementLevel: E } = loadProtocol().pb;
    switch (level) {
        case E.ADVISORY:
            return "advisory";
        case E.MANDATORY:
            return "mandatory";
        case E.REMEDIATE:
            return "remediate";
        case E.DISABLED:
            return "disabled";
        default:
            throw new Error(`invalid enforcement level ${level}`);
    }
}

function fromProtoSeverity(severity: analyzerPbTypes.PolicySeverity): Severity | undefined {
    const { PolicySeverity: S } = loadProtocol().pb;
    switch (severity) {
        case S.POLICY_SEVERITY_LOW:
            return "low";
        case S.POLICY_SEVERITY_MEDIUM:
            return "medium";
        case S.POLICY_SEVERITY_HIGH:
            return "high";
        case S.POLICY_SEVERITY_CRITICAL:
            return "critical";
        default:
            return undefined;
    }
}

function summariseInfo(ai: analyzerPbTypes.AnalyzerInfo, yamlVersion: string | undefined): AnalyzerInfoSummary {
    const { PolicyType: T } = loadProtocol().pb;
    const policyTypes = new Map<number, PolicySummary["policyType"]>([
        [T.POLICY_TYPE_RESOURCE, "resource"],
        [T.POLICY_TYPE_STACK, "stack"],
    ]);
    const initialConfig: Record<string, ReconciledPolicyConfig> = {};
    ai.getInitialconfigMap().forEach((entry, name) => {
        // An entry the pack gave only properties arrives with the enum's zero value, ADVISORY; the CLI keeps that.
        initialConfig[name] = {
            enforcementLevel: fromProtoLevel(entry.getEnforcementlevel()),
            properties: entry.getProperties()?.toJavaScript(),
        };
    });
    return {
        name: ai.getName(),
        displayName: ai.getDisplayname(),
        version: yamlVersion ?? ai.getVersion(),
        supportsConfig: ai.getSupportsconfig(),
        description: ai.getDescription(),
        policies: ai.getPoliciesList().map((p): PolicySummary => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(),
                displayName: p.getDisplayname(),
                description: p.getDescription(),
                enforcementLevel: fromProtoLevel(p.getEnforcementlevel()),
                policyType: policyTypes.get(p.getPolicyType()) ?? "unknown",
                severity: fromProtoSeverity(p.getSeverity()),
                configSchema: schema
                    ? {
                          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
                          required: schema.getRequiredList(),
                      }
                    : undefined,
                tags: p.getTagsList(),
                remediationSteps: p.getRemediationSteps(),
                url: p.getUrl(),
            };
        }),
        initialConfig,
    };
}
