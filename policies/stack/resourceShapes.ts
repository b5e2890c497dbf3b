/**
 * Where each provider keeps the facts the pack reads. `@pulumi/aws` and `@pulumi/aws-native`
 * (the CloudFormation resource model) name the same things differently; the model reads them all
 * through these shapes, and `doors.ts` says, for every resource type that can give a role
 * permissions, take them away or limit them, which shape the model reads it by.
 *
 * A property name may be a path into nested values (`definition.iamActionDefinition.roles`), and
 * `[]` in it reads every element of a list (`replicas[].resourcePolicy.policyDocument`).
 */
import { DOORS } from "./doors";

export interface RoleShape {
    readonly name: string;
    readonly arn: string;
    /** The ID IAM writes in a resource-based policy in place of the ARN of a role that was deleted. */
    readonly uniqueId: string;
    /** The role's own inline policies: a list of `{ name, document }` entries. */
    readonly inline: { readonly list: string; readonly name: string; readonly document: string };
    readonly managedPolicyArns: string;
    readonly trust: string;
    readonly boundary: string;
}

/** A resource that gives its own document to the roles it names (`role` one, `roles` a list). */
export interface InlineGrantShape {
    readonly roles: string;
    readonly list: boolean;
    readonly document: string;
    /**
     * The inline policy's name in IAM: the provider may also list it among the role's own inline
     * policies, and `RolePoliciesExclusive` keeps or deletes by it.
     */
    readonly name: string;
}

/** A managed policy: a document with an ARN that roles attach; some also name the roles they attach to. */
export interface ManagedPolicyShape {
    readonly arn: string;
    readonly document: string;
    readonly roles?: string;
}

/** A resource that attaches managed policies, by ARN, to the roles it names. */
export interface AttachmentShape {
    readonly roles: string;
    readonly list: boolean;
    readonly policyArns: string;
    /** `policyArns` holds a list of ARNs. */
    readonly arnList: boolean;
    /** It also detaches every policy it does not list, at each update (`RolePolicyAttachmentsExclusive`). */
    readonly exclusive?: boolean;
}

/** A resource that keeps only the named inline policies of a role and deletes the others at each update. */
export interface InlineExclusiveShape {
    readonly roles: string;
    readonly names: string;
}

/** A resource-based policy: a document whose statements name their principals. */
export interface ResourcePolicyShape {
    /** Where the document is; a resource may hold several (a table's and its stream's). */
    readonly documents: readonly string[];
    /** The ARN of the resource the policy is attached to, when the type has it: what `"*"` in the policy means. */
    readonly arn?: string;
    /** Where the account that owns the resource shows (an ID, an ARN, a queue URL), when `arn` does not say. */
    readonly account?: string;
}

/** A grant to the principal a property names, of the actions another names (`aws.lambda.Permission`, `aws.kms.Grant`). */
export interface PrincipalGrantShape {
    /** One principal string, or a list of them. */
    readonly principal: string;
    readonly actions?: string;
    /** The actions when the type fixes them, or when `actions` is left out. */
    readonly fixedActions?: readonly string[];
    /** A service prefix the type leaves out of its action names (`kms:` for a grant's operations). */
    readonly actionPrefix?: string;
    /** `Allow` unless this property says `Deny`. */
    readonly effect?: string;
    /** A whole statement the type takes instead of principal and actions (`aws-native:events:EventBusPolicy`). */
    readonly statement?: string;
    readonly arn?: string;
}

/** A grant to the principals a property names whose actions are not written in IAM terms the pack could read. */
export interface OpaqueGrantShape {
    readonly principals: string;
    /** What the grant does, for messages: `shares resources with it, …` */
    readonly what: string;
}

/**
 * How the model reads a door, or why it need not. Every type that the rule in `doors.ts` selects
 * from the pinned SDKs has one of these, and a test keeps it so.
 */
export type Door =
    | { readonly kind: "role"; readonly shape: RoleShape }
    | { readonly kind: "inlineGrant"; readonly shape: InlineGrantShape }
    | { readonly kind: "managedPolicy"; readonly shape: ManagedPolicyShape }
    | { readonly kind: "attachment"; readonly shape: AttachmentShape }
    | { readonly kind: "inlineExclusive"; readonly shape: InlineExclusiveShape }
    | { readonly kind: "resourcePolicy"; readonly shape: ResourcePolicyShape }
    | { readonly kind: "principalGrant"; readonly shapes: readonly PrincipalGrantShape[] }
    | { readonly kind: "opaqueGrant"; readonly shape: OpaqueGrantShape }
    | { readonly kind: "irrelevant"; readonly reason: string };

export type DoorKind = Door["kind"];

type ShapeOf<K extends DoorKind> = Extract<Door, { kind: K }> extends { shape: infer S } ? S : never;

