import { strict as assert } from "assert";
import { repeatedKey } from "../../policies/iam/jsonText";

describe("repeatedKey", () => {
    it("finds nothing in a text whose objects each hold a key once, the same key in two objects included", () => {
        assert.equal(repeatedKey('{"Statement":[{"Effect":"Allow"},{"Effect":"Deny"}],"Version":"2012-10-17"}'), undefined);
    });

    it("names a key repeated at the top with the empty path", () => {
        assert.deepEqual(repeatedKey('{"Statement":[],"Statement":{}}'), { key: "Statement", path: "" });
    });

    it("names the path of a nested object that repeats a key, through lists and objects", () => {
        assert.deepEqual(repeatedKey('{"Statement":[{},{"Condition":{"StringEquals":{"aws:x":"a","aws:x":"b"}}}]}'), {
            key: "aws:x",
            path: "Statement[1].Condition.StringEquals",
        });
    });

    it("names the first key repeated when several are", () => {
        assert.deepEqual(repeatedKey('{"a":1,"a":2,"b":1,"b":2}'), { key: "a", path: "" });
    });

    it("decodes a key's escapes before comparing, as JSON.parse does", () => {
        assert.deepEqual(repeatedKey('{"Effect":"Deny","\\u0045ffect":"Allow"}'), { key: "Effect", path: "" });
    });

    it("does not take a key of an object that has ended for one of the object around it", () => {
        assert.equal(repeatedKey('{"a":{"b":1},"b":2}'), undefined);
    });
});
