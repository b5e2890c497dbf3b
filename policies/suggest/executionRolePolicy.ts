import { arnMatches, NeededArn, neededArn } from "../iam/arnPattern";
import { grantsOn } from "../iam/grants";
import { parsePolicyDocument } from "../iam/policyDocument";
import { grantOptions } from "../roleDocuments";
import { ExecutionNeed, UNSCOPABLE_ACTIONS } from "../stack/containers";
import { EcsStackModel, rolesInUse, rolesUsedAs, RoleModel, TaskDefinitionModel } from "../stack/ecsModel";
import { shortType } from "../stack/resources";
import { needsExecutionRole } from "../ecsExecutionRoleSufficient";

/**
 * The fix the execution-role policies point to: for one execution role, the smallest identity
 * policy that lets every task definition using it start, built from the same needs
 * `ecs-execution-role-sufficient` checks (`policies/stack/containers.ts`, and the KMS keys the
 * model finds behind secrets), each scoped to the exact ARN the containers name.
 *
 * How each need is scoped, and where AWS says so:
 * - ECR image pull: `ecr:GetAuthorizationToken` on `*`, as it acts on no resource (Service
 *   Authorization Reference, Amazon ECR: no resource type); the three layer and image actions on
 *   the repository ARN (resource type `repository`). ECR Public, Docker Hub and other registries
 *   need nothing from the role (ECS developer guide, "Amazon ECS task execution IAM role").
 * - awslogs: `logs:CreateLogStream` and `logs:PutLogEvents` on
 *   `arn:<partition>:logs:<region>:<account>:log-group:<name>:log-stream:*` (their resource type is
 *   `log-stream`); `logs:CreateLogGroup` only with `awslogs-create-group`, on the group itself as
 *   IAM policies name it, `log-group:<name>:*` (CloudWatch Logs API reference, LogGroup.arn: the
 *   ARN with the trailing `:*` is the one for IAM policies, tagging actions excepted).
 * - Secrets: `secretsmanager:GetSecretValue` on each secret, its full ARN, or `<name>-??????` where
 *   the task definition names it without the six-character suffix; `ssm:GetParameters` on each
 *   parameter; `kms:Decrypt` on a customer-managed key only (ECS developer guide, "Required IAM
 *   permissions for Amazon ECS secrets" and "... for private registry authentication").
 * - S3 environment files and FireLens configuration files: `s3:GetObject` on each object and
 *   `s3:GetBucketLocation` on its bucket (ECS developer guide, "Amazon ECS task execution IAM role").
 */

/** Where a task definition runs: the parts of an ARN its containers may leave out. */
export interface Place {
    readonly partition?: string;
    readonly region?: string;
    readonly account?: string;
}

export interface SuggestOptions {
    /**
     * Where each task definition runs, for ARNs its containers name by name only (log groups,
     * parameters, secrets by name). By default the partition and account of the role's ARN; what
     * stays unknown is written as a named placeholder.
     */
    readonly placeOf?: (td: TaskDefinitionModel) => Place | undefined;
}

/** A part of the document the pack cannot know yet, named in the document as `token`. */
export interface Placeholder {
    readonly token: string;
    readonly meaning: string;
}

/** Which container and field of which task definition a resource serves. */
export interface NeedSource {
    readonly taskDefinition: TaskDefinitionModel;
    readonly container: string;
    readonly field: string;
}

export interface SuggestedResource {
    /** As the document writes it: an exact ARN, `*` for an action that takes no resource, or an ARN with placeholders. */
    readonly arn: string;
    readonly neededBy: readonly NeedSource[];
}

export interface SuggestedStatement {
    readonly sid: string;
    /** What it is for, in words. */
    readonly purpose: string;
    readonly actions: readonly string[];
    readonly resources: readonly SuggestedResource[];
}

/** The IAM JSON of a suggestion: what `aws iam put-role-policy` or a Pulumi `RolePolicy` takes. */
export interface IamPolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly {
        readonly Sid: string;
        readonly Effect: "Allow";
        readonly Action: string | readonly string[];
        readonly Resource: string | readonly string[];
    }[];
}

/** IAM quotas, in characters without whitespace (IAM user guide, "IAM and AWS STS quotas"). */
export const INLINE_POLICIES_QUOTA = 10_240;
export const MANAGED_POLICY_QUOTA = 6_144;

