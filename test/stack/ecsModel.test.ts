import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { buildEcsStackModel, ModelOptions, readEcsStack } from "../../policies/stack/ecsModel";
import { StackResource } from "../../policies/stack/resources";
import { allow, asPolicyResources, correctStack, doc, providerUrn, UNKNOWN } from "../helpers/stacks";

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
        const first = ecsModelOf(asPolicyResources(s.resources));
        const changed = (change: (resources: PolicyResource[]) => void, options = {}) => {
            const resources = asPolicyResources(s.resources);
            change(resources);
            return ecsModelOf(resources, options) !== first && ecsModelOf(asPolicyResources(s.resources)) === ecsModelOf(asPolicyResources(s.resources));
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
