// What the awsx provider plugin creates for its ECS components, for a capture (see capture.ts).
//
// `@pulumi/awsx` components are remote (multi-language) components: the SDK only registers the component, and the
// awsx provider plugin builds its children inside the engine. Under `setMocks` there is no plugin, so the capture
// plays it: for a remote `awsx:ecs:FargateService`, `FargateTaskDefinition`, `EC2Service` or `EC2TaskDefinition` it
// deserialises the component's inputs as the plugin's provider server does (`deserializeInputs`: nested output values
// become Outputs carrying their dependencies) and builds the children below with the program's own @pulumi/pulumi
// and @pulumi/aws, as the plugin does with its bundled copies. The children's inputs, dependencies and
// propertyDependencies are therefore what the SDK serialises, and their URNs carry the chain
// `awsx:ecs:FargateService$awsx:ecs:FargateTaskDefinition$aws:iam/role:Role`.
//
// It mirrors pulumi-awsx's awsx/ecs (fargateService.ts, fargateTaskDefinition.ts, ec2Service.ts,
// ec2TaskDefinition.ts, containers.ts, fargateMemoryAndCpu.ts), awsx/role.ts and awsx/cloudwatch/logGroup.ts as
// of v3.8.0-16-ge60adf3c (August 2026; the ECS code is unchanged since July 2026), the source of @pulumi/awsx 3.9.0.
// Our own model, not awsx's code:
// - Each service registers its task-definition component `<name>` (when `taskDefinitionArgs` is given) and the
//   `aws.ecs.Service` `<name>`; a Fargate service without `networkConfiguration` also gets the security group
//   `<name>-sg` and the default VPC's subnets (public with `assignPublicIp`; the default VPC has no private ones, so
//   without it the plugin fails, and so does the capture).
// - Each task-definition component registers the log group `<name>` (no arguments by default; `logGroup.skip` and
//   `logGroup.existing` honoured), the task role `<name>-task` (no policies by default), the execution role
//   `<name>-execution` with `AmazonECSTaskExecutionRolePolicy`, one `aws.iam.RolePolicyAttachment`
//   `<role>-<first 8 hex of sha1(policy ARN)>` per entry of `policyArns`, and the `aws.ecs.TaskDefinition` `<name>`.
//   Both roles trust `ecs-tasks.amazonaws.com` with awsx's fixed document (no `aws:SourceAccount` condition; the
//   component's role arguments have no field for a trust policy). `roleArn` uses a role from elsewhere, `skip` none.
// - Container definitions: sorted by container name, `name` set, port mappings normalised, and the awslogs driver on
//   the component's log group for containers without a `logConfiguration`; `family` defaults to
//   `<name>-<sha1(stack + definitions JSON)>`; a Fargate task without `cpu`/`memory` gets the cheapest Fargate size
//   that fits its containers.
// - Children use the @pulumi/aws version the awsx SDK names (the plugin pins that exact version), so they get their
//   own default provider, `pulumi:providers:aws::default_<that version>`, as with the real plugin.
// - A port mapping with a `targetGroup` takes the target group's port where it gives none (containerPort first the
//   mapping's, then its hostPort, then the group's; hostPort the reverse), and gives the service a load balancer
//   `{ containerName, containerPort: <group port>, targetGroupArn }`, as awsx's computeLoadBalancers does.
// - `awsx.ecr.Repository` (awsx/ecr/repository.ts): an `aws.ecr.Repository` named after the component in lower case,
//   and, unless `lifecyclePolicy.skip`, an `aws.ecr.LifecyclePolicy` expiring untagged images beyond one (or the
//   rules given, the `any` rule last); outputs `repository`, `lifecyclePolicy`, `url`.
// - `awsx.ecr.Image` (awsx/ecr/image.ts): the ECR credentials from `aws.ecr.getAuthorizationToken` for the
//   repository's registry, and a `docker-build:index:Image` named after the image (`imageName`, else `imageTag`,
//   else `<8 hex of sha1(context, dockerfile, args, stack)>-container`) tagged `<repositoryUrl>:<that name>` and
//   pushed; `imageUri` is `<repositoryUrl>@<digest>`, unknown in a preview as the digest is. Nothing is built: the
//   digest is a placeholder.
// Where it differs: the component itself is recorded with empty inputs and only its value outputs (as the plugin
// registers it); its `dependencies` are the program's dependsOn; the other awsx components (Vpc, load balancers,
// Trail, RegistryImage) are not modelled, and a program that uses one fails the capture.