export interface ExecutionRolePolicySuggestion {
    readonly role: RoleModel;
    readonly taskDefinitions: readonly TaskDefinitionModel[];
    /**
     * `exact`: every ARN is known. `placeholders`: some part is not known yet (see placeholders).
     * `nothing`: the task definitions need nothing of the role. `unknown`: what the containers
     * need is not known yet (see reasons), so no document can be written.
     */
    readonly status: "exact" | "placeholders" | "nothing" | "unknown";
    readonly statements: readonly SuggestedStatement[];
    /** Undefined when there is nothing to grant or it is not known what. */
    readonly document: IamPolicyDocument | undefined;
    readonly placeholders: readonly Placeholder[];
    /** The document's size as IAM counts it: characters, whitespace excepted. */
    readonly characters: number;
    /** Why no document could be written (status `unknown`). */
    readonly reasons: readonly string[];
    /** What a reader must know to use it: a role also used as a task role, needs left to the instance role, quotas. */
    readonly notes: readonly string[];
}

/** A statement per purpose, in this order; the Sids are IAM-valid (`[A-Za-z0-9]`) and distinct. */
const STATEMENTS: readonly { sid: string; purpose: string; actions: readonly string[] }[] = [
    { sid: "EcrAuthorizationToken", purpose: "ECR registry login (takes no resource)", actions: ["ecr:GetAuthorizationToken"] },
    {
        sid: "EcrImagePull",
        purpose: "pull the task's ECR images",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
    },
    { sid: "LogGroupCreation", purpose: "create the awslogs log groups (awslogs-create-group)", actions: ["logs:CreateLogGroup"] },
    { sid: "LogDelivery", purpose: "write the awslogs log streams", actions: ["logs:CreateLogStream", "logs:PutLogEvents"] },
    { sid: "SecretsManagerSecrets", purpose: "inject Secrets Manager secrets and registry credentials", actions: ["secretsmanager:GetSecretValue"] },
    { sid: "ParameterStoreParameters", purpose: "inject Parameter Store parameters", actions: ["ssm:GetParameters"] },
    { sid: "KmsDecrypt", purpose: "decrypt secrets under customer-managed KMS keys", actions: ["kms:Decrypt"] },
    { sid: "S3EnvironmentFiles", purpose: "read environment files and FireLens configuration from S3", actions: ["s3:GetObject"] },
    { sid: "S3EnvironmentFileBuckets", purpose: "locate the buckets of those files", actions: ["s3:GetBucketLocation"] },
];

const statementOfAction = new Map(STATEMENTS.flatMap((s) => s.actions.map((a) => [a.toLowerCase(), s] as const)));

/** Every action a need may ask for has a statement: containers.ts and this table are read together. */
export function statementFor(action: string): { sid: string; purpose: string } | undefined {
    return statementOfAction.get(action.toLowerCase());
}

/** The suggestion for every role the stack's task definitions use as their execution role. */
export function suggestExecutionRolePolicies(model: EcsStackModel, options: SuggestOptions = {}): ExecutionRolePolicySuggestion[] {
    return rolesUsedAs(model, "execution").map(({ role }) => suggestExecutionRolePolicy(model, role, options));
}

