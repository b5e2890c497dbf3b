// One run of the pack over one set of resources: a preview or an update of a program, or a stack's deployed state.

import { AnalyzerInfoSummary, DeploymentResult, PackSession, startPack } from "./analyzerClient";
import { EngineResource } from "./engineResources";
import { PolicyConfigError, PolicyConfigFile, ReconciledPolicyConfig } from "./policyConfig";
import { InputError } from "./errors";
import { Phase } from "./options";

export interface JudgeOptions extends RunOptions {
    packDir: string;
    phase: Phase;
    project: string;
    stack: string;
    /** The `--policy-pack-config` content, already read by readPolicyPackConfig, and its file. */
    config?: PolicyConfigFile;
    configFile?: string;
}

/** How one deployment runs. */
export interface RunOptions {
    /** Stop at the first mandatory Analyze finding, as `pulumi up` does; false reports everything. */
    stopAtMandatory: boolean;
    /** Hand remediated inputs on, as a deployment does; false reports remediations only, as `pulumi policy analyze`. */
    applyRemediations: boolean;
    /** Whether the resources include the root stack resource; when not, one is added as every program has one. */
    includesStackResource: boolean;
    onProgress?: (analysed: number, total: number) => void;
    /** Requests in flight at once when the run does not stop at a finding (see DeployOptions.concurrency). */
    concurrency?: number;
}

export interface Judgement {
    info: AnalyzerInfoSummary;
    /** The reconciled config the pack was configured with. */
    config: Record<string, ReconciledPolicyConfig>;
    result: DeploymentResult;
}

/** Starts and configures the pack; a config the CLI would reject is an InputError. */
export async function openPack(
    packDir: string,
    opts: { phase: Phase; project: string; stack: string; config?: PolicyConfigFile; configFile?: string },
): Promise<PackSession> {
    const invalid = `invalid policy pack config${opts.configFile ? ` ${opts.configFile}` : ""}`;
    try {
        return await startPack(packDir, {
            preview: opts.phase === "preview",
            project: opts.project,
            stack: opts.stack,
            ...(opts.config !== undefined ? { config: opts.config } : {}),
        });
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            const reasons = e.validationErrors.map((line) => line.replace(/^validating policy config: \S+ \S+ {2}/, ""));
            throw new InputError(`${invalid}: ${reasons.join("; ")}`);
        }
        // A property-only entry for a name the pack does not have: the CLI's Configure rejects it the same way.
        if (e instanceof Error && e.message.startsWith("configuring policy pack")) {
            throw new InputError(`${invalid}: ${e.message.replace(/^configuring policy pack "[^"]*" at "[^"]*": /, "")}`);
        }
        throw e;
    }
}

/** One deployment over the resources on an open pack. */
export async function judgeWith(session: PackSession, resources: EngineResource[], opts: RunOptions): Promise<Judgement> {
    const result = await session.deploy(resources, {
        stackResource: !opts.includesStackResource,
        stopAtMandatory: opts.stopAtMandatory,
        applyRemediations: opts.applyRemediations,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    });
    return { info: session.info, config: session.config, result };
}

/** Starts the pack, runs one deployment over the resources and closes the pack. */
export async function judge(resources: EngineResource[], opts: JudgeOptions): Promise<Judgement> {
    const session = await openPack(opts.packDir, opts);
    try {
        return await judgeWith(session, resources, opts);
    } finally {
        await session.close();
    }
}
