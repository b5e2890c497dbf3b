import { JSONPath, visit } from "jsonc-parser";

/**
 * A key that one object of a JSON text holds twice, and the path of that object (`Statement[1]`,
 * or `""` for the top object).
 *
 * `JSON.parse` keeps the last of repeated keys, and IAM documents no rule for them: a document may
 * read `{"Effect": "Deny", "Effect": "Allow"}` one way to the pack and the other way to IAM. The
 * AWS provider's own check (terraform-provider-aws pull request 33570) flags repeated keys for the
 * same reason. The text must already be valid JSON (the caller parsed it): jsonc-parser only walks
 * it, decoding each key as `JSON.parse` does, so `"St\u0061tement"` repeats `"Statement"`.
 */
export function repeatedKey(text: string): { key: string; path: string } | undefined {
    const open: Set<string>[] = [];
    let found: { key: string; path: string } | undefined;
    visit(text, {
        onObjectBegin: () => {
            open.push(new Set());
        },
        onObjectEnd: () => {
            open.pop();
        },
        onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
            const keys = open[open.length - 1];
            if (found === undefined && keys.has(key)) found = { key, path: pathText(pathSupplier()) };
            keys.add(key);
        },
    });
    return found;
}

/** `Statement[1].Condition`, or `""` for the top object. */
function pathText(path: JSONPath): string {
    let out = "";
    for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
    return out;
}
