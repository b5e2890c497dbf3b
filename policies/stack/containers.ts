import { exactArn, NeededArn, neededArn } from "../iam/arnPattern";
import { partitionOfRegion } from "../iam/partitions";
import { describe, isPlainObject } from "../iam/policyDocument";
import { notKnown } from "./phase";
import { isUnknown, plain, prop } from "./resources";

/**
 * What a task definition's containers need its execution role to do before they can start:
 * pull images from ECR, deliver awslogs logs, inject secrets, read environment files from S3.
 * Read from `containerDefinitions` (a JSON string in `@pulumi/aws`, objects in aws-native), once.
 */

export type NeedKind = "ecrPull" | "logDelivery" | "logGroupCreation" | "secret" | "s3File";

export interface ExecutionNeed {
    readonly kind: NeedKind;
    /** The container and the field that create the need, e.g. `container "web", secrets[0].valueFrom`. */
    readonly container: string;
    readonly field: string;
    /** Every action the need requires, each on `arn` (or on `*` where an action cannot be scoped). */
    readonly actions: readonly string[];
    /**
     * The ARN the actions act on, when the definition names it; where the definition leaves part of
     * it out (the partition, Region and account the task runs in, a secret's suffix, a log stream),
     * that part is not known, and `text` writes it as `*` or `?`.
     */
    readonly arn: NeededArn | undefined;
}

export type ContainerNeeds =
    | { readonly kind: "known"; readonly needs: readonly ExecutionNeed[]; readonly problems: readonly string[] }
    | { readonly kind: "unknown"; readonly reason: string };

/** Actions that act on no resource: `Resource: "*"` is the only way to grant them. */
export const UNSCOPABLE_ACTIONS: ReadonlySet<string> = new Set(["ecr:getauthorizationtoken"]);

export const ECR_PULL_NEED = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

export function containerNeeds(raw: unknown, taskDefinitionName: string): ContainerNeeds {
    if (isUnknown(raw)) return { kind: "unknown", reason: `the containerDefinitions of task definition "${taskDefinitionName}" are ${notKnown()}` };
    let defs: unknown = raw;
    if (typeof raw === "string") {
        try {
            defs = JSON.parse(raw);
        } catch {
            return { kind: "known", needs: [], problems: ["containerDefinitions is not valid JSON"] };
        }
    }
    if (!Array.isArray(defs)) {
        return defs === undefined || defs === null
            ? { kind: "known", needs: [], problems: [] }
            : { kind: "known", needs: [], problems: [`containerDefinitions must be a list, not ${describe(defs)}`] };
    }
    const needs: ExecutionNeed[] = [];
    const problems: string[] = [];
    let unknownReason: string | undefined;
    defs.forEach((raw: unknown, i) => {
        const def = plain(raw);
        if (isUnknown(def)) {
            unknownReason = `containerDefinitions[${i}] of task definition "${taskDefinitionName}" is ${notKnown()}`;
            return;
        }
        if (!isPlainObject(def)) {
            problems.push(`containerDefinitions[${i}] must be an object, not ${describe(def)}`);
            return;
        }
        const reader = new ContainerReader(def, i, needs, problems);
        const unknownField = reader.readAll();
        if (unknownField) unknownReason = `${unknownField} of task definition "${taskDefinitionName}" is ${notKnown()}`;
    });
    if (unknownReason) return { kind: "unknown", reason: unknownReason };
    return { kind: "known", needs, problems };
}

/**
 * The repository of an image in a private ECR registry, `<account>.<registry host>/<repository>`
 * with a `:tag` or `@digest`. The registry hosts (AWS General Reference, "Amazon ECR endpoints and
 * quotas"): `dkr.ecr.<region>` and `dkr.ecr-fips.<region>` under the partition's DNS suffix, and
 * the dual-stack `dkr-ecr.<region>.on.aws` and `dkr-ecr-fips.<region>.on.aws`. The partition is the
 * Region's: `us-gov-west-1` is in `aws-us-gov` though its hosts end in `amazonaws.com`.
 */
export function ecrRepositoryArn(image: string): string | undefined {
    const slash = image.indexOf("/");
    if (slash < 0) return undefined;
    const host = image.slice(0, slash).toLowerCase();
    const parts = host.split(".");
    const [account, first, second] = parts;
    if (!/^[0-9]{12}$/.test(account)) return undefined;
    const dualStack = first === "dkr-ecr" || first === "dkr-ecr-fips";
    if (!dualStack && !(first === "dkr" && (second === "ecr" || second === "ecr-fips"))) return undefined;
    const region = parts[dualStack ? 2 : 3];
    const suffix = parts.slice(dualStack ? 3 : 4).join(".");
    if (region === undefined || region === "") return undefined;
    const partition = partitionOfRegion(region);
    if (suffix !== (dualStack ? "on.aws" : partition.dnsSuffix)) return undefined;
    let repository = image.slice(slash + 1);
    const at = repository.indexOf("@");
    if (at >= 0) repository = repository.slice(0, at);
    const colon = repository.lastIndexOf(":");
    if (colon >= 0) repository = repository.slice(0, colon);
    return `arn:${partition.name}:ecr:${region}:${account}:repository/${repository}`;
}

