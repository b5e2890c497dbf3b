// The child process of one capture (see capture.ts): it loads a Pulumi program under the program's own
// @pulumi/pulumi with mocks, plays the engine and the provider for every registration, and sends back what the
// engine would hand the analyzer. One process per capture, so nothing leaks from one program into the next.

import * as fs from "fs";
import * as path from "path";
import type { EngineResource, ResourceOptions } from "./engineResources";
import { AWSX_ECS_COMPONENTS, constructAwsxComponent, Sdks } from "./awsxModel";
import type { CaptureReply, CaptureRequest } from "./capture";
import { ACCOUNT_ID, checkInputs, createdState, DEFAULT_REGION, invokeResult, isProviderType, plainOutputValues, ProviderContext } from "./providerCheck";

/** The parts of the generated protobuf classes this file touches. */
interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getObject(): Struct | undefined;
    getProvider(): string;
    getVersion(): string;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getProtect(): boolean;
    getIgnorechangesList(): string[];
    getDeletebeforereplacedefined(): boolean;
    getDeletebeforereplace(): boolean;
    getAdditionalsecretoutputsList(): string[];
}
interface RegisterResourceOutputsRequest {
    getUrn(): string;
    getOutputs(): Struct | undefined;
}
type Callback = (err: Error | null, response?: unknown) => void;
interface Monitor {
    registerResource(req: RegisterResourceRequest, cb: Callback): void;
    registerResourceOutputs(req: RegisterResourceOutputsRequest, cb: Callback): void;
    /** The mock monitor's record, from which `pulumi:pulumi:getResource` rehydrates resource references. */
    resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
    supportsFeature?(req: { getId(): string }, cb: (err: Error | null, resp?: { getHassupport(): boolean }) => void): void;
    getDeploymentInfo?(
        req: unknown,
        cb: (err: Error | null, resp?: { getSupportedfeaturesList(): number[]; setSupportedfeaturesList(l: number[]): void }) => void,
    ): void;
}
interface Mocks {
    newResource(args: {
        type: string;
        name: string;
        inputs: Record<string, unknown>;
        id?: string;
    }): Promise<{ id: string | undefined; state: Record<string, unknown> }>;
    call(args: { token: string; inputs: Record<string, unknown> }): Promise<Record<string, unknown>>;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`; the root stack's type is never part of a URN. */
export function urnFor(stack: string, project: string, type: string, name: string, parentUrn: string): string {
    const parentType = parentUrn ? parentUrn.split("::")[2] : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function resolveFrom(id: string, dirs: string[]): string {
    for (const dir of dirs) {
        try {
            return require.resolve(id, { paths: [dir] });
        } catch {
            // try the next place
        }
    }
    return require.resolve(id);
}

/** Compiles `.ts` files as they are required, with the program's TypeScript if it has one. No type checking. */
function registerTypeScript(programDir: string): void {
    let ts: typeof import("typescript");
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ts = require(resolveFrom("typescript", [programDir]));
    } catch {
        throw new Error(`${programDir} is a TypeScript program: install typescript in it (npm install --save-dev typescript)`);
    }
    let compilerOptions: import("typescript").CompilerOptions = {};
    const tsconfig = path.join(programDir, "tsconfig.json");
    if (fs.existsSync(tsconfig)) {
        const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
        if (!read.error) {
            compilerOptions = ts.convertCompilerOptionsFromJson(read.config?.compilerOptions ?? {}, programDir).options;
        }
    }
    compilerOptions = {
        target: ts.ScriptTarget.ES2020,
        esModuleInterop: true,
        ...compilerOptions,
        module: ts.ModuleKind.CommonJS,
        inlineSourceMap: true,
        sourceMap: false,
        declaration: false,
        noEmit: false,
    };
    process.setSourceMapsEnabled(true);
    type CompilingModule = NodeJS.Module & { _compile(code: string, filename: string): void };
    require.extensions[".ts"] = (module, filename) => {
        const source = fs.readFileSync(filename, "utf8");
        const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
        (module as CompilingModule)._compile(outputText, filename);
    };
}

async function capture(req: CaptureRequest): Promise<{ resources: EngineResource[]; warnings: string[] }> {
    const { programDir, project, stack, preview, config } = req;
    const ctx: ProviderContext = {
        region: config["aws:region"] ?? DEFAULT_REGION,
        account: ACCOUNT_ID,
        ...(config["aws-native:region"] ? { nativeRegion: config["aws-native:region"] } : {}),
    };
    if (req.main.endsWith(".ts")) registerTypeScript(programDir);

    // The program's own copy of the SDK, so that the mocks are the ones its resources talk to.
    const pulumiDir = path.dirname(resolveFrom("@pulumi/pulumi/package.json", [programDir]));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocksModule = require(path.join(pulumiDir, "runtime", "mocks"));
    const settings = require(path.join(pulumiDir, "runtime", "settings"));
    const stackModule = require(path.join(pulumiDir, "runtime", "stack"));
    const resproto = require(path.join(pulumiDir, "proto", "resource_pb"));
    const stateModule = require(path.join(pulumiDir, "runtime", "state"));
    const rpcModule = require(path.join(pulumiDir, "runtime", "rpc"));
    const providerServer = require(path.join(pulumiDir, "provider", "server"));
    const gstruct = require(resolveFrom("google-protobuf/google/protobuf/struct_pb", [pulumiDir]));
    /* eslint-enable @typescript-eslint/no-require-imports */

    const resources: EngineResource[] = [];
    const byUrn = new Map<string, EngineResource>();
    const add = (r: EngineResource): void => {
        if (byUrn.has(r.urn)) throw new Error(`duplicate resource URN ${r.urn}`);
        resources.push(r);
        byUrn.set(r.urn, r);
    };

    /** The provider a custom resource uses: its explicit provider, or the engine's default one for its package. */
    const providerFor = (type: string, ref: string, version: string): EngineResource => {
        if (ref) {
            const urn = ref.slice(0, ref.lastIndexOf("::"));
            const explicit = byUrn.get(urn);
            if (explicit) return explicit;
        }
        const pkg = type.split(":")[0];
        const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
        const urn = `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${name}`;
        const existing = byUrn.get(urn);
        if (existing) return existing;
        // A default provider's inputs are the stack's config for its package, and the version it was asked for.
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(config)) {
            if (key.startsWith(`${pkg}:`)) inputs[key.slice(pkg.length + 1)] = value;
        }
        if (version) inputs.version = version;
        const { outputs } = createdState(`pulumi:providers:${pkg}`, urn, inputs, preview, ctx);
        const provider: EngineResource = {
            urn,
            type: `pulumi:providers:${pkg}`,
            name,
            inputs,
            outputs,
            parent: "",
            dependencies: [],
            propertyDependencies: {},
        };
        add(provider);
        return provider;
    };

    const register = (req: RegisterResourceRequest): { urn: string; id: string; state: Record<string, unknown> } => {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent();
        const custom = req.getCustom();
        const urn = urnFor(stack, project, type, name, parent);
        // Only a remote component's inputs carry output values; the engine records them as plain values.
        const programInputs = plainOutputValues(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            const urns = deps.getUrnsList();
            if (urns.length > 0) propertyDependencies[key] = [...urns];
        });
        const options: ResourceOptions = {
            ...(req.getProtect() ? { protect: true } : {}),
            ...(req.getIgnorechangesList().length ? { ignoreChanges: req.getIgnorechangesList() } : {}),
            ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
            ...(req.getAdditionalsecretoutputsList().length ? { additionalSecretOutputs: req.getAdditionalsecretoutputsList() } : {}),
        };
        const base = {
            urn,
            type,
            name,
            parent,
            dependencies: [...req.getDependenciesList()],
            propertyDependencies,
            ...(Object.keys(options).length ? { options } : {}),
        };
        if (!custom) {
            // A component (the root stack included): no provider, no Check; its outputs come from registerOutputs.
            add({ ...base, inputs: programInputs, outputs: {} });
            return { urn, id: "", state: programInputs };
        }
        const provider = isProviderType(type) ? undefined : providerFor(type, req.getProvider(), req.getVersion());
        const inputs = checkInputs(type, name, urn, programInputs);
        // The engine records the version an explicit provider was asked for among its inputs.
        if (isProviderType(type) && req.getVersion() && inputs.version === undefined) inputs.version = req.getVersion();
        const { id, outputs } = createdState(type, urn, inputs, preview, ctx);
        add({
            ...base,
            inputs,
            outputs,
            ...(provider ? { provider: { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs } } : {}),
        });
        return { urn, id: id ?? "", state: outputs };
    };

    const reads: string[] = [];
    const mocks: Mocks = {
        // Only reached by `Resource.get` (ReadResource): the capture does not model external resources.
        newResource: async ({ type, name, inputs, id }) => {
            reads.push(`${type}::${name}`);
            return { id, state: { ...inputs } };
        },
        call: async ({ token, inputs }) => {
            try {
                return invokeResult(token, inputs, ctx);
            } catch (e) {
                // The SDK reports an invoke's gRPC `details`, not its message.
                throw Object.assign(e as Error, { details: (e as Error).message });
            }
        },
    };
    await mocksModule.setMocks(mocks, project, stack, preview);
    const monitor = settings.getMonitor() as Monitor;
    // The engine takes output values in a remote component's inputs (the mocks turn them off): nested outputs keep
    // their own dependencies on the way to the component's provider, as they do on the way to the awsx plugin. The
    // SDK asks when the program starts, through GetDeploymentInfo (SupportsFeature in older SDKs).
    stateModule.getStore().supportsOutputValues = true;
    const outputValues: number = resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES;
    const deploymentInfo = monitor.getDeploymentInfo?.bind(monitor);
    if (deploymentInfo) {
        monitor.getDeploymentInfo = (req, cb) =>
            deploymentInfo(req, (err, resp) => {
                if (resp && !resp.getSupportedfeaturesList().includes(outputValues))
                    resp.setSupportedfeaturesList([...resp.getSupportedfeaturesList(), outputValues]);
                cb(err, resp);
            });
    }
    const supportsFeature = monitor.supportsFeature?.bind(monitor);
    if (supportsFeature) {
        monitor.supportsFeature = (req, cb) => (req.getId() === "outputValues" ? cb(null, { getHassupport: () => true }) : supportsFeature(req, cb));
    }

    let sdks: Sdks | undefined;
    /** The program's @pulumi/aws, and the version of it the awsx plugin bundles (the exact version its SDK names). */
    const awsxSdks = (): Sdks => {
        if (!sdks) {
            /* eslint-disable @typescript-eslint/no-require-imports */
            const pulumi = require(pulumiDir);
            let aws: unknown;
            try {
                aws = require(resolveFrom("@pulumi/aws", [programDir]));
            } catch {
                throw new Error("the capture builds awsx components with the program's @pulumi/aws: install it beside @pulumi/awsx");
            }
            const awsxPackage = require(resolveFrom("@pulumi/awsx/package.json", [programDir])) as { dependencies?: Record<string, string> };
            const awsPackage = require(resolveFrom("@pulumi/aws/package.json", [programDir])) as { version: string };
            /* eslint-enable @typescript-eslint/no-require-imports */
            const named = awsxPackage.dependencies?.["@pulumi/aws"]?.replace(/^[\^~=v]+/, "");
            sdks = { pulumi, aws, awsVersion: named && /^\d+\.\d+\.\d+$/.test(named) ? named : awsPackage.version };
        }
        return sdks;
    };

    /**
     * A remote awsx ECS component: recorded as the plugin registers it, its children built as the plugin builds them
     * (awsxModel.ts), and the plugin's answer (the component's resources, as references) handed back to the program.
     */
    const construct = async (req: RegisterResourceRequest): Promise<{ urn: string; state: Record<string, unknown> }> => {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent();
        const urn = urnFor(stack, project, type, name, parent);
        providerFor(type, req.getProvider(), req.getVersion());
        const propertyDeps = new Set<string>();
        req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => propertyDeps.add(u)));
        add({
            urn,
            type,
            name,
            parent,
            inputs: {},
            outputs: {},
            dependencies: req.getDependenciesList().filter((u) => !propertyDeps.has(u)),
            propertyDependencies: {},
        });
        const inputs = await providerServer.deserializeInputs(req.getObject(), req.getPropertydependenciesMap());
        const models = awsxSdks();
        const self = new models.pulumi.DependencyResource(urn);
        const result = constructAwsxComponent(models, type, name, inputs, self);
        return { urn, state: await rpcModule.serializeProperties(`construct(${urn})`, result) };
    };

    // A component the plugin could not build fails the deployment; the SDK would only log it.
    const constructErrors: Error[] = [];
    monitor.registerResource = (request, callback) => {
        if (request.getRemote() && AWSX_ECS_COMPONENTS.has(request.getType())) {
            construct(request).then(
                ({ urn, state }) => {
                    monitor.resources.set(urn, { urn, id: null, state });
                    const response = new resproto.RegisterResourceResponse();
                    response.setUrn(urn);
                    response.setId("");
                    response.setObject(gstruct.Struct.fromJavaScript(state));
                    callback(null, response);
                },
                (e: Error) => {
                    constructErrors.push(new Error(`${request.getType()} "${request.getName()}": ${e.message}`));
                    callback(e);
                },
            );
            return;
        }
        try {
            const { urn, id, state } = register(request);
            monitor.resources.set(urn, { urn, id: id || null, state });
            const response = new resproto.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(id);
            response.setObject(gstruct.Struct.fromJavaScript(state));
            callback(null, response);
        } catch (e) {
            callback(e as Error);
        }
    };
    monitor.registerResourceOutputs = (request, callback) => {
        const r = byUrn.get(request.getUrn());
        if (!r) {
            callback(new Error(`unknown resource ${request.getUrn()}`));
            return;
        }
        r.outputs = request.getOutputs()?.toJavaScript() ?? {};
        callback(null, {});
    };

    // As the Node.js language host runs a program: inside the root stack, calling an exported function.
    await stackModule.runInPulumiStack(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(req.main);
        return exported instanceof Function ? await exported() : exported;
    });
    await settings.waitForRPCs();
    if (constructErrors.length > 0) throw constructErrors[0];

    const warnings = reads.length > 0 ? [`resources read with .get() are not captured: ${reads.join(", ")}`] : [];
    return { resources, warnings };
}

function errorText(e: unknown): string {
    return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

let replied = false;
function reply(message: CaptureReply): void {
    if (replied) return;
    replied = true;
    process.send!(message, () => process.exit(message.ok ? 0 : 1));
}

// A failed registration surfaces as an unhandled rejection, as it does under the language host.
process.on("unhandledRejection", (e) => reply({ ok: false, error: errorText(e) }));
process.on("uncaughtException", (e) => reply({ ok: false, error: errorText(e) }));
process.once("message", (request: CaptureRequest) => {
    capture(request).then(
        ({ resources, warnings }) => reply({ ok: true, resources, warnings }),
        (e: unknown) => reply({ ok: false, error: errorText(e) }),
    );
});
