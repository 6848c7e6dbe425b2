/**
 * The one stylesheet, inlined in every page (a few KB: a page is one request).
 * Light by default, dark under prefers-color-scheme, plain black on white in print.
 * Colours meet WCAG AA contrast in both schemes.
 */
export const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#4a4a4a;--line:#d0d0d0;--soft:#f3f4f6;--link:#0b57d0;--accent:#7a3e00;--accent-bg:#fff4e5;--bad:#a40e26;--good:#0a6b2f;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#e9e9ea;--muted:#b4b6ba;--line:#3a3d42;--soft:#1d2024;--link:#8ab4f8;--accent:#ffcf8a;--accent-bg:#2b2113;--bad:#ff9aa8;--good:#7ddc9c}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;z-index:1}
.skip:focus{left:.5rem}
header,main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:baseline;border-bottom:1px solid var(--line);padding-top:.75rem;padding-bottom:.5rem}
header .brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--fg)}
header nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
main{padding-top:1rem;padding-bottom:2rem}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:.875rem;padding-top:.75rem;padding-bottom:1.5rem}
h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
.lead{font-size:1.1rem}
.meta,.muted{color:var(--muted)}
.tag{display:inline-block;font-size:.8rem;border:1px solid var(--line);border-radius:.3rem;padding:0 .35rem;margin-left:.35rem;color:var(--muted);white-space:nowrap}
.overlay{border-left:4px solid var(--accent);background:var(--accent-bg);padding:.1rem .6rem;margin:.25rem 0}
.tag.overlay-tag{border-color:var(--accent);color:var(--accent)}
.note{background:var(--soft);border-radius:.4rem;padding:.6rem .8rem;margin:.75rem 0}
.problem{border-left:4px solid var(--bad);padding-left:.75rem}
blockquote.say{margin:.5rem 0;padding:.6rem .9rem;border-left:4px solid var(--link);background:var(--soft);font-size:1.05rem;user-select:text}
.inline{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;background:var(--soft);padding:.6rem .8rem;border-radius:.4rem}
.inline .field{display:flex;flex-direction:column;gap:.15rem}.inline .field label{font-size:.875rem}.grow{flex:1}
input,select,textarea,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:.3rem;padding:.35rem .5rem}
button{cursor:pointer;background:var(--link);color:var(--bg);border-color:var(--link);font-weight:600}
button.secondary{background:var(--bg);color:var(--link)}
input[type=search]{min-width:16rem}
textarea{width:100%;min-height:14rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{white-space:pre-wrap;word-break:break-word;background:var(--soft);padding:.5rem .75rem;border-radius:.3rem;max-height:12rem;overflow:auto}
ul.codes{list-style:none;padding:0;margin:0}
ul.codes li{padding:.3rem 0;border-bottom:1px solid var(--line)}
ul.codes .num{font-weight:700;font-variant-numeric:tabular-nums}
dl.terms dt{font-weight:700;margin-top:.75rem}
dl.terms dd{margin:.15rem 0 0 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
.results>li{margin-bottom:1rem}
.yes{color:var(--good);font-weight:600}.no{color:var(--bad);font-weight:600}
@media print{:root{--bg:#fff;--fg:#000;--muted:#333;--link:#000;--soft:#fff;--line:#999;--accent:#000;--accent-bg:#fff}header nav,form,.skip,.copy,footer nav{display:none!important}a{text-decoration:none}main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em}h2{break-after:avoid}li,blockquote{break-inside:avoid}}
`
  .trim()
  .replaceAll(/\n/g, "");
