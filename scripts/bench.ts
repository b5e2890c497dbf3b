/**
 * `npm run bench`: ecs-role-guard against the floor that `@pulumi/policy` itself sets (issue 7).
 *
 * Generates engine-shaped stacks of about 1,000, 10,000 and 50,000 resources in a preview shape and an update shape,
 * drives our compiled pack and a floor pack (same policies, empty bodies) through the Analyzer protocol as the CLI
 * launches them, alternating ours and the floor within one process run, and prints each figure with the ratio and
 * the issue's targets.
 *
 *   node bin/scripts/bench.js [--sizes 1000,10000,50000] [--rounds 3] [--large-rounds 1] [--sample 2000]
 *                             [--shapes preview,update] [--seed 7] [--profile] [--profile-only] [--profile-sizes 10000]
 *
 * --large-rounds: rounds for stacks of 50,000 resources or more, whose runs take a minute each (default 1, so that
 *   a full run stays near 10 minutes on two cores).
 * --sample: how many resources each run sends to Remediate and Analyze (evenly spaced over the stack, so the sample
 *   has the stack's mix); AnalyzeStack always gets the whole stack.
 * --profile: afterwards, runs our pack and the floor once more per shape at --profile-sizes under the V8 profiler,
 *   compares where their CPU time goes, and lists our functions with the most self and inclusive time.
 * --profile-only: the profile alone, without the comparison.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as v8 from "v8";
import * as vm from "vm";
import { policies } from "../policies";
import { newestProfile, profilerPreload, summariseProfile } from "./bench/cpuProfile";
import { writeFloorPack } from "./bench/floorPack";
import { evenSample, runOnce, RunResult } from "./bench/measure";
import { count, mb, median, ms, percentile, ratio, signedMb, table, verdict } from "./bench/report";
import { generateStack, Shape, StackCounts } from "./bench/stackGenerator";
import { encodeAnalyzeStackRequest } from "./bench/stackRequest";

const TARGETS = {
    startup: 1.15,
    perResource: 1.15,
    analyzeStackAt10k: 1.5,
    growth10kTo50k: 5.5,
    rssOverFloorMb: 80,
} as const;

interface Options {
    sizes: number[];
    rounds: number;
    largeRounds: number;
    sample: number;
    shapes: Shape[];
    seed: number;
    profile: boolean;
    profileOnly: boolean;
    profileSizes: number[];
}

function parseArgs(argv: readonly string[]): Options {
    const opts: Options = {
        sizes: [1000, 10000, 50000],
        rounds: 3,
        largeRounds: 1,
        sample: 2000,
        shapes: ["preview", "update"],
        seed: 7,
        profile: false,
        profileOnly: false,
        profileSizes: [10000],
    };
    const numbers = (v: string | undefined, flag: string) => {
        const list = (v ?? "").split(",").map((s) => Number(s.trim().replace(/_/g, "")));
        if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`${flag} wants positive integers, comma-separated`);
        return list;
    };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => argv[++i];
        switch (flag) {
            case "--sizes":
                opts.sizes = numbers(value(), flag);
                break;
            case "--rounds":
                opts.rounds = numbers(value(), flag)[0];
                break;
            case "--large-rounds":
                opts.largeRounds = numbers(value(), flag)[0];
                break;
            case "--sample":
                opts.sample = numbers(value(), flag)[0];
                break;
            case "--seed":
                opts.seed = numbers(value(), flag)[0];
                break;
            case "--shapes": {
                const shapes = (value() ?? "").split(",");
                if (shapes.some((s) => s !== "preview" && s !== "update")) throw new Error("--shapes takes preview and/or update");
                opts.shapes = shapes as Shape[];
                break;
            }
            case "--profile":
                opts.profile = true;
                break;
            case "--profile-only":
                opts.profile = true;
                opts.profileOnly = true;
                break;
            case "--profile-sizes":
                opts.profileSizes = numbers(value(), flag);
                opts.profile = true;
                break;
            default:
                throw new Error(`unknown argument ${flag}`);
        }
    }
    return opts;
}

interface Cell {
    size: number;
    shape: Shape;
    counts: StackCounts;
    sampleSize: number;
    encodeMs: number;
    requestMb: number;
    ours: RunResult[];
    floor: RunResult[];
    /** The floor replaying our findings of the same round. */
    replay: RunResult[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);

