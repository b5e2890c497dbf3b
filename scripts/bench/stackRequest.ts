import * as fs from "fs";
import { performance } from "perf_hooks";
import type * as analyzerPbTypes from "@pulumi/pulumi/proto/analyzer_pb";
import { loadProtocol } from "../../cli/analyzerClient";
import { EngineResource } from "../../cli/engineResources";

/**
 * AnalyzeStack with a request encoded once, ahead of time, and the same bytes sent to every pack.
 *
 * google-protobuf encodes in JavaScript, slowly and with much garbage: 80 MB for 50,000 resources took this process
 * about 16 s, which the Go engine does in a fraction of a second. Timing the harness's `analyzeStack` would add that
 * to both packs' figures and hide the difference between them. The request is built as the harness builds it
 * (cli/analyzerClient.ts, makeStackResource), and sent with a plain gRPC client to the port the pack listens on.
 */

const METHOD = "/pulumirpc.Analyzer/AnalyzeStack";
// The engine's and the SDK's limit: 400 MB each way.
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface EncodedStackRequest {
    readonly bytes: Buffer;
    /** How long building and encoding took here; not part of any timed figure. */
    readonly encodeMs: number;
}

export function encodeAnalyzeStackRequest(resources: readonly EngineResource[]): EncodedStackRequest {
    const {
        pb,
        struct: { Struct },
    } = loadProtocol();
    const start = performance.now();
    const toStruct = (value: object) => Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((resource) => {
            const r = new pb.AnalyzerResource();
            r.setUrn(resource.urn);
            r.setType(resource.type);
            r.setName(resource.name);
            r.setProperties(toStruct(resource.outputs ?? resource.inputs));
            const opts = new pb.AnalyzerResourceOptions();
            opts.setProtect(false);
            opts.setIgnorechangesList([]);
            opts.setDeletebeforereplacedefined(false);
            opts.setDeletebeforereplace(false);
            opts.setAdditionalsecretoutputsList([]);
            opts.setAliasesList([]);
            const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
            timeouts.setCreate(0);
            timeouts.setUpdate(0);
            timeouts.setDelete(0);
            opts.setCustomtimeouts(timeouts);
            opts.setParent(resource.parent ?? "");
            r.setOptions(opts);
            if (resource.provider) {
                const p = new pb.AnalyzerProviderResource();
                p.setUrn(resource.provider.urn);
                p.setType(resource.provider.type);
                p.setName(resource.provider.name);
                p.setProperties(toStruct(resource.provider.properties));
                r.setProvider(p);
            }
            r.setParent(resource.parent ?? "");
            const propertyDependencies = resource.propertyDependencies ?? {};
            r.setDependenciesList(resource.dependencies ?? [...new Set(Object.values(propertyDependencies).flat())]);
            for (const [key, urns] of Object.entries(propertyDependencies)) {
                if (urns.length === 0) continue;
                const deps = new pb.AnalyzerPropertyDependencies();
                deps.setUrnsList(urns);
                r.getPropertydependenciesMap().set(key, deps);
            }
            return r;
        }),
    );
    const bytes = Buffer.from(req.serializeBinary());
    return { bytes, encodeMs: performance.now() - start };
}

export interface StackFinding {
    readonly policyName: string;
    /** The protocol's enum: 0 advisory, 1 mandatory, 2 disabled, 3 remediate. */
    readonly enforcementLevel: number;
    readonly message: string;
    readonly urn: string;
}

/** One AnalyzeStack call with the encoded request: wall time from sending the bytes until the answer is decoded. */
export async function analyzeStackEncoded(pid: number, request: EncodedStackRequest): Promise<{ ms: number; findings: StackFinding[] }> {
    const { grpc, pb } = loadProtocol();
    const port = listeningPort(pid);
    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
    try {
        // Connect first, so the figure holds the call and nothing else.
        await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (e) => (e ? reject(e) : resolve())));
        const start = performance.now();
        const response = await new Promise<analyzerPbTypes.AnalyzeResponse>((resolve, reject) =>
            client.makeUnaryRequest(
                METHOD,
                (bytes: Buffer) => bytes,
                (bytes: Buffer) => pb.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
                request.bytes,
                (err, res) => (err ? reject(new Error(`AnalyzeStack failed: ${err.details || err.message}`)) : resolve(res!)),
            ),
        );
        const ms = performance.now() - start;
        const findings = response.getDiagnosticsList().map((d) => ({
            policyName: d.getPolicyname(),
            enforcementLevel: d.getEnforcementlevel(),
            message: d.getMessage(),
            urn: d.getUrn(),
        }));
        return { ms, findings };
    } finally {
        client.close();
    }
}

/** The TCP port a process listens on, from its socket inodes and /proc/net/tcp{,6}. */
export function listeningPort(pid: number): number {
    const inodes = new Set<string>();
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        try {
            const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
            if (match) inodes.add(match[1]);
        } catch {
            // The descriptor closed between listing and reading.
        }
    }
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
        if (!fs.existsSync(table)) continue;
        for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
            const fields = line.trim().split(/\s+/);
            const LISTEN = "0A";
            if (fields.length > 9 && fields[3] === LISTEN && inodes.has(fields[9])) {
                return parseInt(fields[1].split(":")[1], 16);
            }
        }
    }
    throw new Error(`process ${pid} listens on no TCP port`);
}
