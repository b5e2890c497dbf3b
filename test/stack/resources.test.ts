import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { foreignDoorKeys, fromPolicyResources, isUnknown, plain, shortType, unwrapProps, valueAt, valuesAt } from "../../policies/stack/resources";

const SIGNATURE = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ENCRYPTED = { [SIGNATURE]: SECRET, ciphertext: "AAAA" };
const ROLE_URN = "urn:pulumi:dev::app::aws:iam/role:Role::task";

/** A secret as the engine marshals one, around `value`. */
const secret = (value: unknown) => ({ [SIGNATURE]: SECRET, value });

describe("resources as the pack reads them", () => {
    describe("secrets", () => {
        it("takes a secret holding only its ciphertext for a value not known, and one with its plaintext or value for a known one", () => {
            assert.equal(isUnknown(ENCRYPTED), true);
            assert.equal(isUnknown({ [SIGNATURE]: SECRET, ciphertext: "AAAA", plaintext: '"web"' }), false);
            assert.equal(isUnknown({ [SIGNATURE]: SECRET, value: "web" }), false);
        });

        it("unwraps a secret of a secret at most four levels deep, and gives the fifth wrapper as it is, for its reader to report", () => {
            assert.equal(plain(secret(secret(secret(secret("web"))))), "web");
            assert.deepEqual(plain(secret(secret(secret(secret(secret("web")))))), secret("web"));
        });

        it("reads a --show-secrets plaintext as JSON, and leaves a plaintext that is not JSON text as it is", () => {
            assert.deepEqual(plain({ [SIGNATURE]: SECRET, plaintext: '["a"]' }), ["a"]);
            assert.deepEqual(plain({ [SIGNATURE]: SECRET, plaintext: "not json {" }), { [SIGNATURE]: SECRET, plaintext: "not json {" });
            assert.deepEqual(plain({ [SIGNATURE]: SECRET, plaintext: 7 }), { [SIGNATURE]: SECRET, plaintext: 7 });
        });
    });

    describe("props", () => {
        it("reads props that are not an object as none, never as the value itself", () => {
            assert.deepEqual(unwrapProps(undefined), {});
            assert.deepEqual(unwrapProps(null), {});
            assert.deepEqual(unwrapProps("role"), {});
        });

        it("returns a plain object as it is, and the very target behind @pulumi/policy's unknown-checking proxy", () => {
            const props = { name: "task", arn: UNKNOWN };
            assert.equal(unwrapProps(props), props);
            const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };
            assert.equal(unwrapProps(unknownCheckingProxy(props)), props);
        });

        it("copies the own properties of a proxy of another make, whose target key answers nothing or null", () => {
            assert.deepEqual(unwrapProps(new Proxy({ name: "task" }, {})), { name: "task" });
            const answersNull = new Proxy({ name: "task" }, { get: (target, key) => (key === "__getSpecialProxyTarget" ? null : Reflect.get(target, key)) });
            assert.deepEqual(unwrapProps(answersNull), { name: "task" });
        });
    });

    describe("values at a path", () => {
        it("reads a path through null as not set, and through a secret not known as that secret", () => {
            assert.equal(valueAt({ definition: null }, "definition.roles"), undefined);
            assert.deepEqual(valueAt({ definition: ENCRYPTED }, "definition.roles"), ENCRYPTED);
        });

        it("leaves out a value that is null, and a list element that is null, as not set", () => {
            assert.deepEqual(valuesAt({ policy: null }, "policy"), []);
            assert.deepEqual(valuesAt({ replicas: [null, { policy: "{}" }] }, "replicas[].policy"), [{ at: "replicas[1].policy", value: "{}" }]);
        });
    });

    describe("types the table of doors does not know", () => {
        const FUTURE = "aws:future/grant:Grant";

        it("keeps the properties with dependencies whose names say they hold a policy, outside the iam modules too", () => {
            assert.deepEqual(foreignDoorKeys(FUTURE, { policy: [ROLE_URN], tags: [ROLE_URN] }), ["policy"]);
        });

        it("keeps none for a property that depends on nothing, or whose dependencies are not a list", () => {
            assert.equal(foreignDoorKeys(FUTURE, { policy: [] }), undefined);
            assert.equal(foreignDoorKeys(FUTURE, { policy: "x" as unknown as unknown[] }), undefined);
        });

        it("reads only a resource's own dependencies, never its prototype's", () => {
            assert.equal(foreignDoorKeys(FUTURE, Object.create({ policy: [ROLE_URN] }) as Record<string, unknown[]>), undefined);
        });

        it("leaves out a resource of a type the table calls irrelevant, whatever it depends on", () => {
            const share = {
                urn: "urn:pulumi:dev::app::aws:ram/resourceShare:ResourceShare::share",
                type: "aws:ram/resourceShare:ResourceShare",
                name: "share",
                props: { name: "share" },
                propertyDependencies: { policy: [{ urn: ROLE_URN }] },
            } as unknown as PolicyResource;
            assert.deepEqual(fromPolicyResources([share], new Map()), []);
        });
    });

    it("names a type of a provider it does not know by its type token", () => {
        assert.equal(shortType("pulumi:providers:aws"), "pulumi:providers:aws");
    });
});
