// The capture of a Pulumi program under mocks, checked on one small program written to a temporary directory: what
// the engine would hand the analyzer for each resource, in a preview and in an update.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineResource, UNKNOWN } from "../../cli/engineResources";
import { CaptureError, captureProgram, findProgram } from "../../cli/capture";
import { goJsonMarshal, transformJsonDocument } from "../../cli/providerCheck";

const ROOT = path.resolve(__dirname, "..", "..", "..");

// Inside the repository, so that the program resolves @pulumi/aws from our node_modules; `.e2e-*` is git-ignored.
const makeProgramDir = (): string => fs.mkdtempSync(path.join(ROOT, ".e2e-capture-"));

const PROGRAM = `
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
} as const;

class Inner extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("acme:index:Inner", name, {}, opts);
        this.role = new aws.iam.Role(name + "-role", { assumeRolePolicy: trust }, { parent: this });
        this.registerOutputs({ roleName: this.role.name });
    }
}

class Service extends pulumi.ComponentResource {
    readonly inner: Inner;
    constructor(name: string) {
        super("acme:index:Service", name, {});
        this.inner = new Inner(name + "-inner", { parent: this });
        this.registerOutputs({});
    }
}

const data = new aws.s3.Bucket("Data", { tags: { owner: pulumi.secret("team-a") } });
const svc = new Service("api");
const role = svc.inner.role;

// An object document with a leaf from another resource's output: wholly unknown in a preview.
new aws.iam.RolePolicy("api-data", {
    role: role.id,
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: data.arn }] },
});
// A known object document, given its name, on the role named by its (autonamed, known) name.
new aws.iam.RolePolicy("api-queue", {
    name: "queue",
    role: role.name,
    policy: {
        Version: "2012-10-17",
        Statement: [{ Sid: "Send<&>", Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:123456789012:q" }],
    },
});
// The role itself, as a resource reference.
new aws.iam.RolePolicyAttachment("api-managed", {
    role: role,
    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
});

// A namePrefix leaves the name to Create; the role is attached as a resource reference in a list.
const prefixed = new aws.iam.Role("prefixed", { assumeRolePolicy: trust, namePrefix: "app-" });
new aws.iam.PolicyAttachment("prefixed-read", { roles: [prefixed], policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });

export const roleName = role.name;
export const tier = new pulumi.Config().get("tier");
`;

