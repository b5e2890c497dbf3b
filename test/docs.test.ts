import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import { policies } from "../policies";
import { JsonSchema, parsePolicyConfig, validateJsonSchema } from "./helpers/engine";
import { typeCheck } from "./helpers/typeCheck";
import { DOORS } from "../policies/stack/doors";
import { shortType } from "../policies/stack/resources";
import { COMMANDS, usage } from "../cli/options";

/**
 * The policy pages, the README's policy table and the policies' own metadata say the same
 * things, and the code on the pages compiles: a page cannot drift from the policy it documents.
 */

const ROOT = path.resolve(__dirname, "../..");
const DOCS = path.join(ROOT, "docs", "policies");
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string; files?: string[] };

const pagePath = (name: string) => path.join(DOCS, `${name}.md`);
const readPage = (name: string) => fs.readFileSync(pagePath(name), "utf8");

/** `stack`, or `resource+stack` for a policy that also judges each resource. */
function kindOf(p: Policy): string {
    return [...("validateResource" in p ? ["resource"] : []), ...("validateStack" in p ? ["stack"] : [])].join("+");
}

/** A cell as a reader sees it: no backticks, links reduced to their text. */
function plain(cell: string): string {
    return cell
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/`/g, "")
        .trim();
}

function cells(line: string): string[] {
    return line
        .trim()
        .replace(/^\|/, "")
        .replace(/\|$/, "")
        .split("|")
        .map((c) => c.trim());
}

/** The rows of the first table whose header is exactly `header` (cells as written), in `markdown`. */
function tableRows(markdown: string, header: readonly string[]): string[][] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((l) => l.trim().startsWith("|") && JSON.stringify(cells(l).map(plain)) === JSON.stringify(header));
    assert.ok(start >= 0, `a table headed | ${header.join(" | ")} |`);
    assert.match(lines[start + 1] ?? "", /^\|(\s*:?-+:?\s*\|)+\s*$/, `the table headed ${header.join(" | ")} has a separator row`);
    const rows: string[][] = [];
    for (const line of lines.slice(start + 2)) {
        if (!line.trim().startsWith("|")) break;
        rows.push(cells(line));
    }
    return rows;
}

/** The text of a `## heading` section, up to the next heading of that level. */
function section(markdown: string, heading: string): string {
    const start = markdown.indexOf(`\n${heading}\n`);
    assert.ok(start >= 0, `a "${heading}" section`);
    const rest = markdown.slice(start + heading.length + 2);
    const end = rest.search(/\n## /);
    return end < 0 ? rest : rest.slice(0, end);
}

interface Block {
    readonly lang: string;
    readonly code: string;
    /** The line of the page the block's code starts on, 1-based. */
    readonly line: number;
}

function codeBlocks(markdown: string): Block[] {
    const blocks: Block[] = [];
    const fence = /^```([A-Za-z]*)\n([\s\S]*?)^```$/gm;
    for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
        blocks.push({ lang: m[1], code: m[2], line: markdown.slice(0, m.index).split("\n").length + 1 });
    }
    return blocks;
}

const pageFiles = () =>
    fs
        .readdirSync(DOCS)
        .filter((f) => f.endsWith(".md"))
        .sort();

describe("the policy pages (docs/policies)", () => {
    it("has a page for every policy, and none for a policy the pack does not have", () => {
        const expected = [...policies.map((p) => `${p.name}.md`), "README.md"].sort();
        assert.deepEqual(pageFiles(), expected);
    });

    for (const p of policies) {
        describe(p.name, () => {
            it("is titled with the policy's name", () => {
                assert.equal(readPage(p.name).split("\n")[0], `# ${p.name}`);
            });

            it("states the policy's default level, severity and kind", () => {
                const rows = tableRows(readPage(p.name), ["Default enforcement level", "Severity", "Kind"]);
                assert.deepEqual(
                    rows.map((r) => r.map(plain)),
                    [[p.enforcementLevel, p.severity, kindOf(p)]],
                );
            });

            it("documents every config property with its type and default, and no property the policy does not have", () => {
                const schema = p.configSchema?.properties ?? {};
                const rows = tableRows(readPage(p.name), ["Property", "Type", "Default", "Meaning"]);
                const documented = new Map(rows.map((r) => [plain(r[0]), r]));
                assert.deepEqual([...documented.keys()].sort(), Object.keys(schema).sort());
                for (const [key, property] of Object.entries(schema)) {
                    const [, type, byDefault] = documented.get(key) as string[];
                    assert.equal(byDefault, `\`${JSON.stringify(property.default)}\``, `${key}: its default`);
                    assert.ok(plain(type).startsWith(String(property.type)), `${key}: documented as ${type}, the schema says ${String(property.type)}`);
                }
            });

            it("shows example violations of this policy, at its default level", () => {
                const examples = codeBlocks(readPage(p.name)).filter((b) => b.lang === "text" && b.code.startsWith("["));
                assert.ok(examples.length > 0, "an example violation");
                for (const b of examples) {
                    const header = /^\[(\w+)\]\s+ecs-role-guard v\S+\s+(\S+) \(/.exec(b.code);
                    assert.ok(header, `line ${b.line}: the example starts as Pulumi prints a violation`);
                    assert.deepEqual([header[2], header[1]], [p.name, p.enforcementLevel], `line ${b.line}`);
                }
            });

            it("is what the policy's url links to, in this version of the package", () => {
                const url = p.url;
                assert.ok(url, `${p.name} has a url`);
                assert.ok(url.endsWith(`/docs/policies/${p.name}.md`), url);
                assert.ok(url.includes(`${PACKAGE.name}@${PACKAGE.version}/`), `${url} names ${PACKAGE.name}@${PACKAGE.version}`);
            });
        });
    }

    it("gives config examples the policies' schemas accept", () => {
        const names = new Set(policies.map((p) => p.name));
        for (const file of pageFiles()) {
            for (const block of codeBlocks(fs.readFileSync(path.join(DOCS, file), "utf8")).filter((b) => b.lang === "json")) {
                const where = `${file}:${block.line}`;
                const config = parsePolicyConfig(JSON.parse(block.code) as Record<string, unknown>);
                for (const [key, entry] of Object.entries(config)) {
                    assert.ok(key === "all" || names.has(key), `${where}: "${key}" is a policy of the pack`);
                    const policy = policies.find((p) => p.name === key);
                    if (!policy) continue;
                    // Stricter than the CLI: a property the policy does not have is a mistake on a page.
                    const schema: JsonSchema = { type: "object", additionalProperties: false, properties: { ...policy.configSchema?.properties } };
                    assert.deepEqual(validateJsonSchema(schema, entry.properties ?? {}), [], `${where}: ${key}`);
                }
            }
        }
    });

    it("lists every policy in its index, in order, with its level, severity and kind", () => {
        const rows = tableRows(fs.readFileSync(path.join(DOCS, "README.md"), "utf8"), ["Policy", "Default", "Severity", "Kind", "What it stops"]);
        assert.deepEqual(
            rows.map((r) => [r[0], ...r.slice(1, 4).map(plain)]),
            policies.map((p) => [`[\`${p.name}\`](${p.name}.md)`, p.enforcementLevel, p.severity, kindOf(p)]),
        );
    });

    it("is published with the package", () => {
        const files = PACKAGE.files ?? [];
        assert.ok(
            ["docs", "docs/", "docs/policies", "docs/policies/"].some((f) => files.includes(f)),
            `package.json files (${files.join(", ")}) include docs/`,
        );
    });

    it("holds TypeScript examples that compile", function () {
        // A type check of every example: slow on a busy machine, and not a measure of anything.
        this.timeout(180_000);
        // Inside the repository, so that the examples resolve @pulumi/aws from its node_modules; under bin/, which git ignores.
        const dir = fs.mkdtempSync(path.join(ROOT, "bin", ".docs-typecheck-"));
        try {
            const origin = new Map<string, { file: string; line: number }>();
            for (const file of pageFiles()) {
                codeBlocks(fs.readFileSync(path.join(DOCS, file), "utf8"))
                    .filter((b) => b.lang === "ts" || b.lang === "typescript")
                    .forEach((b, i) => {
                        const out = path.join(dir, `${path.basename(file, ".md")}.${i}.ts`);
                        // Each block is a program of its own: a module, so that blocks never share names.
                        fs.writeFileSync(out, `${b.code}\nexport {};\n`);
                        origin.set(path.resolve(out), { file, line: b.line });
                    });
            }
            assert.ok(origin.size >= policies.length * 2, "a non-compliant and a compliant example per policy");
            const problems = typeCheck([...origin.keys()], (fileName, line) => {
                const at = origin.get(path.resolve(fileName));
                return at ? `docs/policies/${at.file}:${at.line + line}` : `${fileName}:${line + 1}`;
            });
            assert.deepEqual(problems, []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the README's policy table", () => {
    it("lists exactly the policies, in order, with their default levels and severities", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const rows = tableRows(section(readme, "## The policies"), ["Policy", "Default", "Severity", "What it stops"]);
        assert.deepEqual(
            rows.map((r) => r.slice(0, 3).map(plain)),
            policies.map((p) => [p.name, p.enforcementLevel, p.severity]),
        );
    });
});

describe("the README's doors (What counts as granted)", () => {
    const readme = () => fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

    it("names every modelled type of the table, and no irrelevant one, in What counts as granted", () => {
        const text = section(readme(), "## The policies");
        const granted = text.slice(text.indexOf("### What counts as granted"), text.indexOf("### Unknown values during preview"));
        const named = (type: string) => granted.includes(`\`${shortType(type)}\` (`);
        const entries = Object.entries(DOORS);
        assert.deepEqual(
            entries.filter(([type, door]) => door.kind !== "irrelevant" && !named(type)).map(([type]) => type),
            [],
        );
        assert.deepEqual(
            entries.filter(([type, door]) => door.kind === "irrelevant" && named(type)).map(([type]) => type),
            [],
        );
    });
});

describe("the README's command section", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The `ecs-role-guard` command"), readme.indexOf("## Performance"));

    it("shows every command the command line takes, and documents each of their options", () => {
        for (const [name, spec] of Object.entries(COMMANDS)) {
            assert.match(section, new RegExp(`ecs-role-guard ${name}\\b`), name);
            for (const option of spec.options) assert.ok(section.includes(`--${option.name}`), `${name} --${option.name}`);
        }
    });

    it("says what --help says of exit codes, colours and the progress line", () => {
        for (const words of [
            "Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 unusable input",
            "`NO_COLOR`",
            "`FORCE_COLOR`",
            "progress line",
        ]) {
            assert.ok(section.includes(words), words);
        }
        assert.match(usage(), /^ {2}0 {2}no mandatory violation$/m);
        assert.match(usage(), /^ {2}NO_COLOR /m);
    });
});
