const ESC = /\u001b\[[0-9;]*m/g;

/** Visible width of a string, ignoring colour codes. */
export function visible(text: string): number {
  return text.replace(ESC, "").length;
}

/**
 * Lays out rows as aligned columns; the last column is left unpadded. With
 * `width` (COLUMNS), no line is wider than that: the last column is clipped,
 * and when the others alone leave it too little room the widest of them is
 * narrowed (and its cells clipped) first.
 */
export function table(rows: string[][], gap = "  ", width?: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  const last = widths.length - 1;
  if (width !== undefined && last > 0) {
    const room = () => width - widths.slice(0, last).reduce((n, w) => n + w + gap.length, 0);
    const minLast = Math.min(widths[last] ?? 0, 16);
    while (room() < minLast) {
      let widest = 0;
      for (let i = 1; i < last; i++) if ((widths[i] ?? 0) > (widths[widest] ?? 0)) widest = i;
      if ((widths[widest] ?? 0) <= 8) break;
      widths[widest] = Math.max(8, (widths[widest] ?? 0) - (minLast - room()));
    }
  }
  return rows
    .map((row) => {
      let used = 0;
      return row
        .map((cell, i) => {
          const w = widths[i] ?? 0;
          if (i < row.length - 1) {
            const fitted = width === undefined ? cell : clipVisible(cell, w);
            used += w + gap.length;
            return fitted + " ".repeat(Math.max(0, w - visible(fitted)));
          }
          return width === undefined ? cell : clipVisible(cell, Math.max(1, width - used));
        })
        .join(gap)
        .trimEnd();
    })
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

/** Truncates a cell that may hold colour codes; a clipped cell loses its colour. */
function clipVisible(cell: string, width: number): string {
  return visible(cell) > width ? clip(cell.replace(ESC, ""), width) : cell;
}

/** Truncates to a width with an ellipsis. */
export function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