/** The shapes of every door of one kind, by type. */
function shapesOf<K extends Exclude<DoorKind, "irrelevant" | "principalGrant">>(kind: K): Readonly<Record<string, ShapeOf<K>>> {
    const shapes: Record<string, ShapeOf<K>> = {};
    for (const [type, door] of Object.entries(DOORS)) if (door.kind === kind) shapes[type] = (door as unknown as { shape: ShapeOf<K> }).shape;
    return shapes;
}

export const ROLE_SHAPES = shapesOf("role");
export const INLINE_GRANT_SHAPES = shapesOf("inlineGrant");
export const MANAGED_POLICY_SHAPES = shapesOf("managedPolicy");
export const ATTACHMENT_SHAPES = shapesOf("attachment");
export const INLINE_EXCLUSIVE_SHAPES = shapesOf("inlineExclusive");
export const RESOURCE_POLICY_SHAPES = shapesOf("resourcePolicy");
export const OPAQUE_GRANT_SHAPES = shapesOf("opaqueGrant");
export const PRINCIPAL_GRANT_SHAPES: Readonly<Record<string, readonly PrincipalGrantShape[]>> = Object.fromEntries(
    Object.entries(DOORS).flatMap(([type, door]) => (door.kind === "principalGrant" ? [[type, door.shapes]] : [])),
);

/**
 * Where a resource that runs ECS tasks keeps what the model reads of it: its two roles, and its
 * containers, either as container definitions (the ECS API's names, a JSON string or a list) or,
 * for an ECS Express service, as its one primary container.
 */
export interface TaskDefinitionShape {
    /** How messages name it: "task definition", "daemon task definition", "ECS Express service". */
    readonly what: string;
    readonly family?: string;
    readonly executionRole: "executionRoleArn";
    readonly taskRole: "taskRoleArn";
    readonly containers: string;
    readonly containerForm: "definitions" | "primaryContainer";
    /** Where its launch types are listed; without, whether it always runs on Fargate. */
    readonly compatibilities?: string;
    readonly fargate?: boolean;
}

const TASK_DEFINITION: TaskDefinitionShape = {
    what: "task definition",
    family: "family",
    executionRole: "executionRoleArn",
    taskRole: "taskRoleArn",
    containers: "containerDefinitions",
    containerForm: "definitions",
    compatibilities: "requiresCompatibilities",
};
// Daemons run on ECS Managed Instances, never on Fargate; Express services always on Fargate.
const DAEMON_TASK_DEFINITION: TaskDefinitionShape = { ...TASK_DEFINITION, what: "daemon task definition", compatibilities: undefined, fargate: false };
const EXPRESS_SERVICE: TaskDefinitionShape = {
    what: "ECS Express service",
    family: "serviceName",
    executionRole: "executionRoleArn",
    taskRole: "taskRoleArn",
    containers: "primaryContainer",
    containerForm: "primaryContainer",
    fargate: true,
};

/**
 * Every resource type that gives ECS tasks a task role or an execution role. A test reads the
 * installed SDKs and fails on a type with `taskRoleArn`, or an ECS type with `executionRoleArn`,
 * that is not here: a provider release that adds one cannot leave its roles unjudged in silence.
 */
export const TASK_DEFINITION_SHAPES: Readonly<Record<string, TaskDefinitionShape>> = {
    "aws:ecs/taskDefinition:TaskDefinition": TASK_DEFINITION,
    "aws-native:ecs:TaskDefinition": TASK_DEFINITION,
    "aws:ecs/daemonTaskDefinition:DaemonTaskDefinition": DAEMON_TASK_DEFINITION,
    "aws-native:ecs:DaemonTaskDefinition": DAEMON_TASK_DEFINITION,
    "aws:ecs/expressGatewayService:ExpressGatewayService": EXPRESS_SERVICE,
    "aws-native:ecs:ExpressGatewayService": EXPRESS_SERVICE,
};

export const TASK_DEFINITION_TYPES: ReadonlySet<string> = new Set(Object.keys(TASK_DEFINITION_SHAPES));

/**
 * Resources that give ECS tasks a role outside a task definition, and the top-level properties that
 * can hold it: a run-time override of the task definition's roles (an EventBridge Pipe; the input an
 * EventBridge rule or schedule gives RunTask; a Step Functions `ecs:runTask` state's Overrides), or
 * a job AWS Batch runs as ECS tasks; inside objects, or inside JSON text. The pack
 * judges roles as task definitions name them; a role given here is not judged, and the evaluability
 * policy says so wherever one is set. A test fails on an SDK type with a nested `taskRoleArn` that
 * is neither here nor in TASK_DEFINITION_SHAPES.
 */
