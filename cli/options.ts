// The command line of `ecs-role-guard`: each command declares its options once, and both the parser and the help
// text are made from those declarations, so no option can be accepted without being described, or described for a
// command that does not take it.

import { parseArgs as parseNodeArgs, ParseArgsConfig } from "util";
import { didYouMean } from "../policies/config";
import { InputError } from "./errors";

export type Format = "text" | "json" | "sarif";
export type Phase = "preview" | "update";

export interface CommonOptions {
    format: Format;
    /** The `--policy-pack-config` file. */
    policyPackConfig?: string;
}

export type Command =
    | { kind: "help"; command?: CommandName }
    | { kind: "version" }
    | ({ kind: "check"; program?: string; phases: Phase[]; stack?: string; config: Record<string, string>; account?: string } & CommonOptions)
    | ({ kind: "audit"; file: string } & CommonOptions)
    | { kind: "suggest"; target?: string; phase: Phase; stack?: string; config: Record<string, string>; account?: string; format: "text" | "json" }
    | { kind: "policies"; format: "text" | "json" };

export type CommandName = "check" | "audit" | "suggest" | "policies";

interface OptionSpec {
    readonly name: string;
    readonly short?: string;
    /** The value's placeholder in help; absent for a flag. */
    readonly value?: string;
    readonly multiple?: boolean;
    readonly help: string;
}

const FORMAT = (formats: readonly Format[]): OptionSpec => ({
    name: "format",
    value: formats.join("|"),
    help: formats.length === 3 ? "output format (default text; sarif is SARIF 2.1.0 for code-scanning tools)" : `output format (default ${formats[0]})`,
});
const POLICY_PACK_CONFIG: OptionSpec = {
    name: "policy-pack-config",
    value: "file",
    help: "policy levels and properties, in the format of `pulumi preview --policy-pack-config`",
};
const STACK: OptionSpec = { name: "stack", value: "name", help: "the stack name the program runs as (default dev)" };
const CONFIG: OptionSpec = {
    name: "config",
    value: "key=value",
    multiple: true,
    help: "stack config for the program, repeatable (e.g. --config aws:region=eu-west-1), over Pulumi.yaml's defaults and Pulumi.<stack>.yaml",
};
const ACCOUNT: OptionSpec = { name: "account", value: "id", help: "the AWS account the program's ARNs and getCallerIdentity name (default 123456789012)" };
const HELP: OptionSpec = { name: "help", short: "h", help: "show this help" };

interface CommandSpec {
    readonly usage: string;
    readonly summary: string;
    readonly options: readonly OptionSpec[];
    readonly details?: string;
}

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
    check: {
        usage: "ecs-role-guard check [program-dir] [options]",
        summary: "judge a Pulumi TypeScript program, as a preview of new resources and as an update (default: the bundled examples)",
        options: [
            POLICY_PACK_CONFIG,
            FORMAT(["text", "json", "sarif"]),
            { name: "preview", help: "judge only the preview of new resources (unknown ARNs and documents)" },
            { name: "update", help: "judge only the update (everything known); the default is both" },
            STACK,
            CONFIG,
            ACCOUNT,
            HELP,
        ],
        details:
            "The program runs under Pulumi's mocks, with no backend and no cloud: what it would register is handed to the pack as the engine\n" +
            "hands it. Whatever the capture cannot see as a real engine would (a data source it cannot answer, a failed Output, an\n" +
            "exception) ends the check with exit 2, naming what and where, rather than judging part of the stack.",
    },
    audit: {
        usage: "ecs-role-guard audit <file|-> [options]",
        summary: "judge a `pulumi stack export` file, or stdin with -",
        options: [POLICY_PACK_CONFIG, FORMAT(["text", "json", "sarif"]), HELP],
        details:
            "audit judges the deployed state as an update (everything known), reporting every finding: each resource's inputs go to\n" +
            "Analyze and their outputs to AnalyzeStack, as `pulumi policy analyze --file` does. Encrypted secrets cannot be read\n" +
            "offline and are judged as unknown values; export with --show-secrets to judge them.",
    },
    suggest: {
        usage: "ecs-role-guard suggest [program-dir|file.json|-] [options]",
        summary: "print each execution role's least-privilege policy, as IAM JSON and Pulumi TypeScript (default: the bundled examples)",
        options: [
            FORMAT(["text", "json"]),
            { name: "preview", help: "read the preview, with placeholders for what it does not know" },
            { name: "update", help: "read the update, where everything is known (the default)" },
            STACK,
            CONFIG,
            ACCOUNT,
            HELP,
        ],
    },
    policies: {
        usage: "ecs-role-guard policies [options]",
        summary: "list the pack's policies: default level, severity, config properties and documentation",
        options: [FORMAT(["text", "json"]), HELP],
    },
};

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

