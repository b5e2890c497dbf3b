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

import { createHash } from "crypto";
import { UNKNOWN } from "./engineResources";

/** The wire form of a secret (the SDK's and the engine's): `{ [SECRET_KEY]: SECRET_SIG, value }`. */
export const SECRET_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The wire form of a resource reference: `{ [SECRET_KEY]: RESOURCE_SIG, urn, id? }`. */
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** The wire form of an output value (remote component inputs only): `{ [SECRET_KEY]: OUTPUT_VALUE_SIG, value?, secret?, dependencies? }`. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export const ACCOUNT_ID = "123456789012";
/** The subnets of the default VPC, as getSubnets answers them. */
export const DEFAULT_SUBNET_IDS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
export const DEFAULT_REGION = "us-east-1";

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

/** Deterministic "random" hex: the same URN gets the same name in a preview and an update, and in every run. */
export function hexOf(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha256").update(`${i}:${seed}`).digest("hex");
    }
    return out.slice(0, length);
}

function uuidOf(seed: string): string {
    const h = hexOf(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const CREATED_AT = "2026-01-01T00:00:00Z";
const tagsAll = (inputs: Props): Props => ({ tagsAll: inputs.tags ?? {} });
/** The path part of an IAM ARN: `/` by default, else the path given (which starts and ends with `/`). */
const iamPath = (inputs: Props): string => (typeof inputs.path === "string" && inputs.path !== "" ? inputs.path : "/");
const lastSegment = (arnOrName: string): string => arnOrName.split("/").pop() ?? arnOrName;

/** Types the capture models beyond the defaults; token → model. */
const MODELS: Readonly<Record<string, TypeModel>> = {
    "aws:iam/role:Role": {
        autoname: { property: "name", maxLength: 64 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.name),
            outputs: {
                arn: `arn:aws:iam::${ctx.account}:role${iamPath(inputs)}${str(inputs.name)}`,
                uniqueId: `AROA${hexOf(seed, 17).toUpperCase()}`,
                createDate: CREATED_AT,
                ...tagsAll(inputs),
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
            const arn = `arn:aws:iam::${ctx.account}:policy${iamPath(inputs)}${str(inputs.name)}`;
            return { id: arn, outputs: { arn, policyId: `ANPA${hexOf(seed, 17).toUpperCase()}`, attachmentCount: 0, ...tagsAll(inputs) } };
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
        created: (inputs, _seed, ctx) => {
            const arn = `arn:aws:ecs:${ctx.region}:${ctx.account}:cluster/${str(inputs.name)}`;
            return { id: arn, outputs: { arn, ...tagsAll(inputs) } };
        },
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        created: (inputs, _seed, ctx) => {
            const arnWithoutRevision = `arn:aws:ecs:${ctx.region}:${ctx.account}:task-definition/${str(inputs.family)}`;
            return {
                id: str(inputs.family),
                outputs: { arn: `${arnWithoutRevision}:1`, arnWithoutRevision, revision: 1, ...tagsAll(inputs) },
            };
        },
    },
    "aws:ecs/service:Service": {
        autoname: { property: "name", maxLength: 255 },
        created: (inputs, _seed, ctx) => ({
            id: `arn:aws:ecs:${ctx.region}:${ctx.account}:service/${lastSegment(str(inputs.cluster))}/${str(inputs.name)}`,
            outputs: { ...tagsAll(inputs) },
        }),
    },
    "aws:secretsmanager/secret:Secret": {
        autoname: { property: "name", maxLength: 512 },
        created: (inputs, seed, ctx) => {
            const arn = `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${str(inputs.name)}-${hexOf(`${seed}#arn`, 6)}`;
            return { id: arn, outputs: { arn, ...tagsAll(inputs) } };
        },
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        autoname: { property: "name", maxLength: 512 },
        created: (inputs, _seed, ctx) => ({
            id: str(inputs.name),
            outputs: { arn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${str(inputs.name)}`, ...tagsAll(inputs) },
        }),
    },
    "aws:s3/bucket:Bucket": {
        autoname: { property: "bucket", maxLength: 63, lowercase: true },
        created: (inputs) => ({
            id: str(inputs.bucket),
            outputs: {
                arn: `arn:aws:s3:::${str(inputs.bucket)}`,
                bucketDomainName: `${str(inputs.bucket)}.s3.amazonaws.com`,
                ...tagsAll(inputs),
            },
        }),
    },
    "aws:sqs/queue:Queue": {
        autoname: { property: "name", maxLength: 80 },
        created: (inputs, _seed, ctx) => {
            const url = `https://sqs.${ctx.region}.amazonaws.com/${ctx.account}/${str(inputs.name)}`;
            return { id: url, outputs: { arn: `arn:aws:sqs:${ctx.region}:${ctx.account}:${str(inputs.name)}`, url, ...tagsAll(inputs) } };
        },
    },
    "aws:ssm/parameter:Parameter": {
        autoname: { property: "name", maxLength: 2048 },
        created: (inputs, _seed, ctx) => {
            const name = str(inputs.name);
            // A hierarchical name keeps its path in the ARN without the leading slash.
            const arn = typeof inputs.arn === "string" ? inputs.arn : `arn:aws:ssm:${ctx.region}:${ctx.account}:parameter/${name.replace(/^\//, "")}`;
            return { id: name, outputs: { arn, version: 1, ...tagsAll(inputs) } };
        },
    },
    "aws:kms/key:Key": {
        created: (_inputs, seed, ctx) => {
            const keyId = uuidOf(seed);
            return { id: keyId, outputs: { arn: `arn:aws:kms:${ctx.region}:${ctx.account}:key/${keyId}`, keyId } };
        },
    },
};

/** `@pulumi/aws-native` types: naming property from the CloudFormation schema, read-only outputs, primary identifier. */
const NATIVE_MODELS: Readonly<Record<string, TypeModel>> = {
    "aws-native:iam:Role": {
        autoname: { property: "roleName", maxLength: 0 },
        created: (inputs, seed, ctx) => ({
            id: str(inputs.roleName),
            outputs: { arn: `arn:aws:iam::${ctx.account}:role${iamPath(inputs)}${str(inputs.roleName)}`, roleId: `AROA${hexOf(seed, 17).toUpperCase()}` },
        }),
    },
    "aws-native:iam:ManagedPolicy": {
        autoname: { property: "managedPolicyName", maxLength: 0 },
        created: (inputs, seed, ctx) => {
            const policyArn = `arn:aws:iam::${ctx.account}:policy${iamPath(inputs)}${str(inputs.managedPolicyName)}`;
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
            const taskDefinitionArn = `arn:aws:ecs:${ctx.region}:${ctx.account}:task-definition/${family}:1`;
            return { id: taskDefinitionArn, outputs: { taskDefinitionArn } };
        },
    },
    "aws-native:ecs:Cluster": {
        autoname: { property: "clusterName", maxLength: 0 },
        created: (inputs, _seed, ctx) => ({
            id: str(inputs.clusterName),
            outputs: { arn: `arn:aws:ecs:${ctx.region}:${ctx.account}:cluster/${str(inputs.clusterName)}` },
        }),
    },
    "aws-native:ecs:Service": {
        autoname: { property: "serviceName", maxLength: 0 },
        created: (inputs, _seed, ctx) => {
            const cluster = lastSegment(str(inputs.cluster)) || "default";
            const serviceArn = `arn:aws:ecs:${ctx.region}:${ctx.account}:service/${cluster}/${str(inputs.serviceName)}`;
            return { id: `${serviceArn}|${str(inputs.cluster)}`, outputs: { serviceArn, name: str(inputs.serviceName) } };
        },
    },
    "aws-native:logs:LogGroup": {
        autoname: { property: "logGroupName", maxLength: 512 },
        // CloudFormation's LogGroup Arn ends in `:*`.
        created: (inputs, _seed, ctx) => ({
            id: str(inputs.logGroupName),
            outputs: { arn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${str(inputs.logGroupName)}:*` },
        }),
    },
    "aws-native:secretsmanager:Secret": {
        autoname: { property: "name", maxLength: 0 },
        created: (inputs, seed, ctx) => {
            const awsId = `arn:aws:secretsmanager:${ctx.region}:${ctx.account}:secret:${str(inputs.name)}-${hexOf(`${seed}#arn`, 6)}`;
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
                    arn: `arn:aws:s3:::${bucket}`,
                    domainName: `${bucket}.s3.amazonaws.com`,
                    dualStackDomainName: `${bucket}.s3.dualstack.${ctx.region}.amazonaws.com`,
                    regionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
                    websiteUrl: `http://${bucket}.s3-website-${ctx.region}.amazonaws.com`,
                },
            };
        },
    },
    "aws-native:kms:Key": {
        created: (_inputs, seed, ctx) => {
            const keyId = uuidOf(seed);
            return { id: keyId, outputs: { arn: `arn:aws:kms:${ctx.region}:${ctx.account}:key/${keyId}`, keyId } };
        },
    },
};

/** Any other custom resource: an ID and nothing else. */
const DEFAULT_MODEL: TypeModel = {
    created: (_inputs, seed) => ({ id: hexOf(seed, 16), outputs: {} }),
};

const modelOf = (type: string): TypeModel => MODELS[type] ?? NATIVE_MODELS[type] ?? DEFAULT_MODEL;

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
    const escape = (s: string): string => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    const encode = (x: unknown): string => {
        if (x === null || x === undefined) return "null";
        if (typeof x === "string") return escape(x);
        if (typeof x === "number" || typeof x === "boolean") return JSON.stringify(x);
        if (Array.isArray(x)) return `[${x.map(encode).join(",")}]`;
        const obj = x as Props;
        return `{${Object.keys(obj)
            .sort()
            .map((k) => `${escape(k)}:${encode(obj[k])}`)
            .join(",")}}`;
    };
    return encode(v);
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

/** The inputs the provider's Check would return for a custom resource, given the program's serialised inputs. */
export function checkInputs(type: string, logicalName: string, urn: string, programInputs: Props): Props {
    const inputs = downgradeResourceReferences(programInputs) as Props;
    if (isProviderType(type)) return inputs;
    if (isNative(type)) {
        const checked = withoutNulls(inputs);
        const rule = modelOf(type).autoname;
        if (rule && checked[rule.property] === undefined) checked[rule.property] = nativeAutoname(rule, logicalName, urn);
        return checked;
    }
    if (!type.startsWith("aws:")) return inputs;
    const rule = modelOf(type).autoname;
    if (rule && inputs[rule.property] === undefined && inputs.namePrefix === undefined) {
        inputs[rule.property] = autoname(rule, logicalName, urn);
    }
    for (const key of DOCUMENT_PROPERTIES) {
        if (key in inputs) inputs[key] = transformJsonDocument(inputs[key]);
    }
    return inputs;
}

/**
 * A new resource's outputs and ID after Create (an update), or as a preview plans them: the same keys, unknown,
 * with the ID unknown too.
 */
export function createdState(type: string, urn: string, inputs: Props, preview: boolean, ctx: ProviderContext): { id: string | undefined; outputs: Props } {
    const model = modelOf(type);
    if (isNative(type) && ctx.nativeRegion) ctx = { ...ctx, region: ctx.nativeRegion };
    // A namePrefix leaves the name to Create, and the other outputs follow from it.
    const rule = model.autoname;
    const named: Props = {};
    if (rule && !isNative(type) && inputs[rule.property] === undefined && typeof inputs.namePrefix === "string") {
        named[rule.property] = `${inputs.namePrefix}2026010100000000${hexOf(urn, 10)}`;
    }
    const created = isProviderType(type) ? { id: uuidOf(urn), outputs: {} } : (model.created ?? DEFAULT_MODEL.created!)({ ...inputs, ...named }, urn, ctx);
    const computed = { ...named, ...created.outputs };
    if (preview) {
        const unknowns = Object.fromEntries(Object.keys(computed).map((k) => [k, UNKNOWN]));
        return { id: undefined, outputs: { ...inputs, ...unknowns, id: UNKNOWN } };
    }
    // An empty ID would read as unknown to the program; every created resource has one.
    const id = created.id || hexOf(urn, 16);
    return { id, outputs: { ...inputs, ...(model.readBack?.(inputs) ?? {}), ...computed, id } };
}

/** Data sources the capture can answer; anything else needs a real provider. */
export function invokeResult(token: string, args: Props, ctx: ProviderContext): Props {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ctx.account, arn: `arn:aws:iam::${ctx.account}:user/ecs-role-guard`, id: ctx.account, userId: "AIDAECSROLEGUARD0001" };
        case "aws:index/getRegion:getRegion":
            return { name: ctx.region, region: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com`, description: ctx.region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:ec2/getVpc:getVpc":
            return {
                id: "vpc-0c0ffee0c0ffee000",
                arn: `arn:aws:ec2:${ctx.region}:${ctx.account}:vpc/vpc-0c0ffee0c0ffee000`,
                cidrBlock: "172.31.0.0/16",
                default: args.default ?? true,
            };
        case "aws:ec2/getSubnets:getSubnets":
            return { id: ctx.region, ids: DEFAULT_SUBNET_IDS };
        case "aws:ec2/getSubnet:getSubnet": {
            // The default VPC's subnets: public, one per zone.
            const id = typeof args.id === "string" ? args.id : DEFAULT_SUBNET_IDS[0];
            const zone = `${ctx.region}${"abc"[Math.max(0, DEFAULT_SUBNET_IDS.indexOf(id)) % 3]}`;
            return {
                id,
                arn: `arn:aws:ec2:${ctx.region}:${ctx.account}:subnet/${id}`,
                vpcId: "vpc-0c0ffee0c0ffee000",
                availabilityZone: zone,
                mapPublicIpOnLaunch: true,
                defaultForAz: true,
            };
        }
        case "aws-native:index:getAccountId":
            return { accountId: ctx.account };
        case "aws-native:index:getRegion":
            return { region: ctx.nativeRegion ?? ctx.region };
        case "aws-native:index:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
        default:
            throw new Error(
                `the capture cannot answer the data source ${token}: it answers only getCallerIdentity, getRegion, getPartition, ec2.getVpc, ec2.getSubnets and ec2.getSubnet ` +
                    "(and aws-native's getAccountId, getRegion and getPartition)",
            );
    }
}