/** The least-privilege policy for one execution role of the model; a role no task definition uses as its execution role needs nothing. */
export function suggestExecutionRolePolicy(model: EcsStackModel, role: RoleModel, options: SuggestOptions = {}): ExecutionRolePolicySuggestion {
    const taskDefinitions = rolesUsedAs(model, "execution").find((use) => use.role === role)?.taskDefinitions ?? [];
    const notes: string[] = [];
    const reasons = taskDefinitions.flatMap((td) => (td.needs.kind === "unknown" ? [td.needs.reason] : []));
    const asTask = rolesInUse(model).get(role)?.get("task");
    if (asTask) {
        notes.push(
            `It is also the task role of ${tdNames(asTask)}: the application would hold these permissions too. Give the task its own role (ecs-task-and-execution-roles-distinct).`,
        );
    }
    if (role.resource.type === "external role") {
        notes.push("It is defined outside this stack: put the policy on it where it is defined.");
    }
    if (reasons.length > 0) {
        return { role, taskDefinitions, status: "unknown", statements: [], document: undefined, placeholders: [], characters: 0, reasons, notes };
    }

    const builder = new DocumentBuilder();
    const leftToInstance = new Set<string>();
    for (const td of taskDefinitions) {
        if (td.needs.kind !== "known") continue;
        const place = builder.place(td, role, options);
        for (const need of td.needs.needs) {
            if (!needsExecutionRole(need, td)) {
                leftToInstance.add(td.resource.name);
                continue;
            }
            for (const action of need.actions)
                builder.add(action, resourceFor(need, action, place, builder), { taskDefinition: td, container: need.container, field: need.field });
        }
    }
    if (leftToInstance.size > 0) {
        notes.push(
            `${tdNames([...leftToInstance])} ${leftToInstance.size === 1 ? "does" : "do"} not run on Fargate: image pull and log delivery are left to the container instance role, as ecs-execution-role-sufficient expects.`,
        );
    }
    const statements = builder.statements();
    if (statements.length === 0) {
        notes.push("Its task definitions need nothing of it: remove its policies, or the execution role itself.");
        return { role, taskDefinitions, status: "nothing", statements, document: undefined, placeholders: [], characters: 0, reasons, notes };
    }
    const document = toDocument(statements);
    const characters = JSON.stringify(document).replace(/\s/g, "").length;
    if (characters > INLINE_POLICIES_QUOTA) {
        notes.push(
            `The document is ${characters} characters, more than the ${INLINE_POLICIES_QUOTA} a role's inline policies may hold together (whitespace not counted): split its statements into customer-managed policies of at most ${MANAGED_POLICY_QUOTA} characters each.`,
        );
    }
    const blocked = blockedByBoundary(role, document);
    if (blocked.length > 0) {
        notes.push(`Its permissions boundary does not allow ${blocked.join(", ")}: the boundary must allow them too, or the task still cannot start.`);
    }
    const placeholders = builder.placeholders();
    return {
        role,
        taskDefinitions,
        status: placeholders.length > 0 ? "placeholders" : "exact",
        statements,
        document,
        placeholders,
        characters,
        reasons,
        notes,
    };
}

/** The partition, Region and account of a task definition, each known or a placeholder token. */
interface ResolvedPlace {
    readonly partition: string;
    readonly region: string;
    readonly account: string;
}

class DocumentBuilder {
    private readonly bySid = new Map<string, { actions: Set<string>; resources: Map<string, NeedSource[]> }>();
    private readonly tokens = new Map<string, string>();

    /** A token the document names, with what it stands for; the same meaning gets the same token. */
    placeholder(base: string, meaning: string): string {
        for (const [token, known] of this.tokens) if (known === meaning) return token;
        let token = `<${base}>`;
        for (let n = 2; this.tokens.has(token); n++) token = `<${base}-${n}>`;
        this.tokens.set(token, meaning);
        return token;
    }

    place(td: TaskDefinitionModel, role: RoleModel, options: SuggestOptions): ResolvedPlace {
        const given = options.placeOf?.(td) ?? {};
        const fromRole = role.arn?.startsWith("arn:") ? role.arn.split(":") : [];
        return {
            partition: given.partition || fromRole[1] || this.placeholder("partition", "the partition the tasks run in (aws, aws-cn, aws-us-gov)"),
            region: given.region || this.placeholder("region", "the Region the tasks run in"),
            account: given.account || fromRole[4] || this.placeholder("account-id", "the account the tasks run in"),
        };
    }

    add(action: string, arn: string, source: NeedSource): void {
        const statement = statementFor(action);
        if (!statement) throw new Error(`no statement for ${action}`);
        let entry = this.bySid.get(statement.sid);
        if (!entry) this.bySid.set(statement.sid, (entry = { actions: new Set(), resources: new Map() }));
        entry.actions.add(action);
        const sources = entry.resources.get(arn) ?? [];
        if (!sources.some((s) => s.taskDefinition === source.taskDefinition && s.container === source.container && s.field === source.field)) {
            sources.push(source);
        }
        entry.resources.set(arn, sources);
    }