/** The secret or parameter a `valueFrom` names, and the action that reads it. */
export function secretSource(valueFrom: string): { action: string; arn: NeededArn } {
    const arn = exactArn(valueFrom);
    if (arn !== undefined) {
        if (arn.service === "secretsmanager") {
            // arn:aws:secretsmanager:region:account:secret:name[:json-key:version-stage:version-id]
            const secret = arn.resource.split(":").slice(0, 2).join(":");
            return { action: "secretsmanager:GetSecretValue", arn: withSecretSuffix({ ...arn, resource: secret }) };
        }
        return { action: "ssm:GetParameters", arn };
    }
    // A name: a parameter of the task's own partition, Region and account, which the definition does not say.
    const name = valueFrom.startsWith("/") ? valueFrom.slice(1) : valueFrom;
    return { action: "ssm:GetParameters", arn: neededArn({ service: "ssm", resource: `parameter/${name}` }) };
}

/**
 * The secret `repositoryCredentials.credentialsParameter` names: an ARN, or, in the task's own
 * Region, the secret's name (ECS API reference, RepositoryCredentials). Never a parameter.
 */
export function registryCredentialsSource(value: string): { action: string; arn: NeededArn } {
    if (value.startsWith("arn:")) return secretSource(value);
    return { action: "secretsmanager:GetSecretValue", arn: withSecretSuffix({ service: "secretsmanager", resource: `secret:${value}` }) };
}

/**
 * A secret's ARN ends in `-` and six random characters that Secrets Manager adds to its name; a
 * partial ARN (the name alone) matches the secret, but a policy must name the full ARN, so it says
 * `<name>-??????`: six characters not known (Secrets Manager user guide, "Finding a secret from a
 * partial ARN": a name ending in a hyphen and six characters is taken for a full ARN, as here).
 */
function withSecretSuffix(parts: { partition?: string; service: string; region?: string; account?: string; resource: string }): NeededArn {
    const full = /-[A-Za-z0-9]{6}$/.test(parts.resource);
    return neededArn(full ? parts : { ...parts, resource: `${parts.resource}-`, tail: 6 });
}

/** `arn:aws:s3:::bucket/key` → the object and its bucket, each read as written (a key may hold `*` or `?`). */
function s3Object(value: string): { object: NeededArn; bucket: NeededArn } | undefined {
    const object = exactArn(value);
    if (object === undefined || object.service !== "s3") return undefined;
    const slash = value.indexOf("/");
    return { object, bucket: slash < 0 ? object : (exactArn(value.slice(0, slash)) as NeededArn) };
}

/** An own field of an object from the definitions, with any secret around it taken off. */
function field(object: Record<string, unknown>, key: string): unknown {
    return prop(object, key);
}

/**
 * Reads one container's needs. A field that creates a need and holds something it cannot read
 * (a number for an image, an object for a list of secrets) is a problem, said by the evaluability
 * policy, never a need dropped in silence; a field not known yet makes the needs unknown.
 */
class ContainerReader {
    private readonly name: string;
    constructor(
        private readonly def: Record<string, unknown>,
        index: number,
        private readonly needs: ExecutionNeed[],
        private readonly problems: string[],
    ) {
        const n = field(def, "name");
        this.name = typeof n === "string" && !isUnknown(n) ? n : `#${index}`;
    }

    /** Records the container's needs; returns the first field that is not known, if any. */
    readAll(): string | undefined {
        return this.image() ?? this.logging() ?? this.secrets("secrets", field(this.def, "secrets")) ?? this.registryCredentials() ?? this.files();
    }

    private add(kind: NeedKind, field: string, actions: string[], arn: NeededArn | undefined): void {
        this.needs.push({ kind, container: this.name, field, actions, arn });
    }

    /** Names a field that is not known yet, for the reason the needs cannot be told. */
    private unknown(field: string): string {
        return `container "${this.name}" ${field}`;
    }

    /** Says that a field holds what the pack cannot read, when it holds anything at all. */
    private odd(name: string, what: string, value: unknown): void {
        if (value === undefined || value === null) return;
        this.problems.push(`container "${this.name}" ${name} must be ${what}, not ${describe(value)}`);
    }

