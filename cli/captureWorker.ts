// The child process of one capture (see capture.ts): it loads a Pulumi program under the program's own
// @pulumi/pulumi with mocks, plays the engine and the provider for every registration, and sends back what the
// engine would hand the analyzer. One process per capture, so nothing leaks from one program into the next.
//
// It also watches for everything that would make a real preview or update fail, or see more than the capture saw:
// a data source it cannot answer, a resource whose registration fails (an input built from a rejected Output), an
// exception in an `apply` or anywhere else, an unhandled rejection, an error the program logs, a resource read with
// `.get()` or a stack reference (state the capture cannot know), a custom resource whose outputs it cannot tell, a
// multi-language component it does not build. Each is a failure with the program's file and line, and any failure
// fails the capture: never an answer over part of a stack.

import * as path from "path";
import type { EngineResource, ResourceOptions } from "./engineResources";
import { AWSX_COMPONENTS, constructAwsxComponent, Sdks } from "./awsxModel";
import type { CaptureReply, CaptureRequest, Failure, Site } from "./capture";
import { answerDataSource, DataSourceContext, DEFAULT_ACCOUNT, DEFAULT_REGION } from "./dataSources";
import { packageDirOf, SdkDeclarations } from "./declaredOutputs";
import { checkInputs, createdState, isModelled, isProviderType, plainOutputValues, ProviderContext, TypeDeclarations } from "./providerCheck";
import { CompileError, registerTypeScript, resolveFrom, typeCheckSkipped, typeErrors } from "./typescriptProgram";
import { MODEL_PROPERTIES } from "../policies/stack/resourceShapes";

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
/* eslint-disable @typescript-eslint/no-explicit-any */
/** A resource object of the program's SDK, as the registration functions receive it. */
interface SdkResource {
    readonly constructor: { readonly name: string };
    readonly urn?: { promise(withUnknowns?: boolean): Promise<string> };
}
type RegisterFunction = (res: SdkResource, parent: unknown, t: string, name: string, ...rest: any[]) => void;
/* eslint-enable @typescript-eslint/no-explicit-any */

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
/** The key under which an invoke carries the id of the place that called it, from the SDK to the mocks. */
const SITE_KEY = "__ecsRoleGuardCallSite";

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`; the root stack's type is never part of a URN. */
export function urnFor(stack: string, project: string, type: string, name: string, parentUrn: string): string {
    const parentType = parentUrn ? parentUrn.split("::")[2] : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The innermost frame of `stack` inside the program's directory and outside its dependencies. */
export function programSite(stack: string | undefined, programDir: string): Site | undefined {
    for (const line of (stack ?? "").split("\n")) {
        const m = /(?:\(|at )((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (!m) continue;
        const file = m[1].startsWith("file://") ? new URL(m[1]).pathname : m[1];
        if (!path.isAbsolute(file)) continue;
        const relative = path.relative(programDir, file);
        if (relative.startsWith("..") || path.isAbsolute(relative) || file.split(path.sep).includes("node_modules")) continue;
        return { file, line: Number(m[2]), column: Number(m[3]) };
    }
    return undefined;
}

const firstLineOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split("\n")[0];

async function capture(req: CaptureRequest): Promise<{ resources: EngineResource[]; notes: string[]; sites: Record<string, Site> }> {
    const { programDir, project, stack, preview, config } = req;
    const region = config["aws:region"] ?? DEFAULT_REGION;
    const account = req.account ?? DEFAULT_ACCOUNT;
    const ctx: ProviderContext = { region, account, ...(config["aws-native:region"] ? { nativeRegion: config["aws-native:region"] } : {}) };
    const dataContext: DataSourceContext = ctx;
    // The places the program creates resources and calls data sources are found in stack traces.
    Error.stackTraceLimit = 100;

    const failures: Failure[] = [];
    const reported = new WeakSet<object>();
    const fail = (message: string, site?: Site, cause?: unknown): void => {
        if (cause !== null && typeof cause === "object") reported.add(cause);
        failures.push({ message, ...(site ? { site } : {}) });
    };
    /** Whether an error is, or carries the message of, a failure already reported. */
    const alreadyReported = (e: unknown): boolean =>
        (e !== null && typeof e === "object" && reported.has(e)) || failures.some((f) => firstLineOf(e).includes(f.message.split("\n")[0]));
    const notes = new Set<string>();
    const siteOfError = (e: unknown): Site | undefined => programSite(e instanceof Error ? e.stack : undefined, programDir);

    if (req.main.endsWith(".ts")) {
        registerTypeScript(programDir);
        if (req.typeCheck) {
            const skipped = typeCheckSkipped(programDir);
            if (skipped) notes.add(`the program is not type-checked, as the language host would not: ${skipped}`);
            else {
                const errors = typeErrors(programDir, req.main);
                if (errors.length > 0) throw new CompileError(errors);
            }
        }
    }

    // The program's own copy of the SDK, so that the mocks are the ones its resources talk to.
    const pulumiDir = path.dirname(resolveFrom("@pulumi/pulumi/package.json", [programDir]));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const mocksModule = require(path.join(pulumiDir, "runtime", "mocks"));
    const settings = require(path.join(pulumiDir, "runtime", "settings"));
    const stackModule = require(path.join(pulumiDir, "runtime", "stack"));
    const resproto = require(path.join(pulumiDir, "proto", "resource_pb"));
    const stateModule = require(path.join(pulumiDir, "runtime", "state"));
    const rpcModule = require(path.join(pulumiDir, "runtime", "rpc"));
    const runtimeResource = require(path.join(pulumiDir, "runtime", "resource"));
    const runtimeInvoke = require(path.join(pulumiDir, "runtime", "invoke"));
    const runtimeIndex = require(path.join(pulumiDir, "runtime"));
    const logModule = require(path.join(pulumiDir, "log"));
    const providerServer = require(path.join(pulumiDir, "provider", "server"));
    const gstruct = require(resolveFrom("google-protobuf/google/protobuf/struct_pb", [pulumiDir]));
    /* eslint-enable @typescript-eslint/no-require-imports */

    // -----------------------------------------------------------------------------------------------------------
    // Where the program creates each resource, and what its SDK declares of each type.

    /** Registrations the engine's side refused (and reported): `type::name`. */
    const refused = new Set<string>();
    /** Sites of registrations by `type::name`, in the order the program made them. */
    const siteByTypeAndName = new Map<string, (Site | undefined)[]>();
    const sites: Record<string, Site> = {};
    const classByType = new Map<string, { readonly name: string }>();
    const registerFunction = runtimeResource.registerResource as RegisterFunction;
    runtimeResource.registerResource = function (res: SdkResource, parent: unknown, t: string, name: string, custom: boolean, ...rest: unknown[]) {
        const site = programSite(new Error().stack, programDir);
        const key = `${t}::${name}`;
        siteByTypeAndName.set(key, [...(siteByTypeAndName.get(key) ?? []), site]);
        if (custom && !classByType.has(t)) classByType.set(t, res.constructor);
        registerFunction.call(this, res, parent, t, name, custom, ...rest);
        // A registration that fails (an input from a rejected Output, a refusal below) rejects the resource's URN.
        res.urn?.promise(true).then(
            (urn) => {
                if (site) sites[urn] = site;
            },
            (e: unknown) => {
                // A refusal below was reported where it happened.
                if (refused.has(key)) return;
                const input = /error serializing property "([^"]+)"/.exec(firstLineOf(e))?.[1];
                const because = alreadyReported(e)
                    ? `its ${input ? `input ${input}` : "registration"} depends on a failure above`
                    : input
                      ? `its input ${input} failed: ${firstLineOf(e).replace(/^.*?error serializing property "[^"]+": /, "")}`
                      : firstLineOf(e);
                fail(`${t} "${name}" could not be registered: ${because}`, site ?? siteOfError(e), e);
            },
        );
    };
    /** Sites of `.get()` reads and stack references by `type::name`. */
    const readSites = new Map<string, Site | undefined>();
    const readFunction = runtimeResource.readResource as RegisterFunction;
    runtimeResource.readResource = function (res: SdkResource, parent: unknown, t: string, name: string, ...rest: unknown[]) {
        const site = programSite(new Error().stack, programDir);
        if (!classByType.has(t)) classByType.set(t, res.constructor);
        readSites.set(`${t}::${name}`, site);
        readFunction.call(this, res, parent, t, name, ...rest);
    };

    const declarationsCache = new Map<string, TypeDeclarations | undefined>();
    const packages = new Map<string, SdkDeclarations>();
    /** The outputs the program's SDK declares for a custom resource type, found from the class it constructed. */
    const declarationsOf = (type: string): TypeDeclarations | undefined => {
        if (declarationsCache.has(type)) return declarationsCache.get(type);
        let found: TypeDeclarations | undefined;
        const cls = classByType.get(type);
        // The module that defines the class holds it as a value; index modules re-export it through getters.
        const file =
            cls &&
            Object.values(require.cache).find(
                (m) =>
                    m?.filename.endsWith(".js") &&
                    m.exports !== null &&
                    typeof m.exports === "object" &&
                    Object.getOwnPropertyDescriptor(m.exports, cls.name)?.value === cls,
            )?.filename;
        const packageDir = file && packageDirOf(file);
        if (file && packageDir) {
            const sdk = packages.get(packageDir) ?? new SdkDeclarations(packageDir);
            packages.set(packageDir, sdk);
            try {
                found = { outputs: sdk.outputsOf(file, cls.name), fieldsOf: (ref) => sdk.fieldsOf(ref) };
            } catch {
                found = undefined;
            }
        }
        declarationsCache.set(type, found);
        return found;
    };

    // -----------------------------------------------------------------------------------------------------------
    // Data sources: each call carries the id of its place in the program to the mocks.

    const callSites = new Map<number, Site | undefined>();
    let nextCall = 0;
    for (const name of ["invoke", "invokeOutput", "invokeSingle", "invokeSingleOutput"]) {
        const original = runtimeInvoke[name];
        if (typeof original !== "function") continue;
        const wrapped = function (this: unknown, tok: string, props: Record<string, unknown> | undefined, ...rest: unknown[]) {
            const id = nextCall++;
            callSites.set(id, programSite(new Error().stack, programDir));
            return original.call(this, tok, { ...(props ?? {}), [SITE_KEY]: id }, ...rest);
        };
        runtimeInvoke[name] = wrapped;
        // runtime/index.js copied the functions when it loaded.
        if (runtimeIndex[name] === original) runtimeIndex[name] = wrapped;
    }

    // An error the program logs fails a real deployment.
    const logError = logModule.error;
    logModule.error = function (msg: string, ...rest: unknown[]) {
        fail(`the program logged an error: ${String(msg).split("\n")[0]}`, programSite(new Error().stack, programDir));
        return logError.call(this, msg, ...rest);
    };

    // -----------------------------------------------------------------------------------------------------------
    // The engine's side of registrations.

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
        const declared = isProviderType(type) ? undefined : declarationsOf(type);
        if (!isProviderType(type) && !declared && !isModelled(type)) {
            throw new Error(`the capture cannot tell what outputs ${type} has: its SDK declares none it can read (a dynamic provider, or a class of its own?)`);
        }
        const provider = isProviderType(type) ? undefined : providerFor(type, req.getProvider(), req.getVersion());
        const inputs = checkInputs(type, name, urn, programInputs, declared);
        // The engine records the version an explicit provider was asked for among its inputs.
        if (isProviderType(type) && req.getVersion() && inputs.version === undefined) inputs.version = req.getVersion();
        // A resource's ARNs and URLs name the region of the provider that creates it.
        const providerRegion = provider?.inputs.region;
        const where = typeof providerRegion === "string" && providerRegion !== "" ? { ...ctx, region: providerRegion, nativeRegion: providerRegion } : ctx;
        const { id, outputs } = createdState(type, urn, inputs, preview, where, declared);
        add({
            ...base,
            inputs,
            outputs,
            ...(provider ? { provider: { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.inputs } } : {}),
        });
        return { urn, id: id ?? "", state: outputs };
    };

    const mocks: Mocks = {
        // Reached only by `Resource.get` and stack references (ReadResource): state the capture cannot know.
        newResource: async ({ type, name, inputs, id }) => {
            const site = readSites.get(`${type}::${name}`);
            if (type === "pulumi:pulumi:StackReference") {
                throw Object.assign(new Error(`stack reference "${name}" reads another stack's outputs, which a check cannot read offline`), { site });
            }
            if (MODEL_PROPERTIES.has(type)) {
                throw Object.assign(new Error(`${type} "${name}" is read with .get(): its state, which the pack would judge, cannot be known offline`), {
                    site,
                });
            }
            const declared = declarationsOf(type);
            if (!declared) throw Object.assign(new Error(`${type} "${name}" is read with .get(), and the capture cannot tell what outputs it has`), { site });
            notes.add(`${type} "${name}" is read with .get(): not captured, and its outputs are placeholders (the pack reads no ${type})`);
            const urn = urnFor(stack, project, type, name, "");
            return { id, state: createdState(type, urn, { ...inputs, name: inputs.name ?? id }, false, ctx, declared).outputs };
        },
        call: async ({ token, inputs }) => {
            const site = callSites.get(inputs[SITE_KEY] as number);
            const args = { ...inputs };
            delete args[SITE_KEY];
            try {
                const answer = answerDataSource(token, args, dataContext);
                if (answer.note) notes.add(answer.note);
                return answer.result;
            } catch (e) {
                fail(`${(e as Error).message}`, site, e);
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
    // A read the mocks refuse fails the program where it reads.
    const readResource = (monitor as unknown as { readResource(req: unknown, cb: Callback): Promise<void> }).readResource.bind(monitor);
    (monitor as unknown as { readResource(req: unknown, cb: Callback): Promise<void> }).readResource = (request, callback) =>
        readResource(request, (err, resp) => {
            if (err) fail(err.message, (err as Error & { site?: Site }).site, err);
            callback(err, resp);
        });

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
            const pinned = (dep: string): string | undefined => {
                const named = awsxPackage.dependencies?.[dep]?.replace(/^[\^~=v]+/, "");
                return named && /^\d+\.\d+\.\d+$/.test(named) ? named : undefined;
            };
            sdks = { pulumi, aws, awsVersion: pinned("@pulumi/aws") ?? awsPackage.version, dockerBuildVersion: pinned("@pulumi/docker-build") };
        }
        return sdks;
    };

    /**
     * A remote awsx component the capture models: recorded as the plugin registers it, its children built as the
     * plugin builds them (awsxModel.ts), and the plugin's answer (the component's outputs) handed back to the program.
     */
    const construct = async (req: RegisterResourceRequest): Promise<{ urn: string; state: Record<string, unknown> }> => {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent();
        const urn = urnFor(stack, project, type, name, parent);
        providerFor(type, req.getProvider(), req.getVersion());
        const propertyDeps = new Set<string>();
        req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => propertyDeps.add(u)));
        const component: EngineResource = {
            urn,
            type,
            name,
            parent,
            inputs: {},
            outputs: {},
            dependencies: req.getDependenciesList().filter((u) => !propertyDeps.has(u)),
            propertyDependencies: {},
        };
        add(component);
        const inputs = await providerServer.deserializeInputs(req.getObject(), req.getPropertydependenciesMap());
        const models = awsxSdks();
        const self = new models.pulumi.DependencyResource(urn);
        const result = constructAwsxComponent(models, type, name, inputs, self);
        const state = await rpcModule.serializeProperties(`construct(${urn})`, result);
        // The plugin registers the component's outputs as they resolve; values (an image URI) are recorded as such.
        component.outputs = plainOutputValues(
            Object.fromEntries(Object.entries(state as Record<string, unknown>).filter(([, v]) => !(v !== null && typeof v === "object" && "urn" in v))),
        ) as Record<string, unknown>;
        return { urn, state };
    };

    monitor.registerResource = (request, callback) => {
        const type = request.getType();
        if (request.getRemote()) {
            if (!AWSX_COMPONENTS.has(type)) {
                const err = new Error(`${type} "${request.getName()}" is a multi-language component the capture does not build: its children would be missing`);
                refused.add(`${type}::${request.getName()}`);
                fail(err.message, siteByTypeAndName.get(`${type}::${request.getName()}`)?.[0], err);
                callback(err);
                return;
            }
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
                    refused.add(`${type}::${request.getName()}`);
                    fail(`${type} "${request.getName()}": ${firstLineOf(e)}`, siteByTypeAndName.get(`${type}::${request.getName()}`)?.[0] ?? siteOfError(e), e);
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
            refused.add(`${type}::${request.getName()}`);
            fail(`${type} "${request.getName()}": ${firstLineOf(e)}`, siteByTypeAndName.get(`${type}::${request.getName()}`)?.[0], e);
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

    // Errors nobody handles fail the program, as the language host's handlers fail it.
    const unhandled = (e: unknown): void => {
        if (alreadyReported(e)) return;
        fail(describeProgramError(e, req), siteOfError(e), e);
    };
    process.on("unhandledRejection", unhandled);
    process.on("uncaughtException", unhandled);

    // As the Node.js language host runs a program: inside the root stack, calling an exported function.
    try {
        await stackModule.runInPulumiStack(async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exported = require(req.main);
            return exported instanceof Function ? await exported() : exported;
        });
    } catch (e) {
        if (e instanceof CompileError) throw e;
        unhandled(e);
    }
    await settings.waitForRPCs();
    // Rejections nobody handled are reported after the current turn: let them come in.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length > 0) throw new ProgramFailure(failures);

    // A component's children without a place of their own (those the awsx model builds) share their parent's.
    for (const r of resources) {
        for (let p: EngineResource | undefined = r; p && !sites[r.urn]; p = byUrn.get(p.parent ?? "")) {
            if (sites[p.urn]) sites[r.urn] = sites[p.urn];
        }
    }
    return { resources, notes: [...notes], sites };
}

