import { strict as assert } from "assert";
import { containerNeeds, ecrRepositoryArn, registryCredentialsSource, secretSource } from "../../policies/stack/containers";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("container needs", () => {
    const images: [string, string | undefined][] = [
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0", "arn:aws:ecr:us-east-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:abc", "arn:aws:ecr:eu-west-1:123456789012:repository/team/app"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app"],
        ["123456789012.dkr-ecr.us-east-1.on.aws/docker-hub/library/nginx:1", "arn:aws:ecr:us-east-1:123456789012:repository/docker-hub/library/nginx"],
        ["123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/app:1", "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com/app", "arn:aws-us-gov:ecr:us-gov-east-1:123456789012:repository/app"],
        ["123456789012.dkr-ecr-fips.us-east-2.on.aws/app", "arn:aws:ecr:us-east-2:123456789012:repository/app"],
        ["123456789012.dkr-ecr.us-gov-west-1.on.aws/app", "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov/app", "arn:aws-iso:ecr:us-iso-east-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov/app", "arn:aws-iso-b:ecr:us-isob-east-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/app", "arn:aws-eusc:ecr:eusc-de-east-1:123456789012:repository/app"],
        ["123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM/app", "arn:aws:ecr:us-east-1:123456789012:repository/app"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com/app", undefined],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/app", undefined],
        ["123456789012.dkr-ecr.us-east-1.amazonaws.com/app", undefined],
        ["123456789012.dkr.s3.us-east-1.amazonaws.com/app", undefined],
        ["123456789012.dkr.ecr.amazonaws.com/app", undefined],
        ["123456789012.dkr.ecr/app", undefined],
        ["123456789012.dkr.ecr..amazonaws.com/app", undefined],
        ["123456789012.api.ecr.us-east-1.amazonaws.com/app", undefined],
        ["public.ecr.aws/nginx/nginx:1.27", undefined],
        ["nginx:latest", undefined],
        ["docker.io/library/nginx", undefined],
        ["ghcr.io/acme/app:1", undefined],
        ["12345.dkr.ecr.us-east-1.amazonaws.com/app", undefined],
        ["1234567890123.dkr.ecr.us-east-1.amazonaws.com/app", undefined],
        ["acct123456789012.dkr.ecr.us-east-1.amazonaws.com/app", undefined],
        ["123456789012.s3.us-east-1.amazonaws.com/app", undefined],
        ["123456789012.dkr.ecr.us-east-1.example.com/app", undefined],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.comm", undefined],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/@sha256:abc", "arn:aws:ecr:us-east-1:123456789012:repository/"],
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com/:1.0", "arn:aws:ecr:us-east-1:123456789012:repository/"],
    ];
    for (const [image, arn] of images) {
        it(`reads ${image} as ${arn ?? "not an ECR image"}`, () => assert.equal(ecrRepositoryArn(image), arn));
    }

    it("reads a Secrets Manager valueFrom with a JSON key as its secret, every part known", () => {
        assert.deepEqual(secretSource("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password:AWSCURRENT:"), {
            action: "secretsmanager:GetSecretValue",
            arn: {
                partition: "aws",
                service: "secretsmanager",
                region: "us-east-1",
                account: "123456789012",
                resource: "secret:db-AbCdEf",
                tail: 0,
                text: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            },
        });
    });

    const partialArns: [valueFrom: string, text: string, known: string, tail: number][] = [
        [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????",
            "secret:prod/db-",
            6,
        ],
        [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:password::",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????",
            "secret:prod/db-",
            6,
        ],
        [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Zz9",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-Zz9-??????",
            "secret:db-Zz9-",
            6,
        ],
        [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            "secret:db-AbCdEf",
            0,
        ],
        [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEfGh",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEfGh-??????",
            "secret:db-AbCdEfGh-",
            6,
        ],
    ];
    for (const [valueFrom, text, known, tail] of partialArns) {
        it(`reads the Secrets Manager valueFrom ${valueFrom} as the secret ${text}, with ${tail} characters not known`, () => {
            const { action, arn } = secretSource(valueFrom);
            assert.deepEqual({ action, text: arn.text, known: arn.resource, tail: arn.tail }, { action: "secretsmanager:GetSecretValue", text, known, tail });
        });
    }

    it("reads repositoryCredentials given by secret name as a Secrets Manager secret of the task's partition, Region and account, not a parameter", () => {
        assert.deepEqual(registryCredentialsSource("dockerhub/acme"), {
            action: "secretsmanager:GetSecretValue",
            arn: {
                partition: undefined,
                service: "secretsmanager",
                region: undefined,
                account: undefined,
                resource: "secret:dockerhub/acme-",
                tail: 6,
                text: "arn:*:secretsmanager:*:*:secret:dockerhub/acme-??????",
            },
        });
        assert.equal(
            registryCredentialsSource("arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-Q1w2E3").arn.text,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-Q1w2E3",
        );
    });

    it("reads a parameter given by ARN as that ARN, and one given by name as a parameter of the task's partition, Region and account", () => {
        assert.deepEqual(secretSource("arn:aws:ssm:us-east-1:123456789012:parameter/app/key"), {
            action: "ssm:GetParameters",
            arn: {
                partition: "aws",
                service: "ssm",
                region: "us-east-1",
                account: "123456789012",
                resource: "parameter/app/key",
                tail: 0,
                text: "arn:aws:ssm:us-east-1:123456789012:parameter/app/key",
            },
        });
        assert.deepEqual(secretSource("/app/key"), {
            action: "ssm:GetParameters",
            arn: {
                partition: undefined,
                service: "ssm",
                region: undefined,
                account: undefined,
                resource: "parameter/app/key",
                tail: 0,
                text: "arn:*:ssm:*:*:parameter/app/key",
            },
        });
    });

    it("reads an awslogs group as its streams, in the Region awslogs-region names or the task's own", () => {
        const needs = containerNeeds(
            JSON.stringify([
                {
                    name: "a",
                    image: "nginx",
                    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1" } },
                },
                { name: "b", image: "nginx", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/b" } } },
            ]),
            "app",
        );
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => n.arn), [
            {
                partition: undefined,
                service: "logs",
                region: "eu-west-1",
                account: undefined,
                resource: "log-group:/ecs/app:",
                tail: "any",
                text: "arn:*:logs:eu-west-1:*:log-group:/ecs/app:*",
            },
            {
                partition: undefined,
                service: "logs",
                region: undefined,
                account: undefined,
                resource: "log-group:/ecs/b:",
                tail: "any",
                text: "arn:*:logs:*:*:log-group:/ecs/b:*",
            },
        ]);
    });

    it("reads an S3 object with * or ? in its key as written: those characters are the key's own", () => {
        const needs = containerNeeds(
            JSON.stringify([{ name: "a", image: "nginx", environmentFiles: [{ type: "s3", value: "arn:aws:s3:::conf/a*?.env" }] }]),
            "app",
        );
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.arn?.resource, n.arn?.tail]), [
            ["conf/a*?.env", 0],
            ["conf", 0],
        ]);
    });

    it("reads an awslogs group that is not a string as a need on no known group, and an awslogs-region not known or not a string as a Region not known, saying what is not a string", () => {
        const needs = containerNeeds(
            [
                { name: "a", image: "nginx", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": 7 } } },
                { name: "b", image: "nginx", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/b", "awslogs-region": UNKNOWN } } },
                { name: "c", image: "nginx", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/c", "awslogs-region": 7 } } },
            ],
            "app",
        );
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.container, n.arn?.text]), [
            ["a", undefined],
            ["b", "arn:*:logs:*:*:log-group:/ecs/b:*"],
            ["c", "arn:*:logs:*:*:log-group:/ecs/c:*"],
        ]);
        assert.deepEqual(needs.kind === "known" && needs.problems, [
            'container "a" logConfiguration.options["awslogs-group"] must be a string, not number 7',
            'container "c" logConfiguration.options["awslogs-region"] must be a string, not number 7',
        ]);
    });

    it("needs logs:CreateLogGroup on the group when awslogs-create-group is true, in any spelling Docker's log driver reads as true, or a boolean", () => {
        for (const create of ["true", "True", "TRUE", "t", "T", "1", true]) {
            const needs = containerNeeds(
                [
                    {
                        name: "web",
                        image: "nginx",
                        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-create-group": create } },
                    },
                ],
                "app",
            );
            assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.kind, n.field, n.actions.join(" "), n.arn?.text]), [
                ["logDelivery", "logConfiguration (awslogs)", "logs:CreateLogStream logs:PutLogEvents", "arn:*:logs:*:*:log-group:/ecs/web:*"],
                ["logGroupCreation", 'logConfiguration.options["awslogs-create-group"]', "logs:CreateLogGroup", "arn:*:logs:*:*:log-group:/ecs/web:*"],
            ]);
        }
    });

    it("needs no logs:CreateLogGroup when awslogs-create-group is false, in any spelling Docker's log driver reads as false, empty or null", () => {
        for (const create of ["false", "False", "FALSE", "f", "F", "0", false, "", null]) {
            const needs = containerNeeds(
                [
                    {
                        name: "web",
                        image: "nginx",
                        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-create-group": create } },
                    },
                ],
                "app",
            );
            assert.deepEqual(needs.kind === "known" && [needs.needs.map((n) => n.kind), needs.problems], [["logDelivery"], []], String(create));
        }
    });

    it("reads an environment file named by its bucket's ARN alone as that bucket, for both actions", () => {
        const needs = containerNeeds([{ name: "web", image: "nginx", environmentFiles: [{ type: "s3", value: "arn:aws:s3:::conf" }] }], "app");
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.actions.join(" "), n.arn?.text]), [
            ["s3:GetObject", "arn:aws:s3:::conf"],
            ["s3:GetBucketLocation", "arn:aws:s3:::conf"],
        ]);
    });

    it("names a container with no name, a name that is not a string or one not known yet by its place in the list", () => {
        for (const name of [undefined, 7, UNKNOWN]) {
            const needs = containerNeeds(
                [
                    { name: "first", image: "nginx" },
                    { name, image: 7 },
                ],
                "app",
            );
            assert.deepEqual(needs.kind === "known" && needs.problems, ['container "#1" image must be a string, not number 7']);
        }
    });

    it("needs nothing, and says nothing, for containerDefinitions that are absent or null", () => {
        assert.deepEqual(containerNeeds(undefined, "app"), { kind: "known", needs: [], problems: [] });
        assert.deepEqual(containerNeeds(null, "app"), { kind: "known", needs: [], problems: [] });
    });

    it("says nothing of a field set to null, as of one left out", () => {
        const fields = ["image", "logConfiguration", "secrets", "repositoryCredentials", "environmentFiles", "firelensConfiguration"];
        const needs = containerNeeds([{ name: "web", ...Object.fromEntries(fields.map((f) => [f, null])) }], "app");
        assert.deepEqual(needs, { kind: "known", needs: [], problems: [] });
    });

    it("is unknown while a whole container definition, or the whole list, is not known", () => {
        assert.deepEqual(containerNeeds([{ name: "web", image: "nginx" }, UNKNOWN], "app"), {
            kind: "unknown",
            reason: 'containerDefinitions[1] of task definition "app" is not known during preview',
        });
        assert.deepEqual(containerNeeds(UNKNOWN, "app"), {
            kind: "unknown",
            reason: 'the containerDefinitions of task definition "app" are not known during preview',
        });
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
        assert.deepEqual(needs.kind === "known" && needs.needs.map((n) => [n.kind, n.container, n.field, n.actions.join(" "), n.arn?.text]), [
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

    const oddFields: [field: string, container: Record<string, unknown>, problem: string][] = [
        ["image", { image: 7 }, 'container "web" image must be a string, not number 7'],
        ["logConfiguration", { logConfiguration: "awslogs" }, 'container "web" logConfiguration must be an object, not "awslogs"'],
        ["logConfiguration.logDriver", { logConfiguration: { logDriver: 7 } }, 'container "web" logConfiguration.logDriver must be a string, not number 7'],
        [
            'logConfiguration.options["awslogs-group"]',
            { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": 7 } } },
            'container "web" logConfiguration.options["awslogs-group"] must be a string, not number 7',
        ],
        [
            'logConfiguration.options["awslogs-region"]',
            { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-region": ["eu-west-1"] } } },
            'container "web" logConfiguration.options["awslogs-region"] must be a string, not a list',
        ],
        [
            'logConfiguration.options["awslogs-create-group"]',
            { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-create-group": "yes" } } },
            'container "web" logConfiguration.options["awslogs-create-group"] must be true or false, not "yes"',
        ],
        ["secrets", { secrets: { name: "X", valueFrom: "/app/key" } }, 'container "web" secrets must be a list, not an object'],
        ["secrets[0]", { secrets: [7] }, 'container "web" secrets[0] must be an object, not number 7'],
        [
            "secrets[0].valueFrom",
            { secrets: [{ name: "X" }] },
            'container "web" secrets[0].valueFrom must be the ARN or name of a secret or parameter, not nothing',
        ],
        [
            "an empty valueFrom",
            { secrets: [{ name: "X", valueFrom: "" }] },
            'container "web" secrets[0].valueFrom must be the ARN or name of a secret or parameter, not ""',
        ],
        [
            "logConfiguration.secretOptions",
            { logConfiguration: { logDriver: "splunk", secretOptions: "token" } },
            'container "web" logConfiguration.secretOptions must be a list, not "token"',
        ],
        ["repositoryCredentials", { repositoryCredentials: "dockerhub" }, 'container "web" repositoryCredentials must be an object, not "dockerhub"'],
        [
            "an empty credentialsParameter",
            { repositoryCredentials: { credentialsParameter: "" } },
            'container "web" repositoryCredentials.credentialsParameter must be the ARN or name of a secret, not ""',
        ],
        [
            "logConfiguration.options",
            { logConfiguration: { logDriver: "awslogs", options: 7 } },
            'container "web" logConfiguration.options must be an object, not number 7',
        ],
        [
            "repositoryCredentials.credentialsParameter",
            { repositoryCredentials: { credentialsParameter: 7 } },
            'container "web" repositoryCredentials.credentialsParameter must be the ARN or name of a secret, not number 7',
        ],
        [
            "environmentFiles",
            { environmentFiles: { type: "s3", value: "arn:aws:s3:::conf/a.env" } },
            'container "web" environmentFiles must be a list, not an object',
        ],
        [
            "environmentFiles[0]",
            { environmentFiles: ["arn:aws:s3:::conf/a.env"] },
            'container "web" environmentFiles[0] must be an object, not "arn:aws:s3:::conf/a.env"',
        ],
        [
            "an environment file that is not an S3 ARN",
            { environmentFiles: [{ type: "s3", value: "s3://conf/a.env" }] },
            'container "web" environmentFiles[0] must be the ARN of an S3 object, not "s3://conf/a.env"',
        ],
        ["firelensConfiguration", { firelensConfiguration: "fluentbit" }, 'container "web" firelensConfiguration must be an object, not "fluentbit"'],
        [
            "firelensConfiguration.options",
            { firelensConfiguration: { type: "fluentbit", options: 7 } },
            'container "web" firelensConfiguration.options must be an object, not number 7',
        ],
        [
            "an environment file that is the ARN of something other than an S3 object",
            { environmentFiles: [{ type: "s3", value: "arn:aws:ssm:::parameter/app.env" }] },
            'container "web" environmentFiles[0] must be the ARN of an S3 object, not "arn:aws:ssm:::parameter/app.env"',
        ],
        [
            'firelensConfiguration.options["config-file-type"]',
            { firelensConfiguration: { type: "fluentbit", options: { "config-file-type": 7 } } },
            'container "web" firelensConfiguration.options["config-file-type"] must be "s3" or "file", not number 7',
        ],
        [
            'firelensConfiguration.options["config-file-value"]',
            { firelensConfiguration: { type: "fluentbit", options: { "config-file-type": "s3" } } },
            'container "web" firelensConfiguration.options["config-file-value"] must be the ARN of an S3 object, not nothing',
        ],
    ];
    for (const [field, container, problem] of oddFields) {
        it(`reports ${field} that it cannot read instead of dropping the need`, () => {
            const needs = containerNeeds([{ name: "web", image: "nginx", ...container }], "app");
            assert.deepEqual(needs.kind === "known" && needs.problems, [problem]);
        });
    }

    const unknownFields: [field: string, container: Record<string, unknown>][] = [
        ["image", { image: UNKNOWN }],
        ["logConfiguration", { logConfiguration: UNKNOWN }],
        ["logConfiguration.logDriver", { logConfiguration: { logDriver: UNKNOWN } }],
        ['logConfiguration.options["awslogs-group"]', { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": UNKNOWN } } }],
        ["secrets", { secrets: UNKNOWN }],
        ["secrets[0].valueFrom", { secrets: [UNKNOWN] }],
        ["repositoryCredentials", { repositoryCredentials: UNKNOWN }],
        ["repositoryCredentials.credentialsParameter", { repositoryCredentials: { credentialsParameter: UNKNOWN } }],
        ["environmentFiles", { environmentFiles: UNKNOWN }],
        ["environmentFiles[0]", { environmentFiles: [UNKNOWN] }],
        ["firelensConfiguration", { firelensConfiguration: UNKNOWN }],
        [
            'firelensConfiguration.options["config-file-value"]',
            { firelensConfiguration: { type: "fluentbit", options: { "config-file-type": "s3", "config-file-value": UNKNOWN } } },
        ],
        ["logConfiguration.options", { logConfiguration: { logDriver: "awslogs", options: UNKNOWN } }],
        [
            'logConfiguration.options["awslogs-create-group"]',
            { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/web", "awslogs-create-group": UNKNOWN } } },
        ],
        ["firelensConfiguration.options", { firelensConfiguration: { type: "fluentbit", options: UNKNOWN } }],
        ['firelensConfiguration.options["config-file-type"]', { firelensConfiguration: { type: "fluentbit", options: { "config-file-type": UNKNOWN } } }],
    ];
    for (const [field, container] of unknownFields) {
        it(`is unknown while ${field} is not known, rather than needing nothing`, () => {
            assert.deepEqual(containerNeeds([{ name: "web", image: "nginx", ...container }], "app"), {
                kind: "unknown",
                reason: `container "web" ${field} of task definition "app" is not known during preview`,
            });
        });
    }

    it("is unknown while an environment file's value is not known, and names the file", () => {
        assert.deepEqual(containerNeeds([{ name: "web", image: "nginx", environmentFiles: [{ type: "s3", value: UNKNOWN }] }], "app"), {
            kind: "unknown",
            reason: 'container "web" environmentFiles[0] of task definition "app" is not known during preview',
        });
    });

    it("reads a container and a secret given as the engine marshals a secret", () => {
        const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
        const needs = containerNeeds([secret({ name: "web", image: "nginx", secrets: [secret({ name: "KEY", valueFrom: "/app/key" })] })], "app");
        assert.deepEqual(needs.kind === "known" && [needs.needs.map((n) => [n.field, n.arn?.text]), needs.problems], [
            [["secrets[0].valueFrom", "arn:*:ssm:*:*:parameter/app/key"]],
            [],
        ]);
    });
});
