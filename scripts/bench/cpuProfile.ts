import * as fs from "fs";
import * as path from "path";

/**
 * CPU profiles of a pack process, and what they say: self time per function, so the benchmark can say what
 * dominates a pack's cost.
 *
 * Node 20 refuses `--cpu-prof` in NODE_OPTIONS, and the harness launches the pack as the CLI does (no extra node
 * arguments), so a `--require` preload starts the inspector's profiler instead and writes a `.cpuprofile` when the
 * harness ends the pack with SIGTERM.
 */

/** The preload's source: profile from the first line of the pack until SIGTERM. */
export function profilerPreload(outDir: string, intervalUs = 200): string {
    return `"use strict";
const inspector = require("inspector");
const fs = require("fs");
const path = require("path");
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable", () => {
    session.post("Profiler.setSamplingInterval", { interval: ${intervalUs} }, () => session.post("Profiler.start"));
});
process.on("SIGTERM", () => {
    session.post("Profiler.stop", (err, result) => {
        if (!err) fs.writeFileSync(path.join(${JSON.stringify(outDir)}, \`pack-\${process.pid}.cpuprofile\`), JSON.stringify(result.profile));
        process.exit(0);
    });
});
`;
}

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
    samples: number[];
    timeDeltas: number[];
}

export interface FunctionCost {
    readonly name: string;
    /** The script, relative to the repository root when inside it. */
    readonly where: string;
    readonly selfMs: number;
    /** Self time plus the time of everything it called (each sample counted once per function, even in recursion). */
    readonly totalMs: number;
}

export interface ProfileSummary {
    readonly totalMs: number;
    readonly functions: FunctionCost[];
    /** Self time by area: our policies, @pulumi/policy, protobuf, gRPC, Node itself, GC, idle. */
    readonly areas: { area: string; selfMs: number }[];
}

export function summariseProfile(file: string, repoRoot: string): ProfileSummary {
    const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parentOf = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

    const functions = new Map<string, { name: string; where: string; selfMs: number; totalMs: number }>();
    const entryOf = (frame: ProfileNode["callFrame"]) => {
        const where = displayPath(frame.url, repoRoot);
        const name = frame.functionName || "(anonymous)";
        const key = `${name}\n${where}\n${frame.lineNumber}`;
        let entry = functions.get(key);
        if (!entry) {
            entry = { name, where: frame.url ? `${where}:${frame.lineNumber + 1}` : where, selfMs: 0, totalMs: 0 };
            functions.set(key, entry);
        }
        return entry;
    };
    const areas = new Map<string, number>();
    let totalMs = 0;
    for (const [id, us] of selfUs) {
        const frame = byId.get(id)!.callFrame;
        const ms = us / 1000;
        totalMs += ms;
        entryOf(frame).selfMs += ms;
        const area = areaOf(frame.functionName, frame.url);
        areas.set(area, (areas.get(area) ?? 0) + ms);
        // Inclusive time: every function on the stack, once each.
        const onStack = new Set<ReturnType<typeof entryOf>>();
        for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) onStack.add(entryOf(byId.get(at)!.callFrame));
        for (const entry of onStack) entry.totalMs += ms;
    }
    return {
        totalMs,
        functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
        areas: [...areas].map(([area, selfMs]) => ({ area, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
    };
}

function displayPath(url: string, repoRoot: string): string {
    if (!url) return "(native)";
    const file = url.startsWith("file://") ? new URL(url).pathname : url;
    const rel = path.relative(repoRoot, file);
    return rel.startsWith("..") ? file : rel;
}

export function areaOf(functionName: string, url: string): string {
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(idle)" || functionName === "(program)") return functionName;
    if (url.includes("/bin/policies/") && !url.includes("node_modules")) return "our policies (bin/policies)";
    if (url.includes("@pulumi/policy")) return "@pulumi/policy";
    if (url.includes("google-protobuf")) return "google-protobuf";
    if (url.includes("@grpc/")) return "@grpc/grpc-js";
    if (url.includes("typescript") || url.includes("ts-node")) return "ts-node / typescript";
    if (url.includes("node_modules")) return "other node_modules";
    if (url.startsWith("node:") || !url) return "Node.js internals";
    return "other";
}

/** The newest profile written into a directory. */
export function newestProfile(dir: string): string | undefined {
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => path.join(dir, f));
    return files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}
