// The Pulumi TypeScript of a suggested execution-role policy: a RolePolicy whose document names the stack's own
// resources (`dbPassword.arn`, `logs.name`) where an ARN comes from one, and the account, Region and partition the
// tasks run in from data sources, so that it is exact when the program runs, whatever the names and IDs turn out to be.
//
// What it can name: a resource whose output is the very ARN (a secret, parameter, repository, key or bucket), an
// object under a bucket's ARN, and a log group by its name. By the program's variable when the program's entry file
// declares one as `const x = new aws.<module>.<Type>("<logical name>", ...)`; otherwise by a `declare const` named
// after the resource's logical name, with a comment saying which resource to put there (resources built inside
// components, and every resource of a stack export). What it cannot name (an image in another account, a secret the
// stack does not define) is written as the literal ARN.

import { arnMatches } from "../policies/iam/arnPattern";
import { ExecutionRolePolicySuggestion, Place } from "../policies/suggest/executionRolePolicy";
import { shortType, StackResource } from "../policies/stack/resources";

/** What the program's entry file declares: variable names by `<type token>::<logical name>`, and its import aliases. */
export interface ProgramNames {
    readonly variables: ReadonlyMap<string, string>;
    /** Package → the alias the program imports it as (`@pulumi/aws` → `aws`). */
    readonly imports: ReadonlyMap<string, string>;
    /** Every name the file declares at any level, so that the snippet's own names never clash. */
    readonly declared: ReadonlySet<string>;
    /** Its own variables for the account, Region and partition it deploys to, from the providers' data sources. */
    readonly dataSources: ReadonlyMap<"partition" | "region" | "account", string>;
}

export const NO_PROGRAM: ProgramNames = { variables: new Map(), imports: new Map(), declared: new Set(), dataSources: new Map() };

const PACKAGE_NAMESPACE: Record<string, string> = { "@pulumi/aws": "aws", "@pulumi/aws-native": "aws-native" };

