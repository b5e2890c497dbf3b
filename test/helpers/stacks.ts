import { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { StackResource } from "../../policies/stack/resources";

/**
 * Engine-shaped stacks for tests: resources as AnalyzeStack hands them to a pack, in a preview
 * (new resources: ARNs unknown, linked by propertyDependencies) or after an update (all known).
 */

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const ACCOUNT = "123456789012";

export type Phase = "preview" | "update";
export const PHASES: readonly Phase[] = ["preview", "update"];

export const T = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    policy: "aws:iam/policy:Policy",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::demo::${type}::${name}`;
}

export const managedArn = (name: string, path = "/") => `arn:aws:iam::aws:policy${path}${name}`;
export const EXECUTION_POLICY_ARN = managedArn("AmazonECSTaskExecutionRolePolicy", "/service-role/");

/** A compact JSON document, as the AWS provider hands `policy` to a pack. */
export function doc(...statements: object[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export function allow(action: string | string[], resource: string | string[] = "*", extra: object = {}): object {
    return { Effect: "Allow", Action: action, Resource: resource, ...extra };
}

export function deny(action: string | string[], resource: string | string[] = "*", extra: object = {}): object {
    return { Effect: "Deny", Action: action, Resource: resource, ...extra };
}

/** The trust policy the ECS developer guide recommends, confused-deputy condition included. */
export const ASSUME_ECS_TASKS = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
    ],
});

export const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2`;
export const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
export const PARAMETER_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/api-key`;

/** A container as the ECS developer guide shows it: an ECR image, awslogs, secrets from both stores. */
export function appContainer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "app",
        image: IMAGE,
        essential: true,
        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app" } },
        secrets: [
            { name: "DB_PASSWORD", valueFrom: SECRET_ARN },
            { name: "API_KEY", valueFrom: PARAMETER_ARN },
        ],
        ...overrides,
    };
}

/** Builds a stack the way the engine reports it in one phase. */
export class StackBuilder {
    readonly resources: StackResource[] = [];
    constructor(readonly phase: Phase) {}

    private parent: StackResource | undefined;

    /** Builds resources as children of a component, as awsx components create theirs. */
    within<T>(parent: StackResource, build: () => T): T {
        const outer = this.parent;
        this.parent = parent;
        try {
            return build();
        } finally {
            this.parent = outer;
        }
    }

    private add(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): StackResource {
        const propertyDependencies = Object.fromEntries(Object.entries(deps).filter(([, v]) => v.length > 0));
        // A child's URN carries its parents' types: urn:pulumi:dev::demo::awsx:ecs:FargateService$aws:iam/role:Role::name
        const parentTypes = this.parent ? this.parent.urn.split("::")[2] : undefined;
        const r: StackResource = {
            urn: parentTypes ? `urn:pulumi:dev::demo::${parentTypes}$${type}::${name}` : urnOf(type, name),
            type,
            name,
            props,
            parent: this.parent?.urn,
            dependencies: [...new Set(Object.values(propertyDependencies).flat())],
            propertyDependencies,
        };
        this.resources.push(r);
        return r;
    }

    /** Changes a resource's props (and what they depend on) after it was built: the one change a test makes. */
    set(r: StackResource, props: Record<string, unknown>, deps: Record<string, string[]> = {}): void {
        const m = r as { props: Record<string, unknown>; propertyDependencies: Record<string, readonly string[]>; dependencies: readonly string[] };
        m.props = { ...m.props, ...props };
        m.propertyDependencies = { ...m.propertyDependencies, ...deps };
        m.dependencies = [...new Set(Object.values(m.propertyDependencies).flat())];
    }

    /** Gives a task definition these containers, as the provider reports containerDefinitions: a JSON string. */
    containers(td: StackResource, ...containers: Record<string, unknown>[]): void {
        this.set(td, { containerDefinitions: JSON.stringify(containers) });
    }

    /** Has a resource managed by an explicit provider, as `{ provider }` in its options does: two providers may stand for two accounts. */
    provide(r: StackResource, provider: string): void {
        (r as { provider?: string }).provider = provider;
    }

    /** Takes a resource out of the stack, by its name. */
    remove(name: string): void {
        this.resources.splice(
            this.resources.findIndex((r) => r.name === name),
            1,
        );
    }

    /** Sets a role's managedPolicyArns: AWS-managed ARNs as strings, customer-managed policies as resources. */
    managedPolicyArns(role: StackResource, entries: (StackResource | string)[]): void {
        const values = entries.map((e) => (typeof e === "string" ? e : this.arnOf(e)));
        const deps = entries.filter((e): e is StackResource => typeof e !== "string").map((e) => e.urn);
        this.set(role, { managedPolicyArns: values }, deps.length ? { managedPolicyArns: deps } : {});
    }

    /** An output that is known only after the update. */
    private computed(value: string): string {
        return this.phase === "preview" ? UNKNOWN : value;
    }

    role(name: string, props: Record<string, unknown> = {}): StackResource {
        const roleName = `${name}-a1b2c3d`;
        return this.add(T.role, name, {
            name: roleName,
            arn: this.computed(`arn:aws:iam::${ACCOUNT}:role/${roleName}`),
            id: this.computed(roleName),
            assumeRolePolicy: ASSUME_ECS_TASKS,
            inlinePolicies: [{ name: "", policy: "" }],
            managedPolicyArns: [],
            path: "/",
            ...props,
        });
    }

    /** The value a role reference has in this phase: its ARN output. */
    arnOf(r: StackResource): string {
        return r.props.arn as string;
    }

    nameOf(r: StackResource): string {
        return r.props.name as string;
    }

    policy(name: string, document: string): StackResource {
        const policyName = `${name}-e5f6a7b`;
        return this.add(T.policy, name, {
            name: policyName,
            path: "/",
            policy: document,
            arn: this.computed(`arn:aws:iam::${ACCOUNT}:policy/${policyName}`),
        });
    }

    /** `aws.iam.RolePolicy` naming its role by `role.name` (known in both phases) or `role.id`. */
    rolePolicy(name: string, role: StackResource, document: string, by: "name" | "id" = "id"): StackResource {
        const value = by === "name" ? this.nameOf(role) : (role.props.id as string);
        return this.add(T.rolePolicy, name, { role: value, name: `${name}-p`, policy: document }, { role: [role.urn] });
    }

    rolePolicyAttachment(name: string, role: StackResource, policy: StackResource | string): StackResource {
        const policyArn = typeof policy === "string" ? policy : this.arnOf(policy);
        return this.add(
            T.rolePolicyAttachment,
            name,
            { role: this.nameOf(role), policyArn },
            { role: [role.urn], policyArn: typeof policy === "string" ? [] : [policy.urn] },
        );
    }

    policyAttachment(name: string, roles: StackResource[], policy: StackResource | string): StackResource {
        const policyArn = typeof policy === "string" ? policy : this.arnOf(policy);
        return this.add(
            T.policyAttachment,
            name,
            { name, roles: roles.map((r) => this.nameOf(r)), policyArn },
            { roles: roles.map((r) => r.urn), policyArn: typeof policy === "string" ? [] : [policy.urn] },
        );
    }

    /** A task definition whose roles are references to stack roles, or literal ARNs or names. */
    taskDefinition(
        name: string,
        roles: { execution?: StackResource | string; task?: StackResource | string },
        props: Record<string, unknown> = {},
    ): StackResource {
        const value = (r: StackResource | string | undefined) => (typeof r === "object" ? this.arnOf(r) : r);
        const dep = (r: StackResource | string | undefined) => (typeof r === "object" ? [r.urn] : []);
        return this.add(
            T.taskDefinition,
            name,
            {
                family: name,
                containerDefinitions: JSON.stringify([appContainer()]),
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: "256",
                memory: "512",
                executionRoleArn: value(roles.execution),
                taskRoleArn: value(roles.task),
                arn: this.computed(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${name}:1`),
                ...props,
            },
            { executionRoleArn: dep(roles.execution), taskRoleArn: dep(roles.task) },
        );
    }

    /** Any other resource, as a stack would carry it. */
    other(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): StackResource {
        return this.add(type, name, props, deps);
    }
}

