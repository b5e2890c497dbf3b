#!/usr/bin/env node
// The `ecs-role-guard` command: judges a Pulumi program (check) or a stack's deployed state (audit) with this pack,
// driven over Pulumi's Analyzer protocol exactly as the Pulumi CLI drives it.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackSession } from "./analyzerClient";
import { PolicyConfigFile } from "./policyConfig";
import { parseUrn, readStackExport } from "./audit";
import { Capture } from "./capture";
import { captureFor, compareCaptures, resolvePrograms, sourceLocations } from "./check";
import { readPolicyPackConfig } from "./configFile";
import { firstLine, InputError } from "./errors";
import { readTextInput } from "./input";
import { judge, judgeWith, openPack } from "./judge";
import { Command, Format, Phase, parseArgs, USAGE } from "./options";
import { Progress } from "./progress";
import { renderSuggestJson, renderSuggestText, suggest } from "./suggest";
import {
    COLOURS,
    countLevels,
    NO_COLOURS,
    renderJson,
    renderJsonFailure,
    renderSarif,
    renderSarifFailure,
    renderText,
    Report,
    Run,
    toViolations,
} from "./report";

/** The installed package: bin/cli/main.js sits two levels below it. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

function packageVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
    return pkg.version;
}

async function audit(cmd: Extract<Command, { kind: "audit" }>, config: PolicyConfigFile | undefined, progress: Progress): Promise<Report> {
    const configFile = cmd.policyPackConfig;
    const text = readTextInput(cmd.file, "stack export");
    const state = readStackExport(text, cmd.file === "-" ? "stdin" : cmd.file);
    const notes: string[] = [];
    if (state.pendingDeletion > 0) {
        notes.push(
            `${state.pendingDeletion === 1 ? "1 old copy" : `${state.pendingDeletion} old copies`} awaiting deletion (delete: true) not judged, as Pulumi does not judge them`,
        );
    }
    if (state.encryptedSecrets > 0) {
        notes.push(
            `${state.encryptedSecrets === 1 ? "1 encrypted secret" : `${state.encryptedSecrets} encrypted secrets`} judged as unknown values; export with \`pulumi stack export --show-secrets\` to judge ${state.encryptedSecrets === 1 ? "it" : "them"}`,
        );
    }
    const {
        info,
        config: reconciled,
        result,
    } = await judge(state.resources, {
        packDir: PACKAGE_ROOT,
        phase: "update",
        project: state.project,
        stack: state.stack,
        ...(config !== undefined ? { config, configFile } : {}),
        // As `pulumi policy analyze`: every finding, remediations reported but not applied.
        stopAtMandatory: false,
        applyRemediations: false,
        // Pipelining the requests roughly halves the time of a large state; findings keep the state's order.
        concurrency: 16,
        includesStackResource: true,
        onProgress: (n) => progress.update(n, state.resources.length),
    });
    const run: Run = {
        kind: "audit",
        source: cmd.file,
        ...(cmd.file !== "-" ? { artifact: { path: cmd.file, text } } : {}),
        phase: "update",
        resources: state.resources.length,
        analysed: state.resources.length,
        order: state.resources.map((r) => r.urn),
        violations: [...toViolations(result.analyze, "Analyze"), ...toViolations(result.stack, "AnalyzeStack")],
        stackAnalyzed: result.stackAnalyzed,
        notes,
    };
    return { version: packageVersion(), pack: info, config: reconciled, runs: [run] };
}

/**
 * Runs the tasks at most `limit` at a time, keeping their order. After a failure no new task starts; the error
 * thrown is that of the first task in order that failed, so that the same input always gives the same reason.
 */
