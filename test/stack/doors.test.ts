import { strict as assert } from "assert";
import * as fs from "fs";
import { BEYOND_PINNED_SDKS, DOORS, isDoorProperty, isIamType } from "../../policies/stack/doors";
import { Door, IDENTITY_PROPERTIES, SECRET_SHAPES, TASK_DEFINITION_SHAPES } from "../../policies/stack/resourceShapes";
import { SdkType, sdkTypes, sdkVersions } from "../helpers/sdkDeclarations";
import { DOORS_PAGE_PATH, README_PATH, doorsPage, readmeDoors } from "../../scripts/doorsTable";

/**
 * The table of doors is closed over the installed SDKs: every resource type the rule selects from
 * their declarations is classified, so that a provider upgrade that adds a door fails here.
 */

/** The types the rule selects, with the properties that made it select each. */
function selectedBy(types: readonly SdkType[]): Map<string, string[]> {
    const selected = new Map<string, string[]>();
    for (const t of types) {
        const why = [...t.inputs.filter(isDoorProperty), ...t.nested.filter((n) => isDoorProperty(n.split(".").pop() as string))];
        if (isIamType(t.type) || why.length > 0) selected.set(t.type, why);
    }
    return selected;
}

/** Selected types the table does not classify, as a maintainer would read them. */
function unclassified(types: readonly SdkType[]): string[] {
    return [...selectedBy(types)]
        .filter(([type]) => !Object.prototype.hasOwnProperty.call(DOORS, type))
        .map(([type, why]) => `${type} (${why.slice(0, 3).join(", ") || "an iam module"})`);
}

/** The property names a modelled door's shape reads, up to their first dot. */
function propertiesRead(door: Door): string[] {
    const top = (path: string | undefined) => (path === undefined ? [] : [path.split(".")[0].replace("[]", "")]);
    switch (door.kind) {
        case "role": {
            const s = door.shape;
            return [s.name, s.arn, s.uniqueId, s.inline.list, s.managedPolicyArns, s.trust, s.boundary];
        }
        case "inlineGrant":
            return [...top(door.shape.roles), ...top(door.shape.document), ...top(door.shape.name)];
        case "managedPolicy":
            return [...top(door.shape.arn), ...top(door.shape.document), ...top(door.shape.roles)];
        case "attachment":
            return [...top(door.shape.roles), ...top(door.shape.policyArns)];
        case "inlineExclusive":
            return [...top(door.shape.roles), ...top(door.shape.names)];
        case "resourcePolicy":
            return [...door.shape.documents.flatMap(top), ...top(door.shape.arn), ...top(door.shape.account)];
        case "principalGrant":
            return door.shapes.flatMap((s) => [...top(s.principal), ...top(s.actions), ...top(s.effect), ...top(s.statement), ...top(s.arn)]);
        case "opaqueGrant":
            return top(door.shape.principals);
        case "irrelevant":
            return [];
    }
}

