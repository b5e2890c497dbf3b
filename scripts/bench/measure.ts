import * as fs from "fs";
import { performance } from "perf_hooks";
import { startPack } from "../../cli/analyzerClient";
import { EngineResource } from "../../cli/engineResources";
import { analyzeStackEncoded, EncodedStackRequest, StackFinding } from "./stackRequest";

/**
 * One run of one pack over one stack, as the engine drives it: launch (the harness, as the CLI launches a pack),
 * Configure, Remediate then Analyze for each (sampled) resource, AnalyzeStack over the whole stack, then the peak
 * RSS of the pack process.
 *
 * Remediate and Analyze go through the harness and are timed from the moment it hands its request to gRPC (the
 * `onRpc` hook fires after the request is built) until the answer is decoded. AnalyzeStack sends a request encoded
 * beforehand (see stackRequest.ts) and is timed from sending its bytes until the answer is decoded. The pack's CPU
 * time (all its threads, GC included) is read from /proc around each phase as well.
 */

export interface RunResult {
    /** Spawn until the pack printed its port. */
    startupMs: number;
    /** Spawn until Configure returned. */
    readyMs: number;
    /** Pack CPU time, all threads, from spawn until Configure returned. */
    startupCpuMs: number;
    /** Remediate + Analyze, one entry per sampled resource, in stack order. */
    perResourceMs: number[];
    analyzeStackMs: number;
    /** Pack CPU time, all threads, over the sampled Remediate+Analyze calls, per resource. */
    perResourceCpuMs: number;
    /** Pack CPU time, all threads, during AnalyzeStack. */
    analyzeStackCpuMs: number;
    /** VmHWM of the pack process, read before it is closed. */
    peakRssMb: number;
    analyzeFindings: number;
    stackFindings: number;
    /** AnalyzeStack findings by policy name. */
    stackFindingsByPolicy: Record<string, number>;
    /** The AnalyzeStack findings themselves, for the floor that replays them. */
    stackFindingList: readonly StackFinding[];
    /** "can't run ... during preview" and similar advisories of the SDK itself. */
    sdkAdvisories: number;
}

export interface RunOptions {
    preview: boolean;
    /** Indexes into the stack of the resources sent to Remediate and Analyze. */
    sample: readonly number[];
    env?: Record<string, string>;
}

export async function runOnce(packDir: string, resources: EngineResource[], stackRequest: EncodedStackRequest, opts: RunOptions): Promise<RunResult> {
    let sentAt = 0;
    const session = await startPack(packDir, {
        preview: opts.preview,
        env: opts.env,
        onRpc: () => {
            sentAt = performance.now();
        },
    });
    try {
        const perResourceMs: number[] = [];
        const cpuBeforeAnalyze = readCpuMs(session.pid);
        const startupCpuMs = cpuBeforeAnalyze;
        let analyzeFindings = 0;
        let sdkAdvisories = 0;
        for (const i of opts.sample) {
            const resource = resources[i];
            await session.remediate(resource);
            const remediateMs = performance.now() - sentAt;
            const diagnostics = await session.analyze(resource);
            perResourceMs.push(remediateMs + (performance.now() - sentAt));
            analyzeFindings += diagnostics.length;
            sdkAdvisories += diagnostics.filter((d) => d.message.startsWith("can't run policy")).length;
        }
        if (session.pid === undefined) throw new Error("the pack process has no pid");
        const cpuAfterAnalyze = readCpuMs(session.pid);
        const stack = await analyzeStackEncoded(session.pid, stackRequest);
        const analyzeStackCpuMs = readCpuMs(session.pid) - cpuAfterAnalyze;
        sdkAdvisories += stack.findings.filter((d) => d.message.startsWith("can't run policy")).length;
        const stackFindingsByPolicy: Record<string, number> = {};
        for (const f of stack.findings) stackFindingsByPolicy[f.policyName] = (stackFindingsByPolicy[f.policyName] ?? 0) + 1;
        const peakRssMb = readPeakRssMb(session.pid);
        return {
            startupMs: session.timings.spawnToPortMs,
            readyMs: session.timings.spawnToReadyMs,
            startupCpuMs,
            perResourceMs,
            analyzeStackMs: stack.ms,
            perResourceCpuMs: opts.sample.length ? (cpuAfterAnalyze - cpuBeforeAnalyze) / opts.sample.length : NaN,
            analyzeStackCpuMs,
            peakRssMb,
            analyzeFindings,
            stackFindings: stack.findings.length,
            stackFindingsByPolicy,
            stackFindingList: stack.findings,
            sdkAdvisories,
        };
    } finally {
        await session.close();
    }
}

/** The process's peak resident set size (VmHWM), in MB. */
export function readPeakRssMb(pid: number | undefined): number {
    if (pid === undefined) return NaN;
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
}

/** CPU time the process has used, all threads together, in ms (from each thread's schedstat, in ns). */
export function readCpuMs(pid: number | undefined): number {
    if (pid === undefined) return NaN;
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        try {
            ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
        } catch {
            // The thread ended between listing and reading.
        }
    }
    return ns / 1e6;
}

/** Evenly spaced indexes over the stack, so the sample has the stack's mix; every index when n ≥ the stack. */
export function evenSample(stackSize: number, n: number): number[] {
    if (n >= stackSize) return Array.from({ length: stackSize }, (_, i) => i);
    return Array.from({ length: n }, (_, i) => Math.floor((i * stackSize) / n));
}
