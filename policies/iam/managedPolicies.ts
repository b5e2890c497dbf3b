// AWS-managed IAM policies, answered from our own compact snapshot
// (data/aws-managed-policies.jsonl, built by `npm run snapshot`).
// The full source package costs ~0.35 s and ~200 MB to load, so it is never
// loaded at run time, and the snapshot is read only when a managed ARN is met.

import * as fs from "fs";
import * as path from "path";
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

/** What the snapshot holds: built by scripts/buildManagedPolicySnapshot.ts, written by formatSnapshot, read here. */
export interface AwsManagedPolicySnapshot {
    header: AwsManagedPolicySnapshotHeader;
    /** Sorted by name. */
    policies: AwsManagedPolicy[];
}

const SNAPSHOT_FILE = path.join("data", "aws-managed-policies.jsonl");

/**
 * The file's text: JSON Lines. The first line is the header; each further line is one
 * policy as `["name","/path/","v3",{document}]`. Names, paths and version ids hold no character
 * JSON escapes, so a policy's line can be indexed without parsing its document.
 */
export function formatSnapshot(snapshot: AwsManagedPolicySnapshot): string {
    const lines = [JSON.stringify(snapshot.header)];
    for (const { name, path: policyPath, versionId, document } of snapshot.policies) {
        const head = `${JSON.stringify([name, policyPath, versionId]).slice(0, -1)},`;
        if (LINE_HEAD.exec(head)?.[0] !== head) {
            throw new Error(`${name}: a name, path (${policyPath}) or version id (${versionId}) the snapshot format cannot hold`);
        }
        lines.push(JSON.stringify([name, policyPath, versionId, document]));
    }
    return `${lines.join("\n")}\n`;
}

/** The start of a policy's line, up to its document. */
const LINE_HEAD = /^\["([A-Za-z0-9+=,.@_-]{1,128})","(\/(?:[A-Za-z0-9+=,.@_-]+\/)*)","(v[0-9]+)",/d;

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
    return findIn(arn, loadSnapshot);
}

/** As findAwsManagedPolicy, in a snapshot file indexed by readAwsManagedPolicySnapshot: for tests of files the pack does not ship. */
export function findAwsManagedPolicyIn(snapshot: AwsManagedPolicySnapshotIndex, arn: string): AwsManagedPolicy | undefined {
    return findIn(arn, () => snapshot);
}