/** The failures of a program, gathered while it ran. */
class ProgramFailure extends Error {
    constructor(readonly failures: Failure[]) {
        super(failures.map((f) => f.message).join("\n"));
    }
}

/** What a program error says, and for a missing config key, where to set it. */
function describeProgramError(e: unknown, req: CaptureRequest): string {
    const message = e instanceof Error ? e.message : String(e);
    const missing = /Missing required configuration variable '([^']+)'/.exec(message);
    if (missing) {
        const key = missing[1];
        return `the program requires the config key ${key}, which the stack does not set: set it in ${path.basename(req.stackFile)} (config: ${key}: <value>), or pass --config ${key}=<value>`;
    }
    return `the program failed: ${message.split("\n")[0]}`;
}

let replied = false;
function reply(message: CaptureReply): void {
    if (replied) return;
    replied = true;
    process.send!(message, () => process.exit(message.ok ? 0 : 1));
}

function failuresOf(e: unknown, req: CaptureRequest): Failure[] {
    if (e instanceof ProgramFailure || e instanceof CompileError) return e.failures;
    return [{ message: describeProgramError(e, req) }];
}

process.once("message", (request: CaptureRequest) => {
    capture(request).then(
        ({ resources, notes, sites }) => reply({ ok: true, resources, notes, sites }),
        (e: unknown) => reply({ ok: false, failures: failuresOf(e, request) }),
    );
});
