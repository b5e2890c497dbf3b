// The providers' side of a capture: what the provider's Check returns as a resource's inputs, and what Create returns
// as its outputs, for the resource types ecs-role-guard's examples use. A model, not the providers: see the list of
// differences at the top of capture.ts.
//
// Two providers, and where they differ (both modelled here):
// - `@pulumi/aws` (Terraform-based). Check autonames `<logical name>-<7 hex>` into `name` (or `bucket`, ...) unless
//   the name or `namePrefix` is given, and applies TransformJSONDocument to top-level `policy` and `assumeRolePolicy`:
//   an object becomes compact JSON, and a document with any unknown leaf becomes wholly unknown.
// - `@pulumi/aws-native` (CloudFormation resource model through Cloud Control; mirrors provider/pkg/provider Check and
//   provider/pkg/autonaming of pulumi-aws-native at v1.74.1-4-g43eed3b, August 2026; the SDK pinned here is 1.79.0).
//   Check drops null properties and autonames the type's naming property (`roleName`, `managedPolicyName`,
//   `logGroupName`, `clusterName`, `serviceName`, a Secret's `name`, `bucketName`) as `<logical name>-<7 hex>`,
//   shortening the random part to fit a schema maxLength; RolePolicy and Policy (their name is required) and
//   TaskDefinition (`family` is not a naming property) are not autonamed. Documents
//   (`policyDocument`, `assumeRolePolicyDocument`, `policies[].policyDocument`) stay objects: nothing is serialised,
//   and an unknown stays at its leaf. Outputs are the schema's read-only properties (`arn`/`roleId` of a Role,
//   `policyArn`, `policyId`, ... of a ManagedPolicy, `taskDefinitionArn`, `awsId` of a Secret, ...): unknown in a
//   preview, as the provider's PreviewOutputs plans them; the resource ID is the CloudFormation primary identifier.
//   ARNs use `aws-native:region` (the provider requires it; here it defaults to `aws:region`, then us-east-1).

import { partitionOfRegion } from "../policies/iam/partitions";
import { IDENTITY_PROPERTIES, MODEL_PROPERTIES } from "../policies/stack/resourceShapes";
import { UNKNOWN } from "./engineResources";
import type { DeclaredProperty } from "./declaredOutputs";
import { arnOf, derivedOutputs, FieldsOf, hexOf } from "./derivedOutputs";
import { goMarshalDecoded } from "./policyDocument";

/** The wire form of a secret (the SDK's and the engine's): `{ [SECRET_KEY]: SECRET_SIG, value }`. */
export const SECRET_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The wire form of a resource reference: `{ [SECRET_KEY]: RESOURCE_SIG, urn, id? }`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** The wire form of an output value (remote component inputs only): `{ [SECRET_KEY]: OUTPUT_VALUE_SIG, value?, secret?, dependencies? }`. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Where a capture runs: the account and region its computed ARNs name. */
export interface ProviderContext {
    readonly region: string;
    readonly account: string;
    /** `aws-native:region`, when it differs from `region`. */
    readonly nativeRegion?: string;
}

type Props = Record<string, unknown>;

interface AutonameRule {
    readonly property: string;
    /** 0: no limit (aws-native types whose schema gives none). */
    readonly maxLength: number;
    readonly lowercase?: boolean;
}