/** Reads the variables a program's entry file declares for `new <alias>.<module>.<Type>("<name>", ...)`. */
export function readProgramNames(source: string): ProgramNames {
    const imports = new Map<string, string>();
    const aliasPackage = new Map<string, string>();
    for (const m of source.matchAll(/import\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from\s+["']([^"']+)["']/g)) {
        imports.set(m[2], m[1]);
        aliasPackage.set(m[1], m[2]);
    }
    const variables = new Map<string, string>();
    const declaration =
        /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;]+)?=\s*new\s+([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\(\s*(["'])((?:(?!\5).)*)\5/g;
    for (const m of source.matchAll(declaration)) {
        const namespace = PACKAGE_NAMESPACE[aliasPackage.get(m[2]) ?? ""];
        if (!namespace) continue;
        variables.set(`${namespace}:${m[3]}:${m[4]}::${m[6]}`, m[1]);
    }
    const declared = new Set([...source.matchAll(/\b(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    for (const alias of imports.values()) declared.add(alias);
    const dataSources = new Map<"partition" | "region" | "account", string>();
    const reads: [RegExp, "partition" | "region" | "account"][] = [
        [/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\.(?:getCallerIdentityOutput\(\)\.accountId|getAccountIdOutput\(\)\.accountId)\s*;/g, "account"],
        [/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\.getRegionOutput\(\)\.region\s*;/g, "region"],
        [/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\.getPartitionOutput\(\)\.partition\s*;/g, "partition"],
    ];
    for (const [pattern, field] of reads) {
        for (const m of source.matchAll(pattern)) if (PACKAGE_NAMESPACE[aliasPackage.get(m[2]) ?? ""] && !dataSources.has(field)) dataSources.set(field, m[1]);
    }
    return { variables, imports, declared, dataSources };
}

/** `aws:secretsmanager/secret:Secret` → `aws:secretsmanager:Secret`, the key readProgramNames uses. */
function typeKey(type: string): string {
    const [namespace, module, name] = type.split(":");
    return `${namespace}:${(module ?? "").split("/")[0]}:${name}`;
}

/** The TypeScript class of a resource type: `aws.secretsmanager.Secret`, `awsnative.secretsmanager.Secret`. */
function className(type: string, aliases: { aws: string; native: string }): string | undefined {
    const [namespace, module, name] = type.split(":");
    const alias = namespace === "aws" ? aliases.aws : namespace === "aws-native" ? aliases.native : undefined;
    return alias && module && name ? `${alias}.${module.split("/")[0]}.${name}` : undefined;
}

/** The SDK's name for an output: aws-native renames `id` to `awsId`. */
function sdkProperty(type: string, property: string): string {
    return type.startsWith("aws-native:") && property === "id" ? "awsId" : property;
}

/** Where a log group keeps its name. */
const LOG_GROUP_NAME: Record<string, string> = { "aws:cloudwatch/logGroup:LogGroup": "name", "aws-native:logs:LogGroup": "logGroupName" };

/** Types whose ARN outputs are never what a task's execution role acts on. */
const NOT_PRODUCERS = /^(aws:iam\/|aws-native:iam:|aws:ecs\/|aws-native:ecs:|pulumi:)/;

/** A piece of a TypeScript expression: literal text, or code to interpolate. */
type Part = { readonly text: string } | { readonly code: string };

class Names {
    private readonly taken: Set<string>;
    readonly declarations: string[] = [];
    private readonly byUrn = new Map<string, string>();
    constructor(private readonly program: ProgramNames) {
        this.taken = new Set(program.declared);
    }
    fresh(base: string): string {
        let name = /^[A-Za-z_$]/.test(base) ? base : `r${base}`;
        const root = name;
        for (let n = 2; this.taken.has(name); n++) name = `${root}${n}`;
        this.taken.add(name);
        return name;
    }
    /** The program's variable for a resource, or a declared stand-in named after its logical name. */
    of(r: StackResource, aliases: { aws: string; native: string }): string {
        const own =
            r.parent === undefined || r.parent.includes("::pulumi:pulumi:Stack::") ? this.program.variables.get(`${typeKey(r.type)}::${r.name}`) : undefined;
        if (own) return own;
        let name = this.byUrn.get(r.urn);
        if (name) return name;
        name = this.fresh(camelCase(r.name));
        this.byUrn.set(r.urn, name);
        const cls = className(r.type, aliases) ?? "pulumi.CustomResource";
        const where = r.parent && !r.parent.includes("::pulumi:pulumi:Stack::") ? `, created inside ${r.parent.split("::").slice(2).join("::")}` : "";
        this.declarations.push(`declare const ${name}: ${cls}; // the stack's ${shortType(r.type)} "${r.name}"${where}: your program's variable for it`);
        return name;
    }
}

function camelCase(name: string): string {
    const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
    const joined = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
    return joined === "" ? "resource" : joined;
}

export interface SnippetInput {
    readonly suggestion: ExecutionRolePolicySuggestion;
    /** Every resource of the stack, with its outputs: where ARNs are looked up. */
    readonly resources: readonly StackResource[];
    /** Where the role's task definitions run, for writing those parts from data sources. */
    readonly place: Place | undefined;
    readonly program?: ProgramNames;
}

/**
 * The RolePolicy (or, for an aws-native role, `awsnative.iam.RolePolicy`) to put on the role in place of what it
 * has; undefined when there is nothing to grant or it is not known what.
 */
export function renderRolePolicySnippet(input: SnippetInput): string | undefined {
    const { suggestion, resources, place } = input;
    const program = input.program ?? NO_PROGRAM;
    if (suggestion.document === undefined) return undefined;
    const native = suggestion.role.resource.type.startsWith("aws-native:");
    const aliases = { aws: program.imports.get("@pulumi/aws") ?? "aws", native: program.imports.get("@pulumi/aws-native") ?? "awsnative" };
    const names = new Names(program);
    const pulumiAlias = program.imports.get("@pulumi/pulumi") ?? "pulumi";
    const sdk = native ? aliases.native : aliases.aws;
    const dataSources = new Map<"partition" | "region" | "account", { name: string; code: string }>();
    const dataSource = (field: "partition" | "region" | "account"): string => {
        const own = program.dataSources.get(field);
        if (own) return own;
        let found = dataSources.get(field);
        if (!found) {
            const code = native
                ? {
                      partition: `${sdk}.getPartitionOutput().partition`,
                      region: `${sdk}.getRegionOutput().region`,
                      account: `${sdk}.getAccountIdOutput().accountId`,
                  }[field]
                : {
                      partition: `${sdk}.getPartitionOutput().partition`,
                      region: `${sdk}.getRegionOutput().region`,
                      account: `${sdk}.getCallerIdentityOutput().accountId`,
                  }[field];
            found = { name: names.fresh({ partition: "partition", region: "region", account: "accountId" }[field]), code };
            dataSources.set(field, found);
        }
        return found.name;
    };

    const producers = producerIndex(resources, suggestion);
    const expression = (arn: string): string => {
        if (arn === "*") return JSON.stringify(arn);
        const direct = producers.byArn.get(arn) ?? (arn.includes("?") ? producers.matching(arn) : undefined);
        if (direct) return `${names.of(direct.resource, aliases)}.${sdkProperty(direct.resource.type, direct.property)}`;
        const parts = partsOf(arn, producers, place, (r) => names.of(r, aliases), dataSource, sdkProperty);
        if (parts.every((p) => "text" in p)) return JSON.stringify(arn);
        return `${pulumiAlias}.interpolate\`${parts.map((p) => ("text" in p ? p.text.replace(/[`\\$]/g, (c) => `\\${c}`) : `\${${p.code}}`)).join("")}\``;
    };

    const statements = suggestion.statements.map((st) => {
        const actions = st.actions.length === 1 ? JSON.stringify(st.actions[0]) : `[${st.actions.map((a) => JSON.stringify(a)).join(", ")}]`;
        const list = st.resources.map((r) => expression(r.arn));
        const resource = list.length === 1 ? list[0] : `[\n                    ${list.join(",\n                    ")},\n                ]`;
        return `            {\n                Sid: ${JSON.stringify(st.sid)},\n                Effect: "Allow",\n                Action: ${actions},\n                Resource: ${resource},\n            },`;
    });
    const role = roleExpression(suggestion, resources, names, aliases, native);
    const resourceName = JSON.stringify(`${suggestion.role.resource.name}-least-privilege`);
    const document = `{\n        Version: "2012-10-17",\n        Statement: [\n${statements.join("\n")}\n        ],\n    }`;
    const body = native
        ? `new ${sdk}.iam.RolePolicy(${resourceName}, {\n    roleName: ${role},\n    policyName: "least-privilege",\n    policyDocument: ${document},\n});`
        : `new ${sdk}.iam.RolePolicy(${resourceName}, {\n    role: ${role},\n    policy: ${pulumiAlias}.jsonStringify(${document}),\n});`;

    const imports: string[] = [];
    const needImport = (pkg: string, alias: string) => {
        if (!program.imports.has(pkg)) imports.push(`import * as ${alias} from "${pkg}";`);
    };
    if (native) needImport("@pulumi/aws-native", aliases.native);
    else needImport("@pulumi/aws", aliases.aws);
    if (!native) needImport("@pulumi/pulumi", pulumiAlias);
    else if (body.includes(`${pulumiAlias}.interpolate`)) needImport("@pulumi/pulumi", pulumiAlias);
    if (names.declarations.some((d) => d.includes(`: ${aliases.aws}.`)) && native) needImport("@pulumi/aws", aliases.aws);
    if (names.declarations.some((d) => d.includes(`: ${aliases.native}.`)) && !native) needImport("@pulumi/aws-native", aliases.native);
    const consts = [...dataSources.values()].map((d) => `const ${d.name} = ${d.code};`);
    const placeholders = suggestion.placeholders.map((p) => `// ${p.token}: ${p.meaning}; replace it before use.`);
    return [
        `// The least-privilege policy of the execution role ${shortLabel(suggestion)}, written by ecs-role-guard suggest.`,
        "// Put it in place of every policy the role has now.",
        ...placeholders,
        ...imports,
        ...names.declarations,
        ...consts,
        body,
        "",
    ].join("\n");
}

function shortLabel(suggestion: ExecutionRolePolicySuggestion): string {
    return `${shortType(suggestion.role.resource.type)} "${suggestion.role.resource.name}"`;
}

/** How the snippet names the role: its name output, which `role` / `roleName` take. */
function roleExpression(
    suggestion: ExecutionRolePolicySuggestion,
    resources: readonly StackResource[],
    names: Names,
    aliases: { aws: string; native: string },
    native: boolean,
): string {
    const role = resources.find((r) => r.urn === suggestion.role.resource.urn);
    if (!role) return JSON.stringify(suggestion.role.roleName ?? suggestion.role.resource.name);
    const variable = names.of(role, aliases);
    // aws-native types a role's name as Output<string | undefined>; the role has one once created.
    return native ? `${variable}.roleName.apply((name) => name!)` : `${variable}.name`;
}

interface Producer {
    readonly resource: StackResource;
    readonly property: string;
}

/** The stack's resources by the ARNs they output, and log groups by name. */
function producerIndex(resources: readonly StackResource[], suggestion: ExecutionRolePolicySuggestion) {
    const byArn = new Map<string, Producer>();
    const logGroups = new Map<string, Producer>();
    for (const r of resources) {
        if (NOT_PRODUCERS.test(r.type) || r.urn === suggestion.role.resource.urn) continue;
        const props = Object.keys(r.props).sort((a, b) => (a === "arn" ? -1 : b === "arn" ? 1 : 0));
        for (const property of props) {
            const value = r.props[property];
            if (typeof value === "string" && value.startsWith("arn:") && !byArn.has(value)) byArn.set(value, { resource: r, property });
        }
        const nameProperty = LOG_GROUP_NAME[r.type];
        const name = nameProperty ? r.props[nameProperty] : undefined;
        if (typeof name === "string" && !logGroups.has(name)) logGroups.set(name, { resource: r, property: nameProperty });
    }
    return {
        byArn,
        logGroups,
        /** The one resource whose ARN a pattern (`<name>-??????`) matches. */
        matching(pattern: string): Producer | undefined {
            const found = [...byArn].filter(([arn]) => arnMatches(pattern, arn));
            return found.length === 1 ? found[0][1] : undefined;
        },
    };
}

/** An ARN as parts: a bucket's ARN before an object key, a log group's name, and the place's fields from data sources. */
function partsOf(
    arn: string,
    producers: ReturnType<typeof producerIndex>,
    place: Place | undefined,
    variable: (r: StackResource) => string,
    dataSource: (field: "partition" | "region" | "account") => string,
    property: (type: string, property: string) => string,
): Part[] {
    const slash = arn.indexOf("/");
    if (slash > 0) {
        const bucket = producers.byArn.get(arn.slice(0, slash));
        if (bucket) return [{ code: `${variable(bucket.resource)}.${property(bucket.resource.type, bucket.property)}` }, { text: arn.slice(slash) }];
    }
    const fields = arn.split(":");
    const parts: Part[] = [{ text: "arn:" }];
    const placed: [number, "partition" | "region" | "account"][] = [
        [1, "partition"],
        [3, "region"],
        [4, "account"],
    ];
    for (let i = 1; i < 5; i++) {
        const field = placed.find(([at]) => at === i)?.[1];
        const value = fields[i] ?? "";
        if (field && place?.[field] !== undefined && value === place[field]) parts.push({ code: dataSource(field) });
        else parts.push({ text: value });
        parts.push({ text: ":" });
    }
    const rest = fields.slice(5).join(":");
    const group = /^log-group:([^:]+)(:.*)$/.exec(rest);
    const producer = group ? producers.logGroups.get(group[1]) : undefined;
    if (group && producer) {
        parts.push(
            { text: "log-group:" },
            { code: `${variable(producer.resource)}.${property(producer.resource.type, producer.property)}` },
            { text: group[2] },
        );
    } else {
        parts.push({ text: rest });
    }
    // Adjacent text merges, so that an ARN with nothing to interpolate stays one literal.
    return parts.reduce<Part[]>((out, p) => {
        const last = out[out.length - 1];
        if (last && "text" in last && "text" in p) out[out.length - 1] = { text: last.text + p.text };
        else out.push(p);
        return out;
    }, []);
}
