import { Statement } from "./iam/policyDocument";
import { RoleCapacity, RoleModel, TaskDefinitionModel } from "./stack/ecsModel";
import { shortType } from "./stack/resources";

/** Wording shared by the policies' messages, so that every finding reads the same way. */

/** A finding: what to say, the URN of the resource that causes it (none: the stack), and what exemptions may match it by. */
export interface Finding {
    readonly urn: string;
    readonly message: string;
    /** Names and ARNs of the roles it concerns. */
    readonly roles?: readonly string[];
    /** Families (and Pulumi names) of the task definitions it concerns. */
    readonly families?: readonly string[];
    /** Reported as advisory whatever the policy's level: something this policy could not judge. */
    readonly advisory?: boolean;
    /** Reported by the same policy for one resource already: it counts for exemptions, and is not reported again. */
    readonly reportedElsewhere?: boolean;
}

/** What a finding about a role and its task definitions can be matched by. */
export function about(
    role: RoleModel | undefined,
    tds: readonly TaskDefinitionModel[],
    roleValues: readonly unknown[] = [],
): Pick<Finding, "roles" | "families"> {
    // Called for every finding, thousands in a large stack: one array each, no intermediate ones.
    const roles: string[] = [];
    addDistinct(roles, role?.roleName);
    addDistinct(roles, role?.arn);
    addDistinct(roles, role?.resource.name);
    for (const value of roleValues) addDistinct(roles, value);
    // A shared role may serve thousands of task definitions: their families are gathered in a set.
    const families = new Set<string>();
    for (const td of tds) {
        if (isName(td.family)) families.add(td.family);
        if (isName(td.resource.name)) families.add(td.resource.name);
    }
    return { roles, families: [...families] };
}

const isName = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Adds a name the list does not hold yet; a role has a handful. */
function addDistinct(list: string[], value: unknown): void {
    if (isName(value) && !list.includes(value)) list.push(value);
}

/**
 * The same text as one flat string. V8 keeps a string built from parts as a tree of the parts,
 * several times the size of the text, until something reads its characters; for a finding that is
 * the SDK serialising the answer, by which time a large stack's thousands of messages have been
 * copied to the old generation as trees (about 3 MB at 50,000 resources). Reading a character makes
 * V8 flatten the tree in place, so the pieces die young. The comparison keeps the read from being
 * optimised away: a character code is never -1.
 */
export function flattened(text: string): string {
    return text.charCodeAt(0) === -1 ? "" : text;
}

/**
 * A count with thousands separators, as `en-US` writes it: `22,091`. Not `toLocaleString`, whose
 * first call loads ICU's number formatting into the process, about 7 MB of resident memory that a
 * preview would pay for a comma.
 */
export function formatCount(n: number): string {
    const digits = String(n);
    if (!/^\d+$/.test(digits)) return digits;
    let out = digits.slice(0, digits.length % 3 || 3);
    for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
    return out;
}

const SHOWN_ACTIONS = 8;

