import { strict as assert } from "assert";
import { containerNeeds, ecrRepositoryArn, registryCredentialsSource, secretSource } from "../../policies/stack/containers";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("container needs", () => {
    const images: [string, string | undefined][] = [
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", "arn:aws:ecr:us-east-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:abc", "arn:aws:ecr:eu-west-1:123456789012:repository/team/app"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app"],
        ["123456789012.dkr-ecr.us-east-1.on.aws/docker-hub/library/nginx:1", "arn:aws:ecr:us-east-1:123456789012:repository/docker-hub/library/nginx"],
        ["public.ecr.aws/nginx/nginx:1.27", undefined],
        ["nginx:latest", undefined],
        ["docker.io/library/nginx", undefined],
        ["ghcr.io/acme/app:1", undefined],
        ["12345.dkr.ecr.us-east-1.amazonaws.com/app", undefined],
    ];
    for (const [image, arn] of images) {
        it(`reads ${image} as ${arn ?? "not an ECR image"}`, () => assert.equal(ecrRepositoryArn(image), arn));
    }

    it("reads a Secrets Manager valueFrom with a JSON key as its secret", () => {
        assert.deepEqual(secretSource("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password:AWSCURRENT:"), {
            action: "secretsmanager:GetSecretValue",
            resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        });
    });

    const partialArns: [string, string][] = [
        ["arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"],
        ["arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:password::", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"],
        ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Zz9", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Zz9-??????"],
        ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"],
    ];
    for (const [valueFrom, resource] of partialArns) {
        it(`reads the Secrets Manager valueFrom ${valueFrom} as the secret ${resource}`, () => {
            assert.deepEqual(secretSource(valueFrom), { action: "secretsmanager:GetSecretValue", resource });
        });
    }

    it("reads repositoryCredentials given by secret name as a Secrets Manager secret, not a parameter", () => {
        assert.deepEqual(registryCredentialsSource("dockerhub/acme"), {
            action: "secretsmanager:GetSecretValue",
            resource: "arn:*:secretsmanager:*:*:secret:dockerhub/acme-??????",
        });
        assert.deepEqual(registryCredentialsSource("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-Q1w2E3"), {
            action: "secretsmanager:GetSecretValue",
            resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-Q1w2E3",
        });
    });

    it("reads a parameter given by ARN or by name as an SSM parameter", () => {
        assert.deepEqual(secretSource("arn:aws:ssm:us-east-1:123456789012:parameter/app/key"), {
            action: "ssm:GetParameters",
            resource: "arn:aws:ssm:us-east-1:123456789012:parameter/app/key",
        });
        assert.deepEqual(secretSource("/app/key"), { action: "ssm:GetParameters", resource: "arn:*:ssm:*:*:parameter/app/key" });
    });

    it("names each need with its container and field", () => {
        const needs = containerNeeds(
            JSON.stringify([
                {
                    name: "web",
                    image: "nginx",
                    logConfiguration: { logDriver: "splunk", secretOptions: [{ name: "token", valueFrom: "splunk-token" }] },
                    firelensConfiguration: { type: "fluentbit", options: { "config-file-type": "s3", "config-file-value": "arn:aws:s3:::conf/fluent.conf" } },
                },
            ]),
            "app",
        );
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.kind, n.container, n.field, n.actions.join(" "), n.resource]), [
            ["secret", "web", "logConfiguration.secretOptions[0].valueFrom", "ssm:GetParameters", "arn:*:ssm:*:*:parameter/splunk-token"],
            ["s3File", "web", 'firelensConfiguration.options["config-file-value"]', "s3:GetObject", "arn:aws:s3:::conf/fluent.conf"],
            ["s3File", "web", 'firelensConfiguration.options["config-file-value"]', "s3:GetBucketLocation", "arn:aws:s3:::conf"],
        ]);
    });

    it("is unknown when any field that creates a need is unknown, and says which", () => {
        assert.deepEqual(containerNeeds(JSON.parse(JSON.stringify([{ name: "web", image: "nginx", secrets: [{ name: "x", valueFrom: UNKNOWN }] }])), "app"), {
            kind: "unknown",
            reason: 'container "web" secrets[0].valueFrom of task definition "app" is not known during preview',
        });
        assert.equal(containerNeeds(UNKNOWN, "app").kind, "unknown");
    });

    it("reports definitions it cannot read instead of passing them", () => {
        assert.deepEqual(containerNeeds("[{", "app"), { kind: "known", needs: [], problems: ["containerDefinitions is not valid JSON"] });
        assert.deepEqual(containerNeeds('{"name":"x"}', "app"), { kind: "known", needs: [], problems: ["containerDefinitions must be a list, not an object"] });
        assert.deepEqual(containerNeeds("[7]", "app"), { kind: "known", needs: [], problems: ["containerDefinitions[0] must be an object, not number 7"] });
    });
});
