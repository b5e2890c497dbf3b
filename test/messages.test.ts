import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { withArticle } from "../policies/format";

/**
 * The grammar of what the pack and the command say. Every string and template they hold is read
 * from the source, so a message written tomorrow is checked too: an article before a value only
 * known at run time must come from withArticle, and an article written out must agree with the
 * word after it.
 */

const ROOT = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
    });
}

interface Text {
    readonly where: string;
    readonly text: string;
    /** A substitution follows the text. */
    readonly beforeValue: boolean;
}

/** The literal text of every string and template in a file, part by part. */
function textsOf(file: string): Text[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const texts: Text[] = [];
    const where = (node: ts.Node) => `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node)) return;
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push({ where: where(node), text: node.text, beforeValue: false });
        if (ts.isTemplateExpression(node)) {
            texts.push({ where: where(node), text: node.head.text, beforeValue: true });
            node.templateSpans.forEach((span) => texts.push({ where: where(span), text: span.literal.text, beforeValue: ts.isTemplateMiddle(span.literal) }));
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return texts;
}

const TEXTS = ["policies", "cli"].flatMap((dir) => sourceFiles(path.join(ROOT, dir))).flatMap(textsOf);

/** Lower-case words whose first letter misleads: "a user", "a one-off", "an hour". */
const SAID_OTHERWISE = new Set(["user", "users", "unique", "usual", "union", "unit", "one", "once", "hour", "honest"]);

describe("the wording of messages", () => {
    it("reads every string and template of the policies and the command", () => {
        assert.ok(TEXTS.length > 500, `${TEXTS.length} texts`);
    });

    it("never writes an article before a value it cannot see: withArticle chooses it", () => {
        const offending = TEXTS.filter((t) => t.beforeValue && /(^|[^A-Za-z])(a|an|A|An) $/.test(t.text)).map((t) => `${t.where}: ${JSON.stringify(t.text)}`);
        assert.deepEqual(offending, []);
    });

    it("writes 'a' before a consonant and 'an' before a vowel", () => {
        const offending: string[] = [];
        for (const t of TEXTS) {
            for (const m of t.text.matchAll(/(?<![A-Za-z'-])(a|an|A|An) ([a-z][a-z-]*)/g)) {
                const [, article, word] = m;
                const vowel = /^[aeiou]/.test(word) !== SAID_OTHERWISE.has(word.split("-")[0]);
                if ((article.toLowerCase() === "an") !== vowel) offending.push(`${t.where}: "${article} ${word}"`);
            }
        }
        assert.deepEqual(offending, []);
    });

    const cases: [string, string][] = [
        ["execution role", "an execution role"],
        ["task role", "a task role"],
        ["ECR image", "an ECR image"],
        ["S3 object", "an S3 object"],
        ["IAM policy", "an IAM policy"],
        ["KMS key", "a KMS key"],
        ["Secrets Manager secret", "a Secrets Manager secret"],
        ["SSM parameter", "an SSM parameter"],
        ["Allow", "an Allow"],
        ["NotPrincipal", "a NotPrincipal"],
        ["unknown value", "an unknown value"],
        ["user", "a user"],
        ["unique name", "a unique name"],
        ["one-off", "a one-off"],
        ["8-character name", "an 8-character name"],
        ["11-character name", "an 11-character name"],
        ["7-character name", "a 7-character name"],
    ];
    for (const [phrase, expected] of cases) {
        it(`writes "${expected}"`, () => assert.equal(withArticle(phrase), expected));
    }
});