const LARGE = 50000;

/** A full collection in this process before each run, so that its garbage is not collected during a measurement. */
v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

async function main(): Promise<void> {
    const opts = parseArgs(process.argv.slice(2));
    const repoRoot = path.resolve(__dirname, "..", "..");
    if (!fs.existsSync(path.join(repoRoot, "bin", "index.js"))) throw new Error("bin/index.js is missing: run `npm run build` first");
    const floor = writeFloorPack(policies, repoRoot);
    const replay = writeFloorPack(policies, repoRoot, true);
    const started = performance.now();
    const cells: Cell[] = [];
    try {
        for (const size of opts.profileOnly ? [] : opts.sizes) {
            for (const shape of opts.shapes) {
                const stack = generateStack(size, shape, opts.seed);
                const sample = evenSample(stack.resources.length, opts.sample);
                const request = encodeAnalyzeStackRequest(stack.resources);
                const cell: Cell = {
                    size,
                    shape,
                    counts: stack.counts,
                    sampleSize: sample.length,
                    encodeMs: request.encodeMs,
                    requestMb: request.bytes.length / 2 ** 20,
                    ours: [],
                    floor: [],
                    replay: [],
                };
                log(
                    `${count(stack.resources.length)} resources, ${shape}: ${count(stack.counts.taskDefinitions)} task definitions, ${count(stack.counts.roles)} roles, ${count(stack.counts.violations)} violations planted; Analyze sample ${count(sample.length)}; AnalyzeStack request ${cell.requestMb.toFixed(1)} MB, encoded in ${ms(request.encodeMs)}`,
                );
                const rounds = size >= LARGE ? opts.largeRounds : opts.rounds;
                for (let round = 0; round < rounds; round++) {
                    const ours = ["ours", repoRoot, cell.ours] as const;
                    const plain = ["floor", floor.dir, cell.floor] as const;
                    // Ours and the floor take turns to go first, so that neither always starts right after the
                    // previous round; the replaying floor goes last, since it replays ours of the same round.
                    for (const [who, dir, results] of [
                        ...(round % 2 === 0 ? [ours, plain] : [plain, ours]),
                        ["floor replaying our findings", replay.dir, cell.replay] as const,
                    ]) {
                        if (results === cell.replay) replay.replay(cell.ours[cell.ours.length - 1].stackFindingList);
                        collectGarbage();
                        const t = performance.now();
                        const result = await runOnce(dir, stack.resources, request, { preview: shape === "preview", sample });
                        results.push(result);
                        log(
                            `  round ${round + 1} ${who}: start-up ${ms(result.startupMs)}, Remediate+Analyze median ${ms(median(result.perResourceMs))}, AnalyzeStack ${ms(result.analyzeStackMs)} (pack CPU ${ms(result.analyzeStackCpuMs)}), peak RSS ${mb(result.peakRssMb)} (${ms(performance.now() - t)} in all)`,
                        );
                    }
                }
                cells.push(cell);
            }
        }
        if (cells.length > 0) {
            process.stdout.write(`${report(cells, opts, floor)}\n`);
            log(`Benchmark took ${ms(performance.now() - started)}.`);
        }
        if (opts.profile) await profile(repoRoot, floor.dir, opts);
    } finally {
        floor.remove();
        replay.remove();
    }
}