/**
 * The correct Fargate setup the AWS documentation describes, which every policy must pass: an
 * execution role with AmazonECSTaskExecutionRolePolicy and a scoped secrets policy, and a task role
 * with the application's own permissions.
 */
export function correctStack(phase: Phase) {
    const s = new StackBuilder(phase);
    const executionRole = s.role("exec");
    s.rolePolicyAttachment("exec-managed", executionRole, EXECUTION_POLICY_ARN);
    s.rolePolicy(
        "exec-secrets",
        executionRole,
        doc(
            allow(
                ["secretsmanager:GetSecretValue", "ssm:GetParameters"],
                [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-*`, `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/*`],
            ),
            allow("kms:Decrypt", `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`),
        ),
    );
    const taskRole = s.role("task");
    s.rolePolicy(
        "task-app",
        taskRole,
        doc(
            allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::app-bucket/*"),
            allow(["sqs:SendMessage", "sqs:ReceiveMessage"], `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`),
            allow(["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]),
        ),
    );
    const taskDefinition = s.taskDefinition("app", { execution: executionRole, task: taskRole });
    return { s, executionRole, taskRole, taskDefinition };
}

export interface Reported {
    readonly message: string;
    readonly urn: string | undefined;
    /** Set only when the policy reported a diagnostic with its own level, as `@pulumi/policy` allows. */
    readonly enforcementLevel?: string;
}

/**
 * Runs a stack policy the way `@pulumi/policy` does: props behind the SDK's own unknown-checking
 * proxy, dependencies as resource objects, config through getConfig.
 */
export async function runStackPolicy(
    policy: StackValidationPolicy,
    resources: readonly StackResource[],
    config: Record<string, unknown> = {},
): Promise<Reported[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };
    const byUrn = new Map<string, PolicyResource>();
    const policyResources = resources.map((r) => {
        const pr = {
            type: r.type,
            urn: r.urn,
            name: r.name,
            props: unknownCheckingProxy(structuredClone(r.props) as object),
            opts: {
                protect: false,
                ignoreChanges: [],
                aliases: [],
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
            },
            dependencies: [],
            propertyDependencies: {},
            ...(r.provider !== undefined ? { provider: providerOf(r.provider) } : {}),
            isType: () => false,
            asType: () => undefined,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = policyResources[i] as { dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]>; parent?: PolicyResource };
        pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        }
        if (r.parent) pr.parent = byUrn.get(r.parent);
    });
    const reported: Reported[] = [];
    const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
    // As @pulumi/policy does: a string and a URN, or a diagnostic object with its own level.
    await policy.validateStack(args, (message: string | { message: string; urn?: string; enforcementLevel?: string }, urn?: string) => {
        reported.push(
            typeof message === "string"
                ? { message, urn }
                : {
                      message: message.message,
                      urn: message.urn,
                      ...(message.enforcementLevel !== undefined ? { enforcementLevel: message.enforcementLevel } : {}),
                  },
        );
    });
    return reported;
}

/** Every stack policy of the pack on one stack: which policy reported against which resource. */
export async function runEveryStackPolicy(resources: readonly StackResource[]): Promise<[string, string | undefined][]> {
    // Imported here, not at the top, so that helpers used by the IAM tests do not load every policy.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies } = require("../../policies") as typeof import("../../policies");
    const out: [string, string | undefined][] = [];
    for (const p of policies) if ("validateStack" in p) for (const r of await runStackPolicy(p, resources)) out.push([p.name, r.urn]);
    return out;
}

/** Every finding of every stack policy of the pack on one stack: the policy, the name of the resource it is reported against, and the message. */
export async function everyStackFinding(resources: readonly StackResource[]): Promise<[policy: string, resource: string, message: string][]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies } = require("../../policies") as typeof import("../../policies");
    const names = new Map(resources.map((r) => [r.urn, r.name]));
    const out: [string, string, string][] = [];
    for (const p of policies) {
        if (!("validateStack" in p)) continue;
        for (const r of await runStackPolicy(p, resources)) out.push([p.name, names.get(r.urn ?? "") ?? String(r.urn), r.message]);
    }
    return out;
}

