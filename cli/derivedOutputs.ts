// Values for the outputs a provider computes, derived from what the SDK declares (declaredOutputs.ts), for an
// update capture. Every output the SDK declares as always present gets a value of its declared shape; its content
// follows a few naming conventions, the same for every resource type:
// - `arn` is the resource's own ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`, the service from the
//   type's module (ARN_SERVICES where the two differ), no region for global services, and `<resource>` as AWS writes
//   it for the formats in RESOURCE_FORMATS, else `<resource-type>/<name>`. Any other `...Arn` is an ARN of the same
//   service named after the output.
// - `name` and the type's naming property: the physical name; `region`: the stack's region; `accountId`, `ownerId`,
//   `registryId`: the account; `repositoryUrl`: `<account>.dkr.ecr.<region>.<dns suffix>/<name>`; other URLs and
//   endpoints: `https://<name>.<service>.<region>.<dns suffix>`; `tagsAll`: the tags given; dates: a fixed time;
//   `version` and `revision`: 1.
// - Otherwise by shape: a placeholder string, 0, false, an empty list or map, an object with its own always-present
//   fields filled the same way, the first value of a literal type.
// What the provider would read back from AWS (a policy's attachment count, a role's last use) cannot be known: these
// values stand in for it, and the pack reads none of them.

import { createHash } from "crypto";
import { partitionOfRegion } from "../policies/iam/partitions";
import type { DeclaredProperty, TypeShape } from "./declaredOutputs";

type Props = Record<string, unknown>;

export interface OutputContext {
    readonly region: string;
    readonly account: string;
}

