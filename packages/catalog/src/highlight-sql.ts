import type { HLJSApi } from 'highlight.js';
import hljs from 'highlight.js/lib/core';
import sql from 'highlight.js/lib/languages/sql';

let instance: HLJSApi | undefined;

/**
 * SQL as HTML with highlight.js classes (`hljs-keyword`, `hljs-string`, …), computed in Node so the page needs
 * no script to colour it. The text is escaped by highlight.js; a private instance leaves the global one alone.
 *
 * @example
 * ```ts
 * highlightSql("SELECT 1 WHERE x = '<b>'"); // '<span class="hljs-keyword">SELECT</span> … &lt;b&gt; …'
 * ```
 */
export function highlightSql(code: string): string {
  if (!instance) {
    instance = hljs.newInstance();
    instance.registerLanguage('sql', sql);
  }
  return instance.highlight(code, { language: 'sql', ignoreIllegals: true }).value;
}
