import { EngineResource, stackUrnOf, UNKNOWN, urnOf } from "../../cli/engineResources";

/**
 * Engine-shaped stacks for the benchmark: what a real ECS stack sends to a policy pack, at any size.
 *
 * The mix follows real stacks: most resources are unrelated to ECS roles (buckets, queues, Lambda functions
 * with their own roles, security groups, alarms...), and the ECS part comes in the shapes programs write:
 * awsx FargateServices (component children, URNs with a parent-type chain), hand-written task definitions with
 * RolePolicy, RolePolicyAttachment and customer-managed policies, roles with inlinePolicies and managedPolicyArns,
 * and PolicyAttachments shared by several task roles. About 3% of task definitions carry a violation.
 *
 * The same seed gives the same stack in both shapes; the shape only decides which values are known:
 * - preview: every resource is new, so ARNs, ids and documents built from them are the unknown sentinel, and
 *   references are linked by propertyDependencies (names are autonamed, so known);
 * - update: everything is known.
 * The random stream never depends on the shape.
 */

export type Shape = "preview" | "update";

export interface GeneratedStack {
    readonly shape: Shape;
    /** In registration order, the root stack resource and the default provider first. */
    readonly resources: EngineResource[];
    readonly counts: StackCounts;
}

export interface StackCounts {
    total: number;
    taskDefinitions: number;
    roles: number;
    /** Resources whose type has nothing to do with IAM or ECS task definitions. */
    unrelated: number;
    /** Task definitions given a violation on purpose. */
    violations: number;
    /** Task definitions judged inside an awsx component. */
    awsxChildren: number;
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const PROJECT = "demo";
const STACK = "dev";

const managedArn = (name: string, path = "/") => `arn:aws:iam::aws:policy${path}${name}`;
const MANAGED = {
    ecsTaskExecution: managedArn("AmazonECSTaskExecutionRolePolicy", "/service-role/"),
    lambdaBasic: managedArn("AWSLambdaBasicExecutionRole", "/service-role/"),
    ec2ContainerService: managedArn("AmazonEC2ContainerServiceforEC2Role", "/service-role/"),
    ssmCore: managedArn("AmazonSSMManagedInstanceCore"),
    xrayWrite: managedArn("AWSXRayDaemonWriteAccess"),
    cloudWatchAgent: managedArn("CloudWatchAgentServerPolicy"),
    s3ReadOnly: managedArn("AmazonS3ReadOnlyAccess"),
    admin: managedArn("AdministratorAccess"),
    ecsFull: managedArn("AmazonECS_FullAccess"),
} as const;

const WORDS = [
    "api",
    "web",
    "worker",
    "billing",
    "orders",
    "search",
    "auth",
    "catalog",
    "checkout",
    "notify",
    "reports",
    "ingest",
    "export",
    "media",
    "pricing",
    "ledger",
    "profile",
    "cart",
    "inventory",
    "gateway",
    "events",
    "scheduler",
    "mailer",
];
const TEAMS = ["payments", "platform", "growth", "data", "core"];

/** mulberry32: small, fast, and the same on every machine. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A generated resource: what the engine sends, and the values it will have once it exists. */
interface Node {
    readonly res: EngineResource;
    /** The qualified type its children's URNs carry: the parent-type chain. */
    readonly chain: string;
    /** Every output, known; `out` masks the computed ones during a preview. */
    readonly full: Record<string, unknown>;
    readonly computed: ReadonlySet<string>;
}

interface AddSpec {
    parent?: Node;
    inputs: Record<string, unknown>;
    /** Outputs the provider computes at create: unknown in a preview. */
    computed?: Record<string, unknown>;
    /** Outputs known in both shapes that Analyze does not see (defaults the provider reports, tagsAll). */
    reported?: Record<string, unknown>;
    /** Input property → the resources its value came from. */
    deps?: Record<string, Node[]>;
    dependsOn?: Node[];
    component?: boolean;
}

type Statement = Record<string, unknown>;

const doc = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (action: string | string[], resource: string | string[] = "*", extra: object = {}): Statement => ({
    Effect: "Allow",
    Action: action,
    Resource: resource,
    ...extra,
});
const assume = (service: string, guarded = false) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                ...(guarded ? { Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } } : {}),
            },
        ],
    });

type Violation = "exec-admin" | "exec-ecr-star" | "exec-notaction" | "task-exec-policy" | "task-ecs-full" | "same-role";
const VIOLATIONS: readonly Violation[] = ["exec-admin", "exec-ecr-star", "exec-notaction", "task-exec-policy", "task-ecs-full", "same-role"];
const VIOLATION_RATE = 0.03;

class StackGen {
    readonly resources: EngineResource[] = [];
    readonly counts = { taskDefinitions: 0, violations: 0, awsxChildren: 0 };
    private serial = 0;
    readonly root: Node;
    readonly provider: Node;
    cluster!: Node;
    subnets: Node[] = [];
    vpc!: Node;
    listener!: Node;

    constructor(
        readonly shape: Shape,
        private readonly rnd: () => number,
    ) {
        const rootUrn = stackUrnOf(PROJECT, STACK);
        const root: EngineResource = { urn: rootUrn, type: "pulumi:pulumi:Stack", name: `${PROJECT}-${STACK}`, inputs: {}, outputs: {} };
        this.resources.push(root);
        this.root = { res: root, chain: "", full: {}, computed: new Set() };
        const providerProps = { region: REGION, skipCredentialsValidation: "false", skipRegionValidation: "true", version: "7.48.0" };
        this.provider = this.add("pulumi:providers:aws", "default_7_48_0", { inputs: providerProps });
    }