function report(cells: readonly Cell[], opts: Options, floor: { resourcePolicies: number; stackPolicies: number }): string {
    const out: string[] = [];
    out.push(
        `ecs-role-guard vs the floor (@pulumi/policy with ${floor.resourcePolicies} resource and ${floor.stackPolicies} stack policies, empty bodies)`,
        `Node ${process.version}, ${os.cpus().length} cores, load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")} at the end; ours and the floor alternating, taking turns to go first; seed ${opts.seed}.`,
        `${opts.rounds} round(s) per cell, ${opts.largeRounds} for stacks of ${count(LARGE)} resources or more.`,
        `Start-up, AnalyzeStack and peak RSS: median over rounds. Remediate+Analyze: median and p99 over every sampled call of every round.`,
        `Remediate+Analyze is measured on an evenly spaced sample of at most ${count(opts.sample)} resources per run; AnalyzeStack always gets the whole stack.`,
        `Times are wall times as the engine sees them, from the request handed to gRPC until the answer is decoded. The AnalyzeStack request is`,
        `encoded once per stack beforehand (google-protobuf in JavaScript is far slower than the Go engine) and the same bytes go to both packs.`,
        `"pack CPU" is the pack process's CPU time over the same calls, all threads (GC included): unlike wall time, it does not depend on what`,
        `else the machine runs. Each target is judged on both.`,
        `Peak RSS is compared with a third pack as well: the floor replaying, from its stack policies, the findings ours reported in the same round`,
        `(same messages, URNs and levels), and doing nothing else. That is what @pulumi/policy costs to carry our findings: it serialises the answer`,
        `with google-protobuf's JavaScript writer, at about 12 bytes of heap per byte of answer. Ours over it is what the analysis itself costs.`,
        `At 50,000 resources a pack's peak can move by 100 to 300 MB from round to round (whether V8 runs a full collection during AnalyzeStack):`,
        `the rounds above the table show each one.`,
        "",
    );
    const rows: string[][] = [];
    for (const c of cells) {
        const o = summarise(c.ours);
        const f = summarise(c.floor);
        const r = summarise(c.replay);
        const label = `${count(c.counts.total)} ${c.shape}`;
        const stackTarget = c.size === 10000 ? TARGETS.analyzeStackAt10k : undefined;
        /** One timed metric: ours, the floor's, their ratio, and the verdict where a target applies. */
        const timed = (first: string, metric: string, ours: number, floor: number, target?: number): string[] => [
            first,
            metric,
            ms(ours),
            ms(floor),
            ratio(ours / floor),
            target === undefined ? "" : `<= ${target}x`,
            target === undefined ? "" : verdict(ours <= target * floor),
        ];
        rows.push(
            timed(label, "start-up (spawn to port)", o.startup, f.startup, TARGETS.startup),
            timed("", "  pack CPU until Configure returned", o.startupCpu, f.startupCpu, TARGETS.startup),
            timed("", `Remediate+Analyze median (n=${count(c.sampleSize)})`, o.perMedian, f.perMedian, TARGETS.perResource),
            timed("", "Remediate+Analyze p99", o.perP99, f.perP99),
            timed("", "  pack CPU per Remediate+Analyze (mean)", o.perCpu, f.perCpu, TARGETS.perResource),
            timed("", "AnalyzeStack", o.stack, f.stack, stackTarget),
            timed("", "  pack CPU during AnalyzeStack", o.stackCpu, f.stackCpu, stackTarget),
            [
                "",
                "peak RSS (VmHWM)",
                mb(o.rss),
                mb(f.rss),
                signedMb(o.rss - f.rss),
                `<= +${TARGETS.rssOverFloorMb} MB`,
                verdict(o.rss <= f.rss + TARGETS.rssOverFloorMb),
            ],
            ["", "  lowest-highest over the rounds", `${o.rssLow.toFixed(0)}-${mb(o.rssHigh)}`, `${f.rssLow.toFixed(0)}-${mb(f.rssHigh)}`, "", "", ""],
            ["", `  vs the floor reporting our ${count(o.stackFindings)} findings`, mb(o.rss), mb(r.rss), signedMb(o.rss - r.rss), "", ""],
            ["", `  the floor reporting them, vs the floor`, mb(r.rss), mb(f.rss), signedMb(r.rss - f.rss), "", ""],
            [
                "",
                "findings: Analyze (sample) / AnalyzeStack",
                `${o.analyzeFindings} / ${o.stackFindings}`,
                `${f.analyzeFindings} / ${f.stackFindings}`,
                "",
                "",
                "",
            ],
        );
    }
    out.push(table(["stack", "metric", "ours", "floor", "ratio", "target", ""], rows, [false, false, true, true, true, false, false]));

    const sizes = [...new Set(cells.map((c) => c.size))].sort((a, b) => a - b);
    if (sizes.length > 1) {
        out.push("", "AnalyzeStack growth with stack size (median times):");
        const growthRows: string[][] = [];
        for (const shape of opts.shapes) {
            for (const who of ["ours", "floor"] as const) {
                const bySize = sizes.map((s) => cells.find((c) => c.size === s && c.shape === shape)!);
                for (const [what, times] of [
                    ["wall", bySize.map((c) => summarise(c[who]).stack)],
                    ["pack CPU", bySize.map((c) => summarise(c[who]).stackCpu)],
                ] as const) {
                    const steps: string[] = [];
                    for (let i = 1; i < sizes.length; i++) {
                        const g = times[i] / times[i - 1];
                        const resources = bySize[i].counts.total / bySize[i - 1].counts.total;
                        const judged = who === "ours" && sizes[i - 1] === 10000 && sizes[i] === 50000;
                        steps.push(
                            `${count(sizes[i - 1])}->${count(sizes[i])}: ${ratio(g)} (resources ${ratio(resources)})${judged ? ` target <= ${TARGETS.growth10kTo50k}x ${verdict(g <= TARGETS.growth10kTo50k)}` : ""}`,
                        );
                    }
                    growthRows.push([`${shape} ${who}`, what, times.map(ms).join(" -> "), steps.join("; ")]);
                }
            }
        }
        out.push(table(["", "", "AnalyzeStack", "growth"], growthRows));
    }

    out.push("", "Stacks (the same seed gives the same stack in both shapes):");
    const stackRows = cells.map((c) => [
        count(c.counts.total),
        c.shape,
        count(c.counts.taskDefinitions),
        count(c.counts.awsxChildren),
        count(c.counts.roles),
        count(c.counts.violations),
        `${((100 * c.counts.unrelated) / c.counts.total).toFixed(0)}%`,
        `${c.requestMb.toFixed(1)} MB`,
        ms(c.encodeMs),
    ]);
    out.push(
        table(
            [
                "resources",
                "shape",
                "task definitions",
                "in awsx components",
                "roles",
                "violations planted",
                "unrelated to the pack",
                "AnalyzeStack request",
                "encoded here in",
            ],
            stackRows,
            [true, false, true, true, true, true, true, true, true],
        ),
    );

    const policyNames = [...new Set(cells.flatMap((c) => c.ours.flatMap((r) => Object.keys(r.stackFindingsByPolicy))))].sort();
    if (policyNames.length > 0) {
        out.push("", "Our AnalyzeStack findings by policy (last round):");
        const findingRows = policyNames.map((name) => [name, ...cells.map((c) => count(c.ours[c.ours.length - 1].stackFindingsByPolicy[name] ?? 0))]);
        out.push(table(["policy", ...cells.map((c) => `${count(c.counts.total)} ${c.shape}`)], findingRows, [false, ...cells.map(() => true)]));
    }
    return out.join("\n");
}

