/** Statistics and plain-text tables for the benchmark's report. */

export function median(values: readonly number[]): number {
    return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function ms(value: number): string {
    if (!Number.isFinite(value)) return "-";
    if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
    if (value >= 10) return `${value.toFixed(0)} ms`;
    return `${value.toFixed(2)} ms`;
}

export function mb(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(0)} MB` : "-";
}

/** A difference in MB with its sign: `+12 MB`, `-3 MB`. */
export function signedMb(value: number): string {
    return `${value < 0 ? "-" : "+"}${mb(Math.abs(value))}`;
}

export function ratio(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(2)}x` : "-";
}

export function count(value: number): string {
    return value.toLocaleString("en-US");
}

export function verdict(ok: boolean): "PASS" | "FAIL" {
    return ok ? "PASS" : "FAIL";
}

/** Columns padded to their widest cell; numbers right-aligned when `right` says so. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