    // --- randomness, independent of the shape ---
    chance(p: number): boolean {
        return this.rnd() < p;
    }
    int(lo: number, hi: number): number {
        return lo + Math.floor(this.rnd() * (hi - lo + 1));
    }
    pick<T>(xs: readonly T[]): T {
        return xs[Math.floor(this.rnd() * xs.length)];
    }
    hex(n: number): string {
        let s = "";
        for (let i = 0; i < n; i++) s += Math.floor(this.rnd() * 16).toString(16);
        return s;
    }
    /** A fresh logical name: words are reused, so a serial keeps URNs unique. */
    name(base: string): string {
        return `${base}-${++this.serial}`;
    }
    tags(service: string): Record<string, string> {
        return { Environment: STACK, Team: this.pick(TEAMS), Service: service, ManagedBy: "pulumi" };
    }

    add(type: string, name: string, spec: AddSpec): Node {
        const parent = spec.parent ?? this.root;
        const isProvider = type.startsWith("pulumi:providers:");
        const urn = urnOf(type, name, parent.chain || undefined, PROJECT, STACK);
        const chain = parent.chain ? `${parent.chain}$${type}` : type;
        const computed = spec.computed ?? {};
        const full = { ...spec.reported, ...spec.inputs, ...computed };
        const outputs = { ...spec.reported, ...spec.inputs };
        for (const [k, v] of Object.entries(computed)) outputs[k] = this.shape === "preview" ? UNKNOWN : v;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, nodes] of Object.entries(spec.deps ?? {})) {
            if (nodes.length > 0) propertyDependencies[k] = nodes.map((n) => n.res.urn);
        }
        const dependencies = [...new Set([...Object.values(propertyDependencies).flat(), ...(spec.dependsOn ?? []).map((n) => n.res.urn)])];
        const res: EngineResource = {
            urn,
            type,
            name,
            inputs: spec.inputs,
            outputs,
            parent: parent.res.urn,
            dependencies,
            propertyDependencies,
            ...(isProvider || spec.component
                ? {}
                : {
                      provider: {
                          urn: this.provider.res.urn,
                          type: this.provider.res.type,
                          name: this.provider.res.name,
                          properties: this.provider.res.inputs,
                      },
                  }),
        };
        this.resources.push(res);
        return { res, chain, full, computed: new Set(Object.keys(computed)) };
    }

    /** An output as the engine has it in this shape. */
    out(node: Node, key: string): unknown {
        return this.shape === "preview" && node.computed.has(key) ? UNKNOWN : node.full[key];
    }
    str(node: Node, key: string): string {
        return this.out(node, key) as string;
    }
    /**
     * A document built from other resources' outputs: the provider makes the whole field unknown if any part is.
     * `build` must not draw random numbers, since a preview does not call it.
     */
    docOf(refs: Node[], key: string, build: (values: string[]) => string): string {
        if (this.shape === "preview" && refs.some((r) => r.computed.has(key))) return UNKNOWN;
        return build(refs.map((r) => r.full[key] as string));
    }

    // --- base infrastructure ---
    network(): void {
        const vpc = this.add("aws:ec2/vpc:Vpc", "main", {
            inputs: { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, instanceTenancy: "default", tags: this.tags("network") },
            computed: {
                arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-${this.hex(17)}`,
                id: `vpc-${this.hex(17)}`,
                defaultSecurityGroupId: `sg-${this.hex(17)}`,
                mainRouteTableId: `rtb-${this.hex(17)}`,
                ownerId: ACCOUNT,
            },
        });
        this.vpc = vpc;
        for (let i = 0; i < 4; i++) {
            this.subnets.push(
                this.add("aws:ec2/subnet:Subnet", `main-${i < 2 ? "private" : "public"}-${i}`, {
                    inputs: {
                        vpcId: this.out(vpc, "id"),
                        cidrBlock: `10.0.${i * 64}.0/18`,
                        availabilityZone: `${REGION}${"abcd"[i]}`,
                        mapPublicIpOnLaunch: i >= 2,
                        tags: this.tags("network"),
                    },
                    computed: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-${this.hex(17)}`, id: `subnet-${this.hex(17)}`, ownerId: ACCOUNT },
                    deps: { vpcId: [vpc] },
                }),
            );
        }
        this.cluster = this.add("aws:ecs/cluster:Cluster", "main", {
            inputs: { name: `main-${this.hex(7)}`, settings: [{ name: "containerInsights", value: "enabled" }], tags: this.tags("platform") },
            computed: { arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/main`, id: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/main` },
        });
        const lb = this.add("aws:lb/loadBalancer:LoadBalancer", "main", {
            inputs: {
                name: `main-${this.hex(7)}`,
                loadBalancerType: "application",
                internal: false,
                subnets: this.subnets.slice(2).map((s) => this.out(s, "id")),
                idleTimeout: 60,
                enableHttp2: true,
                ipAddressType: "ipv4",
                tags: this.tags("platform"),
            },
            computed: {
                arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/main/${this.hex(16)}`,
                dnsName: `main-${this.hex(8)}.${REGION}.elb.amazonaws.com`,
                zoneId: "Z35SXDOTRQ7X7K",
                id: this.hex(16),
            },
            deps: { subnets: this.subnets.slice(2) },
        });
        this.listener = this.add("aws:lb/listener:Listener", "https", {
            inputs: {
                loadBalancerArn: this.out(lb, "arn"),
                port: 443,
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
            },
            computed: { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/main/${this.hex(16)}`, id: this.hex(16) },
            deps: { loadBalancerArn: [lb] },
        });
    }

    // --- IAM and ECS building blocks ---
    /** A role; hand-written ECS roles guard against the confused deputy half of the time, awsx's never do. */
    role(name: string, service: string, parent?: Node, extra: Record<string, unknown> = {}, deps: Record<string, Node[]> = {}): Node {
        const roleName = `${name}-${this.hex(7)}`;
        const guarded = this.chance(0.5) && parent === undefined && service === "ecs-tasks.amazonaws.com";
        return this.add("aws:iam/role:Role", name, {
            parent,
            inputs: {
                name: roleName,
                assumeRolePolicy: assume(service, guarded),
                path: "/",
                forceDetachPolicies: false,
                maxSessionDuration: 3600,
                tags: this.tags(name),
                ...extra,
            },
            reported: { description: "", inlinePolicies: [{ name: "", policy: "" }], managedPolicyArns: [], permissionsBoundary: "", tagsAll: this.tags(name) },
            computed: {
                arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
                id: roleName,
                uniqueId: `AROA${this.hex(17).toUpperCase()}`,
                createDate: "2026-11-02T10:15:30Z",
            },
            deps,
        });
    }

    rolePolicy(name: string, role: Node, policy: string, policyDeps: Node[], parent?: Node): Node {
        const byId = this.chance(0.5);
        const roleValue = byId ? this.str(role, "id") : this.str(role, "name");
        const policyName = `${name}-${this.hex(7)}`;
        return this.add("aws:iam/rolePolicy:RolePolicy", name, {
            parent,
            inputs: { role: roleValue, name: policyName, policy },
            computed: { id: `${role.full.name}:${policyName}` },
            deps: { role: [role], policy: policyDeps },
        });
    }

    attach(name: string, role: Node, policy: Node | string, parent?: Node): Node {
        const policyArn = typeof policy === "string" ? policy : this.str(policy, "arn");
        return this.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, {
            parent,
            inputs: { role: role.full.name, policyArn },
            computed: { id: `${role.full.name}-${this.hex(20)}` },
            deps: { role: [role], policyArn: typeof policy === "string" ? [] : [policy] },
        });
    }

    customerPolicy(name: string, policy: string, policyDeps: Node[]): Node {
        const policyName = `${name}-${this.hex(7)}`;
        return this.add("aws:iam/policy:Policy", name, {
            inputs: { name: policyName, path: "/", description: `Permissions of ${name}`, policy, tags: this.tags(name) },
            reported: { tagsAll: this.tags(name) },
            computed: {
                arn: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
                id: `arn:aws:iam::${ACCOUNT}:policy/${policyName}`,
                policyId: `ANPA${this.hex(17).toUpperCase()}`,
                attachmentCount: 1,
            },
            deps: { policy: policyDeps },
        });
    }

    logGroup(name: string, service: string, parent?: Node): Node {
        const groupName = `/${service}/${name}-${this.hex(7)}`;
        return this.add("aws:cloudwatch/logGroup:LogGroup", name, {
            parent,
            inputs: { name: groupName, retentionInDays: this.pick([7, 14, 30, 90]), skipDestroy: false, logGroupClass: "STANDARD", tags: this.tags(service) },
            reported: { kmsKeyId: "", namePrefix: "", tagsAll: this.tags(service) },
            computed: { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${groupName}`, id: groupName },
        });
    }

    /**
     * A task definition; a container takes `secret` when given (the execution role must be able to read it), and its
     * containerDefinitions are then built from the secret's ARN, so unknown during a preview of a new secret.
     */
    taskDefinition(name: string, execution: Node | undefined, task: Node | undefined, logGroup: Node, parent?: Node, secret?: Node): Node {
        this.counts.taskDefinitions++;
        const family = `${name}-${this.hex(7)}`;
        const env = Array.from({ length: this.int(3, 12) }, (_, i) => ({ name: `SETTING_${i}`, value: this.hex(this.int(4, 24)) }));
        const containers = [
            {
                name,
                image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}:${this.hex(12)}`,
                cpu: 256,
                memory: 512,
                essential: true,
                portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
                environment: env,
                secrets: secret ? [{ name: "DB_PASSWORD", valueFrom: secret.full.arn }] : [],
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": logGroup.full.name, "awslogs-region": REGION, "awslogs-stream-prefix": name },
                },
                healthCheck: { command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"], interval: 30, timeout: 5, retries: 3 },
            },
        ];
        const tags = this.tags(name);
        return this.add("aws:ecs/taskDefinition:TaskDefinition", name, {
            parent,
            inputs: {
                family,
                containerDefinitions: secret && this.shape === "preview" ? UNKNOWN : JSON.stringify(containers),
                cpu: "512",
                memory: "1024",
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                runtimePlatform: { cpuArchitecture: this.pick(["X86_64", "ARM64"]), operatingSystemFamily: "LINUX" },
                ...(execution ? { executionRoleArn: this.str(execution, "arn") } : {}),
                ...(task ? { taskRoleArn: this.str(task, "arn") } : {}),
                skipDestroy: false,
                trackLatest: false,
                tags,
            },
            reported: { tagsAll: tags, volumes: [], placementConstraints: [], ipcMode: "", pidMode: "" },
            computed: {
                arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:1`,
                arnWithoutRevision: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}`,
                id: family,
                revision: 1,
            },
            deps: {
                executionRoleArn: execution ? [execution] : [],
                taskRoleArn: task ? [task] : [],
                containerDefinitions: secret ? [logGroup, secret] : [logGroup],
            },
        });
    }

    securityGroup(name: string, parent?: Node): Node {
        const id = `sg-${this.hex(17)}`;
        return this.add("aws:ec2/securityGroup:SecurityGroup", name, {
            parent,
            inputs: {
                name: `${name}-${this.hex(7)}`,
                description: "Managed by Pulumi",
                vpcId: this.out(this.vpc, "id"),
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: 8080,
                        toPort: 8080,
                        cidrBlocks: ["10.0.0.0/16"],
                        ipv6CidrBlocks: [],
                        prefixListIds: [],
                        securityGroups: [],
                        self: false,
                        description: "",
                    },
                ],
                egress: [
                    {
                        protocol: "-1",
                        fromPort: 0,
                        toPort: 0,
                        cidrBlocks: ["0.0.0.0/0"],
                        ipv6CidrBlocks: [],
                        prefixListIds: [],
                        securityGroups: [],
                        self: false,
                        description: "",
                    },
                ],
                revokeRulesOnDelete: false,
                tags: this.tags(name),
            },
            reported: { tagsAll: this.tags(name), namePrefix: "" },
            computed: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`, id, ownerId: ACCOUNT },
            deps: { vpcId: [this.vpc] },
        });
    }

    ecsService(name: string, td: Node, sg: Node, parent?: Node): void {
        const tg = this.add("aws:lb/targetGroup:TargetGroup", name, {
            parent,
            inputs: {
                name: `${name.slice(0, 20)}-${this.hex(7)}`,
                port: 8080,
                protocol: "HTTP",
                targetType: "ip",
                vpcId: this.out(this.vpc, "id"),
                deregistrationDelay: 30,
                healthCheck: { enabled: true, path: "/health", matcher: "200", interval: 30, healthyThreshold: 3, unhealthyThreshold: 3, timeout: 5 },
            },
            computed: {
                arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name.slice(0, 20)}/${this.hex(16)}`,
                id: this.hex(16),
                arnSuffix: this.hex(16),
            },
            deps: { vpcId: [this.vpc] },
        });
        this.add("aws:ecs/service:Service", name, {
            parent,
            inputs: {
                name: `${name}-${this.hex(7)}`,
                cluster: this.out(this.cluster, "arn"),
                taskDefinition: this.out(td, "arn"),
                desiredCount: this.int(1, 6),
                launchType: "FARGATE",
                networkConfiguration: {
                    subnets: this.subnets.slice(0, 2).map((s) => this.out(s, "id")),
                    securityGroups: [this.out(sg, "id")],
                    assignPublicIp: false,
                },
                loadBalancers: [{ targetGroupArn: this.out(tg, "arn"), containerName: name, containerPort: 8080 }],
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMaximumPercent: 200,
                deploymentMinimumHealthyPercent: 100,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
                waitForSteadyState: false,
                tags: this.tags(name),
            },
            computed: { id: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/main/${name}` },
            deps: { cluster: [this.cluster], taskDefinition: [td], networkConfiguration: [...this.subnets.slice(0, 2), sg], loadBalancers: [tg] },
        });
    }

    bucket(name: string, parent?: Node): Node {
        const bucketName = `${name}-${this.hex(7)}`;
        return this.add("aws:s3/bucket:Bucket", name, {
            parent,
            inputs: { bucket: bucketName, forceDestroy: false, objectLockEnabled: false, tags: this.tags(name) },
            reported: { tagsAll: this.tags(name), bucketPrefix: "", requestPayer: "BucketOwner", region: REGION },
            computed: {
                arn: `arn:aws:s3:::${bucketName}`,
                id: bucketName,
                bucketDomainName: `${bucketName}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucketName}.s3.${REGION}.amazonaws.com`,
                hostedZoneId: "Z3AQBSTGFYJSTF",
            },
        });
    }

    queue(name: string): Node {
        const queueName = `${name}-${this.hex(7)}`;
        return this.add("aws:sqs/queue:Queue", name, {
            inputs: {
                name: queueName,
                visibilityTimeoutSeconds: 30,
                messageRetentionSeconds: 345600,
                maxMessageSize: 262144,
                delaySeconds: 0,
                receiveWaitTimeSeconds: 20,
                sqsManagedSseEnabled: true,
                fifoQueue: false,
                tags: this.tags(name),
            },
            reported: { tagsAll: this.tags(name) },
            computed: {
                arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`,
                id: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
                url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`,
            },
        });
    }

    table(name: string): Node {
        const tableName = `${name}-${this.hex(7)}`;
        return this.add("aws:dynamodb/table:Table", name, {
            inputs: {
                name: tableName,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "pk",
                rangeKey: "sk",
                attributes: [
                    { name: "pk", type: "S" },
                    { name: "sk", type: "S" },
                ],
                pointInTimeRecovery: { enabled: true },
                serverSideEncryption: { enabled: true },
                ttl: { attributeName: "expiresAt", enabled: true },
                tags: this.tags(name),
            },
            reported: { tagsAll: this.tags(name), streamEnabled: false, tableClass: "STANDARD" },
            computed: { arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}`, id: tableName, streamArn: "", streamLabel: "" },
        });
    }

    secret(name: string): Node {
        const secretName = `${name}-${this.hex(7)}`;
        return this.add("aws:secretsmanager/secret:Secret", name, {
            inputs: { name: secretName, recoveryWindowInDays: 7, description: `Secret of ${name}`, tags: this.tags(name) },
            reported: { tagsAll: this.tags(name), kmsKeyId: "" },
            computed: {
                arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${secretName}-${this.hex(6)}`,
                id: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${secretName}`,
            },
        });
    }

    // --- ECS units: each adds one or more task definitions with their roles ---

    /** An awsx FargateService: the task definition, its roles and log group are component children. */
    awsxService(): void {
        const name = this.name(this.pick(WORDS));
        const violation = this.violation();
        const svc = this.add("awsx:ecs:FargateService", name, {
            component: true,
            inputs: {
                cluster: this.out(this.cluster, "arn"),
                desiredCount: 2,
                assignPublicIp: false,
                taskDefinitionArgs: { container: { name, image: `${name}:latest`, cpu: 256, memory: 512, essential: true } },
            },
        });
        const tdc = this.add("awsx:ecs:FargateTaskDefinition", name, {
            parent: svc,
            component: true,
            inputs: { container: { name, image: `${name}:latest`, cpu: 256, memory: 512, essential: true } },
        });
        const lg = this.logGroup(name, name, tdc);
        const exec = this.role(`${name}-execution`, "ecs-tasks.amazonaws.com", tdc);
        this.attach(`${name}-execution-${this.hex(8)}`, exec, MANAGED.ecsTaskExecution, tdc);
        const task = violation === "same-role" ? exec : this.role(`${name}-task`, "ecs-tasks.amazonaws.com", tdc);
        // The program's own grants to the component's roles (registered before the component's children finish).
        const secret = this.chance(0.3) ? this.secretsPolicy(name, exec) : undefined;
        const td = this.taskDefinition(name, exec, task, lg, tdc, secret);
        this.counts.awsxChildren++;
        this.ecsService(name, td, this.securityGroup(`${name}-sg`, svc), svc);
        if (this.chance(0.7)) this.appPolicy(name, task);
        this.applyViolation(violation, name, exec, task);
    }

    /** A hand-written task definition: RolePolicy, attachments, a customer-managed policy. */
    handWritten(): void {
        const name = this.name(this.pick(WORDS));
        const violation = this.violation();
        const lg = this.logGroup(name, name);
        const exec = this.role(`${name}-exec`, "ecs-tasks.amazonaws.com");
        this.attach(`${name}-exec-managed`, exec, MANAGED.ecsTaskExecution);
        const secret = this.chance(0.5) ? this.secretsPolicy(name, exec) : undefined;
        const task = violation === "same-role" ? exec : this.role(`${name}-task`, "ecs-tasks.amazonaws.com");
        this.appPolicy(name, task);
        if (this.chance(0.5)) {
            const bucket = this.bucket(`${name}-assets`);
            const p = this.customerPolicy(
                `${name}-assets-read`,
                this.docOf([bucket], "arn", ([arn]) => doc(allow(["s3:GetObject", "s3:ListBucket"], [arn, `${arn}/*`]))),
                [bucket],
            );
            this.attach(`${name}-task-assets`, task, p);
        }
        if (this.chance(0.3)) this.attach(`${name}-task-xray`, task, MANAGED.xrayWrite);
        const td = this.taskDefinition(name, exec, task, lg, undefined, secret);
        this.ecsService(name, td, this.securityGroup(`${name}-sg`), undefined);
        this.applyViolation(violation, name, exec, task);
    }

    /** Roles that carry their policies themselves: inlinePolicies and managedPolicyArns. */
    selfContainedRoles(): void {
        const name = this.name(this.pick(WORDS));
        const violation = this.violation();
        const lg = this.logGroup(name, name);
        const secret = this.secret(`${name}-db`);
        const exec = this.role(
            `${name}-exec`,
            "ecs-tasks.amazonaws.com",
            undefined,
            {
                managedPolicyArns: [MANAGED.ecsTaskExecution],
                inlinePolicies: [
                    {
                        name: "secrets",
                        policy: this.docOf([secret], "arn", ([arn]) => doc(allow(["secretsmanager:GetSecretValue"], arn))),
                    },
                ],
            },
            { inlinePolicies: [secret] },
        );
        const table = this.table(`${name}-data`);
        const shared = this.customerPolicy(
            `${name}-data-access`,
            this.docOf([table], "arn", ([arn]) =>
                doc(allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], [arn, `${arn}/index/*`])),
            ),
            [table],
        );
        const task =
            violation === "same-role"
                ? exec
                : this.role(
                      `${name}-task`,
                      "ecs-tasks.amazonaws.com",
                      undefined,
                      {
                          managedPolicyArns: [this.str(shared, "arn"), MANAGED.xrayWrite],
                          inlinePolicies: [
                              {
                                  name: "exec",
                                  policy: doc(
                                      allow([
                                          "ssmmessages:CreateControlChannel",
                                          "ssmmessages:CreateDataChannel",
                                          "ssmmessages:OpenControlChannel",
                                          "ssmmessages:OpenDataChannel",
                                      ]),
                                  ),
                              },
                              {
                                  name: "metrics",
                                  policy: doc(allow(["cloudwatch:PutMetricData"], "*", { Condition: { StringEquals: { "cloudwatch:namespace": name } } })),
                              },
                          ],
                      },
                      { managedPolicyArns: [shared] },
                  );
        const td = this.taskDefinition(name, exec, task, lg, undefined, secret);
        this.ecsService(name, td, this.securityGroup(`${name}-sg`), undefined);
        this.applyViolation(violation, name, exec, task);
    }

    /** One team's services sharing an execution role; a PolicyAttachment gives all their task roles one policy. */
    sharedRoles(): void {
        const team = this.name(this.pick(TEAMS));
        const exec = this.role(`${team}-exec`, "ecs-tasks.amazonaws.com");
        this.attach(`${team}-exec-managed`, exec, MANAGED.ecsTaskExecution);
        const queue = this.queue(`${team}-jobs`);
        const policy = this.customerPolicy(
            `${team}-jobs`,
            this.docOf([queue], "arn", ([arn]) => doc(allow(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], arn))),
            [queue],
        );
        const tasks: Node[] = [];
        for (let i = 0; i < 3; i++) {
            const name = `${team}-${this.pick(WORDS)}-${i}`;
            const violation = this.violation();
            const lg = this.logGroup(name, team);
            const task = this.role(`${name}-task`, "ecs-tasks.amazonaws.com");
            tasks.push(task);
            const td = this.taskDefinition(name, exec, violation === "same-role" ? exec : task, lg);
            this.ecsService(name, td, this.securityGroup(`${name}-sg`), undefined);
            this.applyViolation(violation === "same-role" ? undefined : violation, name, exec, task);
        }
        this.add("aws:iam/policyAttachment:PolicyAttachment", `${team}-jobs`, {
            inputs: { name: `${team}-jobs`, roles: tasks.map((t) => t.full.name), users: [], groups: [], policyArn: this.str(policy, "arn") },
            computed: { id: `${team}-jobs` },
            deps: { roles: tasks, policyArn: [policy] },
        });
    }

    /** The application's own permissions on its task role, often built from another resource's ARN. */
    appPolicy(name: string, task: Node): void {
        if (this.chance(0.5)) {
            const queue = this.queue(`${name}-work`);
            this.rolePolicy(
                `${name}-task-app`,
                task,
                this.docOf([queue], "arn", ([arn]) =>
                    doc(
                        allow(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], arn),
                        allow(["s3:GetObject", "s3:PutObject"], `arn:aws:s3:::${name}-uploads/*`),
                    ),
                ),
                [queue],
            );
        } else {
            this.rolePolicy(
                `${name}-task-app`,
                task,
                doc(
                    allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"], [`arn:aws:s3:::${name}-data`, `arn:aws:s3:::${name}-data/*`]),
                    allow([
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ]),
                    allow(
                        ["kms:Decrypt", "kms:GenerateDataKey"],
                        `arn:aws:kms:${REGION}:${ACCOUNT}:key/${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`,
                    ),
                ),
                [],
            );
        }
    }

    /** A secret the task's container takes, and the execution role's permission to inject it. */
    secretsPolicy(name: string, exec: Node): Node {
        const secret = this.secret(`${name}-secret`);
        this.rolePolicy(
            `${name}-exec-secrets`,
            exec,
            this.docOf([secret], "arn", ([arn]) => doc(allow("secretsmanager:GetSecretValue", arn))),
            [secret],
        );
        return secret;
    }

    violation(): Violation | undefined {
        // Always two draws, so that the stream does not depend on the outcome.
        const hit = this.chance(VIOLATION_RATE);
        const kind = this.pick(VIOLATIONS);
        if (!hit) return undefined;
        this.counts.violations++;
        return kind;
    }

    applyViolation(violation: Violation | undefined, name: string, exec: Node, task: Node): void {
        switch (violation) {
            case "exec-admin":
                this.attach(`${name}-exec-admin`, exec, MANAGED.admin);
                break;
            case "exec-ecr-star":
                this.rolePolicy(`${name}-exec-ecr`, exec, doc(allow(["ecr:*", "logs:*"])), []);
                break;
            case "exec-notaction":
                this.rolePolicy(`${name}-exec-broad`, exec, doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }), []);
                break;
            case "task-exec-policy":
                this.attach(`${name}-task-pull`, task, MANAGED.ecsTaskExecution);
                break;
            case "task-ecs-full":
                this.attach(`${name}-task-ecs`, task, MANAGED.ecsFull);
                break;
            case "same-role":
            case undefined:
                break;
        }
    }

    // --- unrelated resources: most of a real stack ---

    unrelatedGroup(): void {
        const kind = this.rnd();
        const name = this.name(this.pick(WORDS));
        if (kind < 0.22) {
            const b = this.bucket(name);
            const deps = { bucket: [b] };
            this.add("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name, {
                inputs: { bucket: this.out(b, "id"), blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                computed: { id: b.full.id },
                deps,
            });
            this.add("aws:s3/bucketVersioning:BucketVersioning", name, {
                inputs: { bucket: this.out(b, "id"), versioningConfiguration: { status: "Enabled", mfaDelete: "Disabled" } },
                computed: { id: b.full.id },
                deps,
            });
            this.add("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name, {
                inputs: { bucket: this.out(b, "id"), rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] },
                computed: { id: b.full.id },
                deps,
            });
            if (this.chance(0.4)) {
                this.add("aws:s3/bucketPolicy:BucketPolicy", name, {
                    inputs: {
                        bucket: this.out(b, "id"),
                        policy: this.docOf([b], "arn", ([arn]) =>
                            doc({
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: [arn, `${arn}/*`],
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            }),
                        ),
                    },
                    computed: { id: b.full.id },
                    deps: { bucket: [b], policy: [b] },
                });
            }
        } else if (kind < 0.4) {
            // A Lambda function with its own role: IAM, but no ECS task definition uses it.
            const role = this.role(`${name}-lambda`, "lambda.amazonaws.com");
            this.attach(`${name}-lambda-basic`, role, this.chance(0.01) ? MANAGED.admin : MANAGED.lambdaBasic);
            if (this.chance(0.5)) {
                const t = this.table(`${name}-store`);
                this.rolePolicy(
                    `${name}-lambda-data`,
                    role,
                    this.docOf([t], "arn", ([arn]) => doc(allow(["dynamodb:GetItem", "dynamodb:PutItem"], arn))),
                    [t],
                );
            }
            const fnName = `${name}-${this.hex(7)}`;
            const fn = this.add("aws:lambda/function:Function", name, {
                inputs: {
                    name: fnName,
                    role: this.out(role, "arn"),
                    handler: "index.handler",
                    runtime: "nodejs20.x",
                    memorySize: 256,
                    timeout: 30,
                    architectures: ["arm64"],
                    packageType: "Zip",
                    publish: false,
                    environment: { variables: { TABLE: name, LOG_LEVEL: "info" } },
                    tracingConfig: { mode: "PassThrough" },
                    tags: this.tags(name),
                },
                reported: {
                    tagsAll: this.tags(name),
                    ephemeralStorage: { size: 512 },
                    loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${fnName}` },
                },
                computed: {
                    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fnName}`,
                    invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fnName}/invocations`,
                    qualifiedArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fnName}:$LATEST`,
                    version: "$LATEST",
                    lastModified: "2026-11-02T10:15:30.000+0000",
                    sourceCodeHash: this.hex(44),
                    sourceCodeSize: this.int(1000, 900000),
                    id: fnName,
                },
                deps: { role: [role] },
            });
            this.logGroup(`${name}-lambda`, "aws/lambda");
            this.add("aws:lambda/permission:Permission", name, {
                inputs: {
                    action: "lambda:InvokeFunction",
                    function: this.out(fn, "name"),
                    principal: "events.amazonaws.com",
                    statementId: `AllowExecutionFromEvents-${this.hex(6)}`,
                },
                computed: { id: this.hex(12) },
                deps: { function: [fn] },
            });
        } else if (kind < 0.52) {
            const q = this.queue(name);
            const dlq = this.queue(`${name}-dlq`);
            this.add("aws:sqs/redrivePolicy:RedrivePolicy", name, {
                inputs: {
                    queueUrl: this.out(q, "url"),
                    redrivePolicy: this.docOf([dlq], "arn", ([arn]) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 })),
                },
                computed: { id: q.full.url },
                deps: { queueUrl: [q], redrivePolicy: [dlq] },
            });
        } else if (kind < 0.6) {
            this.table(name);
        } else if (kind < 0.68) {
            const topicName = `${name}-${this.hex(7)}`;
            const topic = this.add("aws:sns/topic:Topic", name, {
                inputs: { name: topicName, fifoTopic: false, tags: this.tags(name) },
                reported: { tagsAll: this.tags(name) },
                computed: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${topicName}`, id: `arn:aws:sns:${REGION}:${ACCOUNT}:${topicName}`, owner: ACCOUNT },
            });
            this.add("aws:sns/topicSubscription:TopicSubscription", name, {
                inputs: { topic: this.out(topic, "arn"), protocol: "email", endpoint: `${name}@example.com` },
                computed: { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${topicName}:${this.hex(8)}`, id: this.hex(12) },
                deps: { topic: [topic] },
            });
        } else if (kind < 0.78) {
            for (let i = 0, n = this.int(1, 3); i < n; i++) {
                this.add("aws:cloudwatch/metricAlarm:MetricAlarm", `${name}-alarm-${i}`, {
                    inputs: {
                        name: `${name}-alarm-${i}-${this.hex(7)}`,
                        comparisonOperator: "GreaterThanThreshold",
                        evaluationPeriods: 2,
                        metricName: this.pick(["CPUUtilization", "Errors", "5XXError", "ApproximateAgeOfOldestMessage"]),
                        namespace: this.pick(["AWS/ECS", "AWS/Lambda", "AWS/SQS"]),
                        period: 60,
                        statistic: "Average",
                        threshold: this.int(1, 90),
                        alarmActions: [],
                        dimensions: { ServiceName: name },
                        treatMissingData: "missing",
                        tags: this.tags(name),
                    },
                    reported: { tagsAll: this.tags(name) },
                    computed: { arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}-alarm-${i}`, id: `${name}-alarm-${i}` },
                });
            }
        } else if (kind < 0.88) {
            const sg = this.securityGroup(name);
            for (let i = 0, n = this.int(1, 3); i < n; i++) {
                this.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${name}-in-${i}`, {
                    inputs: { securityGroupId: this.out(sg, "id"), ipProtocol: "tcp", fromPort: 443 + i, toPort: 443 + i, cidrIpv4: "10.0.0.0/16" },
                    computed: {
                        arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group-rule/sgr-${this.hex(17)}`,
                        id: `sgr-${this.hex(17)}`,
                        securityGroupRuleId: `sgr-${this.hex(17)}`,
                    },
                    deps: { securityGroupId: [sg] },
                });
            }
        } else if (kind < 0.93) {
            this.add("aws:route53/record:Record", name, {
                inputs: { zoneId: "Z0123456789ABCDEFGHIJ", name: `${name}.example.com`, type: "CNAME", ttl: 300, records: [`${name}.internal.example.com`] },
                computed: { id: `Z0123456789ABCDEFGHIJ_${name}.example.com_CNAME`, fqdn: `${name}.example.com` },
            });
            for (let i = 0, n = this.int(1, 3); i < n; i++) {
                this.add("aws:ssm/parameter:Parameter", `${name}-param-${i}`, {
                    inputs: { name: `/${name}/setting-${i}`, type: "String", value: this.hex(16), tier: "Standard", dataType: "text", tags: this.tags(name) },
                    reported: { tagsAll: this.tags(name) },
                    computed: { arn: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${name}/setting-${i}`, id: `/${name}/setting-${i}`, version: 1 },
                });
            }
        } else if (kind < 0.97) {
            const keyId = `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
            const key = this.add("aws:kms/key:Key", name, {
                inputs: {
                    description: `Key of ${name}`,
                    deletionWindowInDays: 7,
                    enableKeyRotation: true,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    tags: this.tags(name),
                },
                reported: { tagsAll: this.tags(name) },
                computed: {
                    arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`,
                    id: keyId,
                    keyId,
                    policy: doc({
                        Sid: "Enable IAM User Permissions",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    }),
                },
            });
            this.add("aws:kms/alias:Alias", name, {
                inputs: { name: `alias/${name}`, targetKeyId: this.out(key, "keyId") },
                computed: { arn: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/${name}`, id: `alias/${name}`, targetKeyArn: key.full.arn },
                deps: { targetKeyId: [key] },
            });
        } else {
            // EC2 capacity for ECS: an instance role with the agent's managed policy, used by no task definition.
            const role = this.role(`${name}-instance`, "ec2.amazonaws.com");
            this.attach(`${name}-instance-ecs`, role, MANAGED.ec2ContainerService);
            this.attach(`${name}-instance-ssm`, role, MANAGED.ssmCore);
            this.attach(`${name}-instance-cw`, role, MANAGED.cloudWatchAgent);
            const profileName = `${name}-${this.hex(7)}`;
            const profile = this.add("aws:iam/instanceProfile:InstanceProfile", name, {
                inputs: { name: profileName, role: role.full.name, path: "/" },
                computed: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${profileName}`, id: profileName, uniqueId: `AIPA${this.hex(17).toUpperCase()}` },
                deps: { role: [role] },
            });
            const lt = this.add("aws:ec2/launchTemplate:LaunchTemplate", name, {
                inputs: {
                    namePrefix: `${name}-`,
                    imageId: `ami-${this.hex(17)}`,
                    instanceType: "m6i.large",
                    iamInstanceProfile: { arn: this.out(profile, "arn") },
                    userData: Buffer.from(`#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n`).toString("base64"),
                    tags: this.tags(name),
                },
                computed: { arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:launch-template/lt-${this.hex(17)}`, id: `lt-${this.hex(17)}`, latestVersion: 1 },
                deps: { iamInstanceProfile: [profile] },
            });
            this.add("aws:autoscaling/group:Group", name, {
                inputs: {
                    minSize: 1,
                    maxSize: 10,
                    desiredCapacity: 2,
                    vpcZoneIdentifiers: this.subnets.slice(0, 2).map((s) => this.out(s, "id")),
                    launchTemplate: { id: this.out(lt, "id"), version: "$Latest" },
                    protectFromScaleIn: true,
                },
                computed: {
                    arn: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${this.hex(8)}:autoScalingGroupName/${name}`,
                    id: `${name}-${this.hex(8)}`,
                    name: `${name}-${this.hex(8)}`,
                },
                deps: { vpcZoneIdentifiers: this.subnets.slice(0, 2), launchTemplate: [lt] },
            });
        }
    }

    ecsUnit(): void {
        const r = this.rnd();
        if (r < 0.4) this.awsxService();
        else if (r < 0.7) this.handWritten();
        else if (r < 0.85) this.selfContainedRoles();
        else this.sharedRoles();
    }
}