import { createHash } from "crypto";

/** The remote component types this model builds. */
export const AWSX_COMPONENTS: ReadonlySet<string> = new Set([
    "awsx:ecs:FargateService",
    "awsx:ecs:FargateTaskDefinition",
    "awsx:ecs:EC2Service",
    "awsx:ecs:EC2TaskDefinition",
    "awsx:ecr:Repository",
    "awsx:ecr:Image",
]);

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The program's own SDK modules (loaded from its directory), used as the plugin uses its bundled copies. */
export interface Sdks {
    readonly pulumi: any;
    readonly aws: any;
    /** The @pulumi/aws version the plugin's children ask for. */
    readonly awsVersion: string;
    /** The @pulumi/docker-build version an image's child asks for, when the awsx SDK names one. */
    readonly dockerBuildVersion?: string;
}

type Args = Record<string, any>;
type Resource = any;
type Output = any;

/** The trust policy awsx gives every role it creates, exactly as it serialises it. */
export const AWSX_TRUST_POLICY =
    '{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Effect":"Allow","Sid":""}]}';
const EXECUTION_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/** What differs between the Fargate and the EC2 flavour of each component. */
interface Flavour {
    readonly serviceType: string;
    readonly taskDefinitionType: string;
    readonly launchType: "FARGATE" | "EC2";
}
const FARGATE: Flavour = { serviceType: "awsx:ecs:FargateService", taskDefinitionType: "awsx:ecs:FargateTaskDefinition", launchType: "FARGATE" };
const EC2: Flavour = { serviceType: "awsx:ecs:EC2Service", taskDefinitionType: "awsx:ecs:EC2TaskDefinition", launchType: "EC2" };
const flavourOf = (type: string): Flavour => (type === FARGATE.serviceType || type === FARGATE.taskDefinitionType ? FARGATE : EC2);

const sha8 = (text: string): string => createHash("sha1").update(text).digest("hex").slice(0, 8);

/** Fargate task sizes (vCPU → memory GB), cheapest first by Fargate's price per vCPU and per GB. */
function fargateSizes(): { vcpu: number; gb: number }[] {
    const span = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const table: [number, number[]][] = [
        [0.25, [0.5, 1, 2]],
        [0.5, span(1, 4)],
        [1, span(2, 8)],
        [2, span(4, 16)],
        [4, span(8, 30)],
        [8, span(16, 60)],
        [16, span(32, 120)],
        [32, [60, 120, 244]],
    ];
    const cost = ({ vcpu, gb }: { vcpu: number; gb: number }): number => 0.04048 * vcpu + 0.004445 * gb;
    return table.flatMap(([vcpu, gbs]) => gbs.map((gb) => ({ vcpu, gb }))).sort((a, b) => cost(a) - cost(b));
}

/** The smallest Fargate size that fits the containers' cpu units and memory (MiB), as task-level strings. */
function fargateSize(containers: Args[]): { cpu: string; memory: string } {
    let units = 0;
    let mib = 0;
    for (const c of containers) {
        units += c.cpu ?? 0;
        mib += c.memoryReservation ?? c.memory ?? 0;
    }
    const fit = fargateSizes().find((s) => s.vcpu >= units / 1024 && s.gb >= mib / 1024);
    if (!fit) throw new Error(`awsx: no Fargate size fits ${units / 1024} vCPU and ${mib / 1024} GB`);
    return { cpu: `${fit.vcpu * 1024}`, memory: `${fit.gb * 1024}` };
}

