// `aws.iam.getPolicyDocument` as the capture answers it. Each expected document is the one the Terraform AWS
// provider's own acceptance tests and documentation give for the same arguments
// (internal/service/iam/policy_document_data_source_test.go, website/docs/d/iam_policy_document.html.markdown),
// with the empty `"Sid": ""` lines those older texts show removed: provider v5 (hashicorp/terraform-provider-aws
// #28539), which pulumi-aws 6 and later bundle, leaves an empty Sid out.

import { strict as assert } from "assert";
import { renderPolicyDocument } from "../../cli/policyDocument";

const json = (args: Record<string, unknown>): string => renderPolicyDocument(args).json;

/** testAccPolicyDocumentConfig's statements, in the given partition. */
const basicStatements = (partition: string) => [
    { sid: "1", actions: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], resources: [`arn:${partition}:s3:::*`] },
    {
        actions: ["s3:ListBucket"],
        resources: [`arn:${partition}:s3:::foo`],
        conditions: [{ test: "StringLike", variable: "s3:prefix", values: ["home/", "", "home/&{aws:username}/"] }],
        notPrincipals: [{ type: "AWS", identifiers: ["arn:blahblah:example"] }],
    },
    {
        actions: ["s3:*"],
        resources: [`arn:${partition}:s3:::foo/home/&{aws:username}`, `arn:${partition}:s3:::foo/home/&{aws:username}/*`],
        principals: [{ type: "AWS", identifiers: ["arn:blahblah:example"] }],
    },
    { effect: "Deny", notActions: ["s3:*"], notResources: [`arn:${partition}:s3:::*`] },
    { effect: "Allow", actions: ["kinesis:*"], principals: [{ type: "AWS", identifiers: ["*"] }] },
    { effect: "Allow", actions: ["firehose:*"], principals: [{ type: "*", identifiers: ["*"] }] },
];