interface TypeModel {
    /** The property the provider fills by autonaming when the program gives neither it nor `namePrefix`. */
    readonly autoname?: AutonameRule;
    /** Outputs that exist only after Create, and the resource ID: unknown in a preview of a new resource. */
    readonly created?: (inputs: Props, seed: string, ctx: ProviderContext) => { id: string; outputs: Props };
    /** What the provider reads back after Create beyond the inputs (only in an update). */
    readonly readBack?: (inputs: Props) => Props;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

function uuidOf(seed: string): string {
    const h = hexOf(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const CREATED_AT = "2026-01-01T00:00:00Z";
const lastSegment = (arnOrName: string): string => arnOrName.split("/").pop() ?? arnOrName;

/** Types whose IDs, and some outputs, the capture models beyond what derivedOutputs.ts derives; token → model. */
const MODELS: Readonly<Record<string, TypeModel>> = {
    "aws:iam/role:Role": {
        autoname: { property: "name", maxLength: 64 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.name),
            outputs: {
                arn: arnOf({ type: "aws:iam/role:Role", name: str(inputs.name), seed, inputs }, ctx),
                uniqueId: `AROA${hexOf(seed, 17).toUpperCase()}`,
                createDate: CREATED_AT,
            },
        }),
        // Read right after Create, before any attachment or RolePolicy exists; the provider reports "no inline
        // policies" as one entry of empty strings.
        readBack: (inputs) => ({
            ...(Array.isArray(inputs.inlinePolicies) && inputs.inlinePolicies.length > 0 ? {} : { inlinePolicies: [{ name: "", policy: "" }] }),
            ...(inputs.managedPolicyArns === undefined ? { managedPolicyArns: [] } : {}),
        }),
    },
    "aws:iam/policy:Policy": {
        autoname: { property: "name", maxLength: 128 },
        created: (inputs, seed, ctx) => {
            const arn = arnOf({ type: "aws:iam/policy:Policy", name: str(inputs.name), seed, inputs }, ctx);
            return { id: arn, outputs: { arn, policyId: `ANPA${hexOf(seed, 17).toUpperCase()}`, attachmentCount: 0 } };
        },
    },
    "aws:iam/rolePolicy:RolePolicy": {
        autoname: { property: "name", maxLength: 128 },
        created: (inputs) => ({ id: `${str(inputs.role)}:${str(inputs.name)}`, outputs: {} }),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        created: (inputs, seed) => ({ id: `${str(inputs.role)}-2026010100000000${hexOf(seed, 10)}`, outputs: {} }),
    },
    "aws:iam/policyAttachment:PolicyAttachment": {
        autoname: { property: "name", maxLength: 128 },
        created: (inputs) => ({ id: str(inputs.name), outputs: {} }),
    },
    "aws:ecs/cluster:Cluster": {
        autoname: { property: "name", maxLength: 255 },
        created: (inputs, seed, ctx) => {
            const arn = arnOf({ type: "aws:ecs/cluster:Cluster", name: str(inputs.name), seed, inputs }, ctx);
            return { id: arn, outputs: { arn } };
        },
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        created: (inputs, seed, ctx) => {
            const arnWithoutRevision = arnOf({ type: "aws:ecs/taskDefinition:TaskDefinition", name: str(inputs.family), seed, inputs }, ctx);
            return { id: str(inputs.family), outputs: { arn: `${arnWithoutRevision}:1`, arnWithoutRevision, revision: 1 } };
        },
    },
    "aws:ecs/service:Service": {
        autoname: { property: "name", maxLength: 255 },
        created: (inputs, seed, ctx) => {
            // Without a cluster, a service runs in the account's `default` cluster.
            const cluster = lastSegment(str(inputs.cluster)) || "default";
            const arn = arnOf({ type: "aws:ecs/service:Service", name: `${cluster}/${str(inputs.name)}`, seed, inputs }, ctx);
            return { id: arn, outputs: { arn } };
        },
    },
    "aws:secretsmanager/secret:Secret": {
        autoname: { property: "name", maxLength: 512 },
        created: (inputs, seed, ctx) => {
            const arn = arnOf({ type: "aws:secretsmanager/secret:Secret", name: str(inputs.name), seed, inputs }, ctx);
            return { id: arn, outputs: { arn } };
        },
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        autoname: { property: "name", maxLength: 512 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.name),
            outputs: { arn: arnOf({ type: "aws:cloudwatch/logGroup:LogGroup", name: str(inputs.name), seed, inputs }, ctx) },
        }),
    },
    "aws:s3/bucket:Bucket": {
        autoname: { property: "bucket", maxLength: 63, lowercase: true },
        created: (inputs) => ({ id: str(inputs.bucket), outputs: { bucketDomainName: `${str(inputs.bucket)}.s3.amazonaws.com` } }),
    },
    "aws:sqs/queue:Queue": {
        autoname: { property: "name", maxLength: 80 },
        created: (inputs, _seed, ctx) => {
            const url = `https://sqs.${ctx.region}.${partitionOfRegion(ctx.region).dnsSuffix}/${ctx.account}/${str(inputs.name)}`;
            return { id: url, outputs: { url } };
        },
    },
    "aws:ssm/parameter:Parameter": {
        autoname: { property: "name", maxLength: 2048 },
        created: (inputs, seed, ctx) => {
            const name = str(inputs.name);
            const arn = typeof inputs.arn === "string" ? inputs.arn : arnOf({ type: "aws:ssm/parameter:Parameter", name, seed, inputs }, ctx);
            return { id: name, outputs: { arn, version: 1 } };
        },
        // A SecureString without a key is encrypted with the account's default key for SSM.
        readBack: (inputs) => ({
            ...(inputs.keyId === undefined ? { keyId: inputs.type === "SecureString" ? "alias/aws/ssm" : "" } : {}),
            ...(inputs.dataType === undefined ? { dataType: "text" } : {}),
            ...(inputs.tier === undefined ? { tier: "Standard" } : {}),
        }),
    },
    "aws:kms/key:Key": {
        created: (inputs, seed, ctx) => {
            const keyId = uuidOf(seed);
            return { id: keyId, outputs: { arn: arnOf({ type: "aws:kms/key:Key", name: keyId, seed, inputs }, ctx), keyId } };
        },
    },
    "aws:sns/topic:Topic": {
        autoname: { property: "name", maxLength: 256 },
        created: (inputs, seed, ctx) => {
            const arn = arnOf({ type: "aws:sns/topic:Topic", name: str(inputs.name), seed, inputs }, ctx);
            return { id: arn, outputs: { arn } };
        },
    },
    "aws:ecr/repository:Repository": {
        autoname: { property: "name", maxLength: 256, lowercase: true },
        created: (inputs) => ({ id: str(inputs.name), outputs: {} }),
    },
    // The image awsx.ecr.Image builds and pushes (cli/awsxModel.ts): its digest is known once it is pushed.
    "docker-build:index:Image": {
        created: (inputs, seed) => {
            const digest = `sha256:${hexOf(seed, 64)}`;
            const tags = Array.isArray(inputs.tags) ? inputs.tags.map(str) : [];
            return { id: digest, outputs: { digest, ref: tags.length > 0 ? `${tags[0]}@${digest}` : digest } };
        },
    },
};

