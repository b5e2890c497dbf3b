import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatCount } from "../policies/format";

const ROOT = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("message formatting", () => {
    it("writes a count with a comma every three digits, as en-US does", () => {
        for (const n of [0, 1, 12, 999, 1000, 9999, 12345, 22091, 100000, 999999, 1000000, 1234567890]) {
            assert.equal(formatCount(n), n.toLocaleString("en-US"), String(n));
        }
    });

    it("uses nothing of ICU in the policies, whose first use costs a preview about 7 MB of memory", () => {
        const offenders = sourceFiles(path.join(ROOT, "policies")).flatMap((file) =>
            fs
                .readFileSync(file, "utf8")
                .split("\n")
                .flatMap((line, i) =>
                    /\b(toLocaleString|toLocaleLowerCase|toLocaleUpperCase|localeCompare)\(|\bIntl\./.test(line)
                        ? [`${path.relative(ROOT, file)}:${i + 1}`]
                        : [],
                ),
        );
        assert.deepEqual(offenders, []);
    });
});
