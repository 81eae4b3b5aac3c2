// SQL as plain text, for the few rules DuckDB's serialized parse cannot answer: comments and literals blanked out.

/**
 * The SQL with the inside of every comment, string literal (`'…'`, `E'…'`, `$$…$$`, `$tag$…$tag$`) and quoted
 * identifier (`"…"`) replaced by spaces, so keywords and `;` can be found by regular expressions. Same length as
 * `sql`: an offset into the result is an offset into the SQL.
 *
 * @example
 * ```ts
 * blankLiterals("SELECT 'a;b' -- PIVOT\n"); // "SELECT '   ' --      \n"
 * ```
 */
export function blankLiterals(sql: string): string {
  let out = '';
  let i = 0;
  const blank = (to: number): void => {
    out += sql.slice(i, to).replace(/[^\n]/g, ' ');
    i = to;
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      blank(end < 0 ? sql.length : end);
    } else if (rest.startsWith('/*')) {
      blank(blockCommentEnd(sql, i));
    } else if (sql[i] === "'" || sql[i] === '"') {
      const quote = sql[i]!;
      const escapes = quote === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      out += quote;
      i++;
      let end = i;
      while (end < sql.length) {
        if (escapes && sql[end] === '\\') end += 2;
        else if (sql[end] === quote && sql[end + 1] === quote) end += 2;
        else if (sql[end] === quote) break;
        else end++;
      }
      blank(Math.min(end, sql.length));
      if (i < sql.length) {
        out += quote;
        i++;
      }
    } else if (sql[i] === '$' && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(rest) && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest)![0];
      const end = sql.indexOf(tag, i + tag.length);
      out += tag;
      i += tag.length;
      blank(end < 0 ? sql.length : end);
      if (end >= 0) {
        out += tag;
        i += tag.length;
      }
    } else {
      out += sql[i];
      i++;
    }
  }
  return out;
}

/** DuckDB's block comments nest (`/* a /* b *\/ c *\/`). */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i++;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}

/** The first word of the SQL after comments, upper-cased (`SELECT`, `PIVOT`, `DROP`), or undefined. */
export function firstKeyword(sql: string): string | undefined {
  return /^[A-Za-z_]+/.exec(blankLiterals(sql).trim())?.[0]?.toUpperCase();
}

/** How many statements the text holds, counting the pieces between `;` outside literals that are not empty. */
export function textStatementCount(sql: string): number {
  return blankLiterals(sql).split(';').filter((piece) => piece.trim() !== '').length;
}

/** 0-based offset of the first of `keywords` written as a word outside comments and literals, or undefined. */
export function keywordOffset(sql: string, keywords: readonly string[]): number | undefined {
  const match = new RegExp(`(?<![\\w$])(?:${keywords.join('|')})(?![\\w$])`, 'i').exec(blankLiterals(sql));
  return match?.index;
}
