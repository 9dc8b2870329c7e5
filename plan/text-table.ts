import Table = require("cli-table3");

// Plain-text tables for the plan and the Day-2 status (cli-table3): a header, a line of dashes under
// it, then the rows; columns padded to their widest cell and two spaces apart, numbers right-aligned,
// no borders, so they read the same in a terminal and in a pull-request comment's code block. A table
// without rows is its header alone.

export type Cell = string | number;

/** No border anywhere; the dashes under the header come from the one horizontal line kept. */
const CHARS = {
    "top": "", "top-mid": "", "top-left": "", "top-right": "",
    "bottom": "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
    "left": "", "left-mid": "", "right": "", "right-mid": "",
    "mid": "-", "mid-mid": "  ", "middle": "  ",
};

export function textTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
    const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number" || /^[-+]?[\d.]+[KMGT]?$/.test(String(row[column] ?? "")) || row[column] === "-"));
    const table = new Table({
        head: [...headers],
        chars: CHARS,
        colAligns: numeric.map((n) => (n ? "right" : "left")),
        // compact: no line between rows; no colours; no padding inside the cells.
        style: { "head": [], "border": [], "padding-left": 0, "padding-right": 0, "compact": true },
    });
    table.push(...rows.map((row) => headers.map((_, column) => String(row[column] ?? ""))));
    // cli-table3 pads the last column too: a line ends at its last character.
    return table.toString().split("\n").map((line) => line.trimEnd()).join("\n");
}