function summarise(runs: readonly RunResult[]) {
    const per = runs.flatMap((r) => r.perResourceMs);
    const last = runs[runs.length - 1];
    return {
        startup: median(runs.map((r) => r.startupMs)),
        startupCpu: median(runs.map((r) => r.startupCpuMs)),
        perMedian: median(per),
        perP99: percentile(per, 99),
        stack: median(runs.map((r) => r.analyzeStackMs)),
        perCpu: median(runs.map((r) => r.perResourceCpuMs)),
        stackCpu: median(runs.map((r) => r.analyzeStackCpuMs)),
        rss: median(runs.map((r) => r.peakRssMb)),
        rssLow: Math.min(...runs.map((r) => r.peakRssMb)),
        rssHigh: Math.max(...runs.map((r) => r.peakRssMb)),
        analyzeFindings: last.analyzeFindings,
        stackFindings: last.stackFindings,
    };
}

/** One profiled run of our pack and of the floor per shape and size: where the time goes. The profiles stay on disk. */
async function profile(repoRoot: string, floorDir: string, opts: Options): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-role-guard-prof-"));
    for (const size of opts.profileSizes) {
        for (const shape of opts.shapes) {
            const stack = generateStack(size, shape, opts.seed);
            const sample = evenSample(stack.resources.length, opts.sample);
            const request = encodeAnalyzeStackRequest(stack.resources);
            const profiled = async (who: string, packDir: string) => {
                const profDir = path.join(dir, `${size}-${shape}-${who}`);
                fs.mkdirSync(profDir);
                const preload = path.join(profDir, "profile-until-sigterm.js");
                fs.writeFileSync(preload, profilerPreload(profDir));
                collectGarbage();
                const result = await runOnce(packDir, stack.resources, request, {
                    preview: shape === "preview",
                    sample,
                    env: { NODE_OPTIONS: `--require ${preload}` },
                });
                const file = newestProfile(profDir);
                if (!file) throw new Error(`no profile was written for ${who}, ${size} ${shape}`);
                log(`profile of ${who} kept at ${file}`);
                return { result, summary: summariseProfile(file, repoRoot) };
            };
            const ours = await profiled("ours", repoRoot);
            const floor = await profiled("floor", floorDir);
            const areaNames = [...new Set([...ours.summary.areas, ...floor.summary.areas].map((a) => a.area))];
            const areaMs = (s: typeof ours.summary, area: string) => s.areas.find((a) => a.area === area)?.selfMs ?? 0;
            const areaRows = areaNames
                .map((area) => ({ area, o: areaMs(ours.summary, area), f: areaMs(floor.summary, area) }))
                .sort((a, b) => b.o - b.f - (a.o - a.f))
                .map(({ area, o, f }) => [area, ms(o), ms(f), `${o >= f ? "+" : "-"}${ms(Math.abs(o - f))}`]);
            const ourFunctions = ours.summary.functions.filter((f) => f.where.startsWith("bin/policies/"));
            const lines: string[] = [
                "",
                `CPU profiles, ${count(stack.resources.length)} resources, ${shape}: one run each of start-up, ${count(sample.length)} x Remediate+Analyze and AnalyzeStack`,
                `(AnalyzeStack ours ${ms(ours.result.analyzeStackMs)}, pack CPU ${ms(ours.result.analyzeStackCpuMs)}; floor ${ms(floor.result.analyzeStackMs)}, pack CPU ${ms(floor.result.analyzeStackCpuMs)}).`,
                "Self time by area, largest difference first:",
                table(["area", "ours", "floor", "difference"], areaRows, [false, true, true, true]),
                "",
                "Our pack, top self time, all code:",
                table(
                    ["function", "where", "self time"],
                    ours.summary.functions.slice(0, 15).map((f) => [f.name, f.where, ms(f.selfMs)]),
                    [false, false, true],
                ),
                "",
                "Our pack, top self time in bin/policies (compiled from policies/**):",
                table(
                    ["function", "where", "self time", "inclusive"],
                    ourFunctions.slice(0, 20).map((f) => [f.name, f.where, ms(f.selfMs), ms(f.totalMs)]),
                    [false, false, true, true],
                ),
                "",
                "Our pack, top inclusive time in bin/policies (what each function and its callees cost, GC not included):",
                table(
                    ["function", "where", "inclusive", "self time"],
                    [...ourFunctions]
                        .sort((a, b) => b.totalMs - a.totalMs)
                        .slice(0, 20)
                        .map((f) => [f.name, f.where, ms(f.totalMs), ms(f.selfMs)]),
                    [false, false, true, true],
                ),
            ];
            process.stdout.write(`${lines.join("\n")}\n`);
        }
    }
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