// The snapshot is asked for only once the ARN is known to be AWS-managed: a stack that names none never indexes it.
function findIn(arn: string, index: () => AwsManagedPolicySnapshotIndex): AwsManagedPolicy | undefined {
    const parsed = parseAwsManagedPolicyArn(arn);
    if (parsed === undefined) {
        return undefined;
    }
    const snapshot = index();
    const stored = snapshot.byName.get(parsed.name);
    // AWS resolves the full ARN, path included, so a right name at a wrong path is not found.
    if (stored === undefined || stored.path !== parsed.path) {
        return undefined;
    }
    let policy = snapshot.parsed.get(parsed.name);
    if (policy === undefined) {
        // Callers share one frozen copy for the life of the process.
        const document = JSON.parse(readRange(snapshot.file, stored.start, stored.end)) as unknown;
        policy = deepFreeze({ name: parsed.name, path: stored.path, versionId: stored.versionId, document });
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
 * The snapshot is read once to index where each document lies in the file, and a document is read
 * and parsed the first time a stack names it: a stack uses a handful of the 1,594. Parsing them
 * all left tens of MB of garbage; keeping the text, even as bytes outside the JavaScript heap, kept
 * 3.2 MB resident through every AnalyzeStack, where a large stack leaves the process little room.
 */
export interface AwsManagedPolicySnapshotIndex {
    readonly header: AwsManagedPolicySnapshotHeader;
    readonly file: string;
    readonly byName: ReadonlyMap<string, { path: string; versionId: string; start: number; end: number }>;
    /** Each document read so far. */
    readonly parsed: Map<string, AwsManagedPolicy>;
}

let loaded: AwsManagedPolicySnapshotIndex | undefined;

/** The longest head a line can have: a name of 128 characters, a path of 512, a version id, and the punctuation. */
const MAX_HEAD_BYTES = 700;
const LINE_FEED = 0x0a;
const CLOSING_BRACKET = 0x5d;

/** The packaged snapshot, indexed once for the life of the process. */
function loadSnapshot(): AwsManagedPolicySnapshotIndex {
    if (loaded === undefined) loaded = readAwsManagedPolicySnapshot(awsManagedPolicySnapshotPath());
    return loaded;
}

/**
 * Indexes a snapshot file. Throws if it is missing or malformed: that is a packaging fault, and
 * guessing would turn it into a silent pass. Exported so that tests can show each malformed form is refused.
 */
export function readAwsManagedPolicySnapshot(file: string): AwsManagedPolicySnapshotIndex {
    const malformed = (why: string) => new Error(`The AWS managed policy snapshot ${file} is malformed (${why}); rebuild it with "npm run snapshot".`);
    const bytes = fs.readFileSync(file);
    const firstBreak = bytes.indexOf(LINE_FEED);
    if (firstBreak < 0) throw malformed("it has no header line");
    let header: AwsManagedPolicySnapshotHeader | null;
    try {
        header = JSON.parse(bytes.toString("utf8", 0, firstBreak)) as AwsManagedPolicySnapshotHeader | null;
    } catch {
        throw malformed("its first line is not a JSON header");
    }
    const byName = new Map<string, { path: string; versionId: string; start: number; end: number }>();
    for (let start = firstBreak + 1; start < bytes.length;) {
        const end = bytes.indexOf(LINE_FEED, start);
        // A head holds IAM's name and path characters only, all ASCII: its bytes are its characters.
        const head = end < 0 ? null : LINE_HEAD.exec(bytes.toString("latin1", start, Math.min(end, start + MAX_HEAD_BYTES)));
        if (end < 0 || head === null || bytes[end - 1] !== CLOSING_BRACKET) throw malformed(`line ${byName.size + 2}`);
        // The name and path are decoded again from the bytes, at the offsets of their groups: the matched
        // groups would be slices of the whole head, and keep its 700 characters alive for each of the 1,594 policies.
        const group = (i: number) => bytes.toString("latin1", start + head.indices![i][0], start + head.indices![i][1]);
        byName.set(group(1), { path: group(2), versionId: head[3], start: start + head[0].length, end: end - 1 });
        start = end + 1;
    }
    if (header?.policyCount !== byName.size) throw malformed("the header does not count the policies");
    // The bytes are not kept: a document is read from the file when a stack first names it.
    return { header, file, byName, parsed: new Map() };
}

/** Bytes [start, end) of the snapshot, as text; throws if the file no longer holds them (it changed since it was indexed). */
function readRange(file: string, start: number, end: number): string {
    const bytes = Buffer.allocUnsafe(end - start);
    const fd = fs.openSync(file, "r");
    try {
        let read = 0;
        while (read < bytes.length) {
            const n = fs.readSync(fd, bytes, read, bytes.length - read, start + read);
            if (n === 0) break;
            read += n;
        }
        if (read !== bytes.length) {
            throw new Error(`The AWS managed policy snapshot ${file} changed while the pack was running; rebuild it with "npm run snapshot".`);
        }
    } finally {
        fs.closeSync(fd);
    }
    return bytes.toString("utf8");
}

/** Every policy of the snapshot, parsed: for tests and tools, never for a preview. */
export function parseSnapshotText(text: string): AwsManagedPolicySnapshot {
    const [headerLine, ...lines] = text.split("\n");
    if (lines.pop() !== "") throw new Error("the snapshot text must end with a line break");
    const policies = lines.map((line) => {
        const [name, policyPath, versionId, document] = JSON.parse(line) as [string, string, string, unknown];
        return { name, path: policyPath, versionId, document };
    });
    return { header: JSON.parse(headerLine) as AwsManagedPolicySnapshotHeader, policies };
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