/** `@pulumi/aws-native` types: naming property from the CloudFormation schema, read-only outputs, primary identifier. */
const NATIVE_MODELS: Readonly<Record<string, TypeModel>> = {
    "aws-native:iam:Role": {
        autoname: { property: "roleName", maxLength: 0 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.roleName),
            outputs: {
                arn: arnOf({ type: "aws-native:iam:Role", name: str(inputs.roleName), seed, inputs }, ctx),
                roleId: `AROA${hexOf(seed, 17).toUpperCase()}`,
            },
        }),
    },
    "aws-native:iam:ManagedPolicy": {
        autoname: { property: "managedPolicyName", maxLength: 0 },
        created: (inputs, seed, ctx) => {
            const policyArn = arnOf({ type: "aws-native:iam:Policy", name: str(inputs.managedPolicyName), seed, inputs }, ctx);
            return {
                id: policyArn,
                outputs: {
                    policyArn,
                    attachmentCount: Array.isArray(inputs.roles) ? inputs.roles.length : 0,
                    createDate: CREATED_AT,
                    defaultVersionId: "v1",
                    isAttachable: true,
                    permissionsBoundaryUsageCount: 0,
                    policyId: `ANPA${hexOf(seed, 17).toUpperCase()}`,
                    updateDate: CREATED_AT,
                },
            };
        },
    },
    // PolicyName and RoleName are required: nothing to autoname; the ID is `<policyName>|<roleName>`.
    "aws-native:iam:RolePolicy": {
        created: (inputs) => ({ id: `${str(inputs.policyName)}|${str(inputs.roleName)}`, outputs: {} }),
    },
    "aws-native:iam:Policy": {
        created: (_inputs, seed) => {
            const awsId = `${hexOf(seed, 21).toUpperCase()}`;
            return { id: awsId, outputs: { awsId } };
        },
    },
    "aws-native:ecs:TaskDefinition": {
        created: (inputs, seed, ctx) => {
            const family = str(inputs.family) || `task-${hexOf(seed, 12)}`;
            const taskDefinitionArn = `${arnOf({ type: "aws-native:ecs:TaskDefinition", name: family, seed, inputs }, ctx)}:1`;
            return { id: taskDefinitionArn, outputs: { taskDefinitionArn } };
        },
    },
    "aws-native:ecs:Cluster": {
        autoname: { property: "clusterName", maxLength: 0 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.clusterName),
            outputs: { arn: arnOf({ type: "aws-native:ecs:Cluster", name: str(inputs.clusterName), seed, inputs }, ctx) },
        }),
    },
    "aws-native:ecs:Service": {
        autoname: { property: "serviceName", maxLength: 0 },
        created: (inputs, seed, ctx) => {
            const cluster = lastSegment(str(inputs.cluster)) || "default";
            const serviceArn = arnOf({ type: "aws-native:ecs:Service", name: `${cluster}/${str(inputs.serviceName)}`, seed, inputs }, ctx);
            return { id: `${serviceArn}|${str(inputs.cluster)}`, outputs: { serviceArn, name: str(inputs.serviceName) } };
        },
    },
    "aws-native:logs:LogGroup": {
        autoname: { property: "logGroupName", maxLength: 512 },
        // CloudFormation's LogGroup Arn ends in `:*`.
        created: (inputs, seed, ctx) => ({
            id: str(inputs.logGroupName),
            outputs: { arn: `${arnOf({ type: "aws-native:logs:LogGroup", name: str(inputs.logGroupName), seed, inputs }, ctx)}:*` },
        }),
    },
    "aws-native:secretsmanager:Secret": {
        autoname: { property: "name", maxLength: 0 },
        created: (inputs, seed, ctx) => {
            const awsId = arnOf({ type: "aws-native:secretsmanager:Secret", name: str(inputs.name), seed, inputs }, ctx);
            return { id: awsId, outputs: { awsId } };
        },
    },
    "aws-native:s3:Bucket": {
        autoname: { property: "bucketName", maxLength: 0 },
        created: (inputs, _seed, ctx) => {
            const bucket = str(inputs.bucketName);
            return {
                id: bucket,
                outputs: {
                    arn: `arn:${partitionOfRegion(ctx.region).name}:s3:::${bucket}`,
                    domainName: `${bucket}.s3.amazonaws.com`,
                    dualStackDomainName: `${bucket}.s3.dualstack.${ctx.region}.amazonaws.com`,
                    regionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
                    websiteUrl: `http://${bucket}.s3-website-${ctx.region}.amazonaws.com`,
                },
            };
        },
    },
    "aws-native:kms:Key": {
        created: (inputs, seed, ctx) => {
            const keyId = uuidOf(seed);
            return { id: keyId, outputs: { arn: arnOf({ type: "aws-native:kms:Key", name: keyId, seed, inputs }, ctx), keyId } };
        },
    },
};

