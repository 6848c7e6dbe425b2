const ESC = /\u001b\[[0-9;]*m/g;

/** Visible width of a string, ignoring colour codes. */
export function visible(text: string): number {
  return text.replace(ESC, "").length;
}

/** Lays out rows as aligned columns; the last column is left unpadded. */
export function table(rows: string[][], gap = "  "): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell)),
        )
        .join(gap)
        .trimEnd(),
    )
    .join("\n")
    .concat(rows.length ? "\n" : "");
}

export interface Palette {
  bold: (s: string) => string;
  dim: (s: string) => string;
  code: (code: number, s?: string) => string;
}

const wrap = (open: string) => (s: string) => `\u001b[${open}m${s}\u001b[0m`;

export function palette(color: boolean): Palette {
  if (!color) return { bold: (s) => s, dim: (s) => s, code: (c, s) => s ?? String(c) };
  const byClass = ["36", "36", "32", "36", "31", "31", "31"];
  return {
    bold: wrap("1"),
    dim: wrap("2"),
    code: (c, s) => wrap(byClass[Math.floor(c / 100)] ?? "0")(s ?? String(c)),
  };
}

/** Truncates to a width with an ellipsis. */
export function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
