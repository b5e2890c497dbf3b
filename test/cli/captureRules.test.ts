// What `check` promises about a capture, one program per promise, each captured as a preview and as an update:
// nothing is lost in silence (every failure named with the program's file and line), every output has a value,
// pure data sources are answered as the provider answers them, stack config is read as Pulumi reads it, compile
// errors are reported where they are, and awsx's target-group port mappings and ECR components are built.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineResource, UNKNOWN } from "../../cli/engineResources";
import { Capture, capture, CaptureError, CaptureOptions } from "../../cli/capture";
import { InputError } from "../../cli/errors";

const ROOT = path.resolve(__dirname, "..", "..", "..");
type Mode = "preview" | "update";
const MODES: readonly Mode[] = ["preview", "update"];

/** A program written to a directory inside the repository (so that it resolves our @pulumi packages); `.e2e-*` is git-ignored. */
function writeProgram(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(ROOT, ".e2e-rules-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

/** A failure as a reader checks it: its message, and its place as `file:line:column` inside the program. */
function failuresOf(e: unknown, dir: string): [string, string | undefined][] {
    assert.ok(e instanceof CaptureError, `a CaptureError, not ${String(e)}`);
    return e.failures.map((f) => [f.message, f.site && `${path.relative(dir, f.site.file)}:${f.site.line}:${f.site.column}`]);
}

async function both(dir: string, opts: Partial<CaptureOptions> = {}): Promise<Record<Mode, Capture | unknown>> {
    const [preview, update] = await Promise.all(MODES.map((mode) => capture(dir, { ...opts, preview: mode === "preview" }).catch((e: unknown) => e)));
    return { preview, update };
}

const resource = (c: Capture, end: string): EngineResource => {
    const found = c.resources.find((r) => r.urn.endsWith(end));
    assert.ok(found, `no resource ending ${end}`);
    return found;
};

describe("a capture never answers over part of a stack", function () {
    this.timeout(180000);
    const dirs: string[] = [];
    const program = (files: Record<string, string>): string => {
        const dir = writeProgram(files);
        dirs.push(dir);
        return dir;
    };
    after(() => {
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("names a data source it cannot answer where it is called, and each resource built on it", async () => {
        const dir = program({
            "index.ts": `import * as aws from "@pulumi/aws";
const ami = aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true });
const role = new aws.iam.Role("app", { assumeRolePolicy: "{}", tags: { ami: ami.id } });
new aws.ecs.TaskDefinition("app", { family: "app", containerDefinitions: "[]", taskRoleArn: role.arn, executionRoleArn: role.arn });
`,
        });
        const captured = await both(dir);
        for (const mode of MODES) {
            assert.deepEqual(
                failuresOf(captured[mode], dir),
                [
                    ["the capture cannot answer the data source aws:ec2/getAmi:getAmi: a real preview would read it from the cloud", "index.ts:2:21"],
                    ['aws:iam/role:Role "app" could not be registered: its input tags depends on a failure above', "index.ts:3:14"],
                    [
                        'aws:ecs/taskDefinition:TaskDefinition "app" could not be registered: its input executionRoleArn depends on a failure above',
                        "index.ts:4:1",
                    ],
                ],
                mode,
            );
        }
    });

    it("fails a resource whose input is a rejected Output, or the result of an apply that throws", async () => {
        const dir = program({
            "index.ts": `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const sealed = pulumi.output(Promise.reject(new Error("the vault is sealed")));
const role = new aws.iam.Role("app", { assumeRolePolicy: "{}" });
new aws.iam.RolePolicy("app-secrets", { role: role.name, policy: sealed });
new aws.iam.RolePolicy("app-data", {
    role: role.name,
    policy: pulumi.output("data").apply((): string => {
        throw new Error("no policy for data");
    }),
});
`,
        });
        const captured = await both(dir);
        for (const mode of MODES) {
            assert.deepEqual(
                failuresOf(captured[mode], dir),
                [
                    ['aws:iam/rolePolicy:RolePolicy "app-secrets" could not be registered: its input policy failed: the vault is sealed', "index.ts:6:1"],
                    ['aws:iam/rolePolicy:RolePolicy "app-data" could not be registered: its input policy failed: no policy for data', "index.ts:7:1"],
                ],
                mode,
            );
        }
    });

    it("fails on an unhandled rejection, an exception in an apply nobody reads, and an error the program logs", async () => {
        const dir = program({
            "index.ts": `import * as pulumi from "@pulumi/pulumi";

Promise.reject(new Error("nobody waits for this"));
pulumi.output(1).apply(() => {
    throw new Error("thrown where nobody looks");
});
pulumi.log.error("the program gave up");
`,
        });
        const captured = await both(dir);
        for (const mode of MODES) {
            assert.deepEqual(
                failuresOf(captured[mode], dir),
                [
                    ["the program logged an error: the program gave up", "index.ts:7:12"],
                    ["the program failed: nobody waits for this", "index.ts:3:16"],
                    ["the program failed: thrown where nobody looks", "index.ts:5:11"],
                ],
                mode,
            );
        }
    });

    it("refuses state it cannot know: a judged resource read with .get(), a stack reference, a component it does not build", async () => {
        const dir = program({
            "index.ts": `import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

const shared = aws.iam.Role.get("shared", "platform-exec");
const network = new pulumi.StackReference("acme/network/prod");
const vpc = new awsx.ec2.Vpc("main");
export const out = { role: shared.arn, subnets: network.getOutput("subnetIds"), vpcId: vpc.vpcId };
`,
        });
        const captured = await both(dir);
        for (const mode of MODES) {
            assert.deepEqual(
                failuresOf(captured[mode], dir),
                [
                    ['aws:iam/role:Role "shared" is read with .get(): its state, which the pack would judge, cannot be known offline', "index.ts:5:29"],
                    [`stack reference "acme/network/prod" reads another stack's outputs, which a check cannot read offline`, "index.ts:6:17"],
                    ['awsx:ec2:Vpc "main" is a multi-language component the capture does not build: its children would be missing', "index.ts:7:13"],
                ],
                mode,
            );
        }
    });

    it("reports a syntax error with its message and place", async () => {
        const dir = program({ "index.ts": `import * as aws from "@pulumi/aws";\n\nexport const role = new aws.iam.Role("app", { assumeRolePolicy: "{}" ;\n` });
        const captured = await both(dir);
        for (const mode of MODES) {
            assert.deepEqual(
                failuresOf(captured[mode], dir),
                [
                    ["error TS1005: ',' expected.", "index.ts:3:70"],
                    ["error TS1005: '}' expected.", "index.ts:4:1"],
                ],
                mode,
            );
        }
    });

    it("type-checks a TypeScript program with its tsconfig, as the language host does, and reports each type error", async () => {
        const dir = program({
            "index.ts": `import * as aws from "@pulumi/aws";

const retention: string = 30;
export const logs = new aws.cloudwatch.LogGroup("app", { retentionInDays: retention });
`,
            "tsconfig.json": '{ "compilerOptions": { "strict": true, "target": "ES2020", "module": "commonjs", "moduleResolution": "node" } }',
        });
        await assert.rejects(capture(dir, { preview: true, typeCheck: true }), (e: unknown) => {
            assert.deepEqual(failuresOf(e, dir), [
                ["error TS2322: Type 'number' is not assignable to type 'string'.", "index.ts:3:7"],
                ["error TS2322: Type 'string' is not assignable to type 'Input<number | undefined>'.", "index.ts:4:58"],
            ]);
            return true;
        });
    });
});

describe("a capture of a program written as people write it", function () {
    this.timeout(180000);
    let dir: string;
    let captured: Record<Mode, Capture>;
    const CONFIG = { "aws:region": "eu-west-1" };
    const ACCOUNT = "111122223333";

    before(async () => {
        dir = writeProgram({
            "Pulumi.yaml": "name: shop\nruntime: nodejs\n",
            "index.ts": `import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const partition = aws.getPartitionOutput().partition;
const region = aws.getRegionOutput().region;
const account = aws.getCallerIdentityOutput().accountId;
const zones = aws.getAvailabilityZonesOutput().names;
const repo = new aws.ecr.Repository("app");
const table = new aws.dynamodb.Table("orders", { attributes: [{ name: "id", type: "S" }], hashKey: "id", billingMode: "PAY_PER_REQUEST" });
const trust = aws.iam.getPolicyDocumentOutput({
    statements: [
        {
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
            conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
    ],
});
const role = new aws.iam.Role("task", { assumeRolePolicy: trust.json });
const data = aws.iam.getPolicyDocumentOutput({ statements: [{ actions: ["dynamodb:PutItem", "dynamodb:GetItem"], resources: [table.arn] }] });
new aws.iam.RolePolicy("task-data", { role: role.id, policy: data.json });
const managed = aws.iam.getPolicyOutput({ arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" });
const outside = aws.iam.getRoleOutput({ name: "platform-exec" });
const token = aws.ecr.getAuthorizationTokenOutput({});
const webRepo = new awsx.ecr.Repository("web");
const image = new awsx.ecr.Image("web", { repositoryUrl: webRepo.url, context: "./app" });
const tg = new aws.lb.TargetGroup("web", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-123" });
new awsx.ecs.FargateService("web", {
    networkConfiguration: { subnets: ["subnet-1"] },
    taskDefinitionArgs: {
        executionRole: { roleArn: outside.arn },
        taskRole: { roleArn: role.arn },
        container: { name: "web", image: image.imageUri, portMappings: [{ targetGroup: tg }] },
    },
});
export const out = {
    partition,
    region,
    account,
    zones,
    url: repo.repositoryUrl,
    tableArn: table.arn,
    managedName: managed.name,
    managedStatements: managed.policy.apply((p) => JSON.parse(p).Statement.length),
    outsideArn: outside.arn,
    user: token.userName,
    image: image.imageUri,
};
`,
        });
        const [preview, update] = await Promise.all(MODES.map((mode) => capture(dir, { preview: mode === "preview", config: CONFIG, account: ACCOUNT })));
        captured = { preview, update };
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("answers the pure data sources from the stack's region and account, and AWS-managed policies from the snapshot", () => {
        const out = resource(captured.update, "pulumi:pulumi:Stack::shop-dev").outputs!.out as Record<string, unknown>;
        const repo = resource(captured.update, "::aws:ecr/repository:Repository::app");
        const table = resource(captured.update, "::aws:dynamodb/table:Table::orders");
        assert.deepEqual(out, {
            partition: "aws",
            region: "eu-west-1",
            account: "111122223333",
            zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
            url: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${repo.inputs.name}`,
            tableArn: `arn:aws:dynamodb:eu-west-1:111122223333:table/${table.inputs.name}`,
            managedName: "AmazonECSTaskExecutionRolePolicy",
            managedStatements: 1,
            outsideArn: "arn:aws:iam::111122223333:role/platform-exec",
            user: "AWS",
            image: out.image,
        });
        assert.match(String(out.image), new RegExp(`^111122223333\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/web-[0-9a-f]{7}@sha256:[0-9a-f]{64}$`));
        assert.deepEqual(captured.update.notes, [
            'aws.iam.getRole("platform-exec") is answered with the role\'s ARN (path /), name and IDs only; its trust policy and other properties are not known',
            "aws.getAvailabilityZones is answered with three zones, eu-west-1a, eu-west-1b, eu-west-1c",
        ]);
    });

    it("renders getPolicyDocument as the provider does, into the inputs the pack judges", () => {
        for (const mode of MODES) {
            assert.equal(
                resource(captured[mode], "::aws:iam/role:Role::task").inputs.assumeRolePolicy,
                `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "Service": "ecs-tasks.amazonaws.com"
      },
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": "111122223333"
        }
      }
    }
  ]
}`,
                mode,
            );
        }
        const table = resource(captured.update, "::aws:dynamodb/table:Table::orders");
        assert.equal(
            resource(captured.update, "::aws:iam/rolePolicy:RolePolicy::task-data").inputs.policy,
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "dynamodb:PutItem",
        "dynamodb:GetItem"
      ],
      "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/${table.inputs.name}"
    }
  ]
}`,
        );
        // Built from the table's ARN, which a preview does not know.
        assert.equal(resource(captured.preview, "::aws:iam/rolePolicy:RolePolicy::task-data").inputs.policy, UNKNOWN);
    });

    it("leaves computed outputs unknown in a preview, as the engine sends them", () => {
        const repo = resource(captured.preview, "::aws:ecr/repository:Repository::app");
        assert.deepEqual([repo.outputs!.arn, repo.outputs!.repositoryUrl, repo.outputs!.registryId, repo.outputs!.id], [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN]);
        assert.equal(repo.outputs!.name, repo.inputs.name, "an autoname is known in a preview");
        assert.equal(resource(captured.preview, "::aws:dynamodb/table:Table::orders").outputs!.arn, UNKNOWN);
    });

    it("builds awsx's target-group port mappings: the group's port in the container, and a load balancer on the service", () => {
        const tg = resource(captured.update, "::aws:lb/targetGroup:TargetGroup::web");
        assert.match(String(tg.outputs!.arn), /^arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup\/web-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        const service = resource(captured.update, "awsx:ecs:FargateService$aws:ecs/service:Service::web");
        assert.deepEqual(service.inputs.loadBalancers, [{ containerName: "web", containerPort: 8080, targetGroupArn: tg.outputs!.arn }]);
        const taskDefinition = resource(captured.update, "$aws:ecs/taskDefinition:TaskDefinition::web");
        const [container] = JSON.parse(String(taskDefinition.inputs.containerDefinitions));
        assert.deepEqual(container.portMappings, [{ containerPort: 8080, hostPort: 8080 }]);
        assert.equal(container.image, (resource(captured.update, "pulumi:pulumi:Stack::shop-dev").outputs!.out as { image: string }).image);
        assert.equal(taskDefinition.inputs.executionRoleArn, "arn:aws:iam::111122223333:role/platform-exec");
    });

    it("builds awsx's ECR repository and image: the image is pushed in an update, and unknown, with all built on it, in a preview", () => {
        const url = resource(captured.update, "awsx:ecr:Repository$aws:ecr/repository:Repository::web").outputs!.repositoryUrl;
        const pushed = captured.update.resources.find((r) => r.type === "docker-build:index:Image");
        assert.ok(pushed);
        assert.equal(pushed.parent, resource(captured.update, "::awsx:ecr:Image::web").urn);
        assert.deepEqual(pushed.inputs.tags, [`${url}:${pushed.name}`]);
        assert.equal(pushed.inputs.push, true);
        assert.equal(resource(captured.update, "::awsx:ecr:Image::web").outputs!.imageUri, `${url}@${pushed.outputs!.digest}`);
        // The image is built inside an apply on the repository's URL: a preview registers no image, as a real one does not.
        assert.equal(
            captured.preview.resources.some((r) => r.type === "docker-build:index:Image"),
            false,
        );
        assert.equal(resource(captured.preview, "$aws:ecs/taskDefinition:TaskDefinition::web").inputs.containerDefinitions, UNKNOWN);
    });

    it("places each resource where the program creates it, and a component's children at the component", () => {
        const site = (end: string) => {
            const s = captured.update.sites[resource(captured.update, end).urn];
            return s && `${path.relative(dir, s.file)}:${s.line}`;
        };
        assert.equal(site("::aws:ecr/repository:Repository::app"), "index.ts:8");
        assert.equal(site("::aws:iam/role:Role::task"), "index.ts:19");
        assert.equal(site("awsx:ecs:FargateService$aws:ecs/service:Service::web"), "index.ts:28");
        assert.equal(site("$aws:ecs/taskDefinition:TaskDefinition::web"), "index.ts:28");
    });
});

describe("stack config, read as Pulumi reads it", function () {
    this.timeout(180000);
    let dir: string;

    before(() => {
        dir = writeProgram({
            "Pulumi.yaml": `name: configured
runtime: nodejs
config:
  aws:region: eu-central-1
  tier: gold
  replicas:
    type: integer
    default: 2
  owner:
    type: string
`,
            "Pulumi.dev.yaml": `config:
  configured:owner: platform
  configured:dbPassword:
    secure: AAABAMr3ZXhhbXBsZQ==
  configured:labels:
    team: payments
`,
            "index.ts": `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const region = aws.getRegionOutput().region;
export const tier = config.require("tier");
export const replicas = config.requireNumber("replicas");
export const owner = config.require("owner");
export const labels = config.requireObject<Record<string, string>>("labels");
export const passwordIsSecret = pulumi.isSecret(config.requireSecret("dbPassword"));
export const apiKey = config.get("apiKey");
`,
        });
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("takes Pulumi.yaml's defaults and values, then Pulumi.<stack>.yaml, then --config; secure values as secrets", async () => {
        for (const mode of MODES) {
            const c = await capture(dir, { preview: mode === "preview", config: { tier: "silver" } });
            assert.deepEqual(
                resource(c, "pulumi:pulumi:Stack::configured-dev").outputs,
                { region: "eu-central-1", tier: "silver", replicas: 2, owner: "platform", labels: { team: "payments" }, passwordIsSecret: true },
                mode,
            );
            assert.deepEqual(c.notes, [
                'config configured:dbPassword is encrypted (secure:) in Pulumi.dev.yaml: the check uses the placeholder "[secret]" as its value (--config configured:dbPassword=<value> gives the real one)',
            ]);
        }
    });

    it("names the file a missing required key goes in", async () => {
        await assert.rejects(
            capture(dir, { preview: true, stack: "prod" }),
            (e: unknown) =>
                e instanceof InputError &&
                e.message ===
                    `Pulumi.yaml declares the config key configured:owner without a default, and the stack does not set it: set it in ${path.relative(process.cwd(), path.join(dir, "Pulumi.prod.yaml"))} (config: configured:owner: <value>), or pass --config owner=<value>`,
        );
        fs.writeFileSync(path.join(dir, "index.ts"), `import * as pulumi from "@pulumi/pulumi";\nexport const key = new pulumi.Config().require("apiKey");\n`);
        await assert.rejects(capture(dir, { preview: false }), (e: unknown) => {
            assert.deepEqual(failuresOf(e, dir), [
                [
                    "the program requires the config key configured:apiKey, which the stack does not set: set it in Pulumi.dev.yaml (config: configured:apiKey: <value>), or pass --config configured:apiKey=<value>",
                    "index.ts:2:40",
                ],
            ]);
            return true;
        });
    });
});
