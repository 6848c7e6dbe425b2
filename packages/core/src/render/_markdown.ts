/** Escapes the characters Markdown would read as formatting (the one escape every Markdown renderer uses). */
export function md(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, "\\$1");
}

/** Inline code, with backticks in the text made harmless. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
