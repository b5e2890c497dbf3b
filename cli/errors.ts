/** Input the command cannot use: a missing or unreadable file, invalid JSON, an invalid config. Exit code 2. */
export class InputError extends Error {
    constructor(
        message: string,
        /** Further lines that say more (each further failure of a program, with its place). */
        readonly details: readonly string[] = [],
    ) {
        super(message);
        this.name = "InputError";
    }
}

/** The first line of an error's message: the one-line reason the command prints. */
export function firstLine(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    return (
        text
            .split("\n")
            .find((line) => line.trim() !== "")
            ?.trim() ?? "unknown error"
    );
}

/** Why a file could not be read, in words: "no such file", "it is a directory", "permission denied". */
export function whyUnreadable(e: unknown): string {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : firstLine(e);
}