    /** An object field: its value when it is one, undefined when it is not (and a problem when it holds something else). */
    private object(name: string, value: unknown): Record<string, unknown> | undefined {
        if (isPlainObject(value)) return value;
        this.odd(name, "an object", value);
        return undefined;
    }

    private image(): string | undefined {
        const image = field(this.def, "image");
        if (isUnknown(image)) return this.unknown("image");
        if (typeof image !== "string") {
            this.odd("image", "a string", image);
            return undefined;
        }
        const repository = ecrRepositoryArn(image);
        if (repository) this.add("ecrPull", "image", ECR_PULL_NEED, exactArn(repository));
        return undefined;
    }

    private logging(): string | undefined {
        const raw = field(this.def, "logConfiguration");
        if (isUnknown(raw)) return this.unknown("logConfiguration");
        const config = this.object("logConfiguration", raw);
        if (config === undefined) return undefined;
        const driver = field(config, "logDriver");
        if (isUnknown(driver)) return this.unknown("logConfiguration.logDriver");
        if (typeof driver !== "string") this.odd("logConfiguration.logDriver", "a string", driver);
        if (driver === "awslogs") {
            const rawOptions = field(config, "options");
            if (isUnknown(rawOptions)) return this.unknown("logConfiguration.options");
            const options = this.object("logConfiguration.options", rawOptions) ?? {};
            const group = field(options, "awslogs-group");
            const region = field(options, "awslogs-region");
            const create = field(options, "awslogs-create-group");
            if (isUnknown(group)) return this.unknown('logConfiguration.options["awslogs-group"]');
            if (isUnknown(create)) return this.unknown('logConfiguration.options["awslogs-create-group"]');
            if (typeof group !== "string") this.odd('logConfiguration.options["awslogs-group"]', "a string", group);
            // ECS takes log options as strings only; one that is not is read as a Region not known, and said.
            if (typeof region !== "string" && !isUnknown(region)) this.odd('logConfiguration.options["awslogs-region"]', "a string", region);
            // The group as IAM policies name it, `log-group:<name>:*`: the agent acts on its streams, whose names it makes up.
            // The partition and account are the task's own, and so is the Region unless awslogs-region names one.
            const groupArn =
                typeof group === "string"
                    ? neededArn({
                          service: "logs",
                          region: typeof region === "string" && !isUnknown(region) ? region : undefined,
                          resource: `log-group:${group}:`,
                          tail: "any",
                      })
                    : undefined;
            this.add("logDelivery", "logConfiguration (awslogs)", ["logs:CreateLogStream", "logs:PutLogEvents"], groupArn);
            const creates = createsGroup(create);
            if (creates === undefined) this.odd('logConfiguration.options["awslogs-create-group"]', "true or false", create);
            if (creates === true) {
                this.add("logGroupCreation", 'logConfiguration.options["awslogs-create-group"]', ["logs:CreateLogGroup"], groupArn);
            }
        }
        return this.secrets("logConfiguration.secretOptions", field(config, "secretOptions"));
    }

    private secrets(name: string, list: unknown): string | undefined {
        if (isUnknown(list)) return this.unknown(name);
        if (!Array.isArray(list)) {
            this.odd(name, "a list", list);
            return undefined;
        }
        for (const [i, raw] of list.entries()) {
            const entry = plain(raw);
            if (isUnknown(entry)) return this.unknown(`${name}[${i}].valueFrom`);
            const secret = this.object(`${name}[${i}]`, entry);
            if (secret === undefined) continue;
            const valueFrom = field(secret, "valueFrom");
            if (isUnknown(valueFrom)) return this.unknown(`${name}[${i}].valueFrom`);
            if (typeof valueFrom !== "string" || valueFrom === "") {
                this.problems.push(
                    `container "${this.name}" ${name}[${i}].valueFrom must be the ARN or name of a secret or parameter, not ${describe(valueFrom)}`,
                );
                continue;
            }
            const { action, arn } = secretSource(valueFrom);
            this.add("secret", `${name}[${i}].valueFrom`, [action], arn);
        }
        return undefined;
    }

    private registryCredentials(): string | undefined {
        const raw = field(this.def, "repositoryCredentials");
        if (isUnknown(raw)) return this.unknown("repositoryCredentials");
        const creds = this.object("repositoryCredentials", raw);
        if (creds === undefined) return undefined;
        const parameter = field(creds, "credentialsParameter");
        if (isUnknown(parameter)) return this.unknown("repositoryCredentials.credentialsParameter");
        if (typeof parameter === "string" && parameter !== "") {
            const { action, arn } = registryCredentialsSource(parameter);
            this.add("secret", "repositoryCredentials.credentialsParameter", [action], arn);
        } else {
            this.problems.push(
                `container "${this.name}" repositoryCredentials.credentialsParameter must be the ARN or name of a secret, not ${describe(parameter)}`,
            );
        }
        return undefined;
    }

