// `ecs-role-guard suggest` on a `pulumi stack export`: the real ARNs are known, so the IAM JSON is exact; a tool reads
// the JSON format; what the command cannot use is exit 2.

import { strict as assert } from "assert";
import { runCli, STACK_EXPORT } from "../helpers/cli";

const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

/** What both execution roles of the fixture need: their own image, the api log group and the database secret. */
function documentFor(repository: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Sid: "EcrImagePull", Effect: "Allow", Action: PULL, Resource: `arn:aws:ecr:eu-west-1:123456789012:repository/${repository}` },
            {
                Sid: "LogDelivery",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:api-2f7a9d1:log-stream:*",
            },
            {
                Sid: "SecretsManagerSecrets",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-91c0d2e-AbCdEf",
            },
        ],
    };
}

describe("ecs-role-guard suggest", function () {
    this.timeout(60000);

    it("writes, for each execution role of a stack export, the exact document and what it replaces, as JSON for tools", async () => {
        const { code, stdout, stderr } = await runCli(["suggest", STACK_EXPORT, "--format", "json"]);
        assert.equal(stderr, "");
        assert.equal(code, 0);
        const run = JSON.parse(stdout).runs[0];
        assert.deepEqual([run.kind, run.phase], ["stack export", "update"]);
        assert.deepEqual(
            run.roles.map((r: { role: { name: string }; status: string; document: unknown; replaces: string[] }) => [
                r.role.name,
                r.status,
                r.document,
                r.replaces,
            ]),
            [
                [
                    "api-exec",
                    "exact",
                    documentFor("shop-api"),
                    [
                        'aws.iam.RolePolicy "api-exec-secrets"',
                        'AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by aws.iam.RolePolicyAttachment "api-exec-managed")',
                    ],
                ],
                [
                    "worker-exec",
                    "exact",
                    documentFor("shop-worker"),
                    [
                        'AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by aws.iam.RolePolicyAttachment "worker-exec-managed")',
                        'AWS-managed policy AdministratorAccess (attached by aws.iam.RolePolicyAttachment "worker-exec-admin")',
                    ],
                ],
            ],
        );
    });

    it("names a stack export's resources in its TypeScript by their logical names, declared for the reader to point at their own", async () => {
        const { stdout } = await runCli(["suggest", STACK_EXPORT, "--format", "json"]);
        const typescript: string = JSON.parse(stdout).runs[0].roles[0].typescript;
        assert.match(
            typescript,
            /^declare const dbPassword: aws\.secretsmanager\.Secret; \/\/ the stack's aws\.secretsmanager\.Secret "db-password": your program's variable for it$/m,
        );
        assert.match(typescript, /^ {4}role: apiExec\.name,$/m);
        assert.match(typescript, /^ {16}Resource: dbPassword\.arn,$/m);
        assert.match(typescript, /log-group:\$\{api\.name\}:log-stream:\*`,$/m);
    });

    it("reads an export from stdin with -", async () => {
        const fs = await import("fs");
        const { code, stdout } = await runCli(["suggest", "-"], { input: fs.readFileSync(STACK_EXPORT, "utf8") });
        assert.equal(code, 0);
        assert.match(stdout, /^Stack export - \(an update\):$/m);
        assert.match(stdout, /^Execution role aws\.iam\.Role "worker-exec", of task definition "worker":$/m);
    });

    const unusable: [string[], string][] = [
        [["suggest", STACK_EXPORT, "--format", "sarif"], "ecs-role-guard: suggest writes text or json, not sarif\n"],
        [["suggest", "nope.json"], "ecs-role-guard: nope.json: no such file or directory\n"],
        [["suggest", STACK_EXPORT, "--preview", "--update"], "ecs-role-guard: suggest reads one phase: --preview or --update\n"],
        [["suggest", STACK_EXPORT, "--policy-pack-config", "x.json"], "ecs-role-guard: --policy-pack-config applies to check and audit\n"],
    ];
    for (const [args, message] of unusable) {
        it(`exits 2 on ${args.slice(1).join(" ")}`, async () => {
            const { code, stdout, stderr } = await runCli(args);
            assert.deepEqual([code, stdout, stderr], [2, "", message]);
        });
    }
});