describe("captureProgram", function () {
    this.timeout(60000);
    let dir: string;
    const captured = {} as Record<"preview" | "update", EngineResource[]>;
    const project = "capture-test";
    const urn = (qualifiedType: string, name: string): string => `urn:pulumi:dev::${project}::${qualifiedType}::${name}`;
    const ROLE = "aws:iam/role:Role";
    const ROLE_URN = urn(`acme:index:Service$acme:index:Inner$${ROLE}`, "api-inner-role");
    const BUCKET_URN = urn("aws:s3/bucket:Bucket", "Data");
    const STACK_URN = urn("pulumi:pulumi:Stack", `${project}-dev`);
    const find = (mode: "preview" | "update", name: string): EngineResource => {
        const r = captured[mode].find((x) => x.name === name);
        assert.ok(r, `${name} captured in ${mode}`);
        return r;
    };

    before(async () => {
        dir = makeProgramDir();
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
        [captured.preview, captured.update] = await Promise.all([captureProgram(dir, { preview: true }), captureProgram(dir, { preview: false })]);
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("returns the root stack first, then resources as their registrations reach the engine, the default provider before its first user", () => {
        const urns = captured.update.map((r) => r.urn);
        assert.equal(urns[0], STACK_URN);
        const firstAws = urns.findIndex((u) => u.includes("::aws:") || u.includes("$aws:"));
        assert.equal(urns[firstAws - 1], urn("pulumi:providers:aws", "default_7_48_0"));
        assert.deepEqual(
            [...urns].sort(),
            [
                STACK_URN,
                urn("pulumi:providers:aws", "default_7_48_0"),
                BUCKET_URN,
                urn("acme:index:Service", "api"),
                urn("acme:index:Service$acme:index:Inner", "api-inner"),
                ROLE_URN,
                urn("aws:iam/rolePolicy:RolePolicy", "api-data"),
                urn("aws:iam/rolePolicy:RolePolicy", "api-queue"),
                urn("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-managed"),
                urn(ROLE, "prefixed"),
                urn("aws:iam/policyAttachment:PolicyAttachment", "prefixed-read"),
            ].sort(),
        );
        // A resource waits for its inputs: the policy built from the bucket's ARN comes after both.
        assert.ok(urns.indexOf(urn("aws:iam/rolePolicy:RolePolicy", "api-data")) > urns.indexOf(BUCKET_URN));
    });

    it("builds URNs from the parent-type chain, and parents top-level resources to the root stack", () => {
        const roleResource = find("preview", "api-inner-role");
        assert.equal(roleResource.urn, ROLE_URN);
        assert.equal(roleResource.parent, urn("acme:index:Service$acme:index:Inner", "api-inner"));
        assert.equal(find("preview", "api-inner").parent, urn("acme:index:Service", "api"));
        assert.equal(find("preview", "api").parent, STACK_URN);
        assert.equal(find("preview", `${project}-dev`).parent, "");
        assert.equal(find("preview", "default_7_48_0").parent, "");
    });

    it("autonames as the provider's Check does, the same in a preview and an update, and keeps a given name", () => {
        const name = find("preview", "api-inner-role").inputs.name;
        assert.match(String(name), /^api-inner-role-[0-9a-f]{7}$/);
        assert.equal(find("update", "api-inner-role").inputs.name, name);
        // A bucket's autoname is its `bucket`, lower-cased.
        assert.match(String(find("update", "Data").inputs.bucket), /^data-[0-9a-f]{7}$/);
        assert.equal(find("update", "api-queue").inputs.name, "queue");
        assert.match(String(find("update", "api-data").inputs.name), /^api-data-[0-9a-f]{7}$/);
    });

    it("serialises a policy object to the compact JSON string the AWS provider hands on", () => {
        const expected =
            '{"Statement":[{"Action":"sqs:SendMessage","Effect":"Allow","Resource":"arn:aws:sqs:us-east-1:123456789012:q","Sid":"Send\\u003c\\u0026\\u003e"}],"Version":"2012-10-17"}';
        for (const mode of ["preview", "update"] as const) {
            assert.equal(find(mode, "api-queue").inputs.policy, expected, mode);
            assert.equal(find(mode, "api-queue").outputs?.policy, expected, mode);
        }
        assert.equal(
            find("preview", "api-inner-role").inputs.assumeRolePolicy,
            '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}],"Version":"2012-10-17"}',
        );
    });

    it("makes a document with one unknown leaf wholly unknown in a preview, and known in an update", () => {
        assert.equal(find("preview", "api-data").inputs.policy, UNKNOWN);
        assert.equal(find("preview", "api-data").outputs?.policy, UNKNOWN);
        const bucket = String(find("update", "Data").inputs.bucket);
        assert.deepEqual(JSON.parse(String(find("update", "api-data").inputs.policy)), {
            Statement: [{ Action: "s3:GetObject", Effect: "Allow", Resource: `arn:aws:s3:::${bucket}` }],
            Version: "2012-10-17",
        });
    });

    it("leaves computed outputs unknown in a preview, and gives realistic ones in an update", () => {
        const preview = find("preview", "api-inner-role");
        assert.equal(preview.outputs?.arn, UNKNOWN);
        assert.equal(preview.outputs?.id, UNKNOWN);
        assert.equal(preview.outputs?.name, preview.inputs.name, "an autoname is known in a preview");
        const update = find("update", "api-inner-role");
        assert.equal(update.outputs?.arn, `arn:aws:iam::123456789012:role/${update.inputs.name}`);
        assert.equal(update.outputs?.id, update.inputs.name);
        assert.deepEqual(update.outputs?.inlinePolicies, [{ name: "", policy: "" }], "the provider's no-inline-policies placeholder");
        assert.equal("arn" in update.inputs, false, "outputs are not inputs");
    });

    it("carries unknown outputs into the inputs that use them, resource references included", () => {
        // role.id and a reference to the role (which the engine downgrades to its ID) are unknown in a preview ...
        assert.equal(find("preview", "api-data").inputs.role, UNKNOWN);
        assert.equal(find("preview", "api-managed").inputs.role, UNKNOWN);
        // ... while role.name, an autoname, is already known.
        assert.equal(find("preview", "api-queue").inputs.role, find("preview", "api-inner-role").inputs.name);
        const roleName = find("update", "api-inner-role").inputs.name;
        assert.equal(find("update", "api-data").inputs.role, roleName);
        assert.equal(find("update", "api-managed").inputs.role, roleName);
    });

    it("leaves a namePrefix name to Create: unknown in a preview, then the name the ARN, ID and references use", () => {
        assert.equal("name" in find("preview", "prefixed").inputs, false);
        assert.equal(find("preview", "prefixed").outputs?.name, UNKNOWN);
        assert.deepEqual(find("preview", "prefixed-read").inputs.roles, [UNKNOWN]);
        const role = find("update", "prefixed");
        const name = String(role.outputs?.name);
        assert.match(name, /^app-[0-9a-f]{26}$/);
        assert.equal(role.outputs?.arn, `arn:aws:iam::123456789012:role/${name}`);
        assert.equal(role.outputs?.id, name);
        assert.deepEqual(find("update", "prefixed-read").inputs.roles, [name]);
        assert.deepEqual(find("update", "prefixed-read").propertyDependencies, { roles: [urn(ROLE, "prefixed")] });
    });

    it("records dependencies and propertyDependencies from the RegisterResource request", () => {
        for (const mode of ["preview", "update"] as const) {
            const policy = find(mode, "api-data");
            assert.deepEqual(policy.propertyDependencies, { role: [ROLE_URN], policy: [BUCKET_URN] }, mode);
            assert.deepEqual([...(policy.dependencies ?? [])].sort(), [BUCKET_URN, ROLE_URN].sort(), mode);
            assert.deepEqual(find(mode, "api-queue").propertyDependencies, { role: [ROLE_URN] }, mode);
            assert.deepEqual(find(mode, "api-managed").propertyDependencies, { role: [ROLE_URN] }, mode);
            assert.deepEqual(find(mode, "Data").propertyDependencies, {}, mode);
        }
    });

    it("names the default provider on each custom resource, and keeps secrets in the engine's wire form", () => {
        const bucket = find("update", "Data");
        assert.deepEqual(bucket.provider, {
            urn: urn("pulumi:providers:aws", "default_7_48_0"),
            type: "pulumi:providers:aws",
            name: "default_7_48_0",
            properties: { version: "7.48.0" },
        });
        assert.deepEqual(bucket.inputs.tags, { owner: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "team-a" } });
        assert.equal(find("update", "api").provider, undefined, "a component has no provider");
    });

    it("gives components and the root stack the outputs they registered", () => {
        assert.deepEqual(find("update", "api-inner").outputs, { roleName: find("update", "api-inner-role").inputs.name });
        assert.deepEqual(find("update", `${project}-dev`).outputs, { roleName: find("update", "api-inner-role").inputs.name });
        assert.deepEqual(find("preview", `${project}-dev`).inputs, {});
    });

    it("takes the project and stack given, in a fresh process that nothing of the earlier captures reaches", async () => {
        const other = await captureProgram(dir, { preview: true, project: "other", stack: "prod", config: { tier: "gold", "aws:region": "eu-west-1" } });
        assert.equal(other[0].urn, "urn:pulumi:prod::other::pulumi:pulumi:Stack::other-prod");
        assert.equal(
            other.find((r) => r.name === "api-inner-role")?.urn,
            `urn:pulumi:prod::other::acme:index:Service$acme:index:Inner$${ROLE}::api-inner-role`,
        );
        assert.deepEqual(
            other.map((r) => r.name),
            captured.preview.map((r) => (r.name === `${project}-dev` ? "other-prod" : r.name)),
        );
        // Stack config reaches the program, and the default provider takes its package's keys.
        assert.equal(other[0].outputs?.tier, "gold");
        assert.deepEqual(other.find((r) => r.type === "pulumi:providers:aws")?.inputs, { region: "eu-west-1", version: "7.48.0" });
        assert.equal(find("preview", `${project}-dev`).outputs?.tier, undefined);
    });

    it("fails with the program's own error, and names a data source it cannot answer, each where the program meets it", async () => {
        const failing = makeProgramDir();
        try {
            fs.writeFileSync(path.join(failing, "index.ts"), `throw new Error("boom from the program");\n`);
            await assert.rejects(captureProgram(failing, { preview: true }), (e: CaptureError) => {
                assert.deepEqual(
                    e.failures.map((f) => [f.message, f.site && [path.basename(f.site.file), f.site.line, f.site.column]]),
                    [["the program failed: boom from the program", ["index.ts", 1, 7]]],
                );
                return true;
            });
            fs.writeFileSync(
                path.join(failing, "index.ts"),
                `import * as aws from "@pulumi/aws";\nexport const ami = aws.ec2.getAmiOutput({ owners: ["amazon"] }).id;\n`,
            );
            await assert.rejects(captureProgram(failing, { preview: true }), (e: CaptureError) => {
                assert.deepEqual(
                    e.failures.map((f) => [f.message, f.site && [path.basename(f.site.file), f.site.line, f.site.column]]),
                    [["the capture cannot answer the data source aws:ec2/getAmi:getAmi: a real preview would read it from the cloud", ["index.ts", 2, 28]]],
                );
                return true;
            });
        } finally {
            fs.rmSync(failing, { recursive: true, force: true });
        }
    });
});

describe("findProgram", () => {
    it("finds a program directory's index.ts and its Pulumi.yaml project, and takes a file as given", () => {
        const example = path.join(ROOT, "examples", "fargate-correct");
        assert.deepEqual(findProgram(example), { main: path.join(example, "index.ts"), programDir: example, project: "fargate-correct", projectDir: example });
        const compiled = path.join(ROOT, "bin", "examples", "fargate-correct", "index.js");
        assert.deepEqual(findProgram(compiled), { main: compiled, programDir: path.dirname(compiled), project: undefined, projectDir: undefined });
    });
});

describe("the AWS provider's TransformJSONDocument, as the capture models it", () => {
    it("marshals like Go: keys sorted at every level, compact, HTML characters escaped", () => {
        assert.equal(goJsonMarshal({ b: [{ z: 1, a: "<x>" }], a: true }), '{"a":true,"b":[{"a":"\\u003cx\\u003e","z":1}]}');
    });

    it("keeps a string as given and makes any unknown leaf unknown for the whole document", () => {
        assert.equal(transformJsonDocument('{ "Version": "2012-10-17" }'), '{ "Version": "2012-10-17" }');
        assert.equal(transformJsonDocument({ Statement: [{ Resource: [UNKNOWN] }] }), UNKNOWN);
    });
});