/** Any other custom resource: an ID and nothing else. */
const DEFAULT_MODEL: TypeModel = {
    created: (_inputs, seed) => ({ id: hexOf(seed, 16), outputs: {} }),
};

const modelOf = (type: string): TypeModel => MODELS[type] ?? NATIVE_MODELS[type] ?? DEFAULT_MODEL;

/** Whether the capture models a type's outputs itself, so that it needs no SDK declaration of them. */
export function isModelled(type: string): boolean {
    return type in MODELS || type in NATIVE_MODELS;
}

const isNative = (type: string): boolean => type.startsWith("aws-native:");

/** The properties whose JSON documents the AWS provider accepts as objects (`TransformJSONDocument`). */
const DOCUMENT_PROPERTIES = ["policy", "assumeRolePolicy"];

export function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

export function isSecret(v: unknown): v is { [SECRET_KEY]: string; value: unknown } {
    return isObject(v) && v[SECRET_KEY] === SECRET_SIG;
}

function isObject(v: unknown): v is Props {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (isObject(v)) return Object.values(v).some(containsUnknown);
    return false;
}

/** Output values as the engine records them: the value, a secret, or unknown when it has none. */
export function plainOutputValues(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plainOutputValues);
    if (!isObject(v)) return v;
    if (v[SECRET_KEY] === OUTPUT_VALUE_SIG) {
        const value = "value" in v ? plainOutputValues(v.value) : UNKNOWN;
        return v.secret === true ? { [SECRET_KEY]: SECRET_SIG, value } : value;
    }
    const out: Props = {};
    for (const [k, e] of Object.entries(v)) out[k] = plainOutputValues(e);
    return out;
}

/**
 * What the engine hands a provider that does not accept resource references (the AWS provider): a custom resource
 * becomes its ID (unknown while the ID is), a component its URN.
 */
