// The data sources (invokes) a capture answers, and how. A data source reads the cloud; the capture has none, so it
// answers only those whose answer follows from the program and its stack config:
// - `aws.iam.getPolicyDocument`: a pure function of its arguments, rendered as the provider renders it
//   (policyDocument.ts).
// - `aws.getPartition`, `aws.getRegion`: from `aws:region` (us-east-1 by default); `aws.getCallerIdentity`: the
//   account given with `--account`, else 123456789012; aws-native's getAccountId, getRegion and getPartition alike.
// - `aws.iam.getPolicy` for an AWS-managed policy ARN: its default version from the pack's snapshot.
// - `aws.iam.getRole`: a role outside the stack, by name: its ARN (path `/`), name and ID, so the pack speaks of it as
//   a role from outside the stack. Its trust policy and the rest cannot be known: they are absent, and a note says so.
// - `aws.ecr.getAuthorizationToken`: a placeholder token for the account's registry.
// - `aws.getAvailabilityZones`: three zones, `<region>a` to `<region>c` (a note says so); `ec2.getVpc`,
//   `ec2.getSubnets`, `ec2.getSubnet`: a placeholder default VPC with three public subnets (a note says so). Neither
//   reaches an IAM document in any program the pack judges.
// Any other data source is refused: a real preview would read something the capture cannot, so the check ends
// (exit 2) naming it and where the program calls it.

import { findAwsManagedPolicy, parseAwsManagedPolicyArn } from "../policies/iam/managedPolicies";
import { partitionOfRegion } from "../policies/iam/partitions";
import { hexOf } from "./derivedOutputs";
import { renderPolicyDocument } from "./policyDocument";
import type { ProviderContext } from "./providerCheck";

type Props = Record<string, unknown>;

export const DEFAULT_ACCOUNT = "123456789012";
export const DEFAULT_REGION = "us-east-1";

/** Where the capture runs: the stack's region (and aws-native's), and the account. */
export type DataSourceContext = ProviderContext;

export interface DataSourceAnswer {
    readonly result: Props;
    /** What the answer could not know, for the check's notes. */
    readonly note?: string;
}

/** The placeholder default VPC's public subnets, one per zone. */
const DEFAULT_SUBNET_IDS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
const DEFAULT_VPC_ID = "vpc-0c0ffee0c0ffee000";
const DATE = "2026-01-01T00:00:00Z";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The data sources answered, by token; the check's error lists them when it meets another. */
export const ANSWERED_DATA_SOURCES: readonly string[] = [
    "aws:iam/getPolicyDocument:getPolicyDocument",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:iam/getPolicy:getPolicy",
    "aws:iam/getRole:getRole",
    "aws:ecr/getAuthorizationToken:getAuthorizationToken",
    "aws:ec2/getVpc:getVpc",
    "aws:ec2/getSubnets:getSubnets",
    "aws:ec2/getSubnet:getSubnet",
    "aws-native:index:getAccountId",
    "aws-native:index:getRegion",
    "aws-native:index:getPartition",
];

/** A data source the capture cannot answer: a real deployment would read the cloud here. */
export class UnansweredDataSource extends Error {
    constructor(
        readonly token: string,
        why: string,
    ) {
        super(why);
        this.name = "UnansweredDataSource";
    }
}

function getPolicy(args: Props): DataSourceAnswer {
    const token = "aws:iam/getPolicy:getPolicy";
    const arn = str(args.arn);
    if (!arn) {
        throw new UnansweredDataSource(
            token,
            "aws.iam.getPolicy by name or path prefix searches the account's policies: give the ARN of an AWS-managed policy",
        );
    }
    if (!parseAwsManagedPolicyArn(arn)) {
        throw new UnansweredDataSource(token, `aws.iam.getPolicy reads ${arn}, a customer-managed policy outside the stack: its document cannot be known`);
    }
    const policy = findAwsManagedPolicy(arn);
    if (!policy)
        throw new UnansweredDataSource(token, `aws.iam.getPolicy: AWS has no managed policy ${arn} (as of the pack's snapshot); the real call would fail`);
    return {
        result: {
            arn,
            id: arn,
            name: policy.name,
            path: policy.path,
            policy: JSON.stringify(policy.document),
            policyId: `ANPA${hexOf(arn, 17).toUpperCase()}`,
            description: "",
            attachmentCount: 0,
            tags: {},
        },
    };
}