    private files(): string | undefined {
        const files = field(this.def, "environmentFiles");
        if (isUnknown(files)) return this.unknown("environmentFiles");
        if (Array.isArray(files)) {
            for (const [i, raw] of files.entries()) {
                const entry = plain(raw);
                if (isUnknown(entry)) return this.unknown(`environmentFiles[${i}]`);
                const file = this.object(`environmentFiles[${i}]`, entry);
                if (file === undefined) continue;
                const value = field(file, "value");
                if (isUnknown(value)) return this.unknown(`environmentFiles[${i}]`);
                this.s3File(`environmentFiles[${i}]`, value);
            }
        } else {
            this.odd("environmentFiles", "a list", files);
        }
        const rawFirelens = field(this.def, "firelensConfiguration");
        if (isUnknown(rawFirelens)) return this.unknown("firelensConfiguration");
        const firelens = this.object("firelensConfiguration", rawFirelens);
        const rawOptions = firelens === undefined ? undefined : field(firelens, "options");
        if (isUnknown(rawOptions)) return this.unknown("firelensConfiguration.options");
        const options = this.object("firelensConfiguration.options", rawOptions);
        const type = options === undefined ? undefined : field(options, "config-file-type");
        if (isUnknown(type)) return this.unknown('firelensConfiguration.options["config-file-type"]');
        if (type !== undefined && typeof type !== "string") this.odd('firelensConfiguration.options["config-file-type"]', '"s3" or "file"', type);
        if (options !== undefined && type === "s3") {
            const value = field(options, "config-file-value");
            if (isUnknown(value)) return this.unknown('firelensConfiguration.options["config-file-value"]');
            this.s3File('firelensConfiguration.options["config-file-value"]', value);
        }
        return undefined;
    }

    /** An S3 object the agent reads: `s3:GetObject` on it and `s3:GetBucketLocation` on its bucket; anything but an S3 object ARN is a problem. */
    private s3File(name: string, value: unknown): void {
        const target = typeof value === "string" ? s3Object(value) : undefined;
        if (!target) {
            this.problems.push(`container "${this.name}" ${name} must be the ARN of an S3 object, not ${describe(value)}`);
            return;
        }
        this.add("s3File", name, ["s3:GetObject"], target.object);
        this.add("s3File", name, ["s3:GetBucketLocation"], target.bucket);
    }
}

/**
 * An ECS Express service's primary container as the one container definition ECS makes of it: its
 * image, secrets and registry credentials under the ECS API's own names, and its CloudWatch Logs
 * settings (a list in @pulumi/aws, one object in @pulumi/aws-native) as the awslogs driver's
 * options. What is not known or cannot be read is passed on as it is, for the reader to say.
 */
export function primaryContainerDefinitions(given: unknown): unknown {
    const primary = plain(given);
    if (primary === undefined || primary === null) return [];
    if (isUnknown(primary)) return primary;
    if (!isPlainObject(primary)) return [primary];
    const { awsLogsConfigurations: list, awsLogsConfiguration: single, ...rest } = primary;
    // One configuration is all ECS takes; more are passed on as a list, which the reader says it cannot read.
    const logs = single ?? (Array.isArray(list) && list.length <= 1 ? list[0] : list);
    const definition: Record<string, unknown> = { name: "primary", ...rest };
    if (logs !== undefined && logs !== null) {
        definition.logConfiguration = isPlainObject(logs)
            ? { logDriver: "awslogs", options: { "awslogs-group": logs.logGroup, "awslogs-stream-prefix": logs.logStreamPrefix } }
            : logs;
    }
    return [definition];
}

/**
 * Whether `awslogs-create-group` asks the log driver to create its group: undefined when the
 * driver would refuse the value, and the container fail to start. Docker's awslogs driver
 * (moby, daemon/logger/awslogs, `newStreamConfig`) reads a value that is not empty with Go's
 * `strconv.ParseBool`, which takes `1`, `t`, `T`, `TRUE`, `true` and `True` as true and `0`, `f`,
 * `F`, `FALSE`, `false` and `False` as false; a boolean is read as itself.
 */
function createsGroup(value: unknown): boolean | undefined {
    if (value === undefined || value === null || value === "" || typeof value === "boolean") return value === true;
    if (PARSE_BOOL_TRUE.has(value)) return true;
    if (PARSE_BOOL_FALSE.has(value)) return false;
    return undefined;
}

const PARSE_BOOL_TRUE: ReadonlySet<unknown> = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const PARSE_BOOL_FALSE: ReadonlySet<unknown> = new Set(["0", "f", "F", "FALSE", "false", "False"]);