export function downgradeResourceReferences(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(downgradeResourceReferences);
    if (!isObject(v)) return v;
    if (v[SECRET_KEY] === RESOURCE_SIG) {
        if (!("id" in v)) return v.urn;
        return v.id === "" || v.id === undefined || v.id === UNKNOWN ? UNKNOWN : v.id;
    }
    const out: Props = {};
    for (const [k, e] of Object.entries(v)) out[k] = downgradeResourceReferences(e);
    return out;
}

function stripSecrets(v: unknown): { value: unknown; secret: boolean } {
    if (isSecret(v)) return { value: stripSecrets(v.value).value, secret: true };
    if (Array.isArray(v)) {
        const parts = v.map(stripSecrets);
        return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
    }
    if (isObject(v)) {
        let secret = false;
        const out: Props = {};
        for (const [k, e] of Object.entries(v)) {
            const p = stripSecrets(e);
            out[k] = p.value;
            secret ||= p.secret;
        }
        return { value: out, secret };
    }
    return { value: v, secret: false };
}

/** Go's `json.Marshal` of a decoded map: keys sorted, compact, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJsonMarshal(v: unknown): string {
    return goMarshalDecoded(v, "");
}

/**
 * The AWS provider's `TransformJSONDocument`: a document with any unknown leaf becomes wholly unknown; an object or
 * array becomes its compact JSON; a string is kept as the program gave it.
 */
export function transformJsonDocument(v: unknown): unknown {
    if (containsUnknown(v)) return UNKNOWN;
    const inner = isSecret(v) ? v.value : v;
    if (!isObject(inner) && !Array.isArray(inner)) return v;
    const { value, secret } = stripSecrets(inner);
    const json = goJsonMarshal(value);
    return secret || isSecret(v) ? { [SECRET_KEY]: SECRET_SIG, value: json } : json;
}

/** The provider's autoname: `<logical name>-<7 hex>`, from the URN so that it is stable. */
export function autoname(rule: AutonameRule, logicalName: string, urn: string): string {
    const name = `${logicalName}-${hexOf(urn, 7)}`;
    if (rule.maxLength > 0 && name.length > rule.maxLength) {
        throw new Error(`${urn}: the autoname of "${logicalName}" would be longer than ${rule.maxLength} characters; give ${rule.property} explicitly`);
    }
    return rule.lowercase ? name.toLowerCase() : name;
}

/** aws-native's autoname: the random part shrinks (to one character at least) to fit a schema maxLength. */
function nativeAutoname(rule: AutonameRule, logicalName: string, urn: string): string {
    const prefix = `${logicalName}-`;
    const room = rule.maxLength > 0 ? Math.min(7, rule.maxLength - prefix.length) : 7;
    if (room < 1)
        throw new Error(`${urn}: the autoname of "${logicalName}" would be longer than ${rule.maxLength} characters; give ${rule.property} explicitly`);
    return `${prefix}${hexOf(urn, room)}`;
}

/** Drops null properties at the top level, as aws-native's Check does (`filterNullProperties`). */
function withoutNulls(inputs: Props): Props {
    return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== null));
}

/** What the program's SDK declares of a resource type (declaredOutputs.ts), when the capture could read it. */
export interface TypeDeclarations {
    readonly outputs: readonly DeclaredProperty[];
    readonly fieldsOf: FieldsOf;
}

/**
 * The property Check autonames: the modelled rule, else, for an `@pulumi/aws` type whose SDK declares an
 * always-present `name`, that name, as pulumi-aws autonames most of its resources.
 */
function autonameRule(type: string, declared: TypeDeclarations | undefined): AutonameRule | undefined {
    const modelled = modelOf(type).autoname;
    if (modelled || !type.startsWith("aws:")) return modelled;
    return declared?.outputs.some((p) => p.name === "name" && !p.optional && p.type.kind === "string") ? { property: "name", maxLength: 0 } : undefined;
}

/**
 * The property aws-native's Check autonames: the modelled rule, else the CloudFormation convention `<type>Name`
 * (`tableName`, `queueName`, `topicName`, `repositoryName`) when the SDK declares it.
 */
function nativeAutonameRule(type: string, declared: TypeDeclarations | undefined): AutonameRule | undefined {
    const modelled = modelOf(type).autoname;
    if (modelled) return modelled;
    const className = type.split(":").pop() ?? "";
    const property = `${className.charAt(0).toLowerCase()}${className.slice(1)}Name`;
    return declared?.outputs.some((p) => p.name === property && p.type.kind === "string") ? { property, maxLength: 0 } : undefined;
}