const FOOTER = `Exit codes:
  0  no mandatory violation
  1  a mandatory violation
  2  unusable input: a file, config or option it cannot use; for check, a program it cannot see whole (what and where)
  3  the command or the pack failed
With --format json (or sarif), a failure is also written to stdout as JSON (or an unsuccessful SARIF run).

Environment:
  NO_COLOR       any value: no colours in text output
  FORCE_COLOR    colours in text output even when stdout is not a terminal (0 or false: none, whatever NO_COLOR says)
A progress line (analysed N/M resources) is drawn on stderr only when stderr is a terminal and a run takes a while.
`;

function optionLines(options: readonly OptionSpec[]): string[] {
    const left = options.map((o) => `${o.short ? `-${o.short}, ` : ""}--${o.name}${o.value ? ` <${o.value}>` : ""}`);
    const width = Math.max(...left.map((l) => l.length)) + 2;
    return options.map((o, i) => `  ${left[i].padEnd(width)}${o.help}`);
}

/** `ecs-role-guard --help`: every command, and what they share. */
export function usage(): string {
    const width = Math.max(...COMMAND_NAMES.map((n) => n.length)) + 2;
    return [
        "Usage: ecs-role-guard <command> [options]",
        "",
        "Commands:",
        ...COMMAND_NAMES.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`),
        "",
        "Every resource goes through the ecs-role-guard policy pack over Pulumi's Analyzer protocol, as `pulumi` runs it.",
        "`ecs-role-guard <command> --help` describes a command's own options.",
        "",
        "Options:",
        ...optionLines([HELP, { name: "version", short: "V", help: "show the version" }]),
        "",
        FOOTER,
    ].join("\n");
}

/** `ecs-role-guard <command> --help`: that command's usage and its own options. */
export function commandUsage(name: CommandName): string {
    const spec = COMMANDS[name];
    return [
        `Usage: ${spec.usage}`,
        "",
        `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`,
        "",
        "Options:",
        ...optionLines(spec.options),
        "",
        ...(spec.details ? [spec.details, ""] : []),
        FOOTER,
    ].join("\n");
}

/** Every option of every command, for a first reading that finds the command wherever the options stand. */
const ALL_OPTIONS: readonly OptionSpec[] = [
    ...new Map(
        [...COMMAND_NAMES.flatMap((n) => COMMANDS[n].options), { name: "version", short: "V", help: "" } as OptionSpec].map((o) => [o.name, o]),
    ).values(),
];

/** The format a command line asks for, read leniently: a failure to parse it is still answered in that format. */
export function requestedFormat(argv: readonly string[]): Format {
    let format: Format = "text";
    argv.forEach((arg, i) => {
        const value = arg === "--format" ? argv[i + 1] : arg.startsWith("--format=") ? arg.slice("--format=".length) : undefined;
        if (value === "json" || value === "sarif" || value === "text") format = value;
    });
    return format;
}

/** Parses the command line (without `node` and the script); throws InputError on anything it cannot use. */
export function parseArgs(argv: readonly string[]): Command {
    let parsed: ReturnType<typeof parseNodeArgs>;
    try {
        parsed = parseNodeArgs({
            args: [...argv],
            strict: true,
            allowPositionals: true,
            options: Object.fromEntries(
                ALL_OPTIONS.map((o) => [
                    o.name,
                    { type: o.value ? "string" : "boolean", ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
                ]),
            ) as ParseArgsConfig["options"],
        });
    } catch (e) {
        throw new InputError(argumentError(e));
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const [sub, ...rest] = parsed.positionals;
    const name = sub !== undefined && (COMMAND_NAMES as string[]).includes(sub) ? (sub as CommandName) : undefined;

    if (values.help === true) return name ? { kind: "help", command: name } : { kind: "help" };
    if (values.version === true) return { kind: "version" };
    if (sub === undefined) throw new InputError(`missing command: ${COMMAND_NAMES.join(", ")} (see --help)`);
    if (name === undefined) {
        const meant = didYouMean(sub, COMMAND_NAMES);
        throw new InputError(`unknown command "${sub}": ${meant ? `did you mean ${meant}? ` : ""}use ${COMMAND_NAMES.join(", ")} (see --help)`);
    }

    // Every option given must be one this command takes.
    const spec = COMMANDS[name];
    for (const key of Object.keys(values)) {
        if (values[key] === undefined || spec.options.some((o) => o.name === key)) continue;
        const takers = COMMAND_NAMES.filter((n) => COMMANDS[n].options.some((o) => o.name === key));
        throw new InputError(`--${key} applies to ${takers.join(" and ")}, not ${name} (see ecs-role-guard ${name} --help)`);
    }

    const str = (key: string): string | undefined => (typeof values[key] === "string" ? (values[key] as string) : undefined);
    const format = formatOf(str("format"), spec);
    const phases = (["preview", "update"] as Phase[]).filter((p) => values[p] === true);
    const stack = str("stack");
    const account = str("account");
    if (account !== undefined && !/^\d{12}$/.test(account)) throw new InputError(`--account wants a 12-digit AWS account ID, not "${account}"`);
    const config: Record<string, string> = {};
    for (const pair of (values.config as string[] | undefined) ?? []) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new InputError(`--config wants key=value, not "${pair}"`);
        config[pair.slice(0, at)] = pair.slice(at + 1);
    }
    const policyPackConfig = str("policy-pack-config");
    const common: CommonOptions = { format, ...(policyPackConfig !== undefined ? { policyPackConfig } : {}) };

    switch (name) {
        case "check":
            if (rest.length > 1) throw new InputError(`check takes one program directory, not ${rest.length}`);
            return {
                kind: "check",
                ...(rest[0] !== undefined ? { program: rest[0] } : {}),
                phases: phases.length === 0 ? ["preview", "update"] : phases,
                ...(stack !== undefined ? { stack } : {}),
                ...(account !== undefined ? { account } : {}),
                config,
                ...common,
            };
        case "audit":
            if (rest.length !== 1) throw new InputError("audit takes one stack export file, or - for stdin");
            return { kind: "audit", file: rest[0], ...common };
        case "suggest":
            if (rest.length > 1) throw new InputError(`suggest takes one program directory or stack export file, not ${rest.length}`);
            if (phases.length > 1) throw new InputError("suggest reads one phase: --preview or --update");
            return {
                kind: "suggest",
                ...(rest[0] !== undefined ? { target: rest[0] } : {}),
                phase: phases[0] ?? "update",
                ...(stack !== undefined ? { stack } : {}),
                ...(account !== undefined ? { account } : {}),
                config,
                format: format as "text" | "json",
            };
        case "policies":
            if (rest.length > 0) throw new InputError("policies takes no arguments");
            return { kind: "policies", format: format as "text" | "json" };
    }
}

function formatOf(given: string | undefined, spec: CommandSpec): Format {
    if (given === undefined) return "text";
    const allowed = spec.options.find((o) => o.name === "format")!.value!.split("|");
    if (!allowed.includes(given)) throw new InputError(`--format must be one of ${allowed.join(", ")}, not "${given}"`);
    return given as Format;
}

/** Node's parseArgs errors in this command's words. */
function argumentError(e: unknown): string {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        const meant = didYouMean(
            option.replace(/^-+/, ""),
            ALL_OPTIONS.map((o) => o.name),
        );
        return `unknown option ${option}${meant ? `: did you mean --${meant}?` : ""} (see --help)`;
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
        return /argument missing|ambiguous/.test(message) ? `${option} needs a value` : `${option} takes no value`;
    }
    return message;
}