/** `a, b and c`, or the first few and how many more. */
export function listNames(names: readonly string[], cap = SHOWN_ACTIONS): string {
    const shown = names.slice(0, cap);
    const more = names.length - shown.length;
    if (more > 0) return `${shown.join(", ")} and ${formatCount(more)} more`;
    if (shown.length <= 1) return shown.join("");
    return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/** Services a reader recognises at once: examples from them say more than the alphabet's first. */
const WELL_KNOWN_SERVICES = ["iam", "s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "sts", "ecs", "ecr", "rds", "kms", "secretsmanager", "ssm", "logs"];

/** A few telling examples out of many actions: one per service, well-known services first. */
export function exampleActions(actions: readonly string[], count = 4): string[] {
    let byCount = examplesCache.get(actions);
    const cached = byCount?.get(count);
    if (cached) return [...cached];
    const picked = pickExamples(actions, count);
    if (!byCount) examplesCache.set(actions, (byCount = new Map()));
    byCount.set(count, picked);
    return [...picked];
}

/** Lists of actions are shared between the roles that grant the same thing: each is summarised once. */
const examplesCache = new WeakMap<readonly string[], Map<number, readonly string[]>>();

function pickExamples(actions: readonly string[], count: number): string[] {
    const firstOfService = new Map<string, string>();
    let previous = "";
    for (let i = 0; i < actions.length; i++) {
        const a = actions[i];
        // Sorted lists hold each service's actions together: skip the rest of a service without slicing.
        if (previous !== "" && a.startsWith(previous)) continue;
        const colon = a.indexOf(":");
        previous = a.slice(0, colon + 1);
        const service = previous.slice(0, -1).toLowerCase();
        if (!firstOfService.has(service)) firstOfService.set(service, a);
    }
    const picked = WELL_KNOWN_SERVICES.flatMap((svc) => firstOfService.get(svc) ?? []).slice(0, count);
    for (const pool of [[...firstOfService.values()], actions]) {
        for (let i = 0; i < pool.length && picked.length < count; i++) {
            if (!picked.includes(pool[i])) picked.push(pool[i]);
        }
        if (picked.length >= count) break;
    }
    return picked;
}

/** `ecr:PutImage`, or `"ecr:*" (41 actions, such as ecr:PutImage and ecr:DeleteRepository)` */
export function describeGrant(pattern: string, actions: readonly string[]): string {
    if (actions.length === 1 && actions[0].toLowerCase() === pattern.toLowerCase()) return actions[0];
    const n = formatCount(actions.length);
    return `"${pattern}" (${actions.length === 1 ? "1 action" : `${n} actions`}, such as ${listNames(exampleActions(actions), 4)})`;
}

export function quoted(names: readonly string[]): string[] {
    return names.map((n) => `"${n}"`);
}

export function roleLabel(role: RoleModel): string {
    return `${shortType(role.resource.type)} "${role.resource.name}"`;
}

export function taskDefinitionLabel(td: TaskDefinitionModel): string {
    return `${td.what} "${td.resource.name}"`;
}

export function taskDefinitionsLabel(tds: readonly TaskDefinitionModel[]): string {
    const what = tds[0]?.what ?? "task definition";
    if (tds.some((td) => td.what !== what)) return listNames(tds.map(taskDefinitionLabel));
    const names = listNames(quoted(tds.map((t) => t.resource.name)));
    return tds.length === 1 ? `${what} ${names}` : `${what}s ${names}`;
}

const CAPACITY_NOUN: Record<RoleCapacity, string> = { execution: "execution role", task: "task role" };

/** `aws.iam.Role "x" is the execution role of task definition "app"` */
export function roleUse(role: RoleModel, capacity: RoleCapacity, tds: readonly TaskDefinitionModel[]): string {
    return `${roleLabel(role)} is the ${CAPACITY_NOUN[capacity]} of ${taskDefinitionsLabel(tds)}`;
}

/** `aws.iam.Role "x", the execution role of task definition "a" and the task role of task definition "b",` */
export function roleUses(role: RoleModel, byCapacity: ReadonlyMap<RoleCapacity, readonly TaskDefinitionModel[]>): string {
    const phrases = [...byCapacity].map(([capacity, tds]) => `the ${CAPACITY_NOUN[capacity]} of ${taskDefinitionsLabel(tds)}`);
    return `${roleLabel(role)}, ${phrases.join(" and ")},`;
}

export function capacityNoun(capacity: RoleCapacity): string {
    return CAPACITY_NOUN[capacity];
}

/** `Statement[1] (Sid "PullImages")` */
export function statementLabel(statement: Statement): string {
    return statement.sid ? `${statement.path} (Sid "${statement.sid}")` : statement.path;
}

/**
 * The phrase with "a" or "an", by how it is said: an execution role, a task role, an ECR image (E said "ee"),
 * an S3 object (S said "ess"), a Secrets Manager secret, a user.
 */
export function withArticle(phrase: string): string {
    return `${startsWithVowelSound(phrase) ? "an" : "a"} ${phrase}`;
}

function startsWithVowelSound(phrase: string): boolean {
    const word = /^[A-Za-z0-9]*/.exec(phrase)![0];
    if (word === "") return false;
    // An initialism (ECR, IAM, S3, KMS) is said letter by letter: these letters' names start with a vowel.
    if (/^[A-Z]([A-Z]|[0-9])/.test(word)) return "AEFHILMNORSX8".includes(word[0]);
    if (/^[0-9]/.test(word)) return word.startsWith("8") || /^1[18]([0-9]{3})*$/.test(word);
    // "u" said "you" (a user, a unique name) takes "a"; "one" is said "won".
    if (/^(uni|use|usa|usu|uti|uri|ure|ubi|eu|one|once)/i.test(word)) return false;
    return /^[aeiou]/i.test(word);
}

export function capitalise(s: string): string {
    return s.charAt(0).toUpperCase() + s.slice(1);
}