export const TASK_ROLES_ELSEWHERE: Readonly<Record<string, readonly string[]>> = {
    "aws:pipes/pipe:Pipe": ["targetParameters"],
    "aws-native:pipes:Pipe": ["targetParameters"],
    "aws:batch/jobDefinition:JobDefinition": ["containerProperties", "ecsProperties", "nodeProperties"],
    "aws-native:batch:JobDefinition": ["containerProperties", "ecsProperties", "nodeProperties"],
    "aws:cloudwatch/eventTarget:EventTarget": ["input", "inputTransformer"],
    "aws-native:events:Rule": ["targets"],
    "aws:scheduler/schedule:Schedule": ["target"],
    "aws-native:scheduler:Schedule": ["target"],
    "aws:sfn/stateMachine:StateMachine": ["definition"],
    "aws-native:stepfunctions:StateMachine": ["definition", "definitionString"],
};

/** Secrets and parameters a task can take, and where each keeps the KMS key that encrypts it. */
export interface SecretShape {
    /** Where the ARN a container's `valueFrom` names is kept. */
    readonly arn: string;
    /** A parameter can also be named by its name. */
    readonly name?: string;
    readonly key: string;
    /** Only these kinds are encrypted (an SSM parameter only when a SecureString). */
    readonly encryptedWhen?: { readonly property: string; readonly value: string };
}

export const SECRET_SHAPES: Readonly<Record<string, SecretShape>> = {
    "aws:secretsmanager/secret:Secret": { arn: "arn", key: "kmsKeyId" },
    "aws-native:secretsmanager:Secret": { arn: "awsId", key: "kmsKeyId" },
    "aws:ssm/parameter:Parameter": { arn: "arn", name: "name", key: "keyId", encryptedWhen: { property: "type", value: "SecureString" } },
};

/** Fields of shapes that hold words for messages or action names, not property names. */
const NOT_PROPERTIES: ReadonlySet<string> = new Set(["what", "fixedActions", "actionPrefix", "containerForm"]);

/**
 * Per type the model reads (the rest of a stack is never converted), the top-level properties it
 * may read: every name the type's shapes hold, up to its first dot. The model is built from these
 * alone, and a cached model is compared on these alone, so nothing the model reads can change
 * unseen. Taken from the shapes wholesale rather than listed again: a few names (those inside
 * inline entries, a parameter's type value) are not top-level properties, and comparing a property
 * no resource has costs nothing. A type may be both a door and a secret (`aws.secretsmanager.Secret`).
 */
export const MODEL_PROPERTIES: ReadonlyMap<string, readonly string[]> = (() => {
    const properties = new Map<string, Set<string>>();
    const add = (type: string, shape: unknown) => {
        const names = properties.get(type) ?? new Set<string>();
        for (const name of namesIn(shape)) names.add(name.split(".")[0].replace("[]", ""));
        properties.set(type, names);
    };
    for (const [type, door] of Object.entries(DOORS)) if (door.kind !== "irrelevant") add(type, "shape" in door ? door.shape : door.shapes);
    for (const [type, shape] of Object.entries(TASK_DEFINITION_SHAPES)) add(type, shape);
    for (const [type, properties] of Object.entries(TASK_ROLES_ELSEWHERE)) add(type, properties);
    for (const [type, shape] of Object.entries(SECRET_SHAPES)) add(type, shape);
    return new Map([...properties].map(([type, names]) => [type, [...names]]));
})();

/**
 * Per type, the properties of `MODEL_PROPERTIES` that only identify the resource (its own name, ARN,
 * unique ID or account) rather than say what it grants: a stand-in of the right shape judges the
 * same as the real value, so `check`'s capture may give one where a real engine would.
 */
export const IDENTITY_PROPERTIES: ReadonlyMap<string, readonly string[]> = (() => {
    const identities = new Map<string, Set<string>>();
    const add = (type: string, ...names: (string | undefined)[]) => {
        const set = identities.get(type) ?? new Set<string>();
        for (const name of names) if (name !== undefined) set.add(name);
        identities.set(type, set);
    };
    for (const [type, door] of Object.entries(DOORS)) {
        if (door.kind === "role") add(type, door.shape.name, door.shape.arn, door.shape.uniqueId);
        else if (door.kind === "managedPolicy") add(type, door.shape.arn);
        else if (door.kind === "resourcePolicy") add(type, door.shape.arn, door.shape.account);
        else if (door.kind === "principalGrant") add(type, ...door.shapes.map((shape) => shape.arn));
    }
    for (const [type, shape] of Object.entries(SECRET_SHAPES)) add(type, shape.arn, shape.name);
    return new Map([...identities].map(([type, names]) => [type, [...names]]));
})();

function namesIn(shape: unknown): string[] {
    if (typeof shape === "string") return [shape];
    if (typeof shape !== "object" || shape === null) return [];
    return Object.entries(shape).flatMap(([key, value]) => (NOT_PROPERTIES.has(key) ? [] : namesIn(value)));
}
