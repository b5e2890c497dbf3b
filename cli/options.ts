import { InputError } from "./errors";

export type Format = "text" | "json" | "sarif";
export type Phase = "preview" | "update";

export interface CommonOptions {
    format: Format;
    /** The `--policy-pack-config` file. */
    policyPackConfig?: string;
}

export type Command =
    | { kind: "help" }
    | { kind: "version" }
    | ({ kind: "check"; program?: string; phases: Phase[]; stack?: string; config: Record<string, string>; account?: string } & CommonOptions)
    | ({ kind: "audit"; file: string } & CommonOptions)
    | { kind: "suggest"; target?: string; phase: Phase; stack?: string; config: Record<string, string>; account?: string; format: "text" | "json" };

export const USAGE = `Usage:
  ecs-role-guard check [program-dir] [options]   judge a Pulumi TypeScript program (default: the bundled examples)
  ecs-role-guard audit <file|-> [options]        judge a \`pulumi stack export\` file, or stdin with -
  ecs-role-guard suggest [program-dir|file.json|-] [options]
                                                 print each execution role's least-privilege policy, as IAM JSON
                                                 and Pulumi TypeScript (default: the bundled examples)

Every resource goes through the ecs-role-guard policy pack over Pulumi's Analyzer protocol, as \`pulumi\` runs it.

Options:
  --policy-pack-config <file>  policy levels and properties, in the format of \`pulumi preview --policy-pack-config\`
  --format text|json|sarif     output format (default text; sarif is SARIF 2.1.0 for code-scanning tools)
  --preview                    check: judge only the preview of new resources (unknown ARNs and documents);
                               suggest: read the preview, with placeholders for what it does not know
  --update                     check: judge only the update (everything known); the default is both (suggest: update)
  --stack <name>               check, suggest: the stack name the program runs as (default dev)
  --config <key=value>         check, suggest: stack config for the program, repeatable (e.g. --config aws:region=eu-west-1),
                               over Pulumi.yaml's defaults and Pulumi.<stack>.yaml
  --account <id>               check, suggest: the AWS account the program's ARNs and getCallerIdentity name
                               (default 123456789012)
  -h, --help                   show this help
  -V, --version                show the version

audit judges the deployed state as an update (everything known), reporting every finding: each resource's inputs
go to Analyze and their outputs to AnalyzeStack, as \`pulumi policy analyze --file\` does. Encrypted secrets cannot
be read offline and are judged as unknown values; export with --show-secrets to judge them.

Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 unusable input (for check: a program it cannot see
whole, naming what and where), 3 the command or the pack failed.
`;

const FORMATS: readonly Format[] = ["text", "json", "sarif"];

/** Parses the command line (without `node` and the script); throws InputError on anything it cannot use. */
export function parseArgs(argv: readonly string[]): Command {
    const positional: string[] = [];
    let format: Format = "text";
    let policyPackConfig: string | undefined;
    let stack: string | undefined;
    let account: string | undefined;
    const config: Record<string, string> = {};
    const phases = new Set<Phase>();
    let help = false;
    let version = false;

    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
        const name = eq > 0 ? arg.slice(0, eq) : arg;
        const value = (): string => {
            if (eq > 0) return arg.slice(eq + 1);
            const next = argv[i + 1];
            if (next === undefined || (next.startsWith("-") && next !== "-")) throw new InputError(`${name} needs a value`);
            i++;
            return next;
        };
        switch (name) {
            case "-h":
            case "--help":
                help = true;
                break;
            case "-V":
            case "--version":
                version = true;
                break;
            case "--format": {
                const f = value();
                if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(`--format must be one of ${FORMATS.join(", ")}, not "${f}"`);
                format = f as Format;
                break;
            }
            case "--policy-pack-config":
                policyPackConfig = value();
                break;
            case "--preview":
                phases.add("preview");
                break;
            case "--update":
                phases.add("update");
                break;
            case "--stack":
                stack = value();
                break;
            case "--account":
                account = value();
                if (!/^\d{12}$/.test(account)) throw new InputError(`--account wants a 12-digit AWS account ID, not "${account}"`);
                break;
            case "--config": {
                const pair = value();
                const at = pair.indexOf("=");
                if (at <= 0) throw new InputError(`--config wants key=value, not "${pair}"`);
                config[pair.slice(0, at)] = pair.slice(at + 1);
                break;
            }
            default:
                if (arg.startsWith("-") && arg !== "-") throw new InputError(`unknown option ${name} (see --help)`);
                positional.push(arg);
        }
    }

    if (help) return { kind: "help" };
    if (version) return { kind: "version" };
    const [sub, ...rest] = positional;
    const common: CommonOptions = { format, ...(policyPackConfig !== undefined ? { policyPackConfig } : {}) };
    const checkOnly = (): void => {
        if (phases.size > 0 || stack !== undefined || account !== undefined || Object.keys(config).length > 0) {
            throw new InputError("--preview, --update, --stack, --config and --account apply to check only");
        }
    };
    switch (sub) {
        case "check":
            if (rest.length > 1) throw new InputError(`check takes one program directory, not ${rest.length}`);
            return {
                kind: "check",
                ...(rest[0] !== undefined ? { program: rest[0] } : {}),
                phases: phases.size === 0 ? ["preview", "update"] : (["preview", "update"] as Phase[]).filter((p) => phases.has(p)),
                ...(stack !== undefined ? { stack } : {}),
                ...(account !== undefined ? { account } : {}),
                config,
                ...common,
            };
        case "audit":
            checkOnly();
            if (rest.length !== 1) throw new InputError("audit takes one stack export file, or - for stdin");
            return { kind: "audit", file: rest[0], ...common };
        case "suggest": {
            if (rest.length > 1) throw new InputError(`suggest takes one program directory or stack export file, not ${rest.length}`);
            if (phases.size > 1) throw new InputError("suggest reads one phase: --preview or --update");
            if (format === "sarif") throw new InputError("suggest writes text or json, not sarif");
            if (policyPackConfig !== undefined) throw new InputError("--policy-pack-config applies to check and audit");
            return {
                kind: "suggest",
                ...(rest[0] !== undefined ? { target: rest[0] } : {}),
                phase: phases.has("preview") ? "preview" : "update",
                ...(stack !== undefined ? { stack } : {}),
                ...(account !== undefined ? { account } : {}),
                config,
                format,
            };
        }
        case undefined:
            throw new InputError("missing command: check, audit or suggest (see --help)");
        default:
            throw new InputError(`unknown command "${sub}": use check, audit or suggest (see --help)`);
    }
}