/** What the pack's policies read; everything else is "unrelated" to them. */
const RELEVANT_TYPES: ReadonlySet<string> = new Set([
    "aws:ecs/taskDefinition:TaskDefinition",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/policy:Policy",
]);

/** Resources added by unrelated groups per resource added by ECS units (which bring log groups, services... too). */
const GROUP_PER_UNIT = 1.1;

/** A stack of about `size` resources (never fewer), the same for a given seed and size whatever the shape. */
export function generateStack(size: number, shape: Shape, seed = 7): GeneratedStack {
    const gen = new StackGen(shape, seededRandom(seed ^ size));
    gen.network();
    let fromUnits = 0;
    let fromGroups = 0;
    while (gen.resources.length < size) {
        const before = gen.resources.length;
        if (fromGroups < fromUnits * GROUP_PER_UNIT) {
            gen.unrelatedGroup();
            fromGroups += gen.resources.length - before;
        } else {
            gen.ecsUnit();
            fromUnits += gen.resources.length - before;
        }
    }
    const type = (t: string) => gen.resources.filter((r) => r.type === t).length;
    const counts: StackCounts = {
        ...gen.counts,
        total: gen.resources.length,
        roles: type("aws:iam/role:Role"),
        unrelated: gen.resources.filter((r) => !RELEVANT_TYPES.has(r.type)).length,
    };
    return { shape, resources: gen.resources, counts };
}