function getRole(args: Props, ctx: DataSourceContext): DataSourceAnswer {
    const name = str(args.name);
    if (!name) throw new UnansweredDataSource("aws:iam/getRole:getRole", "aws.iam.getRole needs the role's name");
    const { name: partition } = partitionOfRegion(ctx.region);
    return {
        result: {
            arn: `arn:${partition}:iam::${ctx.account}:role/${name}`,
            id: name,
            name,
            path: "/",
            uniqueId: `AROA${hexOf(`role:${name}`, 17).toUpperCase()}`,
            createDate: DATE,
            maxSessionDuration: 3600,
            tags: {},
        },
        note: `aws.iam.getRole("${name}") is answered with the role's ARN (path /), name and IDs only; its trust policy and other properties are not known`,
    };
}

/** The capture's answer to the data source `token` called with `args`; throws UnansweredDataSource for any other. */
export function answerDataSource(token: string, args: Props, ctx: DataSourceContext): DataSourceAnswer {
    const { name: partition, dnsSuffix } = partitionOfRegion(ctx.region);
    switch (token) {
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const rendered = renderPolicyDocument(args);
            return { result: { ...args, ...rendered } };
        }
        case "aws:index/getPartition:getPartition":
            return { result: { partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join("."), id: partition } };
        case "aws:index/getRegion:getRegion": {
            const region = str(args.region) ?? str(args.name) ?? ctx.region;
            return { result: { name: region, region, id: region, endpoint: `ec2.${region}.${partitionOfRegion(region).dnsSuffix}`, description: region } };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                result: {
                    accountId: ctx.account,
                    arn: `arn:${partition}:iam::${ctx.account}:user/ecs-role-guard`,
                    id: ctx.account,
                    userId: "AIDAECSROLEGUARD0001",
                },
            };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = ["a", "b", "c"].map((z) => `${ctx.region}${z}`);
            const short = ctx.region.replace(/^(\w+)-(\w)\w*-(\d+)$/, "$1$2$3");
            return {
                result: { ...args, id: ctx.region, names, zoneIds: names.map((_, i) => `${short}-az${i + 1}`), groupNames: [ctx.region] },
                note: `aws.getAvailabilityZones is answered with three zones, ${names.join(", ")}`,
            };
        }
        case "aws:iam/getPolicy:getPolicy":
            return getPolicy(args);
        case "aws:iam/getRole:getRole":
            return getRole(args, ctx);
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken": {
            const registry = str(args.registryId) ?? ctx.account;
            const password = `placeholder-${hexOf(registry, 32)}`;
            return {
                result: {
                    id: ctx.region,
                    registryId: registry,
                    userName: "AWS",
                    password,
                    authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
                    proxyEndpoint: `https://${registry}.dkr.ecr.${ctx.region}.${dnsSuffix}`,
                    expiresAt: DATE,
                },
            };
        }
        case "aws:ec2/getVpc:getVpc":
            return {
                result: {
                    id: DEFAULT_VPC_ID,
                    arn: `arn:${partition}:ec2:${ctx.region}:${ctx.account}:vpc/${DEFAULT_VPC_ID}`,
                    cidrBlock: "172.31.0.0/16",
                    default: args.default ?? true,
                },
                note: "aws.ec2.getVpc is answered with a placeholder default VPC",
            };
        case "aws:ec2/getSubnets:getSubnets":
            return {
                result: { id: ctx.region, ids: DEFAULT_SUBNET_IDS },
                note: "aws.ec2.getSubnets is answered with the placeholder default VPC's three public subnets",
            };
        case "aws:ec2/getSubnet:getSubnet": {
            const id = str(args.id) ?? DEFAULT_SUBNET_IDS[0];
            const zone = `${ctx.region}${"abc"[Math.max(0, DEFAULT_SUBNET_IDS.indexOf(id)) % 3]}`;
            return {
                result: {
                    id,
                    arn: `arn:${partition}:ec2:${ctx.region}:${ctx.account}:subnet/${id}`,
                    vpcId: DEFAULT_VPC_ID,
                    availabilityZone: zone,
                    mapPublicIpOnLaunch: true,
                    defaultForAz: true,
                },
                note: "aws.ec2.getSubnet is answered with a placeholder public subnet of the default VPC",
            };
        }
        case "aws-native:index:getAccountId":
            return { result: { accountId: ctx.account } };
        case "aws-native:index:getRegion":
            return { result: { region: ctx.nativeRegion ?? ctx.region } };
        case "aws-native:index:getPartition":
            return { result: { partition, dnsSuffix } };
        default:
            throw new UnansweredDataSource(token, `the capture cannot answer the data source ${token}: a real preview would read it from the cloud`);
    }
}
