// The child process of one capture (see capture.ts): it loads a Pulumi program under the program's own
// @pulumi/pulumi with mocks, plays the engine and the provider for every registration, and sends back what the
// engine would hand the analyzer. One process per capture, so nothing leaks from one program into the next.

import * as fs from "fs";
import * as path from "path";
import type { EngineResource, ResourceOptions } from "./analyzerEngine";
import type { CaptureReply, CaptureRequest } from "./capture";
import { ACCOUNT_ID, checkInputs, createdState, DEFAULT_REGION, invokeResult, isProviderType, ProviderContext } from "./providerCheck";

/** The parts of the generated protobuf classes this file touches. */
interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
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
}
interface Mocks {
    newResource(args: { type: string; name: string; inputs: Record<string, unknown>; id?: string }): Promise<{ id: string | undefined; state: Record<string, unknown> }>;
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
    const ctx: ProviderContext = { region: config["aws:region"] ?? DEFAULT_REGION, account: ACCOUNT_ID };
    if (req.main.endsWith(".ts")) registerTypeScript(programDir);

    // The program's own copy of the SDK, so that the mocks are the ones its resources talk to.
    const pulumiDir = path.dirname(resolveFrom("@pulumi/pulumi/package.json", [programDir]));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocksModule = require(path.join(pulumiDir, "runtime", "mocks"));
    const settings = require(path.join(pulumiDir, "runtime", "settings"));
    const stackModule = require(path.join(pulumiDir, "runtime", "stack"));
    const resproto = require(path.join(pulumiDir, "proto", "resource_pb"));
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
        const programInputs = req.getObject()?.toJavaScript() ?? {};
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

    monitor.registerResource = (request, callback) => {
        try {
            const { urn, id, state } = register(request);
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