/** awsx's lifecycle policy document: one rule per entry, priorities in order, the `any` rule last. */
function lifecycleDocument(rules: Args[]): Args {
    const anyRules = rules.filter((r) => r.tagStatus === "any");
    if (anyRules.length >= 2) throw new Error('At most one [selection: "any"] rule can be provided.');
    const ordered = [...rules.filter((r) => r.tagStatus !== "any"), ...anyRules];
    return {
        rules: ordered.map((rule, i) => ({
            rulePriority: i + 1,
            description: rule.description,
            selection: {
                tagStatus: rule.tagStatus,
                ...(rule.tagPrefixList ? { tagPrefixList: rule.tagPrefixList } : {}),
                ...(rule.maximumNumberOfImages !== undefined
                    ? { countType: "imageCountMoreThan", countNumber: rule.maximumNumberOfImages }
                    : { countType: "sinceImagePushed", countNumber: rule.maximumAgeLimit, countUnit: "days" }),
            },
            action: { type: "expire" },
        })),
    };
}

class AwsxModel {
    private readonly pulumi: any;
    private readonly aws: any;
    constructor(private readonly sdks: Sdks) {
        this.pulumi = sdks.pulumi;
        this.aws = sdks.aws;
    }

    /** The options every child gets: its parent, and the @pulumi/aws version the plugin bundles. */
    private opts(parent: Resource): Args {
        return { parent, version: this.sdks.awsVersion };
    }

    /** A service component's children; `self` stands for the component (the plugin's parent for them). */
    service(flavour: Flavour, name: string, args: Args, self: Resource): Args {
        if (args.taskDefinition !== undefined && args.taskDefinitionArgs !== undefined) {
            throw new Error("Only one of `taskDefinition` or `taskDefinitionArgs` can be provided.");
        }
        if (flavour === FARGATE && args.networkConfiguration !== undefined && args.assignPublicIp !== undefined) {
            throw new Error("Only one of `networkConfiguration` or `assignPublicIp` can be provided.");
        }
        const component = args.taskDefinitionArgs ? new this.pulumi.ComponentResource(flavour.taskDefinitionType, name, {}, { parent: self }) : undefined;
        const built = component ? this.taskDefinition(flavour, name, args.taskDefinitionArgs, component) : undefined;
        const taskDefinition = built ? built.taskDefinition.arn : args.taskDefinition;
        if (taskDefinition === undefined) throw new Error("Either `taskDefinition` or `taskDefinitionArgs` must be provided.");
        if (args.capacityProviderStrategies && args.useClusterDefaultCapacityProviderStrategy) {
            throw new Error("Only one of `capacityProviderStrategies` or `useClusterDefaultCapacityProviderStrategy` can be provided.");
        }
        const byCapacityProvider = args.capacityProviderStrategies || args.useClusterDefaultCapacityProviderStrategy;
        const service = new this.aws.ecs.Service(
            name,
            {
                ...(flavour === FARGATE ? { desiredCount: 1 } : {}),
                ...args,
                ...(flavour === FARGATE ? { networkConfiguration: args.networkConfiguration ?? this.defaultNetwork(name, self, args.assignPublicIp) } : {}),
                cluster: this.aws.ecs.Cluster.isInstance(args.cluster) ? args.cluster.arn : args.cluster,
                launchType: byCapacityProvider ? undefined : flavour.launchType,
                loadBalancers: args.loadBalancers ?? built?.loadBalancers,
                waitForSteadyState: this.pulumi.output(args.continueBeforeSteadyState).apply((c: boolean | undefined) => !(c ?? false)),
                taskDefinition,
            },
            this.opts(self),
        );
        return { service, ...(built ? { taskDefinition: built.taskDefinition } : {}) };
    }