/** Resources as a validateStack call hands them, each call a fresh copy, as the SDK deserialises them anew. */
export function asPolicyResources(resources: readonly StackResource[]): PolicyResource[] {
    const copies = resources.map((r) => ({
        ...r,
        provider: r.provider !== undefined ? providerOf(r.provider) : undefined,
        props: structuredClone(r.props),
        dependencies: [] as PolicyResource[],
        propertyDependencies: {} as Record<string, PolicyResource[]>,
    }));
    const byUrn = new Map(copies.map((c) => [c.urn, c]));
    resources.forEach((r, i) => {
        for (const [k, urns] of Object.entries(r.propertyDependencies))
            copies[i].propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((x) => x !== undefined) as unknown as PolicyResource[];
    });
    return copies as unknown as PolicyResource[];
}

/** A provider as `@pulumi/policy` hands it with a resource: its URN, type and name. */
export function providerOf(urn: string): { urn: string; type: string; name: string; props: Record<string, unknown> } {
    const parts = urn.split("::");
    return { urn, type: parts[2] ?? "pulumi:providers:aws", name: parts[3] ?? "default", props: {} };
}

/** The URN of an explicit AWS provider, with the `::<id>` suffix the engine gives provider references left out. */
export function providerUrn(name: string): string {
    return `urn:pulumi:dev::demo::pulumi:providers:aws::${name}`;
}
