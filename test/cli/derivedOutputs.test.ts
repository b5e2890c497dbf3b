// Every output the SDKs declare as always present has a value in an update capture, of the shape the SDK declares,
// and is unknown in a preview, for every resource type of the modules an ECS stack's IAM touches. The test reads the
// declarations itself, more simply than the capture does, so that the two must agree.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN } from "../../cli/engineResources";
import { SdkDeclarations } from "../../cli/declaredOutputs";
import { checkInputs, createdState } from "../../cli/providerCheck";
import { IDENTITY_PROPERTIES, MODEL_PROPERTIES } from "../../policies/stack/resourceShapes";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CTX = { region: "eu-west-1", account: "111122223333" };

/** The modules the issue names, and the IAM service prefix their ARNs must carry: the same in both SDKs but for Logs. */
const SHARED: Record<string, string> = {
    iam: "iam",
    ecs: "ecs",
    ecr: "ecr",
    secretsmanager: "secretsmanager",
    ssm: "ssm",
    kms: "kms",
    s3: "s3",
    dynamodb: "dynamodb",
    sqs: "sqs",
    sns: "sns",
};
const MODULES: Record<string, Record<string, string>> = {
    aws: { ...SHARED, cloudwatch: "cloudwatch" },
    "aws-native": { ...SHARED, logs: "logs" },
};

/** @pulumi/aws keeps CloudWatch Logs and EventBridge types in its cloudwatch module. */
function serviceOf(pkg: string, module: string, className: string): string {
    if (pkg === "aws" && module === "cloudwatch") return className.startsWith("Log") ? "logs" : className.startsWith("Event") ? "events" : "cloudwatch";
    return MODULES[pkg][module];
}

interface Declared {
    name: string;
    type: string;
    optional: boolean;
}

/** The test's own reading of a class's outputs: `readonly name: pulumi.Output<type>;`. */
function declaredOutputs(text: string): Declared[] {
    return [...text.matchAll(/^ {4}readonly (\w+): pulumi\.Output<([\s\S]*?)>;$/gm)].map((m) => {
        const type = m[2].replace(/\s+/g, " ").trim();
        return { name: m[1], type, optional: / \| undefined$/.test(type) };
    });
}

/** What a value of a declared type looks like in JavaScript. */
function shapeOf(type: string): "string" | "number" | "boolean" | "array" | "object" | "any" {
    // A union's value is of its first member's shape.
    const t = type.startsWith("{") ? type : type.replace(/ \| undefined$/, "").split(" | ")[0];
    if (t.endsWith("[]")) return "array";
    if (t === "string" || t.startsWith("string |") || t.startsWith("enums.") || t.startsWith('"')) return "string";
    if (t === "number") return "number";
    if (t === "boolean") return "boolean";
    if (t.startsWith("{") || t.startsWith("outputs.")) return "object";
    return "any";
}

function hasShape(value: unknown, shape: ReturnType<typeof shapeOf>): boolean {
    switch (shape) {
        case "array":
            return Array.isArray(value);
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        case "any":
            return value !== undefined;
        default:
            return typeof value === shape;
    }
}

interface ResourceClass {
    token: string;
    className: string;
    jsFile: string;
    declared: Declared[];
}

function classesOf(pkg: string, module: string): ResourceClass[] {
    const dir = path.join(ROOT, "node_modules", "@pulumi", pkg, module);
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".d.ts") && f !== "index.d.ts")
        .flatMap((f) => {
            const text = fs.readFileSync(path.join(dir, f), "utf8");
            const cls = /export declare class (\w+) extends pulumi\.CustomResource/.exec(text);
            if (!cls) return [];
            const jsFile = path.join(dir, f.replace(/\.d\.ts$/, ".js"));
            const token = /__pulumiType = '([^']+)'/.exec(fs.readFileSync(jsFile, "utf8"))![1];
            return [{ token, className: cls[1], jsFile, declared: declaredOutputs(text) }];
        });
}