async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
    const results: T[] = new Array(tasks.length);
    let next = 0;
    const failures: { index: number; error: unknown }[] = [];
    const worker = async (): Promise<void> => {
        while (failures.length === 0 && next < tasks.length) {
            const i = next++;
            try {
                results[i] = await tasks[i]();
            } catch (error) {
                failures.push({ index: i, error });
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
    if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
    return results;
}

async function check(cmd: Extract<Command, { kind: "check" }>, config: PolicyConfigFile | undefined, progress: Progress): Promise<Report> {
    const programs = resolvePrograms(PACKAGE_ROOT, cmd.program);
    const jobs = programs.flatMap((program) => cmd.phases.map((phase) => ({ program, phase })));
    // One pack per phase judges every program, each capture a deployment of its own: a pack takes a second or two to
    // start, and this pack reads nothing of ConfigureStack, which names the first program's project and stack.
    const sessions = new Map<Phase, Promise<PackSession>>();
    const sessionFor = (phase: Phase, project: string, stack: string): Promise<PackSession> => {
        let session = sessions.get(phase);
        if (!session) {
            session = openPack(PACKAGE_ROOT, { phase, project, stack, ...(config !== undefined ? { config, configFile: cmd.policyPackConfig } : {}) });
            sessions.set(phase, session);
        }
        return session;
    };
    // Progress counts resources, known only once a program is captured: the total grows as captures land.
    const done = new Map<number, number>();
    let total = 0;
    const report = () =>
        progress.update(
            [...done.values()].reduce((a, b) => a + b, 0),
            total,
        );
    try {
        // Each capture runs in a child process of its own, so a few run side by side.
        const captures = new Map<string, Capture>();
        const judged = await inBatches(
            jobs.map(({ program, phase }, i) => async () => {
                // One capture per program is type-checked, as the language host checks a program once.
                const captured = await captureFor(program, phase, { ...cmd, typeCheck: phase === cmd.phases[0] });
                captures.set(`${program.label}\n${phase}`, captured);
                const { resources } = captured;
                const includesStackResource = resources.some((r) => r.type === "pulumi:pulumi:Stack");
                const sent = resources.length + (includesStackResource ? 0 : 1);
                total += sent;
                const id = parseUrn((resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0])?.urn ?? "");
                const session = await sessionFor(phase, id?.project ?? program.project ?? "project", id?.stack ?? cmd.stack ?? "dev");
                const judgement = await judgeWith(session, resources, {
                    // As `pulumi up`: an update stops at the first resource with a mandatory finding.
                    stopAtMandatory: phase === "update",
                    applyRemediations: true,
                    includesStackResource,
                    onProgress: (n) => {
                        done.set(i, n);
                        report();
                    },
                });
                const { result } = judgement;
                const order = resources.map((r) => r.urn);
                const run: Run = {
                    kind: "check",
                    source: program.label,
                    ...(program.source ? { artifact: { path: program.source, text: fs.readFileSync(program.source, "utf8") } } : {}),
                    phase,
                    resources: sent,
                    analysed: result.bailedAt === undefined ? sent : order.indexOf(result.bailedAt) + 1 + (includesStackResource ? 0 : 1),
                    order,
                    violations: [...toViolations(result.analyze, "Analyze"), ...toViolations(result.stack, "AnalyzeStack")],
                    stackAnalyzed: result.stackAnalyzed,
                    ...(result.bailedAt !== undefined ? { stoppedAt: result.bailedAt } : {}),
                    notes: captured.notes,
                    locations: sourceLocations(program, captured.sites),
                };
                return { judgement, run };
            }),
            Math.max(2, Math.min(4, os.cpus().length)),
        );
        // A preview and an update of one program must agree on what they register.
        const previewNotes = new Map<string, string[]>();
        for (const program of programs) {
            const preview = captures.get(`${program.label}\npreview`);
            const update = captures.get(`${program.label}\nupdate`);
            if (preview && update) previewNotes.set(program.label, compareCaptures(program, preview, update).previewNotes);
        }
        const runs = judged.map(({ run }) =>
            run.phase === "preview" && previewNotes.get(run.source)?.length ? { ...run, notes: [...run.notes, ...previewNotes.get(run.source)!] } : run,
        );
        const { info, config: reconciled } = judged[0].judgement;
        return { version: packageVersion(), pack: info, config: reconciled, runs };
    } finally {
        for (const session of sessions.values())
            await session.then(
                (s) => s.close(),
                () => undefined,
            );
    }
}

function colourful(): boolean {
    return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

export async function main(argv: readonly string[]): Promise<number> {
    const progress = new Progress();
    let format: Format = "text";
    try {
        const cmd = parseArgs(argv);
        if (cmd.kind === "check" || cmd.kind === "audit") format = cmd.format;
        if (cmd.kind === "help") {
            process.stdout.write(USAGE);
            return 0;
        }
        if (cmd.kind === "version") {
            process.stdout.write(`${packageVersion()}\n`);
            return 0;
        }
        if (cmd.kind === "suggest") {
            const runs = await suggest(PACKAGE_ROOT, cmd);
            process.stdout.write(cmd.format === "json" ? renderSuggestJson(runs, packageVersion()) : renderSuggestText(runs));
            return 0;
        }
        const config = cmd.policyPackConfig !== undefined ? readPolicyPackConfig(cmd.policyPackConfig) : undefined;
        const report = cmd.kind === "audit" ? await audit(cmd, config, progress) : await check(cmd, config, progress);
        progress.done();
        const output =
            cmd.format === "json" ? renderJson(report) : cmd.format === "sarif" ? renderSarif(report) : renderText(report, colourful() ? COLOURS : NO_COLOURS);
        process.stdout.write(output);
        return countLevels(report.runs).mandatory > 0 ? 1 : 0;
    } catch (e) {
        progress.done();
        const code = e instanceof InputError ? 2 : 3;
        const details = e instanceof InputError ? e.details : [];
        process.stderr.write(`ecs-role-guard: ${firstLine(e)}\n${details.map((d) => `  ${d}\n`).join("")}`);
        if (process.env.ECS_ROLE_GUARD_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
        // A reader of --format json gets a JSON answer either way.
        if (format === "json") process.stdout.write(renderJsonFailure(packageVersion(), code, firstLine(e), details));
        if (format === "sarif") process.stdout.write(renderSarifFailure(packageVersion(), firstLine(e), details));
        return code;
    }
}

if (require.main === module) {
    // Piped into `head` or the like: stop quietly when the reader goes away.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw e;
    });
    void main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
