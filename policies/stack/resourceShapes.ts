/**
 * Where each provider keeps the facts the pack reads. `@pulumi/aws` and `@pulumi/aws-native`
 * (the CloudFormation resource model) name the same things differently; the model reads them all
 * through these tables, so a new resource type is one entry here.
 */

export interface RoleShape {
    readonly name: string;
    readonly arn: string;
    /** The role's own inline policies: a list of `{ name, document }` entries. */
    readonly inline: { readonly list: string; readonly name: string; readonly document: string };
    readonly managedPolicyArns: string;
    readonly trust: string;
    readonly boundary: string;
}

export const ROLE_SHAPES: Readonly<Record<string, RoleShape>> = {
    "aws:iam/role:Role": {
        name: "name",
        arn: "arn",
        inline: { list: "inlinePolicies", name: "name", document: "policy" },
        managedPolicyArns: "managedPolicyArns",
        trust: "assumeRolePolicy",
        boundary: "permissionsBoundary",
    },
    "aws-native:iam:Role": {
        name: "roleName",
        arn: "arn",
        inline: { list: "policies", name: "policyName", document: "policyDocument" },
        managedPolicyArns: "managedPolicyArns",
        trust: "assumeRolePolicyDocument",
        boundary: "permissionsBoundary",
    },
};

/** A resource that gives its own document to the roles it names (`role` one, `roles` a list). */
export interface InlineGrantShape {
    readonly roles: string;
    readonly list: boolean;
    readonly document: string;
    /** The inline policy's name in IAM: the provider may also list it among the role's own inline policies. */
    readonly name: string;
}

export const INLINE_GRANT_SHAPES: Readonly<Record<string, InlineGrantShape>> = {
    "aws:iam/rolePolicy:RolePolicy": { roles: "role", list: false, document: "policy", name: "name" },
    "aws-native:iam:RolePolicy": { roles: "roleName", list: false, document: "policyDocument", name: "policyName" },
    "aws-native:iam:Policy": { roles: "roles", list: true, document: "policyDocument", name: "policyName" },
};

/** A managed policy: a document with an ARN that roles attach; some also name the roles they attach to. */
export interface ManagedPolicyShape {
    readonly arn: string;
    readonly document: string;
    readonly roles?: string;
}

export const MANAGED_POLICY_SHAPES: Readonly<Record<string, ManagedPolicyShape>> = {
    "aws:iam/policy:Policy": { arn: "arn", document: "policy" },
    "aws-native:iam:ManagedPolicy": { arn: "policyArn", document: "policyDocument", roles: "roles" },
};

/** A resource that attaches a managed policy, by ARN, to the roles it names. */
export interface AttachmentShape {
    readonly roles: string;
    readonly list: boolean;
    readonly policyArn: string;
}

export const ATTACHMENT_SHAPES: Readonly<Record<string, AttachmentShape>> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { roles: "role", list: false, policyArn: "policyArn" },
    "aws:iam/policyAttachment:PolicyAttachment": { roles: "roles", list: true, policyArn: "policyArn" },
};

/** Task definitions: both providers use the ECS API's own names. */
export const TASK_DEFINITION_TYPES: ReadonlySet<string> = new Set(["aws:ecs/taskDefinition:TaskDefinition", "aws-native:ecs:TaskDefinition"]);

/** Where a task definition keeps what the model reads of it. */
export const TASK_DEFINITION_SHAPE = {
    family: "family",
    executionRole: "executionRoleArn",
    taskRole: "taskRoleArn",
    containers: "containerDefinitions",
    compatibilities: "requiresCompatibilities",
} as const;

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
    "aws-native:secretsmanager:Secret": { arn: "id", key: "kmsKeyId" },
    "aws:ssm/parameter:Parameter": { arn: "arn", name: "name", key: "keyId", encryptedWhen: { property: "type", value: "SecureString" } },
};

/**
 * Per type the model reads (the rest of a stack is never converted), the top-level properties it
 * may read: every name the type's shapes hold. The model is built from these alone, and a cached
 * model is compared on these alone, so nothing the model reads can change unseen. Taken from the
 * shapes wholesale rather than listed again: a few names (those inside inline entries, a
 * parameter's type value) are not top-level properties, and comparing a property no resource has
 * costs nothing.
 */
export const MODEL_PROPERTIES: ReadonlyMap<string, readonly string[]> = new Map(
    [
        ...Object.entries(ROLE_SHAPES),
        ...Object.entries(INLINE_GRANT_SHAPES),
        ...Object.entries(MANAGED_POLICY_SHAPES),
        ...Object.entries(ATTACHMENT_SHAPES),
        ...[...TASK_DEFINITION_TYPES].map((type) => [type, TASK_DEFINITION_SHAPE] as const),
        ...Object.entries(SECRET_SHAPES),
    ].map(([type, shape]) => [type, [...new Set(namesIn(shape))]]),
);

function namesIn(shape: object): string[] {
    return Object.values(shape).flatMap((v: unknown) => (typeof v === "string" ? [v] : typeof v === "object" && v !== null ? namesIn(v) : []));
}
