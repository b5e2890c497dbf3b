import * as assert from "assert";
import { awsEndpointFunctions } from "@aws-sdk/core/client";
import { Region } from "@pulumi/aws/types/enums";
import { AWS_PARTITIONS } from "../../policies/iam/policyDocument";
import { partitionOfRegion, PARTITIONS } from "../../policies/iam/partitions";

/** The AWS SDKs' answer for a Region: its partition's name and DNS suffix. */
const sdkPartition = (region: string) => awsEndpointFunctions.partition(region) as { name: string; dnsSuffix: string };

describe("partitions", () => {
    it("reads every Region of the pinned @pulumi/aws as the AWS SDKs' partition data does, name and DNS suffix", () => {
        const regions: string[] = Object.values(Region);
        assert.ok(regions.length > 40, `only ${regions.length} Regions`);
        for (const region of regions) {
            const sdk = sdkPartition(region);
            const ours = partitionOfRegion(region);
            assert.deepEqual([ours.name, ours.dnsSuffix], [sdk.name, sdk.dnsSuffix], region);
        }
    });

    it("names every partition a Region of @pulumi/aws is in, and no other", () => {
        const used = new Set(Object.values(Region).map((r) => sdkPartition(r).name));
        assert.deepEqual(PARTITIONS.map((p) => p.name).sort(), [...used].sort());
    });

    it("holds the partitions ARNs can name", () => {
        assert.deepEqual(AWS_PARTITIONS, ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]);
    });

    it("reads a Region it does not know by the start of its name, the rest as commercial AWS", () => {
        assert.deepEqual(
            ["us-gov-south-9", "cn-south-9", "us-isob-south-9", "us-iso-south-9", "eusc-fr-east-1", "xx-west-9"].map((r) => partitionOfRegion(r).name),
            ["aws-us-gov", "aws-cn", "aws-iso-b", "aws-iso", "aws-eusc", "aws"],
        );
    });
});