describe("the table of doors", () => {
    const types = sdkTypes();
    const byType = new Map(types.map((t) => [t.type, t]));
    const versions = Object.entries(sdkVersions())
        .map(([sdk, version]) => `${sdk} ${version}`)
        .join(" and ");

    it("reads every resource type of the installed SDKs, with its inputs and the inputs its args reach", () => {
        assert.ok(types.filter((t) => t.sdk === "@pulumi/aws").length > 1500, "@pulumi/aws declares more than 1,500 resource types");
        assert.ok(types.filter((t) => t.sdk === "@pulumi/aws-native").length > 1200, "@pulumi/aws-native declares more than 1,200");
        assert.deepEqual(
            ["assumeRolePolicy", "inlinePolicies", "managedPolicyArns", "permissionsBoundary"].filter((p) =>
                byType.get("aws:iam/role:Role")?.inputs.includes(p),
            ),
            ["assumeRolePolicy", "inlinePolicies", "managedPolicyArns", "permissionsBoundary"],
        );
        assert.ok(byType.get("aws:iam/role:Role")?.outputs.includes("arn"), "an output");
        assert.ok(
            byType.get("aws-native:dynamodb:GlobalTable")?.nested.includes("dynamodb.GlobalTableResourcePolicyArgs.policyDocument"),
            "a property of an input type the args reach through a list",
        );
    });

    it(`classifies every type the rule selects from ${versions}`, () => {
        assert.deepEqual(
            unclassified(types),
            [],
            "each of these may give a role permissions, take them away or limit them: model it in policies/stack/doors.ts, or list it as irrelevant with the reason",
        );
    });

    it("fails on a type a provider release adds, whatever its module, when a property's name says it holds a policy or a principal", () => {
        const added = (type: string, inputs: string[], nested: string[] = []): SdkType => ({ type, sdk: "@pulumi/aws", inputs, outputs: [], nested });
        assert.deepEqual(
            unclassified([
                added("aws:widgets/widgetPolicy:WidgetPolicy", ["policy", "widgetArn"]),
                added("aws:widgets/widget:Widget", ["name"], ["widgets.WidgetAccess.granteePrincipal"]),
                added("aws:iam/roleThing:RoleThing", ["roleName"]),
                added("aws-native:iam:RoleGadget", ["roleName"]),
                added("aws:widgets/gadget:Gadget", ["name", "roleArn"]),
            ]),
            [
                "aws:widgets/widgetPolicy:WidgetPolicy (policy)",
                "aws:widgets/widget:Widget (widgets.WidgetAccess.granteePrincipal)",
                "aws:iam/roleThing:RoleThing (an iam module)",
                "aws-native:iam:RoleGadget (an iam module)",
            ],
        );
    });

    it("selects properties by what their names say they hold", () => {
        const cases: [string, boolean][] = [
            ["policy", true],
            ["policyDocument", true],
            ["repositoryPolicyText", true],
            ["keyPolicy", true],
            ["accessPolicies", true],
            ["inlinePolicies", true],
            ["policyArn", true],
            ["policyArns", true],
            ["policyId", true],
            ["policyIds", true],
            ["managedPolicyArns", true],
            ["principal", true],
            ["principals", true],
            ["principalArn", true],
            ["principalId", true],
            ["principalIds", true],
            ["granteePrincipal", true],
            ["grantee", true],
            ["permissionsBoundary", true],
            ["roleArn", false],
            ["executionRoleArn", false],
            ["policyName", false],
            ["name", false],
        ];
        assert.deepEqual(
            cases.map(([name]) => [name, isDoorProperty(name)]),
            cases,
        );
    });

    it("names only types the pinned SDKs declare, but those it says other releases publish", () => {
        const absent = Object.keys(DOORS).filter((type) => !byType.has(type));
        assert.deepEqual(absent, [...BEYOND_PINNED_SDKS]);
    });

    it("reads, for every modelled door, properties its type declares", () => {
        const wrong: string[] = [];
        for (const [type, door] of Object.entries(DOORS)) {
            const declared = byType.get(type);
            if (declared === undefined) continue;
            for (const property of propertiesRead(door)) {
                if (!declared.inputs.includes(property) && !declared.outputs.includes(property)) wrong.push(`${type}: ${property}`);
            }
        }
        assert.deepEqual(wrong, []);
    });

    it("reads, for every secret a task can take and every task definition, properties its type declares", () => {
        const wrong: string[] = [];
        const check = (type: string, properties: readonly (string | undefined)[]) => {
            const declared = byType.get(type);
            if (declared === undefined) wrong.push(`${type}: not declared`);
            else for (const p of properties) if (p !== undefined && !declared.inputs.includes(p) && !declared.outputs.includes(p)) wrong.push(`${type}: ${p}`);
        };
        for (const [type, shape] of Object.entries(SECRET_SHAPES)) check(type, [shape.arn, shape.name, shape.key, shape.encryptedWhen?.property]);
        for (const [type, shape] of Object.entries(TASK_DEFINITION_SHAPES))
            check(type, [shape.family, shape.executionRole, shape.taskRole, shape.containers, shape.compatibilities]);
        assert.deepEqual(wrong, []);
    });

    it("gives every irrelevant type a reason of one line", () => {
        const bad = Object.entries(DOORS).filter(
            ([, door]) => door.kind === "irrelevant" && (door.reason.length < 20 || door.reason.length > 200 || door.reason.includes("\n")),
        );
        assert.deepEqual(bad, []);
    });

    it("models the doors the issue names", () => {
        const kinds = Object.fromEntries(
            [
                "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                "aws:iam/policyAttachment:PolicyAttachment",
                "aws:iam/policy:Policy",
                "aws-native:iam:Role",
                "aws-native:iam:RolePolicy",
                "aws-native:iam:ManagedPolicy",
                "aws:ecr/repositoryPolicy:RepositoryPolicy",
                "aws:ecr/registryPolicy:RegistryPolicy",
                "aws-native:ecr:Repository",
                "aws:secretsmanager/secretPolicy:SecretPolicy",
                "aws:kms/key:Key",
                "aws:kms/keyPolicy:KeyPolicy",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:sqs/queuePolicy:QueuePolicy",
                "aws:lambda/permission:Permission",
                "aws:kms/grant:Grant",
            ].map((type) => [type, DOORS[type]?.kind]),
        );
        assert.deepEqual(kinds, {
            "aws:iam/role:Role": "role",
            "aws:iam/rolePolicy:RolePolicy": "inlineGrant",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "attachment",
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "attachment",
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive": "inlineExclusive",
            "aws:iam/policyAttachment:PolicyAttachment": "attachment",
            "aws:iam/policy:Policy": "managedPolicy",
            "aws-native:iam:Role": "role",
            "aws-native:iam:RolePolicy": "inlineGrant",
            "aws-native:iam:ManagedPolicy": "managedPolicy",
            "aws:ecr/repositoryPolicy:RepositoryPolicy": "resourcePolicy",
            "aws:ecr/registryPolicy:RegistryPolicy": "resourcePolicy",
            "aws-native:ecr:Repository": "resourcePolicy",
            "aws:secretsmanager/secretPolicy:SecretPolicy": "resourcePolicy",
            "aws:kms/key:Key": "resourcePolicy",
            "aws:kms/keyPolicy:KeyPolicy": "resourcePolicy",
            "aws:s3/bucketPolicy:BucketPolicy": "resourcePolicy",
            "aws:sqs/queuePolicy:QueuePolicy": "resourcePolicy",
            "aws:lambda/permission:Permission": "principalGrant",
            "aws:kms/grant:Grant": "principalGrant",
        });
    });

    it("tells what only identifies a resource, which check's capture may stand in for, from what it grants", () => {
        const identities = (type: string) => IDENTITY_PROPERTIES.get(type) ?? [];
        assert.deepEqual(identities("aws:iam/role:Role"), ["name", "arn", "uniqueId"]);
        assert.deepEqual(identities("aws:s3/bucket:Bucket"), ["arn"]);
        assert.deepEqual(identities("aws:secretsmanager/secret:Secret"), ["arn"]);
        assert.deepEqual(identities("aws:iam/policy:Policy"), ["arn"]);
        assert.deepEqual(identities("aws:s3/bucketPolicy:BucketPolicy"), []);
        assert.deepEqual(identities("aws:iam/rolePolicy:RolePolicy"), []);
        assert.deepEqual(identities("aws:lambda/permission:Permission"), ["function"]);
        assert.deepEqual(identities("aws:ssm/parameter:Parameter"), ["arn", "name"]);
        assert.deepEqual(identities("aws-native:secretsmanager:Secret"), ["awsId"]);
    });

    it("is what the README's list of doors and docs/doors.md say, as npm run doors writes them, every property each door reads included", () => {
        assert.ok(fs.readFileSync(README_PATH, "utf8").includes(readmeDoors()), "README.md holds the list npm run doors makes: run it");
        assert.equal(fs.readFileSync(DOORS_PAGE_PATH, "utf8"), doorsPage(), "docs/doors.md is what npm run doors makes: run it");
    });
});
