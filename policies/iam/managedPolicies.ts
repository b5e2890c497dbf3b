// AWS-managed IAM policies, answered from our own compact snapshot
// (data/aws-managed-policies.json.gz, built by `npm run snapshot`).
// The full source package costs ~0.35 s and ~200 MB to load, so it is never
// loaded at run time, and the snapshot is read only when a managed ARN is met.

import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { packageRoot } from "../packageInfo";

export interface AwsManagedPolicyArn {
    partition: string;
    /** IAM path with leading and trailing slash, e.g. "/" or "/service-role/". */
    path: string;
    name: string;
}

export interface AwsManagedPolicy {
    name: string;
    path: string;
    /** The default version, e.g. "v3". */
    versionId: string;
    /** The parsed policy document, exactly as AWS publishes it. */
    document: unknown;
}

export interface AwsManagedPolicySnapshotHeader {
    packageName: string;
    packageVersion: string;
    /** Newest timestamp in the source data (ISO 8601): how fresh the snapshot is. */
    newestDate: string;
    policyCount: number;
}

/** The file format: written by scripts/buildManagedPolicySnapshot.ts, read here. */
export interface AwsManagedPolicySnapshot {
    header: AwsManagedPolicySnapshotHeader;
    /** Sorted by name. */
    policies: AwsManagedPolicy[];
}

const SNAPSHOT_FILE = path.join("data", "aws-managed-policies.json.gz");

// IAM's own limits and character sets for policy names and paths.
const NAME_CHARS = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
const PATH_SEGMENT_CHARS = /^[A-Za-z0-9+=,.@_-]+$/;
const PARTITION_CHARS = /^[a-z-]+$/;
const MAX_PATH_LENGTH = 512;

/**
 * Splits an AWS-managed policy ARN (`arn:<partition>:iam::aws:policy/<path><name>`)
 * into its parts. Returns undefined for customer-managed ARNs and anything else.
 */
export function parseAwsManagedPolicyArn(arn: string): AwsManagedPolicyArn | undefined {
    // Values come from user programs and may not be strings at all.
    if (typeof arn !== "string") {
        return undefined;
    }
    // Neither paths nor names may hold ":", so a managed policy ARN has exactly six fields.
    const fields = arn.split(":");
    if (fields.length !== 6) {
        return undefined;
    }
    const [prefix, partition, service, region, account, resource] = fields;
    if (prefix !== "arn" || service !== "iam" || region !== "" || account !== "aws") {
        return undefined;
    }
    if (!isPartition(partition) || !resource.startsWith("policy/")) {
        return undefined;
    }
    const pathAndName = resource.slice("policy".length);
    const lastSlash = pathAndName.lastIndexOf("/");
    const policyPath = pathAndName.slice(0, lastSlash + 1);
    const name = pathAndName.slice(lastSlash + 1);
    if (!NAME_CHARS.test(name) || !isIamPath(policyPath)) {
        return undefined;
    }
    return { partition, path: policyPath, name };
}

/**
 * The default version of the AWS-managed policy that `arn` names, or undefined
 * when the ARN is not AWS-managed or AWS has no policy of that name at that path.
 *
 * The snapshot is taken from the commercial partition ("aws"); ARNs in other
 * partitions are answered with the commercial document, which is the closest
 * information available.
 *
 * Throws if the snapshot file is missing or unreadable: that is a packaging
 * fault, and guessing would turn it into a silent pass.
 */
export function findAwsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
    const parsed = parseAwsManagedPolicyArn(arn);
    if (parsed === undefined) {
        return undefined;
    }
    const snapshot = loadSnapshot();
    const stored = snapshot.byName.get(parsed.name);
    // AWS resolves the full ARN, path included, so a right name at a wrong path is not found.
    if (stored === undefined || stored.path !== parsed.path) {
        return undefined;
    }
    let policy = snapshot.parsed.get(parsed.name);
    if (policy === undefined) {
        // Callers share one frozen copy for the life of the process.
        policy = deepFreeze({ name: parsed.name, path: stored.path, versionId: stored.versionId, document: JSON.parse(stored.document) as unknown });
        snapshot.parsed.set(parsed.name, policy);
    }
    return policy;
}

/** Which package version the snapshot was built from, how fresh it is, and its size. */
export function awsManagedPolicySnapshotInfo(): AwsManagedPolicySnapshotHeader {
    return { ...loadSnapshot().header };
}

/** Absolute path of the snapshot file in this package. */
export function awsManagedPolicySnapshotPath(): string {
    return path.join(packageRoot(), SNAPSHOT_FILE);
}

/**
 * Each document is kept as its JSON text and parsed the first time a stack names it: a stack
 * uses a handful of the 1,594, and text takes a fraction of the memory of parsed objects.
 */
interface LoadedSnapshot {
    header: AwsManagedPolicySnapshotHeader;
    byName: Map<string, { path: string; versionId: string; document: string }>;
    parsed: Map<string, AwsManagedPolicy>;
}

let loaded: LoadedSnapshot | undefined;

function loadSnapshot(): LoadedSnapshot {
    if (loaded === undefined) {
        const file = awsManagedPolicySnapshotPath();
        const snapshot = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8")) as AwsManagedPolicySnapshot;
        if (!Array.isArray(snapshot?.policies) || snapshot.header?.policyCount !== snapshot.policies.length) {
            throw new Error(`The AWS managed policy snapshot ${file} is malformed; rebuild it with "npm run snapshot".`);
        }
        const byName = new Map(snapshot.policies.map((p) => [p.name, { path: p.path, versionId: p.versionId, document: JSON.stringify(p.document) }]));
        loaded = { header: snapshot.header, byName, parsed: new Map() };
    }
    return loaded;
}

// Walks up rather than hard-coding "../../..", so the same code works compiled
// (bin/policies/iam), from source, and when installed under node_modules.
function isPartition(partition: string): boolean {
    return (partition === "aws" || partition.startsWith("aws-")) && PARTITION_CHARS.test(partition) && !partition.endsWith("-") && !partition.includes("--");
}

// "/" or "/a/b/": slash-delimited, no empty segments.
function isIamPath(iamPath: string): boolean {
    if (iamPath.length > MAX_PATH_LENGTH || !iamPath.startsWith("/") || !iamPath.endsWith("/")) {
        return false;
    }
    return (
        iamPath === "/" ||
        iamPath
            .slice(1, -1)
            .split("/")
            .every((segment) => PATH_SEGMENT_CHARS.test(segment))
    );
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
    }
    return value;
}
