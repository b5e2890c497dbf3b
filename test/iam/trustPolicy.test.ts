import { strict as assert } from "assert";
import { parseTrustPolicy } from "../../policies/iam/trustPolicy";
import { ASSUME_ECS_TASKS, UNKNOWN } from "../helpers/stacks";

const isUnknown = (v: unknown) => v === UNKNOWN;
const sizeOf = (raw: unknown) => {
    const trust = parseTrustPolicy(raw, isUnknown);
    return trust.kind === "known" ? trust.size : undefined;
};

describe("parseTrustPolicy", function () {
    it("counts a trust policy's characters as IAM counts them against its quota of 2,048: 199 for the recommended one", function () {
        assert.equal(sizeOf(ASSUME_ECS_TASKS), 199);
    });

    it("leaves whitespace between the elements out of the count", function () {
        assert.equal(sizeOf(JSON.stringify(JSON.parse(ASSUME_ECS_TASKS), null, 4)), 199);
    });

    it("counts a trust policy given as an object on its compact JSON", function () {
        const trust = { Statement: { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" } };
        assert.equal(sizeOf(trust), 108);
    });

    it("counts an unknown leaf as one character, so that the count is never more than IAM's", function () {
        const trust = { Statement: { Effect: "Allow", Principal: { Service: UNKNOWN }, Action: "sts:AssumeRole" } };
        assert.equal(sizeOf(trust), 84);
    });

    it("counts nothing for a trust policy it cannot read", function () {
        assert.equal(sizeOf("{ not json"), 0);
    });
});