/** Deterministic "random" hex: the same URN gets the same name in a preview and an update, and in every run. */
export function hexOf(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${i}:${seed}`).digest("hex");
    return out.slice(0, length);
}

const kebab = (s: string): string =>
    s
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
        .toLowerCase();

/** A type token's package, module and class: `aws:ecr/repository:Repository` → aws, ecr, Repository. */
export function typeParts(type: string): { pkg: string; module: string; className: string } {
    const [pkg = "", middle = "", className = ""] = type.split(":");
    return { pkg, module: middle.split("/")[0], className };
}

/** Modules whose ARNs name another service (IAM's service prefix). */
const ARN_SERVICES: Readonly<Record<string, string>> = {
    alb: "elasticloadbalancing",
    lb: "elasticloadbalancing",
    elb: "elasticloadbalancing",
    elasticloadbalancingv2: "elasticloadbalancing",
    efs: "elasticfilesystem",
    ecrpublic: "ecr-public",
    cognito: "cognito-idp",
    cloudwatch: "cloudwatch",
    sfn: "states",
    stepfunctions: "states",
    cfg: "config",
    appautoscaling: "application-autoscaling",
    applicationautoscaling: "application-autoscaling",
    opensearch: "es",
    elasticsearch: "es",
    msk: "kafka",
    transfer: "transfer",
    apigatewayv2: "apigateway",
    serviceDiscovery: "servicediscovery",
    servicediscovery: "servicediscovery",
};

/** Services whose ARNs carry no region. */
const GLOBAL_SERVICES = new Set(["iam", "s3", "cloudfront", "route53", "organizations", "waf", "globalaccelerator", "shield", "budgets", "ce", "sts"]);

/** The IAM service prefix of a resource type's ARNs. */
export function arnServiceOf(type: string): string {
    const { module, className } = typeParts(type);
    // @pulumi/aws keeps CloudWatch Logs and EventBridge types in its cloudwatch module.
    if (module === "cloudwatch" && className.startsWith("Log")) return "logs";
    if (module === "cloudwatch" && className.startsWith("Event")) return "events";
    return ARN_SERVICES[module] ?? module.toLowerCase();
}

/** Where AWS writes a resource's ARN other than `<resource-type>/<name>`. */
const RESOURCE_FORMATS: Readonly<Record<string, (name: string, className: string, seed: string, inputs: Props) => string>> = {
    s3: (name) => name,
    sqs: (name) => name,
    sns: (name, className, seed) => (className === "Topic" ? name : `${name}:${hexOf(seed, 8)}-${hexOf(`${seed}#2`, 4)}`),
    logs: (name, className) => (className.endsWith("LogGroup") ? `log-group:${name}` : `${kebab(className).replace(/^log-/, "")}:${name}`),
    secretsmanager: (name, _c, seed) => `secret:${name}-${hexOf(`${seed}#arn`, 6)}`,
    ssm: (name, className) => (className === "Parameter" ? `parameter/${name.replace(/^\//, "")}` : `${kebab(className)}/${name}`),
    elasticloadbalancing: (name, className, seed) => {
        const kind = className.replace(/^(Alb|Lb)/, "").toLowerCase();
        return kind === "targetgroup" ? `targetgroup/${name}/${hexOf(seed, 16)}` : `${kind}/app/${name}/${hexOf(seed, 16)}`;
    },
    iam: (name, className, _seed, inputs) => {
        const iamPath = typeof inputs.path === "string" && inputs.path !== "" ? inputs.path : "/";
        const kind = className === "OpenIdConnectProvider" ? "oidc-provider" : kebab(className.replace(/^Service(Linked)?/, ""));
        return `${kind}${iamPath}${name}`;
    },
};

export interface ArnSubject {
    readonly type: string;
    /** The physical name (or ID) the ARN ends with. */
    readonly name: string;
    readonly seed: string;
    readonly inputs: Props;
}

/** A resource's own ARN, in `region` (a resource's own `region` input, else the stack's). */
export function arnOf(subject: ArnSubject, ctx: OutputContext): string {
    const service = arnServiceOf(subject.type);
    const region = typeof subject.inputs.region === "string" && subject.inputs.region !== "" ? subject.inputs.region : ctx.region;
    const { name: partition } = partitionOfRegion(region);
    const { className } = typeParts(subject.type);
    const format = RESOURCE_FORMATS[service];
    const resource = format ? format(subject.name, className, subject.seed, subject.inputs) : `${kebab(className)}/${subject.name}`;
    if (service === "s3") return `arn:${partition}:s3:::${resource}`;
    return `arn:${partition}:${service}:${GLOBAL_SERVICES.has(service) ? "" : region}:${ctx.account}:${resource}`;
}

const DATE = "2026-01-01T00:00:00Z";

/** The fields of an output object type, when the SDK declares it. */
export type FieldsOf = (ref: string) => readonly DeclaredProperty[] | undefined;

interface Derivation {
    readonly subject: ArnSubject;
    readonly ctx: OutputContext;
    readonly fieldsOf: FieldsOf;
}

const endsWithWord = (name: string, word: string): boolean => name === word.charAt(0).toLowerCase() + word.slice(1) || name.endsWith(word);

/** A string output's value, by its name. */
function stringValue(name: string, d: Derivation): string {
    const { subject, ctx } = d;
    const region = typeof subject.inputs.region === "string" && subject.inputs.region !== "" ? subject.inputs.region : ctx.region;
    const { dnsSuffix } = partitionOfRegion(region);
    const service = arnServiceOf(subject.type);
    if (name === "arn") return arnOf(subject, ctx);
    if (endsWithWord(name, "Arn"))
        return arnOf(
            { ...subject, type: `${typeParts(subject.type).pkg}:${typeParts(subject.type).module}:${name.slice(0, -3) || "resource"}`, name: subject.name },
            ctx,
        );
    if (endsWithWord(name, "DomainName") || endsWithWord(name, "DnsName")) return `${subject.name}.${service}.${region}.${dnsSuffix}`;
    if (name === "name" || name === "bucket" || endsWithWord(name, "Name")) return subject.name;
    if (name === "region") return region;
    if (["accountId", "ownerId", "registryId", "owner", "awsAccountId"].includes(name)) return ctx.account;
    if (name === "repositoryUrl") return `${ctx.account}.dkr.ecr.${region}.${dnsSuffix}/${subject.name}`;
    if (endsWithWord(name, "Url") || endsWithWord(name, "Endpoint") || endsWithWord(name, "Uri"))
        return `https://${subject.name}.${service}.${region}.${dnsSuffix}`;
    if (/(Date|Time|Timestamp|At)$/.test(name) || name === "created" || name === "lastModified") return DATE;
    return `${name}-${hexOf(`${subject.seed}#${name}`, 12)}`;
}

function valueOf(name: string, type: TypeShape, d: Derivation, depth: number): unknown {
    switch (type.kind) {
        case "string":
        case "enum":
        case "any":
            return type.kind === "any" ? {} : stringValue(name, d);
        case "number":
            return name === "version" || name === "revision" ? 1 : 0;
        case "boolean":
            return false;
        case "literal":
            return type.value;
        case "list":
            return [];
        case "map":
            return {};
        case "object": {
            const fields = depth < 4 ? d.fieldsOf(type.ref) : undefined;
            const out: Props = {};
            for (const f of fields ?? []) if (!f.optional) out[f.name] = valueOf(f.name, f.type, d, depth + 1);
            return out;
        }
        case "resource":
            // Only components declare resources as outputs, and the capture builds those it models itself.
            return undefined;
    }
}

/**
 * Values for the outputs the SDK declares as always present that `known` (the inputs and what the model computed)
 * lacks. `tagsAll` mirrors the tags given.
 */
export function derivedOutputs(declared: readonly DeclaredProperty[], known: Props, subject: ArnSubject, ctx: OutputContext, fieldsOf: FieldsOf): Props {
    const d: Derivation = { subject, ctx, fieldsOf };
    const out: Props = {};
    for (const p of declared) {
        if (p.optional || known[p.name] !== undefined) continue;
        if (p.name === "tagsAll") {
            out.tagsAll = known.tags ?? {};
            continue;
        }
        const value = valueOf(p.name, p.type, d, 0);
        if (value !== undefined) out[p.name] = value;
    }
    return out;
}
