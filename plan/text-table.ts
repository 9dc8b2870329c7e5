// Plain-text tables for the plan: columns padded to their widest cell, numbers right-aligned.
// Written here, not taken from cli-table3: its layout checks every cell against every other for
// row and column spans (layout-manager.js, conflictExists), which is quadratic in the rows: the port
// table of the benchmark's x100 topology (6,900 rows) took 14 s there, against milliseconds here.

export type Cell = string | number;

export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
    const cells = [headers, ...rows.map((row) => row.map(String))];
    const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
    const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number" || /^[-+]?[\d.]+[KMGT]?$/.test(String(row[column] ?? "")) || row[column] === "-"));
    const line = (row: readonly string[]) =>
        row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd();
    return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}
