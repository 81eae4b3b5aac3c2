/** The page's stylesheet, inlined so the site is one self-contained file (light and dark, by system setting). */
export const PAGE_STYLE: string = `
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--accent:#0969da;--hover:#eef1f4;
--ok:#1a7f37;--ok-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--skip:#818b98;--skip-bg:#eff2f5;--invalid:#bc4c00;--invalid-bg:#fff1e5;
--never:#818b98;--never-bg:#fff;--source:#0969da;--source-bg:#ddf4ff;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--accent:#4493f8;--hover:#1f2630;
--ok:#3fb950;--ok-bg:#12261e;--fail:#f85149;--fail-bg:#2d1214;--skip:#9198a1;--skip-bg:#21262d;--invalid:#db6d28;--invalid-bg:#2d1b0e;
--never:#9198a1;--never-bg:#0d1117;--source:#4493f8;--source-bg:#0c2d4d}}
*{box-sizing:border-box}
html,body{margin:0}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.layout{display:grid;grid-template-columns:minmax(230px,300px) minmax(0,1fr);min-height:100vh}
.sidebar{position:sticky;top:0;height:100vh;overflow:auto;border-right:1px solid var(--line);background:var(--panel);padding:16px 12px}
.brand{margin:0 4px 2px;font-size:16px}
.brand small{display:block;color:var(--muted);font-weight:400;font-size:12px}
#search{width:100%;margin:12px 0 4px;padding:7px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
#search:focus{outline:2px solid var(--accent);outline-offset:-1px}
.search-count{margin:0 4px 8px;color:var(--muted);font-size:12px;min-height:18px}
.sidebar h2{margin:14px 4px 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.items{list-style:none;margin:0;padding:0}
.items a{display:block;padding:4px 8px;border-radius:6px;color:var(--fg)}
.items a:hover{background:var(--hover);text-decoration:none}
.items .selected a{background:var(--bg);box-shadow:inset 3px 0 0 var(--accent)}
.items .name{font-weight:600;word-break:break-all}
.items .sub{display:block;color:var(--muted);font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.no-match{margin:8px 4px;color:var(--muted)}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:7px;border:1.5px solid var(--never);background:var(--never-bg);vertical-align:0}
main{padding:20px 28px 48px;min-width:0}
.summary{margin:0 0 16px;color:var(--muted)}
.card{border:1px solid var(--line);border-radius:8px;margin-bottom:20px;background:var(--bg)}
.card-head{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 14px;border-bottom:1px solid var(--line)}
.card-head h2{margin:0;font-size:15px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;margin:0;padding:0;color:var(--muted);font-size:12px}
.graph{overflow:auto;max-height:55vh;padding:8px}
.graph svg{display:block}
.graph-tools{display:none}
.js .graph-tools{display:flex;flex-wrap:wrap;align-items:center;gap:6px;padding:8px 14px;border-bottom:1px solid var(--line);font-size:12px}
.graph-tools button{font:inherit;min-width:28px;padding:2px 9px;border:1px solid var(--line);border-radius:6px;background:var(--panel);color:var(--fg);cursor:pointer}
.graph-tools button:hover{background:var(--hover)}
.graph-tools output{min-width:42px;text-align:center;color:var(--muted);font-variant-numeric:tabular-nums}
.graph-tools .focus{display:inline-flex;align-items:center;gap:6px;margin-left:8px;padding:1px 4px 1px 10px;border-radius:999px;background:var(--hover)}
.graph-tools .focus[hidden]{display:none}
.graph-tools .focus code{line-height:1}
.graph-tools .hint{margin-left:auto;color:var(--muted)}
.js .graph.pannable{overflow:hidden;max-height:none;padding:0;height:min(68vh,calc(var(--graph-height,400px) + 32px));min-height:220px;cursor:grab;touch-action:none;outline:none}
.js .graph.pannable:focus-visible{box-shadow:inset 0 0 0 2px var(--accent)}
.js .graph.pannable svg{width:100%;height:100%}
.js .graph.dragging{cursor:grabbing}
.js .graph.dragging a.node{cursor:grabbing}
.js .graph.pannable .edge,.js .graph.pannable .node rect{vector-effect:non-scaling-stroke}
.empty{padding:16px 14px;color:var(--muted)}
svg.lineage .edge{fill:none;stroke:var(--skip);stroke-width:1.3;opacity:.75}
svg.lineage .edge.related{stroke:var(--accent);stroke-width:2;opacity:1}
svg.lineage marker path{fill:var(--skip)}
svg.lineage .node rect{stroke-width:1.5;fill:var(--never-bg);stroke:var(--never)}
svg.lineage .node text{fill:var(--fg);font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
svg.lineage a.node{cursor:pointer;text-decoration:none}
svg.lineage a.node:hover rect,svg.lineage .node.selected rect{stroke-width:3}
svg.lineage .node.dim{opacity:.25}
svg.lineage .node.faded{opacity:.12}
svg.lineage .edge.faded{opacity:.06}
svg.lineage .kind-table rect{stroke-dasharray:4 3}
svg.lineage .st-never rect{stroke-dasharray:4 3}
svg.lineage .kind-source rect{fill:var(--source-bg);stroke:var(--source)}
svg.lineage .st-success rect{fill:var(--ok-bg);stroke:var(--ok)}
svg.lineage .st-failed rect{fill:var(--fail-bg);stroke:var(--fail)}
svg.lineage .st-skipped rect{fill:var(--skip-bg);stroke:var(--skip)}
svg.lineage .st-invalid rect{fill:var(--invalid-bg);stroke:var(--invalid)}
svg.lineage .node.selected rect{stroke:var(--accent)}
.dot.kind-source{background:var(--source-bg);border-color:var(--source)}
.dot.st-success{background:var(--ok);border-color:var(--ok)}
.dot.st-failed{background:var(--fail);border-color:var(--fail)}
.dot.st-skipped{background:var(--skip);border-color:var(--skip)}
.dot.st-invalid{background:var(--invalid);border-color:var(--invalid)}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;border:1px solid var(--never);color:var(--muted)}
.badge.st-success{color:var(--ok);border-color:var(--ok);background:var(--ok-bg)}
.badge.st-current{color:var(--ok);border-color:var(--ok);background:transparent;font-weight:500}
.badge.st-failed{color:var(--fail);border-color:var(--fail);background:var(--fail-bg)}
.badge.st-preview{color:#8250df;border-color:#8250df;background:transparent;margin-left:6px}
.trend{margin:14px 0 6px}.trend figcaption{font-size:13px;margin-bottom:4px}.trend svg{max-width:100%;height:auto;overflow:visible}
.trend .series polyline{fill:none;stroke:var(--ok);stroke-width:2}.trend .series circle{fill:var(--ok)}.trend .axis{stroke:var(--never)}.trend .label{font-size:11px;fill:var(--muted)}
.badge.st-skipped{color:var(--skip);border-color:var(--skip);background:var(--skip-bg)}
.badge.st-invalid{color:var(--invalid);border-color:var(--invalid);background:var(--invalid-bg)}
.badge.kind-source{color:var(--source);border-color:var(--source);background:var(--source-bg)}
.detail{display:none;padding:16px 20px 20px}
html:not(.js) .detail:target,.detail.selected{display:block}
.detail-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 12px}
.detail h2{margin:0;font-size:20px;word-break:break-all}
.detail h3{margin:22px 0 8px;font-size:14px}
.file{color:var(--muted)}
.description{margin:10px 0 14px;white-space:pre-wrap;max-width:75ch}
.detail-head+.facts{margin-top:14px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}
.facts dt{color:var(--muted)}
.facts dd{margin:0;min-width:0}
.tag{display:inline-block;padding:0 8px;margin:0 4px 2px 0;border-radius:999px;background:var(--hover);font-size:12px}
.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%;max-width:960px}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600}
.errors{margin:12px 0 0;padding:10px 14px;border:1px solid var(--invalid);border-radius:6px;background:var(--invalid-bg);list-style:none}
.errors li+li{margin-top:6px}
.run-error{color:var(--fail)}
pre.sql{margin:0;padding:12px 14px;border:1px solid var(--line);border-radius:6px;background:var(--panel);overflow:auto;line-height:1.45}
.hljs-keyword,.hljs-operator{color:#cf222e}.hljs-string{color:#0a3069}.hljs-number,.hljs-literal{color:#0550ae}
.hljs-comment{color:#6e7781;font-style:italic}.hljs-built_in{color:#8250df}.hljs-type{color:#953800}.hljs-variable,.hljs-symbol{color:#0550ae}
@media (prefers-color-scheme:dark){.hljs-keyword,.hljs-operator{color:#ff7b72}.hljs-string{color:#a5d6ff}.hljs-number,.hljs-literal,.hljs-variable,.hljs-symbol{color:#79c0ff}
.hljs-comment{color:#8b949e}.hljs-built_in{color:#d2a8ff}.hljs-type{color:#ffa657}}
.snapshot-chart{display:block;max-width:100%;height:auto;margin:4px 0}.snapshot-chart .axis{stroke:var(--line)}.snapshot-chart .line-rows{fill:none;stroke:var(--accent);stroke-width:1.5}
.snapshot-chart .dot-rows{fill:var(--accent)}.snapshot-chart .hit{fill:transparent}.snapshot-chart .version:hover .hit{fill:var(--hover)}
.bar-changed,.sw-changed{fill:var(--invalid);background:var(--invalid)}.bar-added,.sw-added{fill:var(--ok);background:var(--ok)}.bar-removed,.sw-removed{fill:var(--fail);background:var(--fail)}.sw-rows{background:var(--accent)}
.snapshot-legend .sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin:0 4px 0 8px;vertical-align:0}
@media (max-width:760px){.layout{grid-template-columns:1fr}.sidebar{position:static;height:auto;max-height:45vh;border-right:0;border-bottom:1px solid var(--line)}main{padding:16px}}
`;