for (const [pkg, modules] of Object.entries(MODULES)) {
    describe(`outputs of every @pulumi/${pkg} type an ECS stack's IAM touches`, function () {
        this.timeout(120000);
        const sdk = new SdkDeclarations(path.join(ROOT, "node_modules", "@pulumi", pkg));
        for (const module of Object.keys(modules)) {
            it(`${module}: each declared output has a value of its shape in an update, ARNs of the right service, region and account, and is unknown in a preview`, () => {
                const classes = classesOf(pkg, module);
                assert.ok(classes.length > 0, `${pkg}/${module} has resource classes`);
                for (const c of classes) {
                    const urn = `urn:pulumi:dev::p::${c.token}::thing`;
                    const declarations = { outputs: sdk.outputsOf(c.jsFile, c.className), fieldsOf: (ref: string) => sdk.fieldsOf(ref) };
                    // As the capture runs a registration: the provider's Check (autonaming), then Create or the plan.
                    const inputs = checkInputs(c.token, "thing", urn, {}, declarations);
                    const update = createdState(c.token, urn, inputs, false, CTX, declarations).outputs;
                    const preview = createdState(c.token, urn, inputs, true, CTX, declarations).outputs;
                    // What only identifies the resource may be a stand-in of the right shape; what it grants never is.
                    const identities = IDENTITY_PROPERTIES.get(c.token) ?? [];
                    const judged = new Set((MODEL_PROPERTIES.get(c.token) ?? []).filter((p) => !identities.includes(p)));
                    for (const d of c.declared) {
                        if (d.optional) {
                            // Unless Check autonamed it, an optional output the program did not set stays absent.
                            if (inputs[d.name] === undefined) assert.equal(update[d.name], undefined, `${c.token}.${d.name} (optional, not set) stays absent`);
                            continue;
                        }
                        if (inputs[d.name] === undefined) assert.equal(preview[d.name], UNKNOWN, `${c.token}.${d.name} is unknown in a preview`);
                        if (judged.has(d.name) && update[d.name] === undefined) continue;
                        assert.ok(
                            hasShape(update[d.name], shapeOf(d.type)),
                            `${c.token}.${d.name}: ${JSON.stringify(update[d.name])} is not a ${shapeOf(d.type)} (${d.type})`,
                        );
                        if (judged.has(d.name) && typeof update[d.name] === "string") {
                            assert.doesNotMatch(
                                update[d.name] as string,
                                /^\w+-[0-9a-f]{12}$/,
                                `${c.token}.${d.name}, which the pack reads, is no placeholder`,
                            );
                        }
                    }
                    const arnName = c.declared.some((d) => d.name === "arn" && !d.optional) ? "arn" : undefined;
                    if (arnName) {
                        const service = serviceOf(pkg, module, c.className);
                        const arn = String(update.arn).replace(/:\*$/, "");
                        const expected =
                            service === "s3"
                                ? /^arn:aws:s3:::\S+$/
                                : service === "iam"
                                  ? /^arn:aws:iam::111122223333:\S+$/
                                  : new RegExp(`^arn:aws:${service}:eu-west-1:111122223333:\\S+$`);
                        assert.match(arn, expected, `${c.token}.arn`);
                    }
                    assert.equal(preview.id, UNKNOWN, `${c.token}: the ID is unknown in a preview`);
                    assert.equal(typeof update.id, "string", `${c.token}: an ID in an update`);
                }
            });
        }
    });
}

describe("ECR repository URLs and ARNs in an update", () => {
    const sdk = new SdkDeclarations(path.join(ROOT, "node_modules", "@pulumi", "aws"));
    const ecr = path.join(ROOT, "node_modules", "@pulumi", "aws", "ecr", "repository.js");
    const dynamodb = path.join(ROOT, "node_modules", "@pulumi", "aws", "dynamodb", "table.js");

    it("names the account's registry in the stack's region and the repository", () => {
        const outputs = createdState("aws:ecr/repository:Repository", "urn:pulumi:dev::p::aws:ecr/repository:Repository::app", { name: "app" }, false, CTX, {
            outputs: sdk.outputsOf(ecr, "Repository"),
            fieldsOf: (r) => sdk.fieldsOf(r),
        }).outputs;
        assert.equal(outputs.repositoryUrl, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app");
        assert.equal(outputs.arn, "arn:aws:ecr:eu-west-1:111122223333:repository/app");
        assert.equal(outputs.registryId, "111122223333");
    });

    it("gives a DynamoDB table its table ARN, and fills the fields its always-present objects declare", () => {
        const outputs = createdState(
            "aws:dynamodb/table:Table",
            "urn:pulumi:dev::p::aws:dynamodb/table:Table::orders",
            { name: "orders", hashKey: "id" },
            false,
            { region: "cn-north-1", account: "111122223333" },
            { outputs: sdk.outputsOf(dynamodb, "Table"), fieldsOf: (r) => sdk.fieldsOf(r) },
        ).outputs;
        assert.equal(outputs.arn, "arn:aws-cn:dynamodb:cn-north-1:111122223333:table/orders");
        // TableTtl declares both of its fields optional; TablePointInTimeRecovery declares `enabled` always present.
        assert.deepEqual(outputs.ttl, {});
        assert.equal((outputs.pointInTimeRecovery as Record<string, unknown>).enabled, false);
    });
});
