/**
 * The AWS partitions: which Regions each holds, by the prefix of their names, and the DNS suffix
 * of its endpoints. From the AWS SDKs' partition data (`partitions.json`, as `@aws-sdk/core`
 * ships it); `test/iam/partitions.test.ts` holds this table to that data for every Region of the
 * pinned `@pulumi/aws`, so a Region of a new partition fails the build instead of being read as
 * commercial AWS.
 */
export interface Partition {
    /** The partition as ARNs name it: `aws`, `aws-cn`, `aws-us-gov`, ... */
    readonly name: string;
    /** The start of every Region name of the partition; undefined for `aws`, which holds the rest. */
    readonly regionPrefix: string | undefined;
    /** Endpoints are `<service>.<region>.<dnsSuffix>`. GovCloud shares commercial AWS's suffix. */
    readonly dnsSuffix: string;
}

const COMMERCIAL: Partition = { name: "aws", regionPrefix: undefined, dnsSuffix: "amazonaws.com" };

export const PARTITIONS: readonly Partition[] = [
    COMMERCIAL,
    { name: "aws-cn", regionPrefix: "cn-", dnsSuffix: "amazonaws.com.cn" },
    { name: "aws-us-gov", regionPrefix: "us-gov-", dnsSuffix: "amazonaws.com" },
    { name: "aws-iso", regionPrefix: "us-iso-", dnsSuffix: "c2s.ic.gov" },
    { name: "aws-iso-b", regionPrefix: "us-isob-", dnsSuffix: "sc2s.sgov.gov" },
    { name: "aws-iso-e", regionPrefix: "eu-isoe-", dnsSuffix: "cloud.adc-e.uk" },
    { name: "aws-iso-f", regionPrefix: "us-isof-", dnsSuffix: "csp.hci.ic.gov" },
    { name: "aws-eusc", regionPrefix: "eusc-", dnsSuffix: "amazonaws.eu" },
];

/** The partition that holds a Region, read from its name (in lower case, as Regions are named). */
export function partitionOfRegion(region: string): Partition {
    return PARTITIONS.find((p) => p.regionPrefix !== undefined && region.startsWith(p.regionPrefix)) ?? COMMERCIAL;
}