/** The inputs the provider's Check would return for a custom resource, given the program's serialised inputs. */
export function checkInputs(type: string, logicalName: string, urn: string, programInputs: Props, declared?: TypeDeclarations): Props {
    const inputs = downgradeResourceReferences(programInputs) as Props;
    if (isProviderType(type)) return inputs;
    if (isNative(type)) {
        const checked = withoutNulls(inputs);
        const rule = nativeAutonameRule(type, declared);
        if (rule && checked[rule.property] === undefined) checked[rule.property] = nativeAutoname(rule, logicalName, urn);
        return checked;
    }
    if (!type.startsWith("aws:")) return inputs;
    const rule = autonameRule(type, declared);
    if (rule && inputs[rule.property] === undefined && inputs.namePrefix === undefined) {
        inputs[rule.property] = autoname(rule, logicalName, urn);
    }
    for (const key of DOCUMENT_PROPERTIES) {
        if (key in inputs) inputs[key] = transformJsonDocument(inputs[key]);
    }
    return inputs;
}

/** The name a resource's ARN and derived outputs use: its naming property, else one made from its logical name. */
function physicalName(inputs: Props, rule: AutonameRule | undefined, urn: string): string {
    const given = (rule && inputs[rule.property]) ?? inputs.name;
    if (typeof given === "string" && given !== "") return given;
    return `${urn.slice(urn.lastIndexOf("::") + 2)}-${hexOf(urn, 7)}`;
}

/**
 * A new resource's outputs and ID after Create (an update), or as a preview plans them. In a preview every output the
 * SDK declares as always present that the program did not set is unknown, as are the computed ones the model knows,
 * and the ID; in an update each has a value (derivedOutputs.ts). Optional outputs the program left unset stay absent.
 */
export function createdState(
    type: string,
    urn: string,
    inputs: Props,
    preview: boolean,
    ctx: ProviderContext,
    declared?: TypeDeclarations,
): { id: string | undefined; outputs: Props } {
    const model = modelOf(type);
    if (isNative(type) && ctx.nativeRegion) ctx = { ...ctx, region: ctx.nativeRegion };
    // A namePrefix leaves the name to Create, and the other outputs follow from it.
    const rule = isNative(type) ? nativeAutonameRule(type, declared) : autonameRule(type, declared);
    const named: Props = {};
    if (rule && !isNative(type) && inputs[rule.property] === undefined && typeof inputs.namePrefix === "string") {
        named[rule.property] = `${inputs.namePrefix}2026010100000000${hexOf(urn, 10)}`;
    }
    const created = isProviderType(type) ? { id: uuidOf(urn), outputs: {} } : (model.created ?? DEFAULT_MODEL.created!)({ ...inputs, ...named }, urn, ctx);
    const computed = { ...named, ...created.outputs };
    const declaredOutputs = isProviderType(type) ? [] : (declared?.outputs ?? []);
    if (preview) {
        const unknowns: Props = Object.fromEntries(Object.keys(computed).map((k) => [k, UNKNOWN]));
        for (const p of declaredOutputs) if (!p.optional && inputs[p.name] === undefined) unknowns[p.name] = UNKNOWN;
        return { id: undefined, outputs: { ...inputs, ...unknowns, id: UNKNOWN } };
    }
    const known = { ...inputs, ...(model.readBack?.(inputs) ?? {}), ...computed };
    // An empty ID would read as unknown to the program; a created resource has one: its name, else a random one.
    const name = physicalName({ ...inputs, ...named }, rule, urn);
    const id = created.id || (model === DEFAULT_MODEL && typeof known.name === "string" && known.name !== "" ? known.name : hexOf(urn, 16));
    // What the pack reads is never a placeholder, unless it only identifies the resource (an ARN of the right service,
    // region and account judges as the real one does): the model gives it, or it stays absent as the program left it.
    const identities = IDENTITY_PROPERTIES.get(type) ?? [];
    const judged = new Set((MODEL_PROPERTIES.get(type) ?? []).filter((p) => !identities.includes(p)));
    const derivable = declaredOutputs.filter((p) => !judged.has(p.name));
    const derived = declared ? derivedOutputs(derivable, known, { type, name, seed: urn, inputs: known }, ctx, declared.fieldsOf) : {};
    return { id, outputs: { ...known, ...derived, id } };
}
