// Plain-text tables for the plan: columns padded to their widest cell, numbers right-aligned.

export type Cell = string | number;

export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
    const cells = [headers, ...rows.map((row) => row.map(String))];
    const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
    const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number" || /^[-+]?[\d.]+[KMGT]?$/.test(String(row[column] ?? "")) || row[column] === "-"));
    const line = (row: readonly string[]) =>
        row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd();
    return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
}