    /** A task-definition component's children, under `component`. */
    taskDefinition(flavour: Flavour, name: string, args: Args, component: Resource): Args {
        const logs = this.logGroup(name, args.logGroup, component);
        const taskRole = this.role(`${name}-task`, args.taskRole, [], component);
        const executionRole = this.role(`${name}-execution`, args.executionRole, [EXECUTION_ROLE_POLICY], component);
        const containers = this.containers(args);
        const definitions: Output = this.pulumi
            .all([containers, logs.id])
            .apply(([list, group]: [[string, Args][], { group: string; region: string } | undefined]) =>
                this.pulumi.all(
                    [...list]
                        .sort(([a], [b]) => a.localeCompare(b))
                        .map(([containerName, c]) =>
                            this.portMappings(c).apply((mappings: Args[] | undefined) => this.containerDefinition(containerName, c, mappings, group)),
                        ),
                ),
            );
        const json: Output = definitions.apply((d: Args[]) => JSON.stringify(d));
        const stack: string = this.pulumi.getStack();
        const family = this.pulumi.all([args.family, json]).apply(([f, s]: [string | undefined, string]) => f ?? `${name}-${sha8(stack + s)}`);
        const size: Output | undefined = flavour === FARGATE ? definitions.apply(fargateSize) : undefined;
        const taskDefinition = new this.aws.ecs.TaskDefinition(
            name,
            {
                ...(flavour === EC2 ? { networkMode: "awsvpc" } : {}),
                ...args,
                ...(size
                    ? { cpu: args.cpu ?? size.apply((s: Args) => s.cpu), memory: args.memory ?? size.apply((s: Args) => s.memory), networkMode: "awsvpc" }
                    : {}),
                requiresCompatibilities: [flavour.launchType],
                taskRoleArn: taskRole.arn,
                executionRoleArn: executionRole.arn,
                family,
                containerDefinitions: json,
            },
            this.opts(component),
        );
        const loadBalancers = this.loadBalancers(containers);
        return {
            taskDefinition,
            loadBalancers,
            ...(logs.logGroup ? { logGroup: logs.logGroup } : {}),
            ...(taskRole.role ? { taskRole: taskRole.role } : {}),
            ...(executionRole.role ? { executionRole: executionRole.role } : {}),
        };
    }

    /** `container` (named `container` unless it says) or `containers`, as name → definition pairs. */
    private containers(args: Args): Output {
        const { container, containers } = args;
        if (containers !== undefined && container === undefined) return this.pulumi.output(containers).apply((c: Args) => Object.entries(c));
        if (container !== undefined && containers === undefined) {
            return this.pulumi.all([container.name, container]).apply(([n, c]: [string | undefined, Args]) => [[n ?? "container", c]]);
        }
        throw new Error("Exactly one of [container] or [containers] must be provided");
    }

    /** The container's port mappings, each with the port of its target group where it gives none. */
    private portMappings(c: Args): Output {
        return this.pulumi.output(c.portMappings).apply((mappings: Args[] | undefined) =>
            mappings === undefined
                ? undefined
                : this.pulumi.all(
                      mappings.map((m) =>
                          this.pulumi.output(m.targetGroup?.port).apply((tgPort: number | undefined) => ({
                              name: m.name,
                              containerPortRange: m.containerPortRange,
                              appProtocol: m.appProtocol,
                              containerPort: m.containerPort ?? m.hostPort ?? tgPort,
                              hostPort: m.hostPort ?? tgPort ?? m.containerPort,
                              protocol: m.protocol,
                          })),
                      ),
                  ),
        );
    }

    private containerDefinition(containerName: string, c: Args, portMappings: Args[] | undefined, group: { group: string; region: string } | undefined): Args {
        const definition: Args = { ...c, portMappings, name: containerName };
        if (definition.logConfiguration === undefined && group) {
            definition.logConfiguration = {
                logDriver: "awslogs",
                options: { "awslogs-group": group.group, "awslogs-region": group.region, "awslogs-stream-prefix": containerName },
            };
        }
        return definition;
    }

    /** The service's load balancers: one per port mapping with a target group, on the group's port. */
    private loadBalancers(containers: Output): Output {
        return containers.apply((pairs: [string, Args][]) =>
            this.pulumi
                .all(
                    pairs.flatMap(([containerName, c]) =>
                        (c.portMappings ?? [])
                            .filter((m: Args) => m?.targetGroup !== undefined)
                            .map((m: Args) =>
                                this.pulumi
                                    .all([m.targetGroup.arn, m.targetGroup.port])
                                    .apply(([targetGroupArn, containerPort]: [string | undefined, number | undefined]) =>
                                        targetGroupArn === undefined || containerPort === undefined
                                            ? undefined
                                            : { containerName, containerPort, targetGroupArn },
                                    ),
                            ),
                    ),
                )
                .apply((list: (Args | undefined)[]) => list.filter((lb) => lb !== undefined)),
        );
    }

