import { createHash } from "node:crypto";

/**
 * The status page's one stylesheet, inlined in every page and allowed by its
 * hash in the Content-Security-Policy (no inline style attributes anywhere).
 * Light by default, dark under prefers-color-scheme; colours meet WCAG AA in
 * both. The palette is the API pages' (apps/api/src/pages/style.ts).
 */
export const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#4a4a4a;--line:#d0d0d0;--soft:#f3f4f6;--link:#0b57d0;--bad:#a40e26;--good:#0a6b2f;--warn:#7a3e00;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e9e9ea;--muted:#b4b6ba;--line:#3a3d42;--soft:#1d2024;--link:#8ab4f8;--bad:#ff9aa8;--good:#7ddc9c;--warn:#ffcf8a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;z-index:1}
.skip:focus{left:.5rem}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:center;border-bottom:1px solid var(--line);padding-top:.6rem;padding-bottom:.5rem}
header .brand{font-weight:700;font-size:1.1rem;text-decoration:none;color:var(--fg)}
header nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
header nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--fg)}
header form{margin-left:auto}
main{padding-top:.75rem;padding-bottom:2rem}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:.875rem;padding-top:.6rem;padding-bottom:1.5rem}
h1{font-size:1.6rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
.muted{color:var(--muted)}
.mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.incident{border:1px solid var(--line);border-radius:.4rem;padding:.2rem .9rem .8rem;margin:.9rem 0}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.state{font-weight:600}.state-firing,.state-dead{color:var(--bad)}.state-delivered,.state-resolved{color:var(--good)}.state-pending{color:var(--warn)}
.note{background:var(--soft);border-radius:.4rem;padding:.6rem .8rem;margin:.75rem 0}
.problem{border-left:4px solid var(--bad);padding-left:.75rem}
.error{color:var(--bad);font-weight:600}
figure.spark{margin:0}svg.spark{display:block;max-width:100%;height:auto}
svg.spark .frame{fill:var(--soft);stroke:var(--line)}
svg.spark .rate{fill:none;stroke:var(--link);stroke-width:2;stroke-linejoin:round}
svg.spark .threshold{fill:none;stroke:var(--bad);stroke-width:1.5;stroke-dasharray:4 3}
.legend{font-size:.85rem;color:var(--muted)}
.legend .rate-key{color:var(--link);font-weight:700}.legend .threshold-key{color:var(--bad);font-weight:700}
form.stack{display:grid;gap:.6rem;max-width:40rem;background:var(--soft);padding:.8rem;border-radius:.4rem}
fieldset{border:1px solid var(--line);border-radius:.3rem;display:flex;flex-wrap:wrap;gap:.5rem;padding:.5rem}
legend{padding:0 .25rem}
.field{display:flex;flex-direction:column;gap:.15rem}
.field label{font-size:.9rem}
input,select,textarea,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:.3rem;padding:.3rem .5rem}
textarea{min-height:4rem}
button{cursor:pointer;background:var(--link);color:var(--bg);border-color:var(--link);font-weight:600}
button.secondary{background:var(--bg);color:var(--link)}
form.inline{display:inline;margin:0}
`
  .trim()
  .replaceAll(/\n/g, "");

/** The CSP source that allows exactly this stylesheet. */
export const CSS_HASH = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;