describe("getPolicyDocument, rendered as the AWS provider renders it", () => {
    it("writes fields in the provider's order, one element as a string, several sorted in reverse, and &{} as ${}", () => {
        assert.equal(
            json({ policyId: "policy_id", statements: basicStatements("aws") }),
            `{
  "Version": "2012-10-17",
  "Id": "policy_id",
  "Statement": [
    {
      "Sid": "1",
      "Effect": "Allow",
      "Action": [
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation"
      ],
      "Resource": "arn:aws:s3:::*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::foo",
      "NotPrincipal": {
        "AWS": "arn:blahblah:example"
      },
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "home/",
            "",
            "home/\${aws:username}/"
          ]
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::foo/home/\${aws:username}/*",
        "arn:aws:s3:::foo/home/\${aws:username}"
      ],
      "Principal": {
        "AWS": "arn:blahblah:example"
      }
    },
    {
      "Effect": "Deny",
      "NotAction": "s3:*",
      "NotResource": "arn:aws:s3:::*"
    },
    {
      "Effect": "Allow",
      "Action": "kinesis:*",
      "Principal": {
        "AWS": "*"
      }
    },
    {
      "Effect": "Allow",
      "Action": "firehose:*",
      "Principal": "*"
    }
  ]
}`,
        );
    });

    it("gives the compact form as minifiedJson and the hash code of the indented form as id", () => {
        const rendered = renderPolicyDocument({ statements: [{ actions: ["ec2:*"], resources: ["*"] }] });
        assert.equal(rendered.minifiedJson, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}');
        assert.equal(
            rendered.json,
            '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "ec2:*",\n      "Resource": "*"\n    }\n  ]\n}',
        );
        // CRC-32 of the indented text, in decimal (the Terraform SDK's StringHashcode), as Python's zlib.crc32 gives it.
        assert.equal(rendered.id, "436197847");
    });

    it("writes a single condition value as a string", () => {
        assert.equal(
            json({
                statements: [
                    {
                        effect: "Deny",
                        principals: [{ type: "AWS", identifiers: ["*"] }],
                        actions: ["elasticfilesystem:*"],
                        resources: ["*"],
                        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
                    },
                ],
            }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Deny",
      "Action": "elasticfilesystem:*",
      "Resource": "*",
      "Principal": {
        "AWS": "*"
      },
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        }
      }
    }
  ]
}`,
        );
    });

    it("groups condition blocks of one test by variable, keys sorted", () => {
        assert.equal(
            json({
                statements: [
                    {
                        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                        resources: ["*"],
                        conditions: [
                            { test: "ForAnyValue:StringEquals", variable: "kms:EncryptionContext:service", values: ["pi"] },
                            { test: "ForAnyValue:StringEquals", variable: "kms:EncryptionContext:aws:pi:service", values: ["rds"] },
                        ],
                    },
                ],
            }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "kms:GenerateDataKey",
        "kms:Decrypt"
      ],
      "Resource": "*",
      "Condition": {
        "ForAnyValue:StringEquals": {
          "kms:EncryptionContext:aws:pi:service": "rds",
          "kms:EncryptionContext:service": "pi"
        }
      }
    }
  ]
}`,
        );
    });

    it("merges principal blocks of one type in the order the SDK's set hash gives them, which differs by partition", () => {
        const multiple = (partition: string) => ({
            statements: [
                {
                    actions: ["*"],
                    resources: ["*"],
                    sid: "StatementPrincipalIdentifiersStringAndSlice",
                    principals: [
                        { identifiers: [`arn:${partition}:iam::111111111111:root`, `arn:${partition}:iam::222222222222:root`], type: "AWS" },
                        { identifiers: [`arn:${partition}:iam::333333333333:root`], type: "AWS" },
                        { identifiers: [`arn:${partition}:iam::444444444444:root`], type: "AWS" },
                    ],
                },
            ],
        });
        const expected = (partition: string, order: string[]) => `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StatementPrincipalIdentifiersStringAndSlice",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*",
      "Principal": {
        "AWS": [
${order.map((a) => `          "arn:${partition}:iam::${a}:root"`).join(",\n")}
        ]
      }
    }
  ]
}`;
        assert.equal(json(multiple("aws")), expected("aws", ["333333333333", "444444444444", "222222222222", "111111111111"]));
        assert.equal(json(multiple("aws-us-gov")), expected("aws-us-gov", ["333333333333", "222222222222", "111111111111", "444444444444"]));
        assert.equal(
            json({
                statements: [
                    {
                        actions: ["*"],
                        resources: ["*"],
                        sid: "StatementPrincipalIdentifiersStringAndSlice",
                        principals: [
                            { identifiers: ["arn:aws:iam::111111111111:root"], type: "AWS" },
                            { identifiers: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"], type: "AWS" },
                        ],
                    },
                ],
            }),
            expected("aws", ["111111111111", "333333333333", "222222222222"]),
        );
    });

    it("merges source documents in order, then the statements given, replacing a source statement of the same Sid", () => {
        const source =
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Sid":"SidToOverride","Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
        assert.equal(
            json({
                sourcePolicyDocuments: [source],
                statements: [{ sid: "SidToOverride", actions: ["s3:*"], resources: ["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"] }],
            }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    },
    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::somebucket/*",
        "arn:aws:s3:::somebucket"
      ]
    }
  ]
}`,
        );
        const a =
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"foo:ActionOne"},{"Sid":"validSidOne","Effect":"Allow","Action":"bar:ActionOne"}]}';
        const b = '{"Version":"2012-10-17","Statement":[{"Sid":"validSidTwo","Effect":"Deny","Action":"foo:ActionTwo"}]}';
        const c = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bar:ActionTwo"}]}';
        assert.equal(
            json({ version: "2012-10-17", sourcePolicyDocuments: [a, b, c] }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "foo:ActionOne"
    },
    {
      "Sid": "validSidOne",
      "Effect": "Allow",
      "Action": "bar:ActionOne"
    },
    {
      "Sid": "validSidTwo",
      "Effect": "Deny",
      "Action": "foo:ActionTwo"
    },
    {
      "Effect": "Allow",
      "Action": "bar:ActionTwo"
    }
  ]
}`,
        );
    });

    it("refuses a Sid repeated across source documents, or among the statements given", () => {
        const a =
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"foo:ActionOne"},{"Sid":"conflictSid","Effect":"Allow","Action":"bar:ActionOne"}]}';
        const c = '{"Version":"2012-10-17","Statement":[{"Sid":"conflictSid","Effect":"Allow","Action":"bar:ActionTwo"}]}';
        assert.throws(() => json({ sourcePolicyDocuments: [a, c] }), /duplicate Sid \(conflictSid\)/);
        assert.throws(
            () =>
                json({
                    statements: [
                        { sid: "1", actions: ["ec2:DescribeAccountAttributes"], resources: ["*"] },
                        { sid: "1", actions: ["s3:GetObject"], resources: ["*"] },
                    ],
                }),
            /duplicate Sid \(1\)/,
        );
        assert.equal(
            json({
                statements: [
                    { sid: "", actions: ["ec2:DescribeAccountAttributes"], resources: ["*"] },
                    { sid: "", actions: ["s3:GetObject"], resources: ["*"] },
                ],
            }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:DescribeAccountAttributes",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}`,
        );
    });

    it("lets override documents replace statements of the same Sid, each in turn", () => {
        const a =
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"foo:ActionOne"},{"Sid":"overrideSid","Effect":"Allow","Action":"bar:ActionOne"}]}';
        const b = '{"Version":"2012-10-17","Statement":[{"Sid":"validSid","Effect":"Deny","Action":"foo:ActionTwo"}]}';
        const c = '{"Version":"2012-10-17","Statement":[{"Sid":"overrideSid","Effect":"Deny","Action":"bar:ActionOne"}]}';
        assert.equal(
            json({ version: "2012-10-17", overridePolicyDocuments: [a, b, c] }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "foo:ActionOne"
    },
    {
      "Sid": "overrideSid",
      "Effect": "Deny",
      "Action": "bar:ActionOne"
    },
    {
      "Sid": "validSid",
      "Effect": "Deny",
      "Action": "foo:ActionTwo"
    }
  ]
}`,
        );
        const override = '{"Version":"2012-10-17","Statement":[{"Sid":"SidToOverwrite","Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
        assert.equal(
            json({
                overridePolicyDocuments: [override],
                statements: [
                    { actions: ["ec2:*"], resources: ["*"] },
                    { sid: "SidToOverwrite", actions: ["s3:*"], resources: ["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"] },
                ],
            }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    },
    {
      "Sid": "SidToOverwrite",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }
  ]
}`,
        );
        const source =
            '{"Version":"2012-10-17","Statement":[{"Sid":"OverridePlaceholder","Effect":"Allow","Action":"ec2:DescribeAccountAttributes","Resource":"*"}]}';
        const replacing = '{"Version":"2012-10-17","Statement":[{"Sid":"OverridePlaceholder","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
        assert.equal(
            json({ sourcePolicyDocuments: [source], overridePolicyDocuments: [replacing] }),
            `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "OverridePlaceholder",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}`,
        );
    });

    it("keeps version 2008-10-17, where &{} is an error", () => {
        assert.equal(
            json({ version: "2008-10-17", statements: [{ actions: ["ec2:*"], resources: ["*"] }] }),
            `{
  "Version": "2008-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    }
  ]
}`,
        );
        assert.throws(
            () => json({ version: "2008-10-17", statements: [{ actions: ["*"], resources: ["arn:aws:s3:::foo/home/&{aws:username}"] }] }),
            /found &\{ sequence in \(.+\), which is not supported in document version 2008-10-17/,
        );
        assert.throws(
            () =>
                json({
                    version: "2008-10-17",
                    statements: [{ actions: ["*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["&{aws:username}"] }] }],
                }),
            /found &\{ sequence/,
        );
    });

    it("refuses what the provider's schema refuses: an unknown version, an effect other than Allow or Deny, a Sid with punctuation", () => {
        assert.throws(() => json({ version: "2020-01-01" }), /version must be 2008-10-17 or 2012-10-17/);
        assert.throws(() => json({ statements: [{ effect: "allow", actions: ["s3:*"] }] }), /effect must be Allow or Deny/);
        assert.throws(() => json({ statements: [{ sid: "a-b", actions: ["s3:*"] }] }), /alphanumeric/);
    });

    it("escapes HTML characters as Go does, and writes a trust policy for ECS tasks", () => {
        assert.equal(
            renderPolicyDocument({
                statements: [
                    {
                        actions: ["sts:AssumeRole"],
                        principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
                        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["<&>"] }],
                    },
                ],
            }).minifiedJson,
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Condition":{"StringEquals":{"aws:SourceAccount":"\\u003c\\u0026\\u003e"}}}]}',
        );
    });
});