    /** The component's log group: created, an existing one by name or ARN, or none (`skip`). */
    private logGroup(name: string, given: Args | undefined, parent: Resource): { logGroup?: Resource; id: Output } {
        if (given?.skip) return { id: this.pulumi.output(undefined) };
        if (given?.existing !== undefined && given.args !== undefined) throw new Error("Can't define log group args if specifying an existing log group name");
        const region = this.aws.getRegionOutput({}, { parent }).apply((r: Args) => r.name ?? r.region);
        const existing = given?.existing;
        if (existing?.arn) {
            return {
                id: this.pulumi.output(existing.arn).apply((arn: string) => {
                    const parts = arn.split(":");
                    if (parts[2] !== "logs" || parts[5] !== "log-group") throw new Error("Invalid log group ARN");
                    return { group: parts[6], region: parts[3] };
                }),
            };
        }
        if (existing?.name) return { id: this.pulumi.all([existing.name, existing.region ?? region]).apply(([group, r]: string[]) => ({ group, region: r })) };
        if (existing) throw new Error("One of an existing log group name or ARN must be specified");
        const logGroup = new this.aws.cloudwatch.LogGroup(name, { ...given?.args }, this.opts(parent));
        return { logGroup, id: this.pulumi.all([logGroup.name, region]).apply(([group, r]: string[]) => ({ group, region: r })) };
    }

    /** A role the component creates (with its policy attachments), one it is given by ARN, or none. */
    private role(name: string, given: Args | undefined, defaultPolicyArns: string[], parent: Resource): { role?: Resource; arn?: Output } {
        if (given?.roleArn !== undefined && given?.args !== undefined) throw new Error("Can't define role args if specified an existing role ARN");
        if (given?.skip === true) return {};
        if (given?.roleArn !== undefined) return { arn: this.pulumi.output(given.roleArn) };
        const { policyArns, ...roleArgs } = { policyArns: defaultPolicyArns, ...given?.args } as Args;
        const trust = roleArgs.assumeRolePolicy === undefined ? AWSX_TRUST_POLICY : roleArgs.assumeRolePolicy;
        const role = new this.aws.iam.Role(
            name,
            { ...roleArgs, assumeRolePolicy: typeof trust === "string" ? trust : JSON.stringify(trust) },
            this.opts(parent),
        );
        for (const policyArn of (policyArns ?? []) as string[]) {
            new this.aws.iam.RolePolicyAttachment(`${name}-${sha8(policyArn)}`, { role: role.name, policyArn }, this.opts(parent));
        }
        return { role, arn: role.arn };
    }

    /** awsx.ecr.Repository: the repository, named after the component in lower case, and its lifecycle policy. */
    repository(name: string, args: Args, self: Resource): Args {
        const lowerCaseName = name.toLowerCase();
        const { lifecyclePolicy, ...repoArgs } = args;
        const repository = new this.aws.ecr.Repository(lowerCaseName, repoArgs, this.opts(self));
        const policy = lifecyclePolicy?.skip
            ? undefined
            : new this.aws.ecr.LifecyclePolicy(
                  lowerCaseName,
                  {
                      repository: repository.name,
                      policy: this.pulumi
                          .output(lifecyclePolicy?.rules)
                          .apply((rules: Args[] | undefined) =>
                              lifecycleDocument(rules ?? [{ description: "remove untagged images", tagStatus: "untagged", maximumNumberOfImages: 1 }]),
                          ),
                      ...(args.region !== undefined ? { region: args.region } : {}),
                  },
                  this.opts(self),
              );
        return { repository, ...(policy ? { lifecyclePolicy: policy } : {}), url: repository.repositoryUrl };
    }