    statements(): SuggestedStatement[] {
        return STATEMENTS.flatMap(({ sid, purpose, actions }) => {
            const entry = this.bySid.get(sid);
            if (!entry) return [];
            const resources = new Map(entry.resources);
            // A secret named by partial ARN (`<name>-??????`) is the secret another container names by its full ARN.
            for (const [arn, sources] of resources) {
                if (!arn.endsWith("-??????")) continue;
                const full = [...resources.keys()].find((other) => !other.includes("?") && !other.includes("*") && arnMatches(arn, other));
                if (full === undefined) continue;
                resources.set(full, [...resources.get(full)!, ...sources]);
                resources.delete(arn);
            }
            return [
                {
                    sid,
                    purpose,
                    actions: actions.filter((a) => entry.actions.has(a)),
                    resources: [...resources.keys()].sort().map((arn) => ({ arn, neededBy: resources.get(arn)! })),
                },
            ];
        });
    }

    placeholders(): Placeholder[] {
        const used = new Set(this.statements().flatMap((s) => s.resources.flatMap((r) => r.arn.match(/<[^<>]+>/g) ?? [])));
        return [...this.tokens].filter(([token]) => used.has(token)).map(([token, meaning]) => ({ token, meaning }));
    }
}

/** The ARN one action of a need is granted on. */
function resourceFor(need: ExecutionNeed, action: string, place: ResolvedPlace, builder: DocumentBuilder): string {
    if (UNSCOPABLE_ACTIONS.has(action.toLowerCase())) return "*";
    switch (need.kind) {
        case "logDelivery":
        case "logGroupCreation": {
            // The need names the group as `log-group:<name>:*`; a group not named is a placeholder.
            const group =
                need.arn ??
                neededArn({
                    service: "logs",
                    resource: `log-group:${builder.placeholder("log-group-name", `the awslogs-group of container "${need.container}"`)}:`,
                    tail: "any",
                });
            // Delivery acts on the group's streams (resource type `log-stream`); creation on the group itself.
            return placed(need.kind === "logDelivery" ? { ...group, resource: `${group.resource}log-stream:`, tail: "any" } : group, place);
        }
        case "secret":
            if (need.arn !== undefined) return placed(need.arn, place);
            // Only a KMS key need has no resource: the key is named by alias or key ID, which IAM does not match on.
            return `arn:${place.partition}:kms:${place.region}:${place.account}:key/${builder.placeholder(
                "kms-key-id",
                `the ID of the customer-managed KMS key behind container "${need.container}" ${need.field} (named by alias)`,
            )}`;
        default:
            return need.arn === undefined ? "*" : placed(need.arn, place);
    }
}

/** A need's ARN as a policy writes it, with the partition, Region and account it leaves out filled in from where the task runs. */
function placed(arn: NeededArn, place: ResolvedPlace): string {
    if (arn.partition !== undefined && arn.region !== undefined && arn.account !== undefined && arn.tail === 0) return arn.text;
    return neededArn({
        partition: arn.partition ?? place.partition,
        service: arn.service,
        region: arn.region ?? place.region,
        account: arn.account ?? place.account,
        resource: arn.resource,
        tail: arn.tail,
    }).text;
}

function toDocument(statements: readonly SuggestedStatement[]): IamPolicyDocument {
    const one = (list: readonly string[]): string | readonly string[] => (list.length === 1 ? list[0] : list);
    return {
        Version: "2012-10-17",
        Statement: statements.map((s) => ({ Sid: s.sid, Effect: "Allow", Action: one(s.actions), Resource: one(s.resources.map((r) => r.arn)) })),
    };
}

/** Suggested actions the role's permissions boundary would still withhold. */
function blockedByBoundary(role: RoleModel, document: IamPolicyDocument): string[] {
    const options = grantOptions(role);
    if (!options.boundary) return [];
    const parsed = [{ source: undefined, document: parsePolicyDocument(document) }];
    const actions = document.Statement.flatMap((s) => (typeof s.Action === "string" ? [s.Action] : [...s.Action]));
    return actions.filter((a) => !grantsOn(parsed, a, undefined, options));
}

function tdNames(tds: readonly (TaskDefinitionModel | string)[]): string {
    const names = tds.map((t) => `"${typeof t === "string" ? t : t.resource.name}"`);
    const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    return `task definition${names.length === 1 ? "" : "s"} ${list}`;
}

/** `aws.iam.Role "exec"`, as the findings name a role. */
export function suggestionRoleLabel(suggestion: ExecutionRolePolicySuggestion): string {
    return `${shortType(suggestion.role.resource.type)} "${suggestion.role.resource.name}"`;
}
