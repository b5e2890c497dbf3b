import * as fs from "fs";
import { InputError, whyUnreadable } from "./errors";

/**
 * Text the command reads: a stack export, a config file, stdin with "-". UTF-8, with or without the byte-order mark
 * that Windows editors write; UTF-16, which PowerShell's `>` writes, is named as such rather than read as JSON that
 * is not there.
 */
export function readTextInput(file: string, what: string): string {
    let bytes: Buffer;
    try {
        bytes = file === "-" ? fs.readFileSync(0) : fs.readFileSync(file);
    } catch (e) {
        throw new InputError(`cannot read ${what} ${file === "-" ? "from stdin" : file}: ${whyUnreadable(e)}`);
    }
    return decodeText(bytes, `${what} ${file === "-" ? "on stdin" : file}`);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeText(bytes: Uint8Array, source: string): string {
    const utf16 = utf16Order(bytes);
    if (utf16 !== undefined) {
        throw new InputError(
            `${source} is UTF-16 (${utf16}); it must be UTF-8. Convert it (iconv -f UTF-16 -t UTF-8), or write it as UTF-8 in the first place (PowerShell: | Out-File -Encoding utf8)`,
        );
    }
    try {
        // The decoder drops a UTF-8 byte-order mark.
        return UTF8.decode(bytes);
    } catch {
        throw new InputError(`${source} is not UTF-8 text`);
    }
}

/** The byte order of UTF-16 text, by its byte-order mark or, without one, by JSON's ASCII characters with a zero byte beside each. */
function utf16Order(bytes: Uint8Array): "little-endian" | "big-endian" | undefined {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "little-endian";
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "big-endian";
    if (bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return "little-endian";
    if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) return "big-endian";
    return undefined;
}