    /** awsx.ecr.Image: the image built and pushed to the repository, by a `docker-build:index:Image` child. */
    image(args: Args, self: Resource): Args {
        const imageUri = this.pulumi.output(args).apply((a: Args) => {
            const { repositoryUrl, registryId, imageTag, imageName: givenName, context, dockerfile, args: buildArgs, cacheFrom, target, platform } = a;
            let signature = `${context ?? "."}${dockerfile ? `;dockerfile=${dockerfile}` : ""}`;
            for (const key of Object.keys(buildArgs ?? {})) signature += `;arg[${key}]=${buildArgs[key]}`;
            const imageName: string = givenName ?? imageTag ?? `${sha8(signature + this.pulumi.getStack())}-container`;
            const canonical = `${repositoryUrl}:${imageName}`;
            const registry: string =
                registryId ?? new URL(String(repositoryUrl).startsWith("https://") ? repositoryUrl : `https://${repositoryUrl}`).hostname.split(".")[0];
            const credentials = this.aws.ecr.getAuthorizationTokenOutput({ registryId: registry }, { parent: self }).apply((c: Args) => ({
                address: c.proxyEndpoint,
                username: c.userName,
                password: c.password,
            }));
            const image = new this.pulumi.CustomResource(
                "docker-build:index:Image",
                imageName,
                {
                    tags: [canonical],
                    buildArgs,
                    cacheFrom: (cacheFrom ?? [canonical]).map((ref: string) => ({ registry: { ref } })),
                    cacheTo: [{ inline: {} }],
                    context: { location: context ?? "." },
                    dockerfile: { location: dockerfile },
                    platforms: platform ? [platform] : [],
                    target,
                    push: true,
                    registries: [credentials],
                    ref: undefined,
                    digest: undefined,
                },
                { parent: self, ...(this.sdks.dockerBuildVersion ? { version: this.sdks.dockerBuildVersion } : {}) },
            );
            return this.pulumi
                .all([image.ref, image.digest])
                .apply(([ref, digest]: [string | undefined, string | undefined]) =>
                    digest ? `${repositoryUrl}@${digest}` : ref ? String(ref).replace(/^(.*):([^@]+)(@sha256:.+)$/, "$1$3") : canonical,
                );
        });
        return { imageUri };
    }

    /** Without networkConfiguration, awsx opens a security group and places the service in the default VPC. */
    private defaultNetwork(name: string, parent: Resource, assignPublicIp: boolean | undefined): Args {
        const vpc = this.aws.ec2.getVpcOutput({ default: true }, { parent });
        const subnets = this.aws.ec2
            .getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] }, { parent })
            .ids.apply((ids: string[]) => this.pulumi.all(ids.map((id) => this.aws.ec2.getSubnetOutput({ id }, { parent }))));
        const anywhere = { cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };
        const sg = new this.aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: vpc.id,
                ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", ...anywhere }],
                egress: [{ fromPort: 0, toPort: 65535, protocol: "tcp", ...anywhere }],
            },
            this.opts(parent),
        );
        const publicIp = assignPublicIp ?? false;
        return {
            subnets: this.pulumi.all([publicIp, subnets]).apply(([open, list]: [boolean, Args[]]) => {
                const chosen = list.filter((s) => s.mapPublicIpOnLaunch === open).map((s) => s.id);
                if (!open && chosen.length === 0) {
                    throw new Error(
                        "The default VPC does not have any private subnets. Set `assignPublicIp` to `true`, provide `networkConfiguration`, or add private subnets to the default VPC.",
                    );
                }
                return chosen;
            }),
            assignPublicIp: publicIp,
            securityGroups: [sg.id],
        };
    }
}

/**
 * Builds the children of a remote awsx ECS component and returns what the plugin answers the program: the
 * component's resources and values, keyed as the component's outputs.
 */
export function constructAwsxComponent(sdks: Sdks, type: string, name: string, inputs: Args, self: Resource): Args {
    const model = new AwsxModel(sdks);
    if (type === "awsx:ecr:Repository") return model.repository(name, inputs, self);
    if (type === "awsx:ecr:Image") return model.image(inputs, self);
    const flavour = flavourOf(type);
    if (type === flavour.serviceType) return model.service(flavour, name, inputs, self);
    return model.taskDefinition(flavour, name, inputs, self);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
